// See embedded_postgres.hpp. The supervisor thread is the only thread that
// forks the postmaster and the only one that waits for it, so a death is seen
// exactly once and PR_SET_PDEATHSIG (tied to the forking thread) stays valid
// for as long as postgres runs.
#include "db/embedded_postgres.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <locale.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>

#include "db/database.hpp"
#include "db/errors.hpp"
#include "db/pgbackrest.hpp"
#include "db/roles.hpp"
#include "log/log.hpp"

namespace fs = std::filesystem;

namespace salespider::db {
namespace {

constexpr const char* kLocationFile = "postgres.location";
constexpr const char* kConfName = "salespider.conf";
constexpr const char* kIncludeLine = "include = 'salespider.conf'";

// FNV-1a: stable across compilers and versions, unlike std::hash.
std::string short_hash(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(12, '0');
  for (auto& c : out) {
    c = kHex[h & 0xF];
    h >>= 4;
  }
  return out;
}

fs::path socket_dir_for(const fs::path& cluster_dir) {
  // sun_path holds 108 bytes with the terminating NUL; leave some slack.
  const auto socket = cluster_dir / (".s.PGSQL." + std::to_string(kEmbeddedPort));
  if (socket.string().size() <= 100) return cluster_dir;
  return fs::path("/tmp") / ("salespider-" + short_hash(cluster_dir.string()));
}

std::string read_trimmed(const fs::path& p) {
  std::ifstream in(p);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// A value inside single quotes in postgresql.conf.
std::string conf_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "''";
    else if (c == '\\') out += "\\\\";
    else out += c;
  }
  return out + "'";
}

// A word for /bin/sh, which runs archive_command.
std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

bool has_utf8_c_locale() {
  locale_t l = newlocale(LC_ALL_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  if (l == static_cast<locale_t>(nullptr)) return false;
  freelocale(l);
  return true;
}

// An fd we own; closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Fd open_log(const fs::path& p, bool truncate) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : O_APPEND);
  const int fd = open(p.c_str(), flags, 0600);  // owner only, like every log (docs/security.md "Data at rest")
  if (fd < 0) throw EmbeddedError("cannot open " + p.string() + ": " + std::strerror(errno));
  return Fd(fd);
}

void write_file_atomically(const fs::path& p, const std::string& content) {
  const auto tmp = p.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << content;
    if (!out.flush()) throw EmbeddedError("cannot write " + tmp);
  }
  fs::rename(tmp, p);
}


// A process seen through /proc: alive (a zombie is not), and when it is a
// `postgres` whose working directory is `cluster_dir` (a postmaster chdirs
// into its data directory; pid reuse by anything else does not match).
enum class Holder { gone, ours, stranger, unknown };

bool alive(pid_t pid) {
  if (kill(pid, 0) != 0 && errno == ESRCH) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close_paren = text.rfind(')');
  // Not readable: trust kill(); a zombie ("Z") or dead task ("X") is gone.
  if (close_paren == std::string::npos || close_paren + 2 >= text.size()) return kill(pid, 0) == 0 || errno == EPERM;
  const char state = text[close_paren + 2];
  return state != 'Z' && state != 'X';
}

Holder holder_of(pid_t pid, const fs::path& cluster_dir) {
  if (!alive(pid)) return Holder::gone;
  const fs::path proc = fs::path("/proc") / std::to_string(pid);
  std::error_code ec1, ec2;
  auto exe = fs::read_symlink(proc / "exe", ec1).filename().string();
  const auto cwd = fs::read_symlink(proc / "cwd", ec2);
  if (ec1 || ec2) return Holder::unknown;  // not ours to look at: let postgres judge its lock
  if (const auto deleted = exe.find(" (deleted)"); deleted != std::string::npos) exe.resize(deleted);
  std::error_code ec3;
  const bool same_dir = fs::equivalent(cwd, cluster_dir, ec3);
  return exe == "postgres" && same_dir ? Holder::ours : Holder::stranger;
}

