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
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "db/database.hpp"
#include "db/embedded_postgres.hpp"
#include "db/errors.hpp"
#include "db/process.hpp"
#include "service/service_control.hpp"
#include "service/sync_attention.hpp"
#include "service/users.hpp"
#include "support/lan_names.hpp"
#include "support/human_units.hpp"

namespace fs = std::filesystem;

namespace salespider::service {

using support::human_bytes;
namespace {

constexpr const char* kPidFile = "salespider.pid";
constexpr const char* kUnitFile = "/etc/systemd/system/salespider.service";

// How the server runs: service_control.hpp knows systemd and the supervisor.
StatusReport::ServiceState service_state(const fs::path& data_path) {
  StatusReport::ServiceState st;
  std::error_code ec;
  st.systemd = control::systemd_available();
  st.unit_installed = fs::exists(kUnitFile, ec);
  if (st.systemd && st.unit_installed) {
    // `systemctl --quiet is-active|is-enabled` exits 0 for yes.
    st.unit_active = control::run_program({"systemctl", "--quiet", "is-active", "salespider"}) == 0;
    st.unit_enabled = control::run_program({"systemctl", "--quiet", "is-enabled", "salespider"}) == 0;
  }
  st.supervisor_pid = control::supervisor_pid(data_path).value_or(0);
  return st;
}

// du: the bytes of every regular file below `path` (PostgreSQL's files
// included: root reads them), not following symlinks.
StatusReport::Usage usage_of(const fs::path& path) {
  StatusReport::Usage u;
  u.path = path.string();
  std::error_code ec;
  u.exists = fs::exists(path, ec);
  u.space = disk_space(path);
  if (!u.exists) return u;
  for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec) && !it->is_symlink(size_ec)) {
      const auto n = it->file_size(size_ec);
      if (!size_ec) u.used_bytes += n;
    }
  }
  return u;
}

nlohmann::json record_json(const ServerRecord& r) {
  return {{"pid", r.pid},
          {"http_port", r.http_port},
          {"https_port", r.https_port},
          {"started_at", r.started_at},
          {"version", r.version}};
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
  r.archive.detail = "unknown: the database is not reachable";
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
      r.archive = db::read_server_health(conninfo).archive;
      if (facts.migrations_applied > 0) {
        // The same rows and rule as `salespider till list`.
        r.tills.stale_after_seconds = sync::kDefaultStaleAfterSeconds;
        for (auto& t : db::till_health(database.pool(), default_store_id(database.pool()))) {
          r.tills.active += t.status == "active";
          if (sync::till_sync_stale(t, r.tills.stale_after_seconds)) r.tills.stale.push_back(std::move(t));
        }
        r.tills.known = true;
      }
    } catch (const std::exception& e) {
      r.database.detail = std::string("unreachable: ") + e.what();
      while (!r.database.detail.empty() && r.database.detail.back() == '\n') r.database.detail.pop_back();
    }
  }

  r.services = service_state(data_path);
  r.data = usage_of(data_path);
  if (config.pgbackrest_repo1_type == "posix" && !config.pgbackrest_repo1_path.empty()) {
    r.backup_repo = usage_of(fs::path(config.pgbackrest_repo1_path));
  }
  r.disk.path = r.data.space.path;
  r.disk.known = r.data.space.known;
  r.disk.free_bytes = r.data.space.free_bytes;
  r.disk.capacity_bytes = r.data.space.capacity_bytes;

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

  r.urls = till_urls(config, r.server && r.server->https_port > 0 ? r.server->https_port : config.https_port);
  r.backups = backups::summarize(config);
  auto inputs = gather_alert_inputs(config, "", &r.backups);
  if (r.archive.known) inputs.archive = r.archive;
  r.alerts = evaluate_alerts(inputs);
  return r;
}

std::vector<std::string> till_urls(const config::Config& config, int https_port) {
  const auto chosen = support::choose_public_host(config.domain, config.host_ip,
                                                  support::resolves_to_this_machine(config.domain));
  std::vector<std::string> out;
  auto url = [https_port](const std::string& host) {
    return "https://" + host + (https_port == 443 ? std::string() : ":" + std::to_string(https_port)) + "/";
  };
  if (!chosen.empty()) out.push_back(url(chosen));
  for (const auto& other : {config.domain, config.host_ip}) {
    if (!other.empty() && other != chosen) out.push_back(url(other));
  }
  return out;
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
  for (const auto& a : alerts) out.push_back(a.code + ": " + a.detail);
  return out;
}

bool StatusReport::ok() const { return problems().empty(); }

