// Backups of the embedded cluster with pgBackRest, as the operator's
// commands use them (app/backup_command.cpp) and as status and alerts read
// them (summarize()).
//
// [x] backup: full | diff | incr, or full when none finished in the last 7
//     days and diff otherwise; then the secrets archive of that backup into
//     <repo1-path>/salespider-secrets/ (posix repositories)
// [x] info: the sets, their types, times and sizes, the WAL range (the
//     point-in-time recovery window)
// [x] check: archiving really works (pgbackrest check), or what to fix
// [x] whether or not the server runs: when none runs, the embedded cluster is
//     started for the command and stopped after it
// [ ] an external DATABASE_URL: its backups are the operator's business
//     (not_ours: the commands say so and exit 2)
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "service/secrets_archive.hpp"

namespace salespider::service::backups {

struct BackupSet {
  std::string label;  // 20261206-142908F, ...F_...D, ...I
  std::string type;   // full | diff | incr
  std::int64_t start = 0;  // unix seconds
  std::int64_t stop = 0;
  std::int64_t size_bytes = 0;       // the database as backed up
  std::int64_t repo_size_bytes = 0;  // what this set stores in the repository
  std::string wal_start, wal_stop;
  std::string reference;  // the set it depends on ("" for a full)
};

struct Info {
  std::string stanza;
  std::string status;  // pgBackRest's "ok", "no valid backups", "missing stanza path"...
  int status_code = 0;
  std::string cipher;  // none | aes-256-cbc
  std::vector<BackupSet> sets;  // oldest first
  std::string wal_min, wal_max;  // archived WAL ("" when none)
  std::int64_t repo_size_bytes() const;
};

// `pgbackrest info --output=json` for one stanza (pure).
Result<Info> parse_info(const std::string& json, const std::string& stanza);

// full when no full backup finished within 7 days of `now`, else diff.
std::string automatic_type(const Info& info, std::time_t now);

// For status and the alerts.
struct LastBackup {
  std::string label;
  std::string type;
  std::string stop_time;  // ISO 8601 UTC
  std::int64_t age_seconds = 0;
};
struct Summary {
  bool configured = false;
  std::string repo;  // "posix /var/lib/pgbackrest", "s3 bucket/path"... ("" when not configured)
  std::optional<LastBackup> last;
  int count = 0;
  std::int64_t repo_size_bytes = 0;
  std::string detail;  // why there is nothing, or what pgbackrest said when it failed
};
// Never throws; runs `pgbackrest info` (no running cluster needed).
Summary summarize(const config::Config& config);

// A command's result: exit status (0 ok, 1 runtime failure or needs
// attention, 2 not applicable / configuration) and what to print.
struct Outcome {
  int exit_code = 0;
  std::string message;  // for the operator (stderr when exit_code != 0)
};

// Why the commands do not apply, or nullopt: external DATABASE_URL, no
// repository configured.
std::optional<Outcome> not_applicable(const config::Config& config);

struct BackupResult {
  Outcome outcome;
  std::optional<BackupSet> set;
  std::optional<std::filesystem::path> secrets_archive;  // written into a posix repository
};
// type: "" (automatic), full, diff or incr. env_file: the .env in use (for
// the secrets archive).
BackupResult backup(const config::Config& config, const std::string& type,
                    const std::optional<std::filesystem::path>& env_file);

struct InfoResult {
  Outcome outcome;
  std::optional<Info> info;
};
InfoResult info(const config::Config& config);

Outcome check(const config::Config& config);

// A human description of an Info, and its JSON (for `backup info [--json]`).
std::string describe(const Info& info, const config::Config& config, std::time_t now);
std::string to_json(const Info& info, const config::Config& config);

// Where the posix repository keeps the secrets archive of a backup set.
std::filesystem::path secrets_archive_path(const config::Config& config, const std::string& label);

}  // namespace salespider::service::backups
