// SyncEngine: rounds, the push lane, the pull lane and the bootstrap
// (sync_engine.hpp). A round = push everything pending (in batches, one in
// flight) and pull until a page has no changes and nothing remains; both
// lanes run side by side and the round ends when both are quiet.
#include "sync/sync_engine.hpp"

#include "salespider/shared/codec.hpp"
#include "json/fields.hpp"
#include "store/catalog.hpp"
#include "sync/restore_epoch.hpp"


#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace salespider::sync {

namespace {

using store::OpState;
using store::Status;

constexpr const char* kBootstrapSetting = "sync_bootstrap";
// The app version that last tried the kept (deferred) changes: another
// version at start means an upgrade that may know them now.
constexpr const char* kDeferredVersionSetting = "deferred_changes_version";
constexpr std::size_t kMaxErrorBodyBytes = 64 * 1024;
constexpr std::size_t kMaxErrorTextBytes = 400;

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string clip(std::string text) {
  if (text.size() > kMaxErrorTextBytes) text = text.substr(0, kMaxErrorTextBytes) + "...";
  return text;
}

}  // namespace

SyncEngine::SyncEngine(store::Store& store, HttpClient& http, SyncClock clock, std::string app_version)
    : store_(store), http_(http), clock_(std::move(clock)), app_version_(std::move(app_version)), applier_(store) {}

SyncEngine::~SyncEngine() = default;

void SyncEngine::notify() {
  if (!changed_) return;
  changed_ = false;
  if (on_change) on_change();
}

// --- what the outside says ----------------------------------------------------

void SyncEngine::set_identity(std::optional<TillIdentity> identity) {
  // Whatever is in flight belongs to the old identity: its answers are
  // dropped (generation), the round is abandoned without counting as failed.
  ++generation_;
  identity_ = std::move(identity);
  st_.configured = identity_.has_value();
  st_.credential_refused = false;
  st_.protocol_too_old = false;
  handover_refused_ = false;
  st_.failures = 0;
  st_.last_error.clear();
  st_.pushing = st_.pulling = false;
  round_active_ = false;
  round_failed_ = false;
  pull_phase_ = PullPhase::idle;
  pull_in_flight_ = false;
  downloaded_.reset();
  applying_.reset();
  push_ids_.clear();
  cursor_.reset();
  index_build_.reset();
  index_built_ = false;
  if (st_.bootstrapping) store_.hold_snapshots(false);
  st_.bootstrapping = false;
  start_now_ = identity_.has_value();
  changed();
  notify();
}

void SyncEngine::set_browser_online(bool online) {
  st_.browser_online = online;
  if (!online) st_.online = false;
  if (online) start_now_ = true;
  changed();
  notify();
}

void SyncEngine::poke() {
  push_wanted_ = true;
  if (!round_active_ && st_.failures == 0 && st_.browser_online) start_now_ = true;
}

void SyncEngine::sync_now() {
  st_.failures = 0;
  start_now_ = true;
  push_wanted_ = true;
  changed();
  notify();
}

SyncStatus SyncEngine::status() const {
  SyncStatus s = st_;
  s.retry_in_ms = 0;
  if (!round_active_ && identity_ && (st_.failures > 0 || !st_.browser_online) && !start_now_)
    s.retry_in_ms = static_cast<std::int64_t>(std::max(0.0, std::ceil(next_attempt_at() - clock_.monotonic_ms())));
  return s;
}

// --- rounds -------------------------------------------------------------------

double SyncEngine::next_attempt_at() const {
  double at = next_round_at_;
  // navigator.onLine is often wrong (and a LAN server may answer anyway):
  // while it says offline, probe at the backoff cap.
  if (!st_.browser_online && attempted_) at = std::max(at, last_attempt_at_ + kMaxBackoffMs);
  return at;
}

bool SyncEngine::due(double now) const {
  if (!identity_ || store_.read_only() || round_active_) return false;
  if (start_now_) return true;
  return now >= next_attempt_at();
}