namespace {

nlohmann::json usage_json(const StatusReport::Usage& u) {
  return {{"path", u.path},
          {"exists", u.exists},
          {"used_bytes", u.used_bytes},
          {"free_bytes", u.space.free_bytes},
          {"capacity_bytes", u.space.capacity_bytes}};
}

nlohmann::json optional_json(const std::optional<std::int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

nlohmann::json archive_json(const db::ArchiveState& a) {
  return {{"known", a.known},
          {"detail", a.detail},
          {"archive_mode", a.archive_mode},
          {"archiving_to_repo", a.archiving_to_repo},
          {"archived_count", a.archived_count},
          {"last_archived_wal", a.last_archived_wal},
          {"last_archived_at", a.last_archived_at},
          {"failed_count", a.failed_count},
          {"last_failed_wal", a.last_failed_wal},
          {"last_failed_at", a.last_failed_at},
          {"failing", a.failing},
          {"ready_count", optional_json(a.ready_count)},
          {"ready_bytes", optional_json(a.ready_bytes)},
          {"wal_bytes", optional_json(a.wal_bytes)}};
}

}  // namespace

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
  j["services"] = {{"systemd", r.services.systemd},
                   {"unit_installed", r.services.unit_installed},
                   {"unit_active", r.services.unit_active},
                   {"unit_enabled", r.services.unit_enabled},
                   {"supervisor_pid", r.services.supervisor_pid ? nlohmann::json(r.services.supervisor_pid) : nlohmann::json()},
                   {"serve_pid", r.server ? nlohmann::json(r.server->pid) : nlohmann::json()}};
  j["data"] = usage_json(r.data);
  j["backup_repo"] = r.backup_repo ? usage_json(*r.backup_repo) : nlohmann::json();
  j["archive"] = archive_json(r.archive);
  nlohmann::json last;
  if (r.backups.last) {
    last = {{"label", r.backups.last->label},
            {"type", r.backups.last->type},
            {"stop_time", r.backups.last->stop_time},
            {"age_seconds", r.backups.last->age_seconds}};
  }
  j["backups"] = {{"configured", r.backups.configured}, {"repo", r.backups.repo},  {"count", r.backups.count},
                  {"repo_size_bytes", r.backups.repo_size_bytes}, {"last", last}, {"detail", r.backups.detail}};
  nlohmann::json stale = nlohmann::json::array();
  for (const auto& t : r.tills.stale) {
    stale.push_back({{"code", t.code}, {"name", t.name}, {"seconds_since_sync", t.seconds_since_sync},
                     {"last_push_at", t.last_push_at}, {"last_pull_at", t.last_pull_at}});
  }
  j["tills"] = {{"known", r.tills.known}, {"active", r.tills.active},
                {"stale_after_seconds", r.tills.stale_after_seconds}, {"stale", stale}};
  j["urls"] = r.urls;
  nlohmann::json alerts = nlohmann::json::array();
  for (const auto& a : r.alerts) {
    alerts.push_back({{"code", a.code}, {"message", alert_message(a, "en")}, {"detail", a.detail}});
  }
  j["alerts"] = alerts;
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
  out << "services:    ";
  if (r.services.unit_installed) {
    out << "systemd unit salespider " << (r.services.unit_active ? "active" : "not active") << ", "
        << (r.services.unit_enabled ? "enabled" : "not enabled") << (r.services.systemd ? "" : " (systemd not running)")
        << "; ";
  }
  out << (r.services.supervisor_pid ? "supervisor pid " + std::to_string(r.services.supervisor_pid) : "no supervisor")
      << "; " << (r.server ? "serve pid " + std::to_string(r.server->pid) : "no serve process") << "\n";
  auto usage_line = [&](const char* label, const StatusReport::Usage& u) {
    out << label << (u.exists ? human_bytes(u.used_bytes) + " used" : std::string("missing")) << " in " << u.path;
    if (u.space.known) {
      out << "; " << human_bytes(u.space.free_bytes) << " free of " << human_bytes(u.space.capacity_bytes);
    }
    out << "\n";
  };
  usage_line("data:        ", r.data);
  if (r.backup_repo) usage_line("backups:     ", *r.backup_repo);
  out << "last backup: ";
  if (r.backups.last) {
    out << r.backups.last->label << " (" << r.backups.last->type << ") at " << r.backups.last->stop_time << ", "
        << r.backups.last->age_seconds / 3600 << " h ago; " << r.backups.count << " in " << r.backups.repo << "\n";
  } else {
    out << (r.backups.configured ? r.backups.detail + " (" + r.backups.repo + ")" : "no repository configured") << "\n";
  }
  out << "archive:     ";
  if (!r.archive.known) {
    out << r.archive.detail << "\n";
  } else {
    out << (r.archive.archiving_to_repo ? "to pgBackRest" : "not to a repository (no backups configured)") << ", "
        << (r.archive.failing ? "FAILING" : "ok") << "; last archived "
        << (r.archive.last_archived_at.empty() ? "never" : r.archive.last_archived_at) << ", last failure "
        << (r.archive.last_failed_at.empty() ? "never" : r.archive.last_failed_at);
    if (r.archive.ready_count) {
      out << "; " << *r.archive.ready_count << " WAL segment(s) waiting ("
          << human_bytes(static_cast<std::uint64_t>(r.archive.ready_bytes.value_or(0))) << ")";
    }
    out << "\n";
  }
  out << "certificate: ";
  if (r.certificate.present) {
    out << r.certificate.detail << " until " << r.certificate.not_after << " (" << r.certificate.days_left
        << " days left)\n";
  } else {
    out << r.certificate.detail << "\n";
  }
  out << "tills:       ";
  if (!r.tills.known) {
    out << "unknown (the database is not reachable)\n";
  } else {
    out << r.tills.active << " active, " << r.tills.stale.size() << " not synced for more than "
        << r.tills.stale_after_seconds << " s\n";
    for (const auto& t : r.tills.stale) {
      out << "               " << t.code << " " << t.name << ": last sync "
          << (t.seconds_since_sync < 0 ? std::string("never") : std::to_string(t.seconds_since_sync) + " s ago") << "\n";
    }
  }
  out << "open:        ";
  for (std::size_t i = 0; i < r.urls.size(); ++i) out << (i ? "  or " : "") << r.urls[i];
  out << "\n";
  const auto problems = r.problems();
  out << (problems.empty() ? "status:      ok\n" : "status:      NEEDS ATTENTION\n");
  for (const auto& p : problems) out << "  - " << p << "\n";
  return out.str();
}

}  // namespace salespider::service
