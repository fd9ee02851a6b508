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

#include <cstdint>
#include <string>

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
  // A till's contact (till_sync_status) is written when what it reports
  // differs from the row (which pushes write too) or the row is older than
  // kContactEverySeconds: an idle till pulls every 15 s and a server with
  // many tills committed (and fsynced) one row per empty pull
  // (docs/benchmarks.md "HTTP under load"). Checking is one read.
  static constexpr int kContactEverySeconds = 30;

  db::Pool& pool_;
};

}  // namespace salespider::service::sync