void SyncEngine::tick(double budget_ms) {
  const double started = clock_.monotonic_ms();
  if (due(started)) start_round(started);
  if (round_active_ && push_wanted_ && !round_failed_ && pushes_outstanding_ == 0) start_push();
  push_wanted_ = false;

  // Pull work, one unit at a time until the budget is spent; the first unit
  // always runs so that sync progresses whatever the budget.
  bool worked = false;
  for (;;) {
    const bool over = worked && clock_.monotonic_ms() - started >= budget_ms;
    if (!applying_ && downloaded_) {
      if (round_failed_) {
        downloaded_.reset();
        continue;
      }
      if (over) break;
      decode_downloaded_page();
      worked = true;
      continue;
    }
    if (applying_) {
      if (over) break;
      apply_slice(started, budget_ms);
      worked = true;
      continue;
    }
    if (part_body_ || !parts_ready_.empty()) {
      if (round_failed_) {
        drop_parts();
        continue;
      }
      if (over) break;
      apply_part_slice(started, budget_ms);
      worked = true;
      continue;
    }
    // Every part and the small entities' page applied: only now the feed
    // cursor is stored (a till stopped before starts the plan again).
    if (catalog_active_ && !round_failed_ && parts_done_ == parts_.size() && parts_in_flight_ == 0) {
      finish_parts();
      worked = true;
      continue;
    }
    if (index_build_) {
      if (over) break;
      build_index_slice(std::max(1.0, budget_ms - (clock_.monotonic_ms() - started)));
      worked = true;
      continue;
    }
    // Everything pulled: a bootstrap's round goes on with the index build,
    // in this tick if the budget allows.
    finish_round_if_quiet(clock_.monotonic_ms());
    if (index_build_) continue;
    break;
  }
  finish_round_if_quiet(clock_.monotonic_ms());
  notify();
}

void SyncEngine::start_round(double now) {
  round_active_ = true;
  round_failed_ = false;
  round_error_.clear();
  start_now_ = false;
  attempted_ = true;
  last_attempt_at_ = now;
  st_.pulling = true;
  pull_phase_ = PullPhase::waiting;
  changed();

  if (!cursor_) {
    store::Result<std::string> loaded = load_cursor();
    if (!loaded) {
      fail_round("reading the sync cursor: " + loaded.error().context);
    } else {
      cursor_ = loaded.value();
    }
  }
  if (!round_failed_) {
    store::Result<std::optional<std::string>> flag = store_.setting(kBootstrapSetting);
    if (!flag) {
      fail_round("reading the bootstrap state: " + flag.error().context);
    } else if (cursor_->empty() || (flag.value() && *flag.value() == "1")) {
      if (Status s = begin_bootstrap(); !s) fail_round("starting the bootstrap: " + s.error().context);
    }
  }
  if (!round_failed_) retry_deferred_if_due();
  start_push();
  drop_parts();  // a plan of an earlier round that failed is not continued
  if (!round_failed_) {
    if (cursor_->empty() && catalog_)
      send_plan();
    else
      send_pull(*cursor_);
  }
  finish_round_if_quiet(now);
}

void SyncEngine::retry_deferred_if_due() {
  bool due = applier_.learned_since_retry();
  std::string version;
  if (!deferred_checked_) {
    store::Result<std::optional<std::string>> last = store_.setting(kDeferredVersionSetting);
    if (!last) return fail_round("reading the kept changes' version: " + last.error().context);
    due = due || !last.value() || *last.value() != app_version_;
  }
  store::Result<std::int64_t> kept = applier_.deferred_count();
  if (!kept) return fail_round("counting the kept changes: " + kept.error().context);
  if (due && kept.value() > 0) {
    Status s = store_.transaction([&](store::Database&) -> Status {
      store::Result<std::int64_t> left = applier_.retry_deferred();
      if (!left) return left.error();
      return {};
    });
    if (!s) {
      applier_.recount();
      return fail_round("applying the kept changes again: " + s.error().context);
    }
    kept = applier_.deferred_count();
    if (!kept) return fail_round("counting the kept changes: " + kept.error().context);
  }
  if (!deferred_checked_) {
    if (Status w = store_.set_setting(kDeferredVersionSetting, app_version_); !w)
      return fail_round("recording the kept changes' version: " + w.error().context);
    deferred_checked_ = true;
  }
  st_.deferred_changes = kept.value();
  changed();
}

