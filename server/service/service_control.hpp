// Running the server as a service: what `salespider deploy | start | stop |
// restart` and `salespider supervise` do, under the release layout of
// releases.hpp (the service always runs DATA_PATH/current/salespider).
//
// Two ways to run it, chosen by deploy and recorded in DATA_PATH/service.json:
//   systemd     units written from the templates in deploy/systemd/ (the
//               server, backup timers from the cron schedules, a daily vacuum)
//   supervisor  where systemd is not PID 1 (containers, CI): a detached
//               `salespider supervise` (pid file DATA_PATH/supervisor.pid, log
//               DATA_PATH/logs/supervisor.log) that runs `serve`, restarts it
//               after a crash with backoff, and runs the scheduled jobs.
// Deliberately not here: HTTP (the health wait is the caller's: app/), the
// backup itself (`salespider backup`, another command, run as a child).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salespider/shared/result.hpp"

namespace salespider::service::control {

namespace fs = std::filesystem;

// What deploy chose, for start/stop/restart later (DATA_PATH/service.json).
struct Deployment {
  std::string mode;    // "systemd" | "supervisor"
  fs::path env_file;   // absolute; empty when deploy read no .env
  bool production = false;  // NODE_ENV=production passed to the service
};
Result<void> write_deployment(const fs::path& data_path, const Deployment& d);
std::optional<Deployment> read_deployment(const fs::path& data_path);

// systemd runs as PID 1 and systemctl is there (false in containers and CI).
bool systemd_available();

// ---- systemd units (pure rendering, then writing) ---------------------------

struct UnitInputs {
  fs::path data_path;        // absolute
  fs::path env_file;         // absolute, or empty
  bool production = false;   // Environment=NODE_ENV=production
  bool backups = false;      // a backup repository is configured
  std::string full_schedule;  // cron, "" = no timer
  std::string diff_schedule;
  std::string vacuum_schedule = "30 3 * * *";
};
// Unit file name -> its text. Errors name a schedule that does not parse.
Result<std::map<std::string, std::string>> render_units(const UnitInputs& in);
// The template text of deploy/systemd/<name>.in ("" when unknown).
std::string_view unit_template(std::string_view name);

// The unit files deploy manages (to remove timers no longer wanted).
std::vector<std::string> managed_unit_names();

// ---- processes ----------------------------------------------------------------

// The pid holding DATA_PATH/supervisor.pid (locked while it runs), if any.
std::optional<pid_t> supervisor_pid(const fs::path& data_path);

// Starts `binary supervise --data-path D [--env-file F]` detached (double
// fork, setsid, output to DATA_PATH/logs/supervisor.log), with our
// environment plus `extra_env`. Returns once it was spawned.
Result<void> start_supervisor(const fs::path& binary, const fs::path& data_path, const fs::path& env_file,
                              const std::vector<std::string>& extra_env);

// Stops the supervisor (which stops its server) and any server still
// holding DATA_PATH/salespider.pid (SIGTERM), waiting until both pid files
// are free. Returns what it stopped, e.g. {"supervisor 123", "server 456"}.
Result<std::vector<std::string>> stop_processes(const fs::path& data_path, std::chrono::seconds timeout);

// Runs a program and waits: its exit status (128 + signal), or -1 when it
// could not be started. Output goes to ours.
int run_program(const std::vector<std::string>& argv);

// ---- the supervisor -------------------------------------------------------------

struct SupervisorOptions {
  fs::path data_path;  // absolute
  fs::path env_file;   // absolute, or empty
  bool backups = false;
  std::string full_schedule;
  std::string diff_schedule;
  std::string vacuum_schedule = "30 3 * * *";
  std::chrono::seconds max_backoff{30};
  std::string host;  // serve --host ("" = serve's own rule: HOST_IP -> all interfaces)
};
// Runs until SIGTERM/SIGINT, then stops the server and returns the exit
// status (1 when another supervisor holds the pid file).
int run_supervisor(const SupervisorOptions& options);

// ---- logs ----------------------------------------------------------------------

// Keeps a log some other process appends to (O_APPEND) bounded: when it is
// larger than max_bytes it is copied to <log>.1 (older copies shifted up to
// <log>.<keep>) and truncated in place, so the writer's descriptor stays valid.
void rotate_copy_truncate(const fs::path& log, std::uintmax_t max_bytes, int keep);

// The last n lines of a file ("" when it does not exist).
std::string tail_lines(const fs::path& file, std::size_t n);

}  // namespace salespider::service::control
