// See alerts.hpp.
#include "service/alerts.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "log/log.hpp"
#include "service/status.hpp"
#include "service/unavailable.hpp"
#include "support/human_units.hpp"

namespace fs = std::filesystem;
using salespider::i18n::N_;

namespace salespider::service {

using support::human_bytes;
namespace {

std::mutex g_source_mutex;
std::function<std::vector<Alert>()> g_source;

std::string archive_detail(const db::ArchiveState& a) {
  std::string d;
  if (a.failing) {
    d = "the last WAL archive attempt (" + a.last_failed_wal + " at " + a.last_failed_at + ") failed";
    d += a.last_archived_at.empty() ? "; none has succeeded yet" : "; the last success was at " + a.last_archived_at;
  } else {
    d = "WAL is not archived fast enough";
  }
  if (a.ready_count) {
    d += "; " + std::to_string(*a.ready_count) + " WAL segment(s) (" + human_bytes(static_cast<std::uint64_t>(
             a.ready_bytes.value_or(0))) + ") wait in pg_wal";
  }
  d += ". Check the backup repository (salespider backup check) and the PostgreSQL log.";
  return d;
}

}  // namespace

std::string alert_message(const Alert& alert, std::string_view lang) {
  std::vector<i18n::Arg> args;
  args.reserve(alert.args.size());
  for (const auto& [name, value] : alert.args) args.push_back({name, value});
  return i18n::format(i18n::translate(lang, alert.message.c_str()), args);
}

DiskSpace disk_space(const fs::path& path) {
  DiskSpace d;
  d.path = path.string();
  std::error_code ec;
  fs::path probe = path;
  while (!fs::exists(probe, ec) && probe.has_parent_path() && probe != probe.parent_path()) probe = probe.parent_path();
  const auto space = fs::space(probe, ec);
  if (!ec) {
    d.known = true;
    d.free_bytes = space.available;
    d.capacity_bytes = space.capacity;
  }
  return d;
}

bool disk_low(const DiskSpace& disk) {
  if (!disk.known) return false;
  const std::uint64_t floor = std::min<std::uint64_t>(1ull << 30, disk.capacity_bytes / 20);
  return disk.free_bytes < floor;
}

std::vector<Alert> evaluate_alerts(const AlertInputs& in) {
  std::vector<Alert> out;
  if (in.archive && in.archive->known && in.archive->archive_mode != "off" &&
      (in.archive->failing || in.archive->ready_count.value_or(0) > kReadyPileUp)) {
    out.push_back({"archive_failing", "",
                   N_("Backups are failing: the server cannot copy its changes to the backup repository."),
                   {},
                   archive_detail(*in.archive)});
  }
  if (in.production && !in.backups_configured) {
    out.push_back({"backups_not_configured", "", N_("Backups are not set up on this server."), {},
                   "NODE_ENV=production and no PGBACKREST_REPO1_TYPE: set a backup repository in .env "
                   "(docs/operations.md)."});
  }
  if (in.backups_configured && in.last_backup_age_seconds &&
      (*in.last_backup_age_seconds < 0 || *in.last_backup_age_seconds > kBackupStaleSeconds)) {
    const auto days = *in.last_backup_age_seconds < 0 ? std::string("-") : std::to_string(*in.last_backup_age_seconds / 86400);
    out.push_back({"backup_stale", "",
                   *in.last_backup_age_seconds < 0 ? N_("No backup has been taken yet.")
                                                   : N_("The last backup is {days} days old."),
                   {{"days", days}},
                   "no backup in the last 8 days: run salespider backup and check the backup timers."});
  }
  // Full before low: the data volume (the first disk) with no room to write,
  // or the database already refusing writes. Pushes get 503 meanwhile.
  const bool data_full = !in.disks.empty() && in.disks[0].known && in.disks[0].free_bytes < kDiskFullBytes;
  if (data_full || in.database_disk_full) {
    const std::string where = in.disks.empty() ? std::string("DATA_PATH") : in.disks[0].path;
    out.push_back({"disk_full", "", N_("The server's disk is full: sales are not saved on the server until space is freed."),
                   {},
                   where + ": " + (in.disks.empty() ? std::string("?") : human_bytes(in.disks[0].free_bytes)) +
                       " free; PostgreSQL cannot write, pushes are answered 503 and tills keep their sales. "
                       "Free space (or grow the volume): the server recovers by itself."});
  }
  for (const auto& disk : in.disks) {
    if (!disk_low(disk)) continue;
    out.push_back({"disk_low", "", N_("The server's disk is almost full ({free} free)."),
                   {{"free", human_bytes(disk.free_bytes)}},
                   disk.path + ": only " + human_bytes(disk.free_bytes) + " free of " +
                       human_bytes(disk.capacity_bytes)});
    break;  // one alert per code; the detail names the first full one
  }
  if (in.certificate_days_left && *in.certificate_days_left < kCertificateWarnDays) {
    out.push_back({"certificate_expiring", "", N_("The server's certificate expires in {days} days."),
                   {{"days", std::to_string(*in.certificate_days_left)}},
                   "renew it with salespider cert renew (tills keep trusting the same CA)."});
  }
  return out;
}

std::optional<std::int64_t> last_backup_age(const backups::Summary& summary) {
  if (!summary.configured) return std::nullopt;
  if (summary.last) return summary.last->age_seconds;
  if (summary.count == 0 && summary.detail == "no backup yet") return -1;
  return std::nullopt;
}

AlertInputs gather_alert_inputs(const config::Config& config, const std::string& owner_conninfo,
                                const backups::Summary* summary) {
  AlertInputs in;
  const fs::path data_path = fs::absolute(config.data_path).lexically_normal();
  if (!owner_conninfo.empty()) in.archive = db::read_server_health(owner_conninfo).archive;
  in.production = config.production();
  in.backups_configured = config.backup_repo_configured();
  if (in.backups_configured) {
    in.last_backup_age_seconds = last_backup_age(summary ? *summary : backups::summarize(config));
  }
  in.disks.push_back(disk_space(data_path));
  in.database_disk_full = disk_full_within(kDiskFullMemory);
  if (config.pgbackrest_repo1_type == "posix" && !config.pgbackrest_repo1_path.empty()) {
    in.disks.push_back(disk_space(config.pgbackrest_repo1_path));
  }
  const auto cert = data_path / "tls" / "server.crt";
  std::error_code ec;
  if (fs::exists(cert, ec)) {
    if (auto expiry = certificate_expiry(cert)) in.certificate_days_left = expiry->days_left;
  }
  return in;
}

AlertMonitor::AlertMonitor(Source source, std::function<std::string()> now_iso)
    : source_(std::move(source)), now_iso_(std::move(now_iso)) {}

AlertMonitor::~AlertMonitor() { stop(); }

std::vector<Alert> AlertMonitor::check_locked() {
  std::vector<Alert> now;
  try {
    now = source_();
  } catch (const std::exception& e) {
    log::warn("could not check the server's alerts", {{"what", e.what()}});
    return last_;
  }
  std::map<std::string, std::string> since;
  for (auto& a : now) {
    auto before = since_.find(a.code);
    if (before == since_.end()) {
      a.since = now_iso_();
      log::warn("server alert: " + a.code, {{"code", a.code}, {"detail", a.detail}});
    } else {
      a.since = before->second;
    }
    since[a.code] = a.since;
  }
  for (const auto& [code, started] : since_) {
    if (!since.count(code)) log::info("server alert ended: " + code, {{"code", code}, {"since", started}});
  }
  since_ = std::move(since);
  last_ = now;
  checked_at_ = std::chrono::steady_clock::now();
  return now;
}

std::vector<Alert> AlertMonitor::current(std::chrono::seconds max_age) {
  std::lock_guard lock(mutex_);
  if (checked_at_) {
    const auto age = std::chrono::steady_clock::now() - *checked_at_;
    // A disk-full refusal since the last check is news managers need now.
    const bool disk_full_since = disk_full_within(std::chrono::duration_cast<std::chrono::seconds>(age));
    if (age < max_age && !disk_full_since) return last_;
  }
  return check_locked();
}

void AlertMonitor::start(std::chrono::seconds interval) {
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(stop_mutex_);
    while (!stopping_) {
      lock.unlock();
      current(std::chrono::seconds(0));
      lock.lock();
      stop_cv_.wait_for(lock, interval, [this] { return stopping_; });
    }
  });
}

void AlertMonitor::stop() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void set_alert_source(std::function<std::vector<Alert>()> source) {
  std::lock_guard lock(g_source_mutex);
  g_source = std::move(source);
}

std::vector<Alert> server_alerts() {
  std::function<std::vector<Alert>()> source;
  {
    std::lock_guard lock(g_source_mutex);
    source = g_source;
  }
  return source ? source() : std::vector<Alert>{};
}

}  // namespace salespider::service