void SyncEngine::fail_round(std::string why) {
  if (!round_failed_) {
    round_failed_ = true;
    round_error_ = clip(std::move(why));
  }
  changed();
}

bool SyncEngine::pull_quiet() const {
  if (parts_in_flight_ > 0 || part_body_ || !parts_ready_.empty() || index_build_) return false;
  if (catalog_active_ && !round_failed_) return false;
  return !pull_in_flight_ && !downloaded_ && !applying_ && (pull_phase_ == PullPhase::done || round_failed_);
}

void SyncEngine::finish_round_if_quiet(double now) {
  if (!round_active_ || pushes_outstanding_ > 0 || !pull_quiet()) return;
  if (!round_failed_ && st_.bootstrapping && !index_built_) {
    // Everything is pulled: the search index next, in slices (tick()),
    // and only then is the round, and the bootstrap, over.
    index_build_ = std::make_unique<store::SearchIndexBuild>(clock_.monotonic_ms);
    changed();
    return;
  }
  round_active_ = false;
  pull_phase_ = PullPhase::idle;
  st_.pulling = false;
  st_.pushing = false;
  if (!round_failed_ && st_.bootstrapping) {
    if (Status s = end_bootstrap(); !s) fail_round("finishing the bootstrap: " + s.error().context);
  }
  if (!round_failed_) {
    st_.failures = 0;
    st_.last_sync_ms = clock_.wall_ms();
    st_.last_error.clear();
    next_round_at_ = now + kIdleIntervalMs;
  } else {
    ++st_.failures;
    // 1 s, 2 s, 4 s ... 60 s; a too-old till waits the cap every time.
    double delay = kMaxBackoffMs;
    if (!st_.protocol_too_old && st_.failures < 16)
      delay = std::min(kMaxBackoffMs, kFirstBackoffMs * static_cast<double>(1 << (st_.failures - 1)));
    next_round_at_ = now + delay;
    st_.last_error = round_error_;
    // A bootstrap that cannot go on for now persists what it has (resumed
    // from the saved cursor later, even after a reload).
    if (st_.bootstrapping) store_.hold_snapshots(false);
  }
  changed();
}

// --- requests -----------------------------------------------------------------

std::vector<std::pair<std::string, std::string>> SyncEngine::headers() const {
  const std::int64_t wall = clock_.wall_ms();
  std::int64_t depth = 0;
  std::optional<std::int64_t> oldest;
  for (const store::JournalRecord* r : store_.journal().with_state(OpState::pending)) {
    ++depth;
    oldest = oldest ? std::min(*oldest, r->created_at) : r->created_at;
  }
  return {
      {"Authorization", "Bearer " + identity_->credential},
      {"Content-Type", "application/json"},
      {"X-Till-Time", std::to_string(wall)},
      {"X-Till-Outbox-Depth", std::to_string(depth)},
      {"X-Till-Oldest-Op-Age-Ms", std::to_string(oldest ? std::max<std::int64_t>(0, wall - *oldest) : 0)},
      {"X-Till-App-Version", app_version_},
  };
}

void SyncEngine::note_answer(const HttpResponse& r) {
  // 502/503/504 come from a proxy or a server without its database: not
  // "our server answered" for the cashier's online light.
  st_.online = r.status != 0 && r.status != 502 && r.status != 503 && r.status != 504;
  clock_skew_.note(r.status, clock_.wall_ms(), r.server_date_ms);
  st_.clock_skew_ms = clock_skew_.offset_ms();
  if (r.status == 401) st_.credential_refused = true;
  if (r.status >= 200 && r.status < 300) {
    st_.credential_refused = false;
    st_.protocol_too_old = false;
  }
  changed();
}

std::string SyncEngine::describe_failure(const char* what, const HttpResponse& r) {
  std::string text = what;
  if (r.status == 0) return text + ": no answer from the server" + (r.error.empty() ? "" : " (" + r.error + ")");
  text += ": HTTP " + std::to_string(r.status);
  std::string code, message;
  if (r.body.size() <= kMaxErrorBodyBytes) {
    // {"error":{"code","message","request_id"}}; anything else is ignored.
    if (std::optional<jsonio::Json> doc = jsonio::parse_object(r.body, kMaxErrorBodyBytes)) {
      code = jsonio::nested_text(*doc, "error", "code");
      message = jsonio::nested_text(*doc, "error", "message");
    }
  }
  if (!code.empty()) text += " " + code;
  if (!message.empty()) text += ": " + message;
  if (r.status == 400 && (starts_with(message, "unsupported_protocol_version") || code == "unsupported_protocol_version")) {
    st_.protocol_too_old = true;
    text += " (this till is too old for the server: update it)";
  }
  if (r.status == 401) text += " (the till's credential was refused: enrol it again)";
  return text;
}

