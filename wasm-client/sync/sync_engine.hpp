// The till's side of sync (docs/sync-protocol.md): pushes the op journal's
// pending ops, pulls catalog changes by cursor into the local database, and
// decides when — rounds every 15 s while idle, at once after an op, backoff
// 1 s .. 60 s after a failure, probes while the browser claims to be offline.
//
// Platform-free and single-threaded: HTTP is an HttpClient (fetch in the
// browser, a fake in tests), time is a SyncClock, and the work happens in
// tick() (once per frame, within a budget) and in the HTTP answers. Nothing
// here throws or reads a clock by itself.
//
// Deliberately not here: enrolment and the credential's storage (the till's
// auth code hands over a TillIdentity), the screens, and conflict handling
// beyond "newer row_version wins" (the server is authoritative).
#pragma once

#include "salespider/shared/protocol.hpp"
#include "store/product_search.hpp"
#include "store/store.hpp"
#include "sync/apply_changes.hpp"
#include "sync/clock_skew.hpp"
#include "sync/http.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace salespider::sync {

struct TillIdentity {
  std::string till_id;
  std::string code;
  std::string credential;  // "spt_..."
  // The till this browser was before a manager re-enrolled it: its pending
  // ops are pushed unchanged to /api/v1/sync/handover ("" none).
  std::string predecessor_till_id = {};
};

struct SyncClock {
  std::function<std::int64_t()> wall_ms;     // ms since the Unix epoch (headers, skew, last_sync_ms)
  std::function<double()> monotonic_ms;      // scheduling and the tick budget
};

struct SyncStatus {
  bool configured = false;        // has an identity
  bool browser_online = true;     // what navigator.onLine says
  bool online = false;            // the last request got an HTTP answer from our server (not 0, not 502/503/504)
  bool pushing = false, pulling = false;
  bool bootstrapping = false;     // first pull (empty cursor) not finished
  std::int64_t bootstrap_done = 0, bootstrap_total = 0;  // rows applied / rows known (done + remaining)
  std::int64_t last_sync_ms = 0;  // wall clock of the last round where push (if anything pending) and pull both succeeded; 0 never
  std::optional<std::int64_t> clock_skew_ms;  // local wall - server Date, from the latest answer
  int failures = 0;               // consecutive failed rounds (drives backoff)
  std::int64_t retry_in_ms = 0;   // until the next attempt while backing off
  std::string last_error;         // human-readable, empty when the last round was fine
  bool protocol_too_old = false;  // server said unsupported_protocol_version (stop retrying fast; show it)
  bool credential_refused = false;  // 401 on push/pull: the till was retired or its credential is wrong
  std::int64_t acked = 0, rejected = 0;  // counts this session
  // Also this session: pulled changes skipped because this build does not
  // know their entity (a newer server) or their data had the wrong shape.
  std::int64_t unknown_changes = 0, invalid_changes = 0;
  // Pulled changes kept because they could not be applied yet (all time,
  // deferred_changes): tried again after an upgrade (app version changed)
  // or when the applier learns their entity. Managers see the number.
  std::int64_t deferred_changes = 0;
  // Pending ops the protocol encoder refuses (e.g. recorded under another
  // till id): never pushed, never dropped — they stay pending and exportable.
  std::int64_t unpushable = 0;
  // This session: times the server's restore epoch changed, and the acked
  // ops made pending again for it (sync/restore_epoch.hpp).
  std::int64_t restore_epoch_changes = 0, requeued_after_restore = 0;
};

class SyncEngine {
 public:
  static constexpr double kIdleIntervalMs = 15'000;
  static constexpr double kFirstBackoffMs = 1'000;
  static constexpr double kMaxBackoffMs = 60'000;  // also the offline probe interval
  static constexpr std::size_t kMaxOpsPerPush = 100;
  static constexpr std::size_t kMaxPushPayloadBytes = 512 * 1024;  // well under the server's 1 MiB
  static constexpr int kPullLimit = 1000;  // a page while bootstrapping
  // A page of an enrolled till's feed: decoding one is a single unit of
  // work that tick() cannot cut, so a smaller page keeps a burst of
  // changes (10,000 new prices) from holding a frame.
  static constexpr int kFeedPullLimit = 250;

  SyncEngine(store::Store& store, HttpClient& http, SyncClock clock, std::string app_version);
  ~SyncEngine();
  SyncEngine(const SyncEngine&) = delete;
  SyncEngine& operator=(const SyncEngine&) = delete;

