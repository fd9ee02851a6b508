// See service_control.hpp. The supervisor is a small single-threaded
// process: it polls its children (waitpid WNOHANG) and the clock a few times
// a second, which keeps restart, schedules and shutdown in one plain loop.
// Its children get our environment (db/process.* deliberately gives
// PostgreSQL a fixed one; `serve` needs NODE_ENV & co), hence its own fork.
#include "service/service_control.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "log/log.hpp"
#include "service/status.hpp"
#include "support/cron.hpp"

extern char** environ;

namespace salespider::service::control {
namespace {

using Clock = std::chrono::system_clock;
using Steady = std::chrono::steady_clock;

constexpr const char* kDeploymentFile = "service.json";
constexpr const char* kSupervisorPid = "supervisor.pid";
constexpr std::uintmax_t kLogMaxBytes = 10U * 1024U * 1024U;
constexpr int kLogsKept = 3;

Error fail(std::string what) { return make_error(Errc::invalid_value, std::move(what)); }

// A word for a systemd command line: quoted when needed, with systemd's own
// specifier (%) and variable ($) characters escaped.
std::string systemd_word(const std::string& s) {
  std::string escaped;
  bool quote = s.empty();
  for (const char c : s) {
    if (c == '%') {
      escaped += "%%";
    } else if (c == '$') {
      escaped += "$$";
    } else if (c == '"' || c == '\\') {
      escaped += '\\';
      escaped += c;
      quote = true;
    } else {
      if (c == ' ' || c == '\t' || c == '\'' || c == ';') quote = true;
      escaped += c;
    }
  }
  return quote ? "\"" + escaped + "\"" : escaped;
}

std::string fill(std::string_view tmpl, const std::map<std::string, std::string>& values) {
  std::string out(tmpl);
  for (const auto& [key, value] : values) {
    const std::string marker = "{{" + key + "}}";
    for (auto pos = out.find(marker); pos != std::string::npos; pos = out.find(marker, pos + value.size())) {
      out.replace(pos, marker.size(), value);
    }
  }
  return out;
}

// argv/envp kept alive for execve: everything is prepared before fork().
struct Exec {
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::vector<char*> argv;
  std::vector<char*> envp;

  Exec(std::vector<std::string> a, const std::vector<std::string>& extra_env) : args(std::move(a)) {
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
      const std::string entry(*e);
      const auto key = entry.substr(0, entry.find('=') + 1);
      bool overridden = false;
      for (const auto& x : extra_env) overridden = overridden || x.rfind(key, 0) == 0;
      if (!overridden) env.push_back(entry);
    }
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    for (auto& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (auto& s : env) envp.push_back(s.data());
    envp.push_back(nullptr);
  }
};

void close_from_3() {
  if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0) {
    for (int fd = 3; fd < 4096; ++fd) close(fd);
  }
}

// A child of the supervisor: stdout/stderr shared with the supervisor's log;
// it gets SIGTERM if the supervisor dies, so no server outlives it unseen.
pid_t spawn_child(Exec& e) {
  const pid_t pid = fork();
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    close_from_3();
    execve(e.argv[0], e.argv.data(), e.envp.data());
    _exit(127);
  }
  return pid;
}

std::optional<pid_t> locked_pid(const fs::path& file) {
  const int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  const bool held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  char buf[32] = {};
  const auto n = pread(fd, buf, sizeof buf - 1, 0);
  close(fd);
  if (!held || n <= 0) return std::nullopt;
  return static_cast<pid_t>(std::atoi(buf));
}

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int /*sig*/) { g_stop = 1; }

struct Schedule {
  std::string name;     // "full backup"
  std::string expr;     // cron
  std::vector<std::string> command;  // after the binary, before --data-path
  support::cron::Schedule parsed;
  std::optional<Clock::time_point> next;
  pid_t running = 0;
};

std::vector<std::string> with_paths(std::vector<std::string> args, const SupervisorOptions& o) {
  args.insert(args.begin(), (o.data_path / "current" / "salespider").string());
  args.push_back("--data-path");
  args.push_back(o.data_path.string());
  if (!o.env_file.empty()) {
    args.push_back("--env-file");
    args.push_back(o.env_file.string());
  }
  return args;
}

}  // namespace

// ---- deployment record -------------------------------------------------------------

