// The server's alerts: what an operator or a manager must act on before it
// hurts (docs/operations.md "Status and alerts"):
//   archive_failing         WAL cannot be archived (the last failure is newer
//                           than the last success, or .ready files pile up)
//   backups_not_configured  production (NODE_ENV=production) without a backup
//                           repository
//   backup_stale            no backup for more than 8 days
//   disk_low                DATA_PATH or the posix backup repository below
//                           1 GiB or 5% free
//   certificate_expiring    the HTTPS certificate has less than 14 days left
//   disk_full               DATA_PATH below 64 MiB free (PostgreSQL cannot
//                           write a WAL segment), or the database refused a
//                           write for lack of space in the last 2 minutes
// evaluate_alerts() is the policy, value in, value out; gather_alert_inputs()
// reads the facts; AlertMonitor keeps "since" across checks and logs each new
// alert as a warning once and its end as info. `serve` runs one monitor and
// installs it as the process's alert source for GET /api/v1/server/alerts.
// Deliberately no repair and no notification beyond the log and the route.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "db/server_health.hpp"
#include "salespider/shared/i18n.hpp"
#include "service/backups.hpp"

namespace salespider::service {

struct Alert {
  std::string code;     // archive_failing | backups_not_configured | backup_stale | disk_low | certificate_expiring
  std::string since;    // ISO 8601 UTC: when the monitor first saw it
  std::string message;  // a catalogue msgid, {name} filled from args (alert_message())
  std::vector<std::pair<std::string, std::string>> args;
  std::string detail;   // English, for operators: what exactly, what to do
};

// The message in `lang` (the request's language).
std::string alert_message(const Alert& alert, std::string_view lang);

struct DiskSpace {
  std::string path;
  bool known = false;
  std::uint64_t free_bytes = 0;
  std::uint64_t capacity_bytes = 0;
};
// Free space of the filesystem holding `path` (or its nearest existing parent).
DiskSpace disk_space(const std::filesystem::path& path);
// Below 1 GiB or 5% of the filesystem, whichever is smaller.
bool disk_low(const DiskSpace& disk);

// More .ready WAL segments than this waiting means archiving does not keep up.
inline constexpr std::int64_t kReadyPileUp = 8;
inline constexpr std::int64_t kBackupStaleSeconds = 8 * 24 * 3600;
inline constexpr std::int64_t kCertificateWarnDays = 14;
// Below this, PostgreSQL cannot count on room for a new WAL segment (16 MiB).
inline constexpr std::uint64_t kDiskFullBytes = 64ull << 20;
inline constexpr std::chrono::seconds kDiskFullMemory{120};

struct AlertInputs {
  std::optional<db::ArchiveState> archive;
  bool production = false;
  bool backups_configured = false;
  // From the backup repository (service::backups::summarize): nullopt when
  // unknown, -1 when configured but no backup exists.
  std::optional<std::int64_t> last_backup_age_seconds;
  std::vector<DiskSpace> disks;  // DATA_PATH, then the posix repository
  std::optional<std::int64_t> certificate_days_left;
  // The database refused a write for lack of space lately (this process).
  bool database_disk_full = false;
};

// The policy (pure). "since" is left empty: the monitor fills it.
std::vector<Alert> evaluate_alerts(const AlertInputs& in);


// The last backup's age from the repository's summary: its age, -1 when the
// repository answers but holds none, nullopt when pgbackrest failed (the
// archive alert says why) or no repository is configured.
std::optional<std::int64_t> last_backup_age(const backups::Summary& summary);

// Reads the facts: archiver state over `owner_conninfo` ("" = skip), disks,
// the certificate under DATA_PATH/tls, the backups (`summary`, or
// backups::summarize() when null).
AlertInputs gather_alert_inputs(const config::Config& config, const std::string& owner_conninfo,
                                const backups::Summary* summary = nullptr);

class AlertMonitor {
 public:
  using Source = std::function<std::vector<Alert>()>;
  // `now_iso` gives the current time for "since" (the process's clock).
  AlertMonitor(Source source, std::function<std::string()> now_iso);
  ~AlertMonitor();
  AlertMonitor(const AlertMonitor&) = delete;
  AlertMonitor& operator=(const AlertMonitor&) = delete;

  // The alerts, checked again when the last check is older than `max_age`.
  std::vector<Alert> current(std::chrono::seconds max_age = std::chrono::seconds(15));
  // Checks every `interval` in a thread until stop() (or destruction).
  void start(std::chrono::seconds interval);
  void stop();

 private:
  std::vector<Alert> check_locked();
  Source source_;
  std::function<std::string()> now_iso_;
  std::mutex mutex_;
  std::vector<Alert> last_;
  std::map<std::string, std::string> since_;  // code -> since
  std::optional<std::chrono::steady_clock::time_point> checked_at_;
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread thread_;
};

// The process's alert source (`serve` installs its monitor's current());
// none installed: no alerts.
void set_alert_source(std::function<std::vector<Alert>()> source);
std::vector<Alert> server_alerts();

}  // namespace salespider::service
