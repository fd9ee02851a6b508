// See status.hpp.
#include "service/status.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <openssl/asn1.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "db/database.hpp"
#include "db/embedded_postgres.hpp"
#include "db/errors.hpp"

namespace fs = std::filesystem;

namespace salespider::service {
namespace {

constexpr const char* kPidFile = "salespider.pid";

nlohmann::json record_json(const ServerRecord& r) {
  return {{"pid", r.pid},
          {"http_port", r.http_port},
          {"https_port", r.https_port},
          {"started_at", r.started_at},
          {"version", r.version}};
}

std::string human_bytes(std::uint64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024.0 && u < 4) {
    v /= 1024.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

}  // namespace

Result<PidFile> PidFile::acquire(const fs::path& data_path, const ServerRecord& record) {
  fs::create_directories(data_path);
  const auto path = data_path / kPidFile;
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return make_error(Errc::invalid_value, "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    std::string who;
    if (auto other = running_server(data_path)) who = " (pid " + std::to_string(other->pid) + ")";
    return make_error(Errc::invalid_value,
                      "another salespider server is already running with DATA_PATH " + data_path.string() + who);
  }
  PidFile pid_file(path, fd);
  pid_file.update(record);
  return pid_file;
}

PidFile::PidFile(PidFile&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) { other.fd_ = -1; }

PidFile::~PidFile() {
  if (fd_ < 0) return;
  // Unlink while still holding the lock, so no reader sees an unlocked file
  // that claims a server.
  std::error_code ec;
  fs::remove(path_, ec);
  close(fd_);
}

void PidFile::update(const ServerRecord& record) {
  const auto text = record_json(record).dump() + "\n";
  if (ftruncate(fd_, 0) != 0) return;
  if (pwrite(fd_, text.data(), text.size(), 0) < 0) return;
  fsync(fd_);
}

std::optional<ServerRecord> running_server(const fs::path& data_path) {
  const auto path = data_path / kPidFile;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  const bool locked_by_someone = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  std::string text(4096, '\0');
  const auto n = pread(fd, text.data(), text.size(), 0);
  close(fd);
  if (!locked_by_someone) return std::nullopt;
  ServerRecord r;
  text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_object()) {
    r.pid = j.value("pid", 0);
    r.http_port = j.value("http_port", 0);
    r.https_port = j.value("https_port", 0);
    r.started_at = j.value("started_at", "");
    r.version = j.value("version", "");
  }
  return r;
}

Result<CertExpiry> certificate_expiry(const fs::path& pem) {
  FILE* f = std::fopen(pem.c_str(), "r");
  if (f == nullptr) return make_error(Errc::invalid_value, "cannot read " + pem.string());
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (cert == nullptr) return make_error(Errc::invalid_value, pem.string() + " is not a PEM certificate");
  const ASN1_TIME* not_after = X509_get0_notAfter(cert);
  std::tm tm{};
  int days = 0;
  int seconds = 0;
  const bool ok = ASN1_TIME_to_tm(not_after, &tm) == 1 && ASN1_TIME_diff(&days, &seconds, nullptr, not_after) == 1;
  X509_free(cert);
  if (!ok) return make_error(Errc::invalid_value, pem.string() + " has an unreadable expiry date");
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return CertExpiry{buf, days};
}

StatusReport collect_status(const config::Config& config) {
  StatusReport r;
  const fs::path data_path = fs::absolute(config.data_path).lexically_normal();
  r.server = running_server(data_path);

  std::string conninfo;
  if (config.embedded_database()) {
    const auto layout = db::describe_layout(data_path);
    r.database.mode = "embedded";
    r.database.location = layout.cluster_dir.string();
    if (!fs::exists(layout.cluster_dir / "PG_VERSION")) {
      r.database.detail = "not created yet: the first `salespider serve` creates it";
    } else if (PQping(db::embedded_conninfo(layout, "postgres").c_str()) != PQPING_OK) {
      r.database.detail = "not running (the server starts it; log: " + (layout.log_dir / "postgres.log").string() + ")";
    } else {
      conninfo = db::embedded_conninfo(layout, "salespider");
    }
  } else {
    r.database.mode = "external";
    r.database.location = config::redact_url(config.database_url);
    conninfo = config.database_conninfo;
  }
  if (!conninfo.empty()) {
    try {
      db::Database database(conninfo, 1, config.database_schema);
      const auto facts = database.facts();
      r.database.reachable = true;
      r.database.server_version = facts.server_version;
      r.database.size_bytes = facts.size_bytes;
      r.database.migrations_applied = facts.migrations_applied;
      r.database.migrations_known = facts.migrations_known;
      r.database.detail = "accepting connections";
    } catch (const std::exception& e) {
      r.database.detail = std::string("unreachable: ") + e.what();
      while (!r.database.detail.empty() && r.database.detail.back() == '\n') r.database.detail.pop_back();
    }
  }

  r.disk.path = data_path.string();
  std::error_code ec;
  fs::path probe = data_path;
  while (!fs::exists(probe, ec) && probe.has_parent_path() && probe != probe.parent_path()) probe = probe.parent_path();
  const auto space = fs::space(probe, ec);
  if (!ec) {
    r.disk.known = true;
    r.disk.free_bytes = space.available;
    r.disk.capacity_bytes = space.capacity;
  }

  r.certificate.path = (data_path / "tls" / "server.crt").string();
  if (!fs::exists(r.certificate.path)) {
    r.certificate.detail = "none yet: the server creates one at its first start";
  } else if (auto expiry = certificate_expiry(r.certificate.path)) {
    r.certificate.present = true;
    r.certificate.not_after = expiry->not_after;
    r.certificate.days_left = expiry->days_left;
    r.certificate.detail = expiry->days_left < 0 ? "expired" : "valid";
  } else {
    r.certificate.detail = expiry.error().context;
  }
  return r;
}

std::vector<std::string> StatusReport::problems() const {
  std::vector<std::string> out;
  if (!server) out.emplace_back("no server is running on this DATA_PATH");
  if (!database.reachable) {
    out.push_back("database: " + database.detail);
  } else if (database.migrations_applied < database.migrations_known) {
    out.push_back("database: " + std::to_string(database.migrations_known - database.migrations_applied) +
                  " migration(s) not applied (salespider db migrate)");
  }
  if (disk.known) {
    const std::uint64_t floor = std::min<std::uint64_t>(1ull << 30, disk.capacity_bytes / 20);
    if (disk.free_bytes < floor) out.push_back("disk: only " + human_bytes(disk.free_bytes) + " free");
  }
  if (certificate.present && certificate.days_left < 14) {
    out.push_back("certificate: expires in " + std::to_string(certificate.days_left) + " days (salespider cert renew)");
  }
  return out;
}

bool StatusReport::ok() const { return problems().empty(); }

nlohmann::json to_json(const StatusReport& r) {
  nlohmann::json j;
  j["ok"] = r.ok();
  j["problems"] = r.problems();
  j["server"] = r.server ? nlohmann::json{{"running", true}} : nlohmann::json{{"running", false}};
  if (r.server) j["server"].update(record_json(*r.server));
  j["database"] = {{"mode", r.database.mode},
                   {"location", r.database.location},
                   {"reachable", r.database.reachable},
                   {"detail", r.database.detail},
                   {"server_version", r.database.server_version},
                   {"size_bytes", r.database.size_bytes},
                   {"migrations_applied", r.database.migrations_applied},
                   {"migrations_known", r.database.migrations_known}};
  j["disk"] = {{"path", r.disk.path}, {"free_bytes", r.disk.free_bytes}, {"capacity_bytes", r.disk.capacity_bytes}};
  j["certificate"] = {{"path", r.certificate.path},
                      {"present", r.certificate.present},
                      {"not_after", r.certificate.not_after},
                      {"days_left", r.certificate.days_left},
                      {"detail", r.certificate.detail}};
  return j;
}

std::string to_text(const StatusReport& r) {
  std::ostringstream out;
  out << "server:      ";
  if (r.server) {
    out << "running (pid " << r.server->pid << ", version " << r.server->version << ", since " << r.server->started_at
        << ", http " << r.server->http_port << ", https " << r.server->https_port << ")\n";
  } else {
    out << "not running\n";
  }
  out << "database:    " << r.database.mode << ", " << r.database.location << "\n             ";
  if (r.database.reachable) {
    out << "PostgreSQL " << r.database.server_version << ", " << human_bytes(static_cast<std::uint64_t>(r.database.size_bytes))
        << ", migrations " << r.database.migrations_applied << "/" << r.database.migrations_known << " applied\n";
  } else {
    out << r.database.detail << "\n";
  }
  out << "disk:        ";
  if (r.disk.known) {
    out << human_bytes(r.disk.free_bytes) << " free of " << human_bytes(r.disk.capacity_bytes) << " (" << r.disk.path
        << ")\n";
  } else {
    out << "unknown (" << r.disk.path << ")\n";
  }
  out << "certificate: ";
  if (r.certificate.present) {
    out << r.certificate.detail << " until " << r.certificate.not_after << " (" << r.certificate.days_left
        << " days left)\n";
  } else {
    out << r.certificate.detail << "\n";
  }
  const auto problems = r.problems();
  out << (problems.empty() ? "status:      ok\n" : "status:      NEEDS ATTENTION\n");
  for (const auto& p : problems) out << "  - " << p << "\n";
  return out.str();
}

}  // namespace salespider::service