Result<void> write_deployment(const fs::path& data_path, const Deployment& d) {
  const nlohmann::json j{{"mode", d.mode}, {"env_file", d.env_file.string()}, {"production", d.production}};
  const auto tmp = data_path / (std::string(kDeploymentFile) + ".tmp");
  {
    std::ofstream out(tmp);
    out << j.dump(2) << "\n";
    if (!out.flush()) return fail("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, data_path / kDeploymentFile, ec);
  if (ec) return fail("cannot write " + (data_path / kDeploymentFile).string() + ": " + ec.message());
  return {};
}

std::optional<Deployment> read_deployment(const fs::path& data_path) {
  std::ifstream in(data_path / kDeploymentFile);
  if (!in) return std::nullopt;
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  Deployment d;
  d.mode = j.value("mode", "");
  d.env_file = j.value("env_file", "");
  d.production = j.value("production", false);
  if (d.mode != "systemd" && d.mode != "supervisor") return std::nullopt;
  return d;
}

bool systemd_available() {
  std::error_code ec;
  if (!fs::is_directory("/run/systemd/system", ec)) return false;  // sd_booted()'s test
  std::ifstream comm("/proc/1/comm");
  std::string pid1;
  std::getline(comm, pid1);
  if (pid1 != "systemd") return false;
  return fs::exists("/usr/bin/systemctl", ec) || fs::exists("/bin/systemctl", ec);
}

// ---- units ----------------------------------------------------------------------------

std::vector<std::string> managed_unit_names() {
  return {"salespider.service",           "salespider-backup-full.service", "salespider-backup-full.timer",
          "salespider-backup-diff.service", "salespider-backup-diff.timer", "salespider-vacuum.service",
          "salespider-vacuum.timer"};
}

Result<std::map<std::string, std::string>> render_units(const UnitInputs& in) {
  const fs::path current = in.data_path / "current";
  const std::map<std::string, std::string> common{
      {"DATA_PATH", systemd_word(in.data_path.string())},
      {"BINARY", systemd_word((current / "salespider").string())},
      {"WWW", systemd_word((current / "www").string())},
      {"ENVIRONMENT", in.production ? "Environment=NODE_ENV=production\n" : ""},
      {"ENV_FILE_FLAG", in.env_file.empty() ? "" : " --env-file " + systemd_word(in.env_file.string())},
  };
  std::map<std::string, std::string> units;
  units["salespider.service"] = fill(unit_template("salespider.service"), common);

  struct Job {
    std::string unit, description, command, schedule;
  };
  std::vector<Job> jobs;
  if (in.backups && !in.full_schedule.empty()) {
    jobs.push_back({"salespider-backup-full", "full backup", "backup --type full", in.full_schedule});
  }
  if (in.backups && !in.diff_schedule.empty()) {
    jobs.push_back({"salespider-backup-diff", "differential backup", "backup --type diff", in.diff_schedule});
  }
  if (!in.vacuum_schedule.empty()) {
    jobs.push_back({"salespider-vacuum", "database vacuum and analyze", "vacuum", in.vacuum_schedule});
  }
  for (const auto& job : jobs) {
    auto parsed = support::cron::parse(job.schedule);
    if (!parsed) return fail("the " + job.description + " schedule \"" + job.schedule + "\": " + parsed.error().context);
    std::string on_calendar;
    for (const auto& line : support::cron::to_on_calendar(*parsed)) on_calendar += "OnCalendar=" + line + "\n";
    auto values = common;
    values["DESCRIPTION"] = job.description;
    values["COMMAND"] = job.command;
    values["SCHEDULE"] = job.schedule;
    values["ON_CALENDAR"] = on_calendar;
    units[job.unit + ".service"] = fill(unit_template("salespider-job.service"), values);
    units[job.unit + ".timer"] = fill(unit_template("salespider-job.timer"), values);
  }
  return units;
}

// ---- processes ----------------------------------------------------------------------

std::optional<pid_t> supervisor_pid(const fs::path& data_path) { return locked_pid(data_path / kSupervisorPid); }

Result<void> start_supervisor(const fs::path& binary, const fs::path& data_path, const fs::path& env_file,
                              const std::vector<std::string>& extra_env) {
  std::error_code ec;
  fs::create_directories(data_path / "logs", ec);
  if (ec) return fail("cannot create " + (data_path / "logs").string() + ": " + ec.message());
  std::vector<std::string> args{binary.string(), "supervise", "--data-path", data_path.string()};
  if (!env_file.empty()) {
    args.push_back("--env-file");
    args.push_back(env_file.string());
  }
  Exec e(std::move(args), extra_env);
  const std::string log = (data_path / "logs" / "supervisor.log").string();
  const pid_t pid = fork();
  if (pid < 0) return fail(std::string("cannot start the supervisor: ") + std::strerror(errno));
  if (pid == 0) {
    // Double fork: the supervisor is reparented to init and has no
    // controlling terminal, so closing our shell does not stop the store.
    setsid();
    if (fork() != 0) _exit(0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    const int devnull = open("/dev/null", O_RDONLY);
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    if (out >= 0) {
      dup2(out, STDOUT_FILENO);
      dup2(out, STDERR_FILENO);
    }
    close_from_3();
    if (chdir("/") != 0) _exit(126);
    execve(e.argv[0], e.argv.data(), e.envp.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return {};
}

Result<std::vector<std::string>> stop_processes(const fs::path& data_path, std::chrono::seconds timeout) {
  std::vector<std::string> stopped;
  const auto deadline = Steady::now() + timeout;
  auto wait_until_gone = [&](auto still_there) {
    while (still_there()) {
      if (Steady::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
  };
  if (const auto sup = supervisor_pid(data_path); sup && *sup > 0) {
    kill(*sup, SIGTERM);
    if (!wait_until_gone([&] { return supervisor_pid(data_path).has_value(); })) {
      return fail("the supervisor (pid " + std::to_string(*sup) + ") is still running after " +
                  std::to_string(timeout.count()) + " s; see " + (data_path / "logs" / "supervisor.log").string());
    }
    stopped.push_back("supervisor (pid " + std::to_string(*sup) + ")");
  }
  if (const auto server = running_server(data_path); server && server->pid > 0) {
    kill(server->pid, SIGTERM);
    if (!wait_until_gone([&] { return running_server(data_path).has_value(); })) {
      return fail("the server (pid " + std::to_string(server->pid) + ") is still running after " +
                  std::to_string(timeout.count()) + " s; see " + (data_path / "logs" / "salespider.log").string());
    }
    stopped.push_back("server (pid " + std::to_string(server->pid) + ")");
  }
  return stopped;
}

int run_program(const std::vector<std::string>& argv) {
  Exec e(argv, {});
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    execvpe(e.argv[0], e.argv.data(), e.envp.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// ---- the supervisor ----------------------------------------------------------------------

int run_supervisor(const SupervisorOptions& o) {
  const fs::path pid_path = o.data_path / kSupervisorPid;
  const int lock = open(pid_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) != 0) {
    const auto other = supervisor_pid(o.data_path);
    log::error("another supervisor is running on this DATA_PATH",
               {{"data_path", o.data_path.string()}, {"pid", other.value_or(0)}});
    if (lock >= 0) close(lock);
    return 1;
  }
  const std::string me = std::to_string(getpid()) + "\n";
  if (ftruncate(lock, 0) != 0 || pwrite(lock, me.data(), me.size(), 0) < 0) {
    log::warn("cannot write the supervisor's pid file", {{"path", pid_path.string()}});
  }

  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);

  std::vector<Schedule> schedules;
  auto add = [&](std::string name, const std::string& expr, std::vector<std::string> command) {
    if (expr.empty()) return;
    auto parsed = support::cron::parse(expr);
    if (!parsed) {
      log::error("schedule ignored", {{"job", name}, {"schedule", expr}, {"why", parsed.error().context}});
      return;
    }
    Schedule s{std::move(name), expr, std::move(command), *parsed, std::nullopt, 0};
    s.next = support::cron::next_after(s.parsed, Clock::now());
    schedules.push_back(std::move(s));
  };
  if (o.backups) {
    add("full backup", o.full_schedule, {"backup", "--type", "full"});
    add("differential backup", o.diff_schedule, {"backup", "--type", "diff"});
  }
  add("vacuum", o.vacuum_schedule, {"vacuum"});
  log::info("supervisor started", {{"pid", getpid()},
                                   {"data_path", o.data_path.string()},
                                   {"backups", o.backups ? "scheduled" : "not configured"},
                                   {"jobs", schedules.size()}});

  pid_t server = 0;
  auto server_started = Steady::now();
  auto next_start = Steady::now();
  std::chrono::seconds backoff{1};
  auto next_rotation = Steady::now();

  while (g_stop == 0) {
    int status = 0;
    for (pid_t done; (done = waitpid(-1, &status, WNOHANG)) > 0;) {
      const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      if (done == server) {
        server = 0;
        if (Steady::now() - server_started > std::chrono::seconds(60)) backoff = std::chrono::seconds(1);
        next_start = Steady::now() + backoff;
        log::warn("server exited; restarting", {{"status", code}, {"in_seconds", backoff.count()}});
        backoff = std::min(backoff * 2, o.max_backoff);
        continue;
      }
      for (auto& s : schedules) {
        if (s.running != done) continue;
        s.running = 0;
        (code == 0 ? log::info : log::error)("scheduled job finished", {{"job", s.name}, {"status", code}});
      }
    }
    if (server == 0 && Steady::now() >= next_start) {
      std::vector<std::string> serve{"serve", "--www", (o.data_path / "current" / "www").string()};
      if (!o.host.empty()) serve.insert(serve.end(), {"--host", o.host});
      Exec e(with_paths(serve, o), {});
      server = spawn_child(e);
      server_started = Steady::now();
      if (server < 0) {
        log::error("cannot start the server", {{"why", std::strerror(errno)}});
        server = 0;
        next_start = Steady::now() + backoff;
      } else {
        log::info("server started", {{"pid", server}});
      }
    }
    const auto now = Clock::now();
    for (auto& s : schedules) {
      if (!s.next || now < *s.next) continue;
      s.next = support::cron::next_after(s.parsed, now);
      // One backup at a time: pgBackRest would refuse the second anyway.
      const bool busy = std::any_of(schedules.begin(), schedules.end(), [&](const Schedule& other) {
        return other.running != 0 && (&other == &s || (other.command[0] == "backup" && s.command[0] == "backup"));
      });
      if (busy) {
        log::warn("scheduled job skipped: the previous one still runs", {{"job", s.name}});
        continue;
      }
      Exec e(with_paths(s.command, o), {});
      s.running = spawn_child(e);
      if (s.running < 0) s.running = 0;
      log::info("scheduled job started", {{"job", s.name}, {"pid", s.running}});
    }
    if (Steady::now() >= next_rotation) {
      rotate_copy_truncate(o.data_path / "logs" / "supervisor.log", kLogMaxBytes, kLogsKept);
      rotate_copy_truncate(o.data_path / "logs" / "postgres.log", kLogMaxBytes, kLogsKept);
      next_rotation = Steady::now() + std::chrono::seconds(60);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }

  log::info("supervisor stopping", {{"server_pid", server}});
  std::vector<pid_t> children;
  if (server > 0) children.push_back(server);
  for (const auto& s : schedules) {
    if (s.running > 0) children.push_back(s.running);
  }
  for (const pid_t c : children) kill(c, SIGTERM);
  const auto deadline = Steady::now() + std::chrono::seconds(120);
  for (const pid_t c : children) {
    int status = 0;
    while (waitpid(c, &status, WNOHANG) == 0) {
      if (Steady::now() >= deadline) {
        log::error("child did not stop; killing it", {{"pid", c}});
        kill(c, SIGKILL);
        waitpid(c, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  std::error_code ec;
  fs::remove(pid_path, ec);  // while still holding the lock
  close(lock);
  log::info("supervisor stopped");
  return 0;
}

// ---- logs -------------------------------------------------------------------------------

void rotate_copy_truncate(const fs::path& log, std::uintmax_t max_bytes, int keep) {
  std::error_code ec;
  const auto size = fs::file_size(log, ec);
  if (ec || size <= max_bytes) return;
  const auto numbered = [&](int i) { return fs::path(log.string() + "." + std::to_string(i)); };
  fs::remove(numbered(keep), ec);
  for (int i = keep - 1; i >= 1; --i) fs::rename(numbered(i), numbered(i + 1), ec);
  fs::copy_file(log, numbered(1), fs::copy_options::overwrite_existing, ec);
  if (ec) return;
  fs::permissions(numbered(1), fs::perms::owner_read | fs::perms::owner_write, ec);
  if (truncate(log.c_str(), 0) != 0) return;
}

std::string tail_lines(const fs::path& file, std::size_t n) {
  std::ifstream in(file, std::ios::binary);
  if (!in || n == 0) return {};
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::int64_t>(in.tellg());
  std::int64_t window = 64 * 1024;
  std::string text;
  while (true) {
    const std::int64_t start = std::max<std::int64_t>(0, size - window);
    in.clear();
    in.seekg(start);
    text.assign(static_cast<std::size_t>(size - start), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    std::size_t lines = 0;
    for (auto it = text.rbegin(); it != text.rend(); ++it) {
      if (*it == '\n' && it != text.rbegin()) ++lines;
      if (lines == n) {
        return text.substr(static_cast<std::size_t>(text.rend() - it));
      }
    }
    if (start == 0) return text;
    window *= 4;
  }
}

}  // namespace salespider::service::control
