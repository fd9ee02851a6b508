// `salespider status`: how the server runs (systemd unit, supervisor, serve
// pid), is its database reachable (version, size, migrations), WAL archiving,
// disk use of DATA_PATH and of a posix backup repository with the free space
// of each, when the HTTPS certificate expires, tills that have not synced,
// the addresses tablets should open, and the alerts (service/alerts.hpp). Also the pid file that makes "is a
// server running" answerable: DATA_PATH/salespider.pid, locked (flock) for
// as long as the server runs, so a stale file from a crash never lies and a
// second server on the same DATA_PATH is refused.
// It reads; it never starts or repairs anything.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "db/ops.hpp"
#include "db/server_health.hpp"
#include "salespider/shared/result.hpp"
#include "service/alerts.hpp"

namespace salespider::service {

struct ServerRecord {
  int pid = 0;
  int http_port = 0;
  int https_port = 0;
  std::string started_at;
  std::string version;
};

// Held by a running server. Destroying it removes the file.
class PidFile {
 public:
  // Errc::invalid_value ("another server is running...") when one holds it.
  static Result<PidFile> acquire(const std::filesystem::path& data_path, const ServerRecord& record);
  PidFile(PidFile&& other) noexcept;
  PidFile& operator=(PidFile&&) = delete;
  PidFile(const PidFile&) = delete;
  ~PidFile();
  // Rewrites the record (e.g. once the ports are bound).
  void update(const ServerRecord& record);

 private:
  PidFile(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::filesystem::path path_;
  int fd_ = -1;
};

// The running server's record, or nullopt when none holds the pid file.
std::optional<ServerRecord> running_server(const std::filesystem::path& data_path);

struct StatusReport {
  std::optional<ServerRecord> server;

  struct Database {
    std::string mode;      // "embedded" | "external"
    std::string location;  // cluster dir, or the URL without its password
    bool reachable = false;
    std::string detail;
    std::string server_version;
    std::int64_t size_bytes = 0;
    int migrations_applied = 0;
    int migrations_known = 0;
  } database;

  struct Disk {
    std::string path;
    std::uint64_t free_bytes = 0;
    std::uint64_t capacity_bytes = 0;
    bool known = false;
  } disk;

  struct Certificate {
    std::string path;
    bool present = false;
    std::string not_after;  // ISO 8601 UTC
    std::int64_t days_left = 0;
    std::string detail;
  } certificate;

  struct ServiceState {
    bool systemd = false;         // systemd is PID 1
    bool unit_installed = false;  // /etc/systemd/system/salespider.service
    bool unit_active = false;
    bool unit_enabled = false;
    int supervisor_pid = 0;       // DATA_PATH/supervisor.pid, alive; 0 = none
  } services;

  struct Usage {
    std::string path;
    bool exists = false;
    std::uint64_t used_bytes = 0;  // du: every file below path
    DiskSpace space;               // the filesystem holding it
  };
  Usage data;                      // DATA_PATH
  std::optional<Usage> backup_repo;  // PGBACKREST_REPO1_PATH when the repository is posix

  db::ArchiveState archive;  // known=false when the database is not reachable
  backups::Summary backups;  // the repository's last backup (service/backups.hpp)

  struct Tills {
    bool known = false;
    int active = 0;
    std::int64_t stale_after_seconds = 0;
    std::vector<db::TillHealth> stale;
  } tills;

  std::vector<std::string> urls;  // what tablets should open: the chosen address first
  std::vector<Alert> alerts;

  // Healthy: a server runs, its database answers with every migration
  // applied, and no alert is active (archiving, backups, disk, certificate).
  bool ok() const;
  std::vector<std::string> problems() const;
};

StatusReport collect_status(const config::Config& config);
// The till addresses for this configuration (DATA_PATH's recorded ports when a server runs).
std::vector<std::string> till_urls(const config::Config& config, int https_port);
nlohmann::json to_json(const StatusReport& report);
std::string to_text(const StatusReport& report);

// Not-after of a PEM certificate file, for the report (exposed for tests).
struct CertExpiry {
  std::string not_after;
  std::int64_t days_left = 0;
};
Result<CertExpiry> certificate_expiry(const std::filesystem::path& pem);

}  // namespace salespider::service