bool SyncEngine::start_push() {
  if (pushes_outstanding_ > 0 || !identity_ || round_failed_) return false;
  std::vector<const store::JournalRecord*> pending = store_.pending_records();
  // A batch is one till's ops. Those recorded before a manager re-enrolled
  // this browser keep the old till's id and go first, to the hand-over
  // endpoint (unless the server refused that this session).
  const std::string& predecessor = identity_->predecessor_till_id;
  std::string batch_till = identity_->till_id;
  if (!predecessor.empty() && !handover_refused_)
    for (const store::JournalRecord* r : pending)
      if (r->till_id == predecessor && unpushable_.count(r->op_id) == 0) {
        batch_till = predecessor;
        break;
      }
  PushBatch batch;
  std::string body;
  for (;;) {
    batch = PushBatch{};
    batch.protocol_version = kProtocolVersion;
    batch.till_id = batch_till;
    std::size_t bytes = 0;
    for (const store::JournalRecord* rp : pending) {
      const store::JournalRecord& r = *rp;
      if (unpushable_.count(r.op_id) != 0) continue;
      if (r.till_id != batch_till) {
        // Neither this till's nor its predecessor's: kept (exportable), never pushed.
        if (r.till_id != identity_->till_id && (predecessor.empty() || r.till_id != predecessor))
          unpushable_.insert(r.op_id);
        continue;
      }
      Result<OpKind> kind = parse_op_kind(r.kind);
      if (!kind) {
        unpushable_.insert(r.op_id);
        continue;
      }
      if (!batch.ops.empty() && bytes + r.payload.size() + r.grant.size() > kMaxPushPayloadBytes) break;
      bytes += r.payload.size() + r.grant.size();
      batch.ops.push_back(Op{r.op_id, r.till_id, kind.value(), r.created_at, r.user_id, r.grant, r.payload});
      if (batch.ops.size() >= kMaxOpsPerPush) break;
    }
    st_.unpushable = static_cast<std::int64_t>(unpushable_.size());
    if (batch.ops.empty()) return false;
    Result<std::string> encoded = encode_push_batch(batch);
    if (encoded) {
      body = std::move(encoded).value();
      break;
    }
    // One op the protocol refuses must not hold back the others: find it,
    // keep it pending (exportable), push the rest.
    bool found = false;
    for (const Op& op : batch.ops) {
      PushBatch one;
      one.till_id = batch.till_id;
      one.ops.push_back(op);
      if (!encode_push_batch(one)) {
        unpushable_.insert(op.op_id);
        found = true;
      }
    }
    if (!found) {
      fail_round("push: cannot encode the batch: " + encoded.error().context);
      return false;
    }
  }

  push_ids_.clear();
  for (const Op& op : batch.ops) push_ids_.push_back(op.op_id);
  pushing_handover_ = batch_till != identity_->till_id;
  HttpRequest req{"POST", pushing_handover_ ? "/api/v1/sync/handover" : "/api/v1/sync/push", headers(), std::move(body)};
  ++pushes_outstanding_;
  st_.pushing = true;
  changed();
  std::weak_ptr<int> alive = alive_;
  const std::uint64_t gen = generation_;
  http_.send(req, [this, alive, gen](HttpResponse r) {
    if (alive.expired()) return;
    --pushes_outstanding_;
    if (gen != generation_) return;
    on_push_answer(std::move(r));
  });
  return true;
}

