// The embedded default: with no DATABASE_URL the server creates (first start)
// and supervises its own PostgreSQL 15 cluster under DATA_PATH.
//
// [x] initdb with UTF-8 (C.UTF-8 locale, or --no-locale when the system lacks it)
// [x] as the `postgres` user when we are root, in a directory that user can
//     reach: DATA_PATH/postgres, or /var/lib/salespider/<hash>/postgres when a
//     parent of DATA_PATH (e.g. /root) is closed to it, recorded in
//     DATA_PATH/postgres.location
// [x] no TCP: a unix socket in the cluster directory (mode 0700), or in
//     /tmp/salespider-<hash> when that path would exceed the 107-byte limit
// [x] salespider.conf (included from postgresql.conf, rewritten at each
//     start): tuning, archive_mode=on from the first start, archive_command
//     to pgBackRest when a repository is configured, a no-op otherwise
// [x] a supervisor thread that restarts postgres if it dies (with backoff)
// [x] maintenance: stop and hold (no restarts) / start again, for backup and
//     restore commands
// [x] fast shutdown on stop; postgres also stops if the server is killed
// [x] a start right after a kill waits for (stops) the previous server's
//     postmaster of the same directory, or removes its stale lock file
// [ ] TCP access for other hosts, replication (later: chains)
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "db/process.hpp"

namespace salespider::db {

namespace pgbackrest {
struct Settings;
}

inline constexpr int kEmbeddedPort = 5432;  // only names the socket file: no TCP
inline constexpr const char* kEmbeddedSuperuser = "postgres";

// Where the cluster's parts live for a DATA_PATH.
struct Layout {
  std::filesystem::path data_path;    // absolute
  std::filesystem::path cluster_dir;  // PGDATA
  std::filesystem::path socket_dir;
  std::filesystem::path log_dir;      // DATA_PATH/logs (postgres.log, initdb.log)
  bool relocated = false;             // cluster_dir is not DATA_PATH/postgres
};

// The layout a DATA_PATH has or would have, without creating anything
// (status and db commands use it to find a running cluster).
Layout describe_layout(const std::filesystem::path& data_path);

struct EmbeddedOptions {
  std::filesystem::path data_path;  // DATA_PATH (made absolute)
  std::string database = "salespider";
  std::string repo1_type;  // PGBACKREST_REPO1_TYPE, "" = no backups: archive_command is a no-op
  std::string repo1_path;  // PGBACKREST_REPO1_PATH
  // The backup settings (db/pgbackrest.hpp); when set they replace
  // repo1_type/path, and pgbackrest.conf is written with salespider.conf
  // (and the posix repository made) before each start.
  std::shared_ptr<const pgbackrest::Settings> backups;
  // false only for tests: initdb --no-sync, fsync off, small memory.
  bool durable = true;
  std::filesystem::path bin_dir = "/usr/lib/postgresql/15/bin";
  std::chrono::seconds start_timeout{120};
  // Called (from the supervisor thread) after postgres was restarted because
  // it died, so connection pools can drop their dead connections.
  std::function<void()> on_restart;
};

// What goes into salespider.conf; a pure function so the archive_command
// rules are tested without a cluster.
struct ConfInputs {
  std::filesystem::path cluster_dir;
  std::filesystem::path socket_dir;
  std::string repo1_type;
  std::string repo1_path;
  bool durable = true;
  std::string stanza = "salespider";
  // The generated pgbackrest.conf ("": the default place for cluster_dir,
  // db/pgbackrest.hpp paths_for()).
  std::filesystem::path pgbackrest_config;
};
std::string render_salespider_conf(const ConfInputs& in);

enum class PgState { stopped, starting, running, stopping, restarting, maintenance };
const char* to_string(PgState state) noexcept;

class EmbeddedPostgres {
 public:
  explicit EmbeddedPostgres(EmbeddedOptions options);
  ~EmbeddedPostgres();  // stops postgres (fast) and the supervisor
  EmbeddedPostgres(const EmbeddedPostgres&) = delete;
  EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;

  // Creates the cluster on first use, writes salespider.conf, starts postgres,
  // waits until it accepts connections and creates the database if missing.
  // Throws EmbeddedError saying what to fix and where the log is.
  void start();
  // Fast shutdown (clients are disconnected); the supervisor leaves it down.
  void stop();

  // Maintenance, for backup and restore: stop and hold (the supervisor does
  // not restart it; health reports maintenance), then start again.
  void enter_maintenance(const std::string& reason);
  void leave_maintenance();

  PgState state() const;
  std::string maintenance_reason() const;
  int restarts() const;  // times the supervisor restarted a postgres that died
  pid_t pid() const;     // the postmaster's pid, 0 when not running
  const Layout& layout() const { return layout_; }
  const RunAs& run_as() const { return as_; }

  // libpq key=value connection strings over the unix socket.
  std::string conninfo() const;  // the application database, as the owner (migrations)
  std::string app_conninfo() const;  // the application database, as db::kAppRole (the server's pool)
  std::string admin_conninfo() const;  // the `postgres` database

 private:
  void prepare_cluster();
  void write_conf();
  void supervise();
  pid_t spawn_postmaster();
  bool wait_ready(pid_t pid, int& exit_status);
  std::string log_tail() const;

  EmbeddedOptions options_;
  RunAs as_;
  Layout layout_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool want_running_ = false;
  bool quit_ = false;
  std::string maintenance_reason_;
  pid_t pid_ = 0;
  PgState state_ = PgState::stopped;
  int restarts_ = 0;
  int failed_starts_ = 0;
  std::string last_failure_;
  std::thread supervisor_;
};

// Before a start: when DATA_PATH's postmaster.pid names a postmaster of
// `cluster_dir` that is still alive (a previous server was killed and its
// postgres is still shutting down, or still running), ask it to stop
// (SIGTERM, then SIGINT, then SIGQUIT, within `patience`) and wait; when it
// names a dead process, remove the stale lock. Never signals a process that
// is not a postgres working in `cluster_dir`. Throws EmbeddedError when it
// will not stop.
void settle_previous_postmaster(const std::filesystem::path& cluster_dir, std::chrono::seconds patience);

// A conninfo value quoted for libpq's key=value syntax.
std::string conninfo_quote(const std::string& value);

// How to reach a cluster with this layout (running or not), e.g. for psql:
// host=<socket dir> port=5432 user=postgres dbname=<dbname>.
std::string embedded_conninfo(const Layout& layout, const std::string& dbname,
                              const std::string& user = kEmbeddedSuperuser);

}  // namespace salespider::db
