// `salespider status`: is a server running on this DATA_PATH, is its
// database reachable (version, size, migrations), how much disk is left, and
// when the HTTPS certificate expires. Also the pid file that makes "is a
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
#include "salespider/shared/result.hpp"

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

  // Healthy: a server runs, its database answers with every migration
  // applied, 1 GiB or 5% disk is free, and the certificate has 14 days left.
  bool ok() const;
  std::vector<std::string> problems() const;
};

StatusReport collect_status(const config::Config& config);
nlohmann::json to_json(const StatusReport& report);
std::string to_text(const StatusReport& report);

// Not-after of a PEM certificate file, for the report (exposed for tests).
struct CertExpiry {
  std::string not_after;
  std::int64_t days_left = 0;
};
Result<CertExpiry> certificate_expiry(const std::filesystem::path& pem);

}  // namespace salespider::service
