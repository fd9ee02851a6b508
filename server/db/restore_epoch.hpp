// The restore epoch in PostgreSQL (migration 0014): which epoch the
// database is in, and starting a new one after a restore. Pull answers carry
// the current one (docs/sync-protocol.md "The restore epoch").
//
// Deliberately not here: running the restore (service/restore.*). No
// <pqxx/...> in this header.
#pragma once

#include <string>
#include <vector>

namespace salespider::db {

class Pool;

// The newest epoch (a UUID as text).
std::string current_restore_epoch(Pool& pool);

struct RestoreEpoch {
  std::string epoch;
  std::string started_at;  // ISO 8601 UTC
  std::string reason;      // "installed", "latest", "time ...", "set ..."
};

// Starts a new epoch and writes one "store.restore" audit row per store (a
// restore puts every store of the database back), in one transaction.
// `detail` is the audit rows' detail (JSON object text): what was restored.
RestoreEpoch begin_restore_epoch(Pool& pool, const std::string& reason, const std::string& detail_json);

// Every epoch, oldest first.
std::vector<RestoreEpoch> restore_epochs(Pool& pool);

// What a restore asks the database before it replaces it.
struct StoreZone {
  std::string store_id;
  std::string store_name;
  std::string time_zone;  // settings.time_zone (IANA)
};
std::vector<StoreZone> store_zones(Pool& pool);
// "YYYY-MM-DD HH:MM:SS" on the wall clock of `time_zone` as UTC, same
// format (PostgreSQL's time zone rules, DST included). Throws on a time
// PostgreSQL cannot read.
std::string utc_of_local_time(Pool& pool, const std::string& local, const std::string& time_zone);
// pg_is_in_recovery(): true while a restored cluster still replays WAL.
bool cluster_in_recovery(Pool& pool);

}  // namespace salespider::db
