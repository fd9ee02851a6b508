// What PostgreSQL says about the server's own health, for `salespider status`
// and the alerts (service/alerts.hpp): WAL archiving (pg_stat_archiver, the
// archive_command in force, the .ready files waiting in pg_wal/archive_status)
// and the database's size. One short connection per call, as the owner or a
// superuser (archive_command and pg_ls_archive_statusdir() need one; with a
// plain role the parts it may not read are reported as unknown).
// It reads; it never changes a setting or retries an archive.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace salespider::db {

struct ArchiveState {
  bool known = false;          // false: the query failed (detail says why)
  std::string detail;
  std::string archive_mode;    // "on" | "off" | "always"
  std::string archive_command; // "" when the role may not read it
  bool archiving_to_repo = false;  // archive_command runs pgbackrest archive-push
  std::int64_t archived_count = 0;
  std::string last_archived_wal;
  std::string last_archived_at;  // ISO 8601 UTC, "" = never
  std::int64_t failed_count = 0;
  std::string last_failed_wal;
  std::string last_failed_at;    // ISO 8601 UTC, "" = never
  // The last failure is newer than the last success (pg_stat_archiver).
  bool failing = false;
  // WAL segments waiting for archive_command (.ready files) and their bytes;
  // nullopt when the role may not list pg_wal/archive_status.
  std::optional<std::int64_t> ready_count;
  std::optional<std::int64_t> ready_bytes;
  std::optional<std::int64_t> wal_bytes;  // everything in pg_wal
};

struct ServerHealthFacts {
  ArchiveState archive;
  std::optional<std::int64_t> database_size_bytes;
};

// Never throws: an unreachable database gives known=false with the reason.
ServerHealthFacts read_server_health(const std::string& conninfo);

// True when an archive_command hands WAL to pgBackRest (exposed for tests).
bool archive_command_uses_pgbackrest(const std::string& archive_command);

}  // namespace salespider::db
