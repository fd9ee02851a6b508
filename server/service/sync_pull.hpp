// Pull: what changed for a till after its cursor, page by page
// (docs/sync-protocol.md). An empty cursor starts a bootstrap: the current
// state of every synced entity, latest version only, keyset-paged; its last
// page hands over a feed cursor from which nothing committed later is missed.
//
// Every page carries the database's restore epoch (db/restore_epoch.hpp).
//
// The cursor is opaque to the till: "b1.<cutoff>.<entity>.<after id>" while
// bootstrapping, "f1.<txid>.<seq>" on the feed. Deliberately no HTTP here.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "auth/principal.hpp"
#include "db/sync_push.hpp"
#include "salespider/shared/protocol.hpp"
#include "salespider/shared/result.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service::sync {

inline constexpr int kDefaultPullLimit = 500;

class PullService {
 public:
  explicit PullService(db::Pool& pool) : pool_(pool) {}

  // Errc::invalid_value for a cursor this server did not make, out_of_range
  // for a limit outside 1..kMaxChangesPerPage.
  Result<PullPage> pull(const auth::TillPrincipal& till, const std::string& cursor, int limit,
                        const db::TillReport& report = {});

 private:
  // A till's contact (till_sync_status) is written at its first pull, when
  // what it reports changed, and otherwise at most every kContactEvery: an
  // idle till pulls every 15 s and a server with many tills would commit
  // (and fsync) one row per empty pull (docs/benchmarks.md "HTTP under
  // load"). Pushes always write theirs.
  static constexpr std::chrono::seconds kContactEvery{30};
  bool contact_due(const std::string& till_id, const db::TillReport& report);
  void contact_written(const std::string& till_id, const db::TillReport& report);

  db::Pool& pool_;
  struct Contact {
    std::chrono::steady_clock::time_point at;
    std::optional<int> outbox_depth;
    std::string app_version;
    std::optional<std::int64_t> clock_skew_ms;
  };
  std::mutex contacts_mutex_;
  std::unordered_map<std::string, Contact> contacts_;
};

}  // namespace salespider::service::sync