void SyncEngine::on_push_answer(HttpResponse r) {
  st_.pushing = false;
  note_answer(r);
  std::vector<std::string> ids = std::move(push_ids_);
  push_ids_.clear();
  if (r.status != 200) {
    if (pushing_handover_ && r.status == 403) handover_refused_ = true;
    fail_round(describe_failure(pushing_handover_ ? "hand-over" : "push", r));
  } else if (Result<PushResponse> decoded = decode_push_response(r.body); !decoded) {
    fail_round("push: the server's answer is unreadable: " + decoded.error().context);
  } else {
    std::map<std::string, const OpResult*> by_id;
    for (const OpResult& res : decoded.value().results) by_id.emplace(res.op_id, &res);
    std::vector<std::string> acked;
    std::size_t missing = 0;
    for (const std::string& id : ids) {
      auto it = by_id.find(id);
      if (it == by_id.end()) {
        ++missing;  // stays pending: pushed again next round
        continue;
      }
      const OpResult& res = *it->second;
      std::string reason;
      if (res.status == OpStatus::rejected) {
        reason = res.code + ": " + res.message;
      } else if (res.status == OpStatus::duplicate && starts_with(res.message, "original: rejected")) {
        // We lost the first answer; the server holds it as rejected, so
        // this till shows it as needing attention too.
        reason = res.message;
      }
      if (reason.empty()) {
        acked.push_back(id);
      } else if (Status s = store_.mark_rejected(id, std::move(reason)); !s) {
        fail_round("push: recording a rejection: " + s.error().context);
      } else {
        ++st_.rejected;
      }
    }
    if (!acked.empty()) {
      if (Status s = store_.mark_acked(acked); !s) {
        fail_round("push: recording acknowledgements: " + s.error().context);
      } else {
        st_.acked += static_cast<std::int64_t>(acked.size());
      }
    }
    if (missing > 0)
      fail_round("push: the server gave no result for " + std::to_string(missing) + " op(s); they stay pending");
  }
  // More pending (a second batch, or ops recorded meanwhile): next batch now.
  if (!round_failed_) start_push();
  finish_round_if_quiet(clock_.monotonic_ms());
  notify();
}

void SyncEngine::send_pull(const std::string& cursor) {
  HttpRequest req{"GET",
                  "/api/v1/sync/pull?protocol_version=" + std::to_string(kProtocolVersion) +
                      "&cursor=" + url_encode(cursor) + "&limit=" +
                      std::to_string(st_.bootstrapping ? kPullLimit : kFeedPullLimit),
                  headers(),
                  {}};
  pull_in_flight_ = true;
  std::weak_ptr<int> alive = alive_;
  const std::uint64_t gen = generation_;
  http_.send(req, [this, alive, gen](HttpResponse r) {
    if (alive.expired() || gen != generation_) return;
    on_pull_answer(std::move(r));
  });
}

void SyncEngine::on_pull_answer(HttpResponse r) {
  pull_in_flight_ = false;
  note_answer(r);
  if (r.status != 200) {
    fail_round(describe_failure("pull", r));
  } else if (!round_failed_) {
    // Decoded in tick(), within its budget, not here.
    downloaded_ = std::move(r);
  }
  finish_round_if_quiet(clock_.monotonic_ms());
  notify();
}

void SyncEngine::decode_downloaded_page() {
  HttpResponse r = std::move(*downloaded_);
  downloaded_.reset();
  Result<PullPage> page = decode_pull_page(r.body);
  if (!page) {
    fail_round("pull: the server's page is unreadable: " + page.error().context);
    return;
  }
  if (!page.value().epoch.empty()) {
    store::Result<EpochNote> note = note_restore_epoch(store_, page.value().epoch);
    if (!note) {
      fail_round("pull: recording the server's restore epoch: " + note.error().context);
      return;
    }
    if (note.value().seen == EpochSeen::changed) {
      restart_after_restore(note.value().requeued);
      return;
    }
  }
  const std::string& used = *cursor_;  // the page before it is stored by now
  const bool empty = page.value().changes.empty();
  // Another page while this one brought changes or more remain; a page that
  // moves nowhere ends the round rather than asking the same thing again.
  const bool more = (!empty || page.value().remaining > 0) && !(empty && page.value().next_cursor == used);
  if (st_.bootstrapping)
    st_.bootstrap_total = st_.bootstrap_done + static_cast<std::int64_t>(page.value().changes.size()) +
                          page.value().remaining;
  applying_ = std::move(page).value();
  apply_index_ = 0;
  if (more) {
    send_pull(applying_->next_cursor);  // downloads while this page is applied
  } else {
    pull_phase_ = PullPhase::done;
  }
  changed();
}