  void set_identity(std::optional<TillIdentity> identity);  // after enrolment / at start; nullopt = not enrolled
  void set_browser_online(bool online);  // online/offline events; coming online triggers a round at once
  void poke();      // an op was just recorded: push soon (at once unless backing off)
  void sync_now();  // the cashier pressed "Sync now": a round at once, backoff reset
  // Called once per frame. Starts requests when due; applies downloaded pull
  // pages in slices so that the work done inside one tick() stays within
  // budget_ms (measured with clock.monotonic_ms). One unit of work always
  // runs (at least one change, or decoding one downloaded page), so a tiny
  // budget slows sync down but never stops it.
  void tick(double budget_ms);
  SyncStatus status() const;
  // A downloaded pull page is waiting to be decoded or applied: more tick()s
  // now would make progress (the till then runs them between frames too).
  bool has_pull_work() const {
    return applying_.has_value() || downloaded_.has_value() || part_body_.has_value() || !parts_ready_.empty() ||
           index_build_ != nullptr;
  }
  // A bootstrap asks for the plan and the catalog in parts first (the till
  // turns it on; off, the paged pull does it all, as the older tests answer).
  void set_catalog_parts(bool on) { catalog_ = on; }
  // Parts of the catalog downloaded at once during a bootstrap in parts.
  static constexpr int kPartsInFlight = 3;
  std::function<void()> on_change;  // called after anything in status() or the store's counters changed
  // Teaches the applier an entity this build does not know (a test hook for
  // "the next build knows it"): the changes kept for it apply at the next round.
  void learn_entity(std::string entity, ChangeApplier::ExtraApplier apply) { applier_.learn(std::move(entity), std::move(apply)); }

 private:
  enum class PullPhase { idle, waiting, done };

  double next_attempt_at() const;
  bool due(double now) const;
  void start_round(double now);
  void finish_round_if_quiet(double now);
  void fail_round(std::string why);
  bool start_push();
  void on_push_answer(HttpResponse response);
  void send_pull(const std::string& cursor);
  void on_pull_answer(HttpResponse response);
  void decode_downloaded_page();
  void restart_after_restore(std::size_t requeued);
  void apply_slice(double started, double budget_ms);
  // The bootstrap in parts (docs/sync-protocol.md): plan, parts, then the feed.
  void send_plan();
  void on_plan_answer(HttpResponse response);
  void send_parts();
  void on_part_answer(HttpResponse response);
  void apply_part_slice(double started, double budget_ms);
  void build_index_slice(double budget_ms);
  void finish_parts();
  void drop_parts();
  bool pull_quiet() const;
  store::Status begin_bootstrap();
  store::Status end_bootstrap();
  store::Result<std::string> load_cursor();
  void retry_deferred_if_due();
  std::vector<std::pair<std::string, std::string>> headers() const;
  void note_answer(const HttpResponse& response);
  std::string describe_failure(const char* what, const HttpResponse& response);
  void changed() { changed_ = true; }
  void notify();

  store::Store& store_;
  HttpClient& http_;
  SyncClock clock_;
  ClockSkewMeter clock_skew_;  // every answer's Date header (clock_skew.hpp)
  std::string app_version_;
  std::optional<TillIdentity> identity_;
  SyncStatus st_;
  bool changed_ = false;
  // Answers arriving after the engine is gone, or for an identity that was
  // replaced meanwhile, are dropped.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  std::uint64_t generation_ = 0;

  bool round_active_ = false;
  bool round_failed_ = false;
  std::string round_error_;
  bool start_now_ = false;
  bool push_wanted_ = false;
  double next_round_at_ = 0;
  double last_attempt_at_ = 0;
  bool attempted_ = false;

  // Push lane. Counted across identities: never two pushes outstanding.
  int pushes_outstanding_ = 0;
  std::vector<std::string> push_ids_;
  std::set<std::string> unpushable_;
  bool handover_refused_ = false;  // the server refused this session's hand-over: push our own ops meanwhile
  bool pushing_handover_ = false;  // the push in flight carries the predecessor's ops

  // Pull lane: one page downloading (the next, prefetched) while one
  // decoded page is applied in slices.
  PullPhase pull_phase_ = PullPhase::idle;
  bool pull_in_flight_ = false;
  std::optional<std::string> cursor_;  // as stored in sync_state; nullopt: not loaded
  std::optional<HttpResponse> downloaded_;
  std::optional<PullPage> applying_;
  std::size_t apply_index_ = 0;
  ChangeApplier applier_;
  // Bootstrap in parts: the plan's parts, the next to download, bodies
  // downloaded and waiting, the one being applied (from part_pos_), the feed
  // cursor to continue from once every part is in. catalog_ off after the
  // server answered 404 (an older server) or a part could not be applied:
  // the paged JSON bootstrap then does it all.
  bool catalog_ = false;
  bool catalog_active_ = false;
  std::vector<std::pair<std::string, std::string>> parts_;
  std::size_t next_part_ = 0, parts_done_ = 0;
  int parts_in_flight_ = 0;
  std::vector<std::string> parts_ready_;
  std::optional<std::string> part_body_;
  std::size_t part_pos_ = 0;
  std::string catalog_cursor_;
  bool deferred_checked_ = false;  // the app-version check of retry_deferred_if_due() ran
  // The end of a bootstrap round: the search index built in slices
  // (store::SearchIndexBuild) once everything is pulled, before the round
  // ends and the bootstrap is over; index_built_ until end_bootstrap.
  std::unique_ptr<store::SearchIndexBuild> index_build_;
  bool index_built_ = false;
};

}  // namespace salespider::sync