// Waits up to `limit` for `pid` to be gone.
bool wait_gone(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (alive(pid)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace

void settle_previous_postmaster(const fs::path& cluster_dir, std::chrono::seconds patience) {
  const auto lock_file = cluster_dir / "postmaster.pid";
  std::ifstream in(lock_file);
  if (!in) return;
  std::string pid_line, dir_line;
  std::getline(in, pid_line);
  std::getline(in, dir_line);
  in.close();
  pid_t pid = 0;
  try {
    pid = static_cast<pid_t>(std::stol(pid_line));
  } catch (const std::exception&) {
    pid = 0;
  }
  std::error_code ec;
  const bool names_this_dir = !dir_line.empty() && fs::equivalent(dir_line, cluster_dir, ec);
  const Holder holder = pid > 0 ? holder_of(pid, cluster_dir) : Holder::gone;
  if (holder == Holder::unknown) return;  // postgres itself refuses to start if it is still running
  if (holder == Holder::ours && !names_this_dir) return;  // a live postgres here; let it refuse, never unlock it
  if (holder != Holder::ours) {
    // Its postmaster is gone (or the pid now belongs to something else): a
    // stale lock from a crash. postgres would often cope; removing it is sure.
    log::warn("removing a stale postmaster.pid (its PostgreSQL is gone)",
              {{"lock_file", lock_file.string()}, {"pid", static_cast<long>(pid)}});
    fs::remove(lock_file, ec);
    return;
  }
  // A previous server's postmaster of this very directory, still running or
  // still shutting down (e.g. the server was SIGKILLed a moment ago): never
  // start a second one next to it. Ask it to stop, more firmly each time.
  struct Step {
    int signal;
    const char* how;
    std::chrono::milliseconds wait;
  };
  const auto third = std::chrono::duration_cast<std::chrono::milliseconds>(patience) / 3;
  for (const Step& step : {Step{SIGTERM, "smart shutdown", third}, Step{SIGINT, "fast shutdown", third},
                           Step{SIGQUIT, "immediate shutdown", third}}) {
    if (!alive(pid)) break;
    log::warn("a previous PostgreSQL of this data directory is still running; stopping it first",
              {{"pid", static_cast<long>(pid)}, {"how", step.how}, {"cluster_dir", cluster_dir.string()}});
    kill(pid, step.signal);
    if (wait_gone(pid, step.wait)) {
      log::info("the previous PostgreSQL has stopped", {{"pid", static_cast<long>(pid)}});
      return;
    }
  }
  if (alive(pid))
    throw EmbeddedError("a previous PostgreSQL (pid " + std::to_string(pid) + ") of " + cluster_dir.string() +
                        " does not stop; stop it (kill -QUIT " + std::to_string(pid) + ") and start the server again");
}

const char* to_string(PgState state) noexcept {
  switch (state) {
    case PgState::stopped: return "stopped";
    case PgState::starting: return "starting";
    case PgState::running: return "running";
    case PgState::stopping: return "stopping";
    case PgState::restarting: return "restarting";
    case PgState::maintenance: return "maintenance";
  }
  return "stopped";
}

std::string conninfo_quote(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

Layout describe_layout(const fs::path& data_path) {
  Layout l;
  l.data_path = fs::absolute(data_path).lexically_normal();
  if (l.data_path.has_filename() == false && l.data_path.has_parent_path()) l.data_path = l.data_path.parent_path();
  l.log_dir = l.data_path / "logs";
  const auto location = l.data_path / kLocationFile;
  if (fs::exists(location)) {
    l.cluster_dir = read_trimmed(location);
    l.relocated = true;
  } else {
    l.cluster_dir = l.data_path / "postgres";
  }
  l.socket_dir = socket_dir_for(l.cluster_dir);
  return l;
}

std::string render_salespider_conf(const ConfInputs& in) {
  std::ostringstream c;
  c << "# Written by salespider at every start: change .env, not this file.\n"
       "# Anything set here wins over postgresql.conf (it is included last).\n\n"
       "# Connections: a unix socket only, in a directory only the cluster's\n"
       "# owner can enter (local connections use trust authentication).\n"
       "listen_addresses = ''\n"
    << "unix_socket_directories = " << conf_quote(in.socket_dir.string()) << "\n"
    << "unix_socket_permissions = 0700\n"
       "port = "
    << kEmbeddedPort << "\n"
       "max_connections = 50\n\n"
       "# Memory: modest, for a shop PC that also runs the server.\n";
  if (in.durable) {
    c << "shared_buffers = 256MB\neffective_cache_size = 1GB\nwork_mem = 8MB\nmaintenance_work_mem = 128MB\n\n";
  } else {
    c << "shared_buffers = 32MB\neffective_cache_size = 128MB\nwork_mem = 4MB\nmaintenance_work_mem = 32MB\n\n";
  }
  c << "# WAL archiving is on from the first start, so enabling backups later\n"
       "# only changes archive_command (a reload, not a restart).\n"
       "wal_level = replica\n"
       "archive_mode = on\n";
  if (in.repo1_type.empty()) {
    c << "archive_command = '/bin/true'\n";
  } else {
    // Everything else (repository, pass-through options, the queue limit
    // that keeps pg_wal bounded) is in the generated file.
    const fs::path conf = in.pgbackrest_config.empty() ? in.cluster_dir.parent_path() / "pgbackrest" / "pgbackrest.conf"
                                                       : in.pgbackrest_config;
    const std::string cmd = "pgbackrest --config=" + shell_quote(conf.string()) +
                            " --stanza=" + shell_quote(in.stanza) + " archive-push %p";
    c << "archive_command = " << conf_quote(cmd) << "\n"
      << "archive_timeout = 300\n";
  }
  c << "wal_compression = on\n"
       "max_wal_size = 1GB\n"
       "min_wal_size = 80MB\n"
       "checkpoint_timeout = 15min\n\n"
       "# The pull feed waits behind the oldest open transaction: never let a\n"
       "# forgotten one stall it (docs/sync-protocol.md).\n"
       "idle_in_transaction_session_timeout = '60s'\n\n"
       "timezone = 'UTC'\n"
       "log_timezone = 'UTC'\n"
       "log_line_prefix = '%m [%p] %q%u@%d '\n"
       "log_min_duration_statement = 1000\n"
       "log_lock_waits = on\n";
  if (!in.durable) {
    c << "\n# Tests only: throw-away clusters need no crash safety.\n"
         "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
  }
  return c.str();
}

EmbeddedPostgres::EmbeddedPostgres(EmbeddedOptions options)
    : options_(std::move(options)), as_(postgres_identity()), layout_(describe_layout(options_.data_path)) {
  options_.data_path = layout_.data_path;
  supervisor_ = std::thread([this] { supervise(); });
}

EmbeddedPostgres::~EmbeddedPostgres() {
  try {
    stop();
  } catch (const std::exception& e) {
    log::error("embedded PostgreSQL did not stop cleanly", {{"what", e.what()}});
  }
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  cv_.notify_all();
  supervisor_.join();
}

std::string embedded_conninfo(const Layout& layout, const std::string& dbname, const std::string& user) {
  return "host=" + conninfo_quote(layout.socket_dir.string()) + " port=" + std::to_string(kEmbeddedPort) +
         " user=" + conninfo_quote(user) + " dbname=" + conninfo_quote(dbname) +
         " connect_timeout=10 application_name=salespider";
}

std::string EmbeddedPostgres::conninfo() const { return embedded_conninfo(layout_, options_.database); }

std::string EmbeddedPostgres::app_conninfo() const {
  return embedded_conninfo(layout_, options_.database, kAppRole);
}

std::string EmbeddedPostgres::admin_conninfo() const { return embedded_conninfo(layout_, "postgres"); }

void EmbeddedPostgres::prepare_cluster() {
  fs::create_directories(layout_.data_path);
  fs::create_directories(layout_.log_dir);
  layout_ = describe_layout(layout_.data_path);
  const bool initialized = fs::exists(layout_.cluster_dir / "PG_VERSION");

  if (!initialized && !layout_.relocated && as_.switch_user && !fs::exists(layout_.cluster_dir) &&
      !can_access_as(as_, layout_.data_path, X_OK)) {
    // e.g. a clone under /root (mode 700): the postgres user cannot get in.
    const fs::path base = fs::path("/var/lib/salespider") / short_hash(layout_.data_path.string());
    fs::create_directories(base);
    fs::permissions("/var/lib/salespider", fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                               fs::perms::others_read | fs::perms::others_exec);
    // Both directions, so an operator can tell which DATA_PATH a cluster
    // under /var/lib/salespider belongs to (and whether it is orphaned).
    write_file_atomically(base / "data_path", layout_.data_path.string() + "\n");
    write_file_atomically(layout_.data_path / kLocationFile, (base / "postgres").string() + "\n");
    layout_ = describe_layout(layout_.data_path);
    log::warn("the postgres user cannot reach DATA_PATH; the database cluster lives elsewhere",
              {{"data_path", layout_.data_path.string()},
               {"cluster_dir", layout_.cluster_dir.string()},
               {"recorded_in", (layout_.data_path / kLocationFile).string()}});
  }

  if (!initialized) {
    if (fs::exists(layout_.cluster_dir) && !fs::is_empty(layout_.cluster_dir)) {
      throw EmbeddedError(layout_.cluster_dir.string() +
                          " exists but is not a PostgreSQL cluster (no PG_VERSION): move it away or empty it");
    }
    fs::create_directories(layout_.cluster_dir);
    fs::permissions(layout_.cluster_dir, fs::perms::owner_all);
    give_to(as_, layout_.cluster_dir);

    std::vector<std::string> argv{(options_.bin_dir / "initdb").string(), "-D", layout_.cluster_dir.string(),
                                  "-E", "UTF8", "-U", kEmbeddedSuperuser, "--auth-local=trust",
                                  "--auth-host=scram-sha-256"};
    // Without an explicit locale a root-started initdb picks SQL_ASCII.
    argv.push_back(has_utf8_c_locale() ? "--locale=C.UTF-8" : "--no-locale");
    if (!options_.durable) argv.push_back("--no-sync");
    const auto initdb_log = layout_.log_dir / "initdb.log";
    log::info("creating the database cluster (first start)",
              {{"cluster_dir", layout_.cluster_dir.string()}, {"as", as_.name}});
    int rc = 0;
    {
      Fd out = open_log(initdb_log, true);
      rc = run(SpawnOptions{argv, as_, out.get(), false, 0, "/"});
    }
    if (rc != 0) {
      std::string tail = read_trimmed(initdb_log);
      if (tail.size() > 2000) tail = tail.substr(tail.size() - 2000);
      throw EmbeddedError("initdb failed (exit " + std::to_string(rc) + "); its output is in " +
                          initdb_log.string() + ":\n" + tail);
    }
    std::ofstream conf(layout_.cluster_dir / "postgresql.conf", std::ios::app);
    conf << "\n# SaleSpider's settings (rewritten at every start)\n" << kIncludeLine << "\n";
    if (!conf.flush()) throw EmbeddedError("cannot append to postgresql.conf in " + layout_.cluster_dir.string());
  } else {
    const auto version = read_trimmed(layout_.cluster_dir / "PG_VERSION");
    if (version != "15") {
      throw EmbeddedError("the cluster in " + layout_.cluster_dir.string() + " is PostgreSQL " + version +
                          ", this server runs PostgreSQL 15: upgrade it with pg_upgrade first");
    }
  }

  // Run postgres as whoever owns an existing cluster (e.g. one made by a
  // non-root `make run` and now started as root); never as root.
  struct stat st {};
  if (stat(layout_.cluster_dir.c_str(), &st) != 0) {
    throw EmbeddedError("cannot stat " + layout_.cluster_dir.string() + ": " + std::strerror(errno));
  }
  if (st.st_uid != as_.uid) {
    if (geteuid() == 0 && st.st_uid != 0) {
      as_.uid = st.st_uid;
      as_.gid = st.st_gid;
      as_.name = "uid " + std::to_string(st.st_uid);
    } else {
      throw EmbeddedError(layout_.cluster_dir.string() + " belongs to uid " + std::to_string(st.st_uid) +
                          "; run the server as that user (or as root), or chown it to " + as_.name);
    }
  }

  if (layout_.socket_dir != layout_.cluster_dir) {
    struct stat sd {};
    if (lstat(layout_.socket_dir.c_str(), &sd) != 0) {
      fs::create_directory(layout_.socket_dir);
      fs::permissions(layout_.socket_dir, fs::perms::owner_all);
      give_to(as_, layout_.socket_dir);
    } else if (!S_ISDIR(sd.st_mode) || (sd.st_uid != as_.uid && sd.st_uid != geteuid())) {
      throw EmbeddedError(layout_.socket_dir.string() +
                          " exists and is not a directory owned by the cluster's user: remove it");
    }
  }
  write_conf();
}

void EmbeddedPostgres::write_conf() {
  ConfInputs in;
  in.cluster_dir = layout_.cluster_dir;
  in.socket_dir = layout_.socket_dir;
  in.repo1_type = options_.repo1_type;
  in.repo1_path = options_.repo1_path;
  in.durable = options_.durable;
  if (options_.backups) {
    const auto& b = *options_.backups;
    in.repo1_type = b.repo1_type;
    in.repo1_path = b.repo1_path;
    in.stanza = b.stanza;
    if (b.configured()) {
      // Before postgres starts: its first archive-push reads this file.
      pgbackrest::write_config(b, layout_, as_);
      in.pgbackrest_config = pgbackrest::paths_for(layout_).config_file;
      if (auto problem = pgbackrest::ensure_repo(b, as_)) {
        log::warn("the backup repository is not usable: WAL archiving will fail until it is fixed",
                  {{"problem", *problem}});
      }
    }
  }
  const auto path = layout_.cluster_dir / kConfName;
  write_file_atomically(path, render_salespider_conf(in));
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  give_to(as_, path);
}

pid_t EmbeddedPostgres::spawn_postmaster() {
  Fd out = open_log(layout_.log_dir / "postgres.log", false);
  // Own session: a Ctrl-C meant for the server must not stop postgres behind
  // the supervisor's back. Parent-death SIGINT: if the server is killed,
  // postgres shuts down fast instead of lingering.
  return spawn(SpawnOptions{{(options_.bin_dir / "postgres").string(), "-D", layout_.cluster_dir.string()},
                            as_,
                            out.get(),
                            true,
                            SIGINT,
                            layout_.cluster_dir});
}

bool EmbeddedPostgres::wait_ready(pid_t pid, int& exit_status) {
  const auto admin = admin_conninfo();
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      exit_status = decode_wait_status(status);
      return false;
    }
    if (PQping(admin.c_str()) == PQPING_OK) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  exit_status = -1;  // still running, but not ready in time
  return false;
}

void EmbeddedPostgres::supervise() {
  std::unique_lock lock(mutex_);
  auto backoff = std::chrono::seconds(1);
  bool after_death = false;
  while (true) {
    if (!want_running_) {
      state_ = maintenance_reason_.empty() ? PgState::stopped : PgState::maintenance;
      after_death = false;
      cv_.notify_all();
      cv_.wait(lock, [&] { return quit_ || want_running_; });
    }
    if (quit_) break;
    if (!want_running_) continue;

    state_ = after_death ? PgState::restarting : PgState::starting;
    lock.unlock();
    pid_t pid = 0;
    std::string spawn_error;
    try {
      pid = spawn_postmaster();
    } catch (const std::exception& e) {
      spawn_error = e.what();
    }
    lock.lock();
    int exit_status = -1;
    bool was_running = false;
    if (pid == 0) {
      ++failed_starts_;
      last_failure_ = spawn_error;
    } else {
      pid_ = pid;
      if (!want_running_) kill(pid, SIGINT);  // stop() came while we were forking
      lock.unlock();
      const bool ready = wait_ready(pid, exit_status);
      lock.lock();
      if (ready) {
        state_ = PgState::running;
        was_running = true;
        backoff = std::chrono::seconds(1);
        cv_.notify_all();
        log::info("PostgreSQL is accepting connections", {{"pid", pid}, {"socket_dir", layout_.socket_dir.string()}});
        const bool notify_restart = after_death;
        lock.unlock();
        if (notify_restart && options_.on_restart) options_.on_restart();
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        exit_status = decode_wait_status(status);
        lock.lock();
      } else if (exit_status < 0) {
        kill(pid, SIGQUIT);
        lock.unlock();
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        lock.lock();
        ++failed_starts_;
        last_failure_ = "PostgreSQL did not accept connections within " +
                        std::to_string(options_.start_timeout.count()) + " s";
      } else if (want_running_) {
        ++failed_starts_;
        last_failure_ = "PostgreSQL exited during startup (status " + std::to_string(exit_status) + ")";
      }
      pid_ = 0;
    }
    if (quit_ || !want_running_) continue;

    // It died (or would not start) while it should be running: try again.
    if (was_running) {
      ++restarts_;
      log::error("PostgreSQL died; restarting it",
                 {{"exit_status", exit_status}, {"restarts", restarts_}, {"log", (layout_.log_dir / "postgres.log").string()}});
    } else {
      log::error("PostgreSQL failed to start; retrying", {{"why", last_failure_}, {"retry_in_s", backoff.count()}});
    }
    after_death = true;
    state_ = PgState::restarting;
    cv_.notify_all();
    cv_.wait_for(lock, backoff, [&] { return quit_ || !want_running_; });
    backoff = std::min(backoff * 2, std::chrono::seconds(30));
  }
  state_ = PgState::stopped;
  cv_.notify_all();
}

void EmbeddedPostgres::start() {
  {
    std::lock_guard lock(mutex_);
    if (state_ == PgState::running && want_running_) return;
  }
  prepare_cluster();
  // A postmaster left by a previous server (killed a moment ago) must be gone
  // before ours starts, or ours fails on its lock file.
  bool ours_running = false;
  {
    std::lock_guard lock(mutex_);
    ours_running = pid_ != 0;
  }
  if (!ours_running) settle_previous_postmaster(layout_.cluster_dir, std::chrono::seconds(60));
  {
    std::unique_lock lock(mutex_);
    const int failures_before = failed_starts_;
    want_running_ = true;
    maintenance_reason_.clear();
    cv_.notify_all();
    cv_.wait_for(lock, options_.start_timeout + std::chrono::seconds(10),
                 [&] { return state_ == PgState::running || failed_starts_ > failures_before; });
    if (state_ != PgState::running) {
      const std::string why = last_failure_.empty() ? "PostgreSQL did not start" : last_failure_;
      lock.unlock();
      stop();
      throw EmbeddedError(why + "; last lines of " + (layout_.log_dir / "postgres.log").string() + ":\n" +
                          log_tail());
    }
  }
  ensure_database(admin_conninfo(), options_.database);
}

void EmbeddedPostgres::stop() {
  std::unique_lock lock(mutex_);
  want_running_ = false;
  cv_.notify_all();
  const auto stopped = [&] { return pid_ == 0 && (state_ == PgState::stopped || state_ == PgState::maintenance); };
  if (stopped()) return;
  if (pid_ != 0) {
    state_ = PgState::stopping;
    kill(pid_, SIGINT);  // fast shutdown: roll back open transactions, checkpoint, exit
  }
  if (cv_.wait_for(lock, std::chrono::seconds(60), stopped)) return;
  if (pid_ != 0) kill(pid_, SIGQUIT);  // immediate shutdown: crash recovery at next start
  if (cv_.wait_for(lock, std::chrono::seconds(15), stopped)) return;
  if (pid_ != 0) kill(pid_, SIGKILL);
  cv_.wait(lock, stopped);
}

void EmbeddedPostgres::enter_maintenance(const std::string& reason) {
  {
    std::lock_guard lock(mutex_);
    maintenance_reason_ = reason.empty() ? "maintenance" : reason;
  }
  log::info("database maintenance: stopping PostgreSQL", {{"reason", reason}});
  stop();
}

void EmbeddedPostgres::leave_maintenance() {
  log::info("database maintenance over: starting PostgreSQL");
  start();
}

PgState EmbeddedPostgres::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::string EmbeddedPostgres::maintenance_reason() const {
  std::lock_guard lock(mutex_);
  return maintenance_reason_;
}

int EmbeddedPostgres::restarts() const {
  std::lock_guard lock(mutex_);
  return restarts_;
}

pid_t EmbeddedPostgres::pid() const {
  std::lock_guard lock(mutex_);
  return state_ == PgState::running ? pid_ : 0;
}

std::string EmbeddedPostgres::log_tail() const {
  std::ifstream in(layout_.log_dir / "postgres.log");
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (s.size() > 2000) s = s.substr(s.size() - 2000);
  return s;
}

}  // namespace salespider::db