void SyncEngine::restart_after_restore(std::size_t requeued) {
  // The page answered a cursor of the server before its restore: dropped.
  // The re-queued ops go up while the pull starts again from nothing.
  ++st_.restore_epoch_changes;
  st_.requeued_after_restore += static_cast<std::int64_t>(requeued);
  cursor_ = std::string();
  if (Status s = begin_bootstrap(); !s) {
    fail_round("pull: restarting after the server's restore: " + s.error().context);
    return;
  }
  st_.bootstrap_done = 0;
  st_.bootstrap_total = 0;
  if (pushes_outstanding_ == 0) start_push();
  send_pull(*cursor_);
  changed();
}

void SyncEngine::apply_slice(double started, double budget_ms) {
  PullPage& page = *applying_;
  const std::size_t n = page.changes.size();
  if (n == 0 && page.next_cursor == *cursor_) {
    applying_.reset();
    return;
  }
  std::size_t index = apply_index_;
  std::int64_t unknown = 0, invalid = 0;
  std::string why;
  bool page_done = false;
  Status s = store_.transaction([&](store::Database& db) -> Status {
    do {
      if (index < n) {
        store::Result<ApplyOutcome> r = applier_.apply(page.changes[index], why);
        if (!r) return r.error();
        if (r.value() == ApplyOutcome::unknown_entity) ++unknown;
        if (r.value() == ApplyOutcome::invalid) ++invalid;
        if (r.value() == ApplyOutcome::unknown_entity || r.value() == ApplyOutcome::invalid) {
          // Kept, not skipped: the cursor may move past it (docs/sync-protocol.md).
          if (Status k = applier_.keep(page.changes[index], r.value(), why, *cursor_, clock_.wall_ms()); !k) return k;
          why.clear();
        }
        ++index;
      }
      if (index == n) {
        // The page's cursor commits with its last changes: a till that
        // stops anywhere before this resumes from the previous cursor and
        // re-applies (idempotent, row versions).
        if (page.next_cursor != *cursor_) {
          store::Result<store::Statement> save = db.prepare(
              "INSERT INTO sync_state(feed, cursor, updated_at) VALUES('main', ?1, ?2) "
              "ON CONFLICT(feed) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at");
          if (!save) return save.error();
          if (Status w = save.value().bind(1, page.next_cursor).bind(2, clock_.wall_ms()).run(); !w) return w;
        }
        page_done = true;
        break;
      }
    } while (clock_.monotonic_ms() - started < budget_ms);
    return {};
  });
  if (!s) {
    applier_.recount();
    fail_round("pull: storing changes failed: " + s.error().context);
    applying_.reset();
    changed();
    return;
  }
  if (st_.bootstrapping) st_.bootstrap_done += static_cast<std::int64_t>(index - apply_index_);
  st_.unknown_changes += unknown;
  st_.invalid_changes += invalid;
  // Kept changes come and go with a page (a newer good version replaces
  // one); the count is cached in the applier, so this costs nothing.
  if (store::Result<std::int64_t> kept = applier_.deferred_count()) st_.deferred_changes = kept.value();
  apply_index_ = index;
  if (page_done) {
    cursor_ = page.next_cursor;
    applying_.reset();
  }
  changed();
}

// --- the bootstrap in parts ------------------------------------------------------

void SyncEngine::send_plan() {
  HttpRequest req{"GET", "/api/v1/sync/bootstrap?protocol_version=" + std::to_string(kProtocolVersion), headers(),
                  {}};
  pull_in_flight_ = true;
  std::weak_ptr<int> alive = alive_;
  const std::uint64_t gen = generation_;
  http_.send(req, [this, alive, gen](HttpResponse r) {
    if (alive.expired() || gen != generation_) return;
    on_plan_answer(std::move(r));
  });
}

void SyncEngine::on_plan_answer(HttpResponse r) {
  pull_in_flight_ = false;
  note_answer(r);
  if (r.status == 404 && !round_failed_) {
    // A server before the bootstrap in parts: the paged pull does it all.
    catalog_ = false;
    send_pull(*cursor_);
  } else if (r.status != 200) {
    fail_round(describe_failure("bootstrap plan", r));
  } else if (!round_failed_) {
    const jsonio::Json plan = jsonio::Json::parse(r.body, nullptr, false);
    Result<PullPage> page = make_error(Errc::invalid_value, "no page");
    bool ok = plan.is_object() && plan.contains("page") && plan.contains("parts") && plan.contains("cursor") &&
              plan["parts"].is_array() && plan["cursor"].is_string();
    if (ok) page = decode_pull_page(plan["page"].dump());
    ok = ok && page.ok();
    std::vector<std::pair<std::string, std::string>> parts;
    if (ok)
      for (const auto& p : plan["parts"]) {
        if (!p.is_array() || p.size() != 2 || !p[0].is_string() || !p[1].is_string()) {
          ok = false;
          break;
        }
        parts.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
      }
    if (!ok) {
      fail_round("bootstrap plan: the server's answer is unreadable");
    } else if (!page.value().epoch.empty() && [&] {
                 store::Result<EpochNote> note = note_restore_epoch(store_, page.value().epoch);
                 if (!note) {
                   fail_round("bootstrap plan: recording the server's restore epoch: " + note.error().context);
                   return true;
                 }
                 if (note.value().seen == EpochSeen::changed) {
                   restart_after_restore(note.value().requeued);
                   return true;
                 }
                 return false;
               }()) {
      // handled above
    } else {
      catalog_active_ = true;
      catalog_cursor_ = plan["cursor"].get<std::string>();
      parts_ = std::move(parts);
      next_part_ = parts_done_ = 0;
      const std::int64_t products = plan.value("products", std::int64_t{0});
      st_.bootstrap_total = st_.bootstrap_done + static_cast<std::int64_t>(page.value().changes.size()) + products;
      page.value().next_cursor = *cursor_;  // the small entities save no cursor: the feed starts after the parts
      applying_ = std::move(page).value();
      apply_index_ = 0;
      send_parts();
      changed();
    }
  }
  finish_round_if_quiet(clock_.monotonic_ms());
  notify();
}

void SyncEngine::send_parts() {
  // At most kPartsInFlight downloading or downloaded and not yet applied:
  // the bodies wait in memory.
  while (!round_failed_ && next_part_ < parts_.size() &&
         parts_in_flight_ + static_cast<int>(parts_ready_.size()) < kPartsInFlight) {
    const auto& [after, upto] = parts_[next_part_++];
    HttpRequest req{"GET",
                    "/api/v1/sync/bootstrap/part?protocol_version=" + std::to_string(kProtocolVersion) +
                        "&after=" + url_encode(after) + "&upto=" + url_encode(upto),
                    headers(),
                    {}};
    ++parts_in_flight_;
    std::weak_ptr<int> alive = alive_;
    const std::uint64_t gen = generation_;
    http_.send(req, [this, alive, gen](HttpResponse r) {
      if (alive.expired() || gen != generation_) return;
      on_part_answer(std::move(r));
    });
  }
}

void SyncEngine::on_part_answer(HttpResponse r) {
  --parts_in_flight_;
  note_answer(r);
  if (r.status != 200) {
    fail_round(describe_failure("bootstrap part", r));
  } else if (!round_failed_) {
    parts_ready_.push_back(std::move(r.body));
  }
  if (round_failed_) drop_parts();
  finish_round_if_quiet(clock_.monotonic_ms());
  notify();
}

void SyncEngine::drop_parts() {
  parts_ready_.clear();
  part_body_.reset();
  part_pos_ = 0;
  catalog_active_ = false;
}

void SyncEngine::apply_part_slice(double started, double budget_ms) {
  if (!part_body_) {
    part_body_ = std::move(parts_ready_.back());
    parts_ready_.pop_back();
    part_pos_ = 0;
    send_parts();  // room for the next download
  }
  const std::string& body = *part_body_;
  std::size_t pos = part_pos_;
  std::int64_t applied = 0;
  std::string id, why;
  Status s = store_.transaction([&](store::Database&) -> Status {
    do {
      if (pos >= body.size()) break;
      std::size_t end = body.find('\n', pos);
      if (end == std::string::npos) end = body.size();
      store::Result<ApplyOutcome> r = applier_.apply_catalog_line(std::string_view(body).substr(pos, end - pos), id, why);
      if (!r) return r.error();
      if (r.value() == ApplyOutcome::invalid)
        return store::store_error(store::StoreErrc::invalid_op, "catalog line for " + id + ": " + why);
      pos = end + 1;
      ++applied;
      // The clock every 16 lines: reading it per line (performance.now())
      // was 7 % of the apply's time; 16 lines take ~1 ms.
    } while (applied % 16 != 0 || clock_.monotonic_ms() - started < budget_ms);
    return {};
  });
  if (!s) {
    // Not skipped: the next round bootstraps again through the paged pull,
    // which keeps a change it cannot apply (deferred_changes).
    applier_.recount();
    catalog_ = false;
    fail_round("bootstrap: storing a catalog part failed: " + s.error().context);
    drop_parts();
    changed();
    return;
  }
  st_.bootstrap_done += applied;
  part_pos_ = pos;
  if (pos >= body.size()) {
    part_body_.reset();
    ++parts_done_;
    send_parts();
  }
  changed();
}

void SyncEngine::finish_parts() {
  // Every product is in: the feed continues from the plan's cutoff (some
  // rows come twice; applying keeps the higher row_version). The cursor is
  // stored now, so a restart from here pulls only the feed.
  catalog_active_ = false;
  Status s = store_.transaction([&](store::Database& db) -> Status {
    store::Result<store::Statement> save = db.prepare(
        "INSERT INTO sync_state(feed, cursor, updated_at) VALUES('main', ?1, ?2) "
        "ON CONFLICT(feed) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at");
    if (!save) return save.error();
    return save.value().bind(1, catalog_cursor_).bind(2, clock_.wall_ms()).run();
  });
  if (!s) {
    fail_round("bootstrap: storing the feed cursor failed: " + s.error().context);
    return;
  }
  cursor_ = catalog_cursor_;
  send_pull(*cursor_);
}

// --- bootstrap ------------------------------------------------------------------

store::Result<std::string> SyncEngine::load_cursor() {
  store::Result<store::Statement> st = store_.db().prepare("SELECT cursor FROM sync_state WHERE feed = 'main'");
  if (!st) return st.error();
  store::Result<bool> row = st.value().step();
  if (!row) return row.error();
  return row.value() ? st.value().text(0) : std::string();
}

Status SyncEngine::begin_bootstrap() {
  if (!st_.bootstrapping) {
    // The flag survives a reload (a snapshot may be written mid-way), so the
    // next session knows the search indexes are still to be built.
    Status s = store_.transaction([&](store::Database& db) -> Status {
      if (Status w = store_.set_setting(kBootstrapSetting, "1"); !w) return w;
      return store::drop_search_indexes(db);
    });
    if (!s) return s;
    st_.bootstrapping = true;
    st_.bootstrap_done = 0;
    st_.bootstrap_total = 0;
    index_build_.reset();
    index_built_ = false;
  }
  store_.hold_snapshots(true);
  return {};
}

void SyncEngine::build_index_slice(double budget_ms) {
  bool done = false;
  Status s = store_.transaction([&](store::Database& db) -> Status {
    store::Result<bool> r = index_build_->step(db, budget_ms);
    if (!r) return r.error();
    done = r.value();
    return {};
  });
  if (!s || done) index_build_.reset();
  if (!s) {
    // The next round builds it again from the start.
    fail_round("bootstrap: building the search index failed: " + s.error().context);
  } else if (done) {
    index_built_ = true;
  }
  changed();
  finish_round_if_quiet(clock_.monotonic_ms());
}

Status SyncEngine::end_bootstrap() {
  // The search index was built in slices before (build_index_slice).
  Status s = store_.transaction([&](store::Database& db) -> Status {
    if (Status w = sweep_after_epoch_change(store_, db); !w) return w;
    return db.exec("DELETE FROM settings WHERE k = 'sync_bootstrap'");
  });
  if (!s) return s;
  index_built_ = false;
  st_.bootstrapping = false;
  st_.bootstrap_total = st_.bootstrap_done;
  store_.hold_snapshots(false);  // one snapshot of the whole catalog, now
  return {};
}

}  // namespace salespider::sync
