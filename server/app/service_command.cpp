// `salespider deploy | start | stop | restart | logs | vacuum | supervise`
// and `salespider db shell`: running the server as a service. Thin: the
// release layout is service/releases.*, units and the supervisor are
// service/service_control.*, VACUUM is db/maintenance.*. What lives here is
// the order of the steps, the health wait (HTTP) and what the operator reads.
#include <libpq-fe.h>
#include <unistd.h>

#include <httplib.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/cli_database.hpp"
#include "app/commands.hpp"
#include "app/config_flags.hpp"
#include "db/database.hpp"
#include "db/embedded_postgres.hpp"
#include "db/maintenance.hpp"
#include "log/log.hpp"
#include "salespider/version.hpp"
#include "service/releases.hpp"
#include "service/service_control.hpp"
#include "service/status.hpp"

namespace fs = std::filesystem;
namespace control = salespider::service::control;
namespace releases = salespider::service::releases;

namespace salespider::app {
namespace {

constexpr std::chrono::seconds kStopTimeout{120};
constexpr std::chrono::seconds kHealthTimeout{180};

fs::path absolute_data_path(const config::Config& config) {
  return fs::absolute(config.data_path).lexically_normal();
}

// The .env file this command read, as an absolute path ("" when none):
// the service must read the same file whatever its working directory.
fs::path env_file_used(const ConfigFlags& flags) {
  std::string path = flags.env_file;
  if (path.empty()) {
    if (const char* env = std::getenv("SALESPIDER_ENV_FILE"); env != nullptr && *env != '\0') path = env;
  }
  if (path.empty()) {
    if (!fs::exists(".env")) return {};
    path = ".env";
  }
  return fs::absolute(path).lexically_normal();
}

fs::path systemd_dir() {
  if (const char* dir = std::getenv("SALESPIDER_SYSTEMD_DIR"); dir != nullptr && *dir != '\0') return dir;
  return "/etc/systemd/system";
}

bool health_answers(int http_port) {
  httplib::Client client("127.0.0.1", http_port);
  client.set_connection_timeout(2);
  client.set_read_timeout(5);
  const auto res = client.Get("/api/v1/health");
  return res && res->status == 200;
}

// Waits until the server on this DATA_PATH answers /api/v1/health with 200.
std::optional<service::ServerRecord> wait_healthy(const fs::path& data_path, bool supervised) {
  const auto started = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < started + kHealthTimeout) {
    if (const auto rec = service::running_server(data_path); rec && rec->http_port > 0) {
      if (health_answers(rec->http_port)) return rec;
    }
    // A supervisor that is gone (after the moment it needs to take its pid
    // file) will not bring anything up.
    if (supervised && !control::supervisor_pid(data_path) &&
        std::chrono::steady_clock::now() > started + std::chrono::seconds(10)) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return std::nullopt;
}

void print_log_tails(const fs::path& data_path) {
  for (const char* name : {"salespider.log", "supervisor.log", "postgres.log"}) {
    const auto file = data_path / "logs" / name;
    const auto tail = control::tail_lines(file, 15);
    if (tail.empty()) continue;
    std::cerr << "--- last lines of " << file.string() << "\n" << tail;
    if (tail.back() != '\n') std::cerr << "\n";
  }
}

std::string port_suffix(int port, int standard) { return port == standard ? "" : ":" + std::to_string(port); }

void print_urls(const config::Config& config, const service::ServerRecord& rec) {
  const std::string https = port_suffix(rec.https_port, 443);
  const std::string http = port_suffix(rec.http_port, 80);
  std::cout << "The store server is running (pid " << rec.pid << ", version " << rec.version << ").\n";
  if (config.host_ip.empty()) {
    std::cout << "Tablets cannot reach it yet: HOST_IP is not set, so it listens on 127.0.0.1 only.\n"
              << "Set HOST_IP in .env to this machine's LAN address and run deploy again.\n"
              << "On this machine: https://127.0.0.1" << https << "/\n";
    return;
  }
  std::cout << "Tablets open:\n"
            << "  https://" << config.host_ip << https << "/\n"
            << "  https://" << config.domain << https << "/   (where " << config.domain
            << " resolves on the LAN: DNS or hosts files)\n"
            << "First time on a tablet (installs the store's certificate, shows a QR code):\n"
            << "  http://" << config.host_ip << http << "/setup\n";
}

struct Loaded {
  config::Config config;
  fs::path data_path;
};

std::optional<Loaded> load(const ConfigFlags& flags, log::Level level = log::Level::warn) {
  auto loaded = load_config_or_report(flags);
  if (!loaded) return std::nullopt;
  log::init(level);
  for (const auto& w : loaded->warnings) log::warn(w);
  return Loaded{loaded->config, absolute_data_path(loaded->config)};
}

// ---- deploy -------------------------------------------------------------------------------

struct DeployOptions {
  std::string www;
  bool no_systemd = false;
  bool foreground = false;  // containers: become the supervisor instead of detaching one
  std::string host;         // --host for serve (containers: 0.0.0.0)
};

// deploy --foreground: the container's main process is the supervisor.
int exec_foreground_supervisor(const fs::path& d, const fs::path& env_file, const std::string& host) {
  std::vector<std::string> args{(d / "current" / "salespider").string(), "supervise", "--data-path", d.string()};
  if (!env_file.empty()) {
    args.push_back("--env-file");
    args.push_back(env_file.string());
  }
  if (!host.empty()) {
    args.push_back("--host");
    args.push_back(host);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout << "running the supervised service in the foreground (log: stdout)" << std::endl;
  execv(argv[0], argv.data());
  std::cerr << "deploy: cannot run " << args[0] << ": " << std::strerror(errno) << "\n";
  return 1;
}

Result<void> deploy_systemd(const config::Config& config, const fs::path& data_path, const fs::path& env_file,
                            bool production, bool changed) {
  control::UnitInputs in;
  in.data_path = data_path;
  in.env_file = env_file;
  in.production = production;
  in.backups = config.backup_repo_configured();
  in.full_schedule = config.backup_schedule_full;
  in.diff_schedule = config.backup_schedule_diff;
  auto units = control::render_units(in);
  if (!units) return units.error();
  const fs::path dir = systemd_dir();
  for (const auto& name : control::managed_unit_names()) {
    if (units->count(name) != 0 || !fs::exists(dir / name)) continue;
    // A timer no longer wanted (schedule emptied, backups turned off).
    control::run_program({"systemctl", "disable", "--now", name});
    std::error_code ec;
    fs::remove(dir / name, ec);
  }
  for (const auto& [name, text] : *units) {
    std::ofstream out(dir / name, std::ios::trunc);
    out << text;
    if (!out.flush()) return make_error(Errc::invalid_value, "cannot write " + (dir / name).string());
  }
  if (control::run_program({"systemctl", "daemon-reload"}) != 0) {
    return make_error(Errc::invalid_value, "systemctl daemon-reload failed");
  }
  for (const auto& [name, text] : *units) {
    if (name.ends_with(".timer")) {
      control::run_program({"systemctl", "enable", name});
      control::run_program({"systemctl", "restart", name});  // picks up a changed schedule
    }
  }
  if (control::run_program({"systemctl", "enable", "salespider.service"}) != 0) {
    return make_error(Errc::invalid_value, "systemctl enable salespider.service failed");
  }
  if (control::run_program({"systemctl", changed ? "restart" : "start", "salespider.service"}) != 0) {
    return make_error(Errc::invalid_value, "systemctl could not start salespider.service (journalctl -u salespider)");
  }
  return {};
}

int run_deploy(const ConfigFlags& flags, const DeployOptions& opt) {
  auto first = load_config_or_report(flags);
  if (!first) return kConfigErrorExit;
  // deploy means production unless .env (or the environment) says otherwise.
  const bool production_added = first->config.node_env.empty();
  if (production_added) setenv("NODE_ENV", "production", 1);
  auto s = load(flags);
  if (!s) return kConfigErrorExit;
  const auto& d = s->data_path;
  std::error_code ec;
  fs::create_directories(d / "logs", ec);
  const fs::path env_file = env_file_used(flags);

  const fs::path binary = fs::read_symlink("/proc/self/exe", ec);
  fs::path www = opt.www;
  if (www.empty() && fs::is_directory(d / "current" / "www")) www = fs::canonical(d / "current" / "www");
  if (www.empty()) {
    std::cerr << "deploy: --www DIR is required: the till's files (e.g. build/wasm/dist, built by make build-wasm)\n";
    return kConfigErrorExit;
  }
  www = fs::absolute(www);
  auto id = releases::release_id(kVersion, binary);
  if (!id) {
    std::cerr << "deploy: " << id.error().context << "\n";
    return 1;
  }
  const auto before = releases::installed_files(d, *id);
  const auto sources = releases::source_files(binary, www);
  if (!sources) {
    std::cerr << "deploy: " << sources.error().context << "\n";
    return kConfigErrorExit;
  }
  const bool changed = !(before && *before == *sources) || releases::current_id(d) != *id;
  if (auto r = releases::install(d, binary, www, *id); !r) {
    std::cerr << "deploy: " << r.error().context << "\n";
    return 1;
  }
  if (auto r = releases::activate(d, *id); !r) {
    std::cerr << "deploy: " << r.error().context << "\n";
    return 1;
  }
  std::cout << "release " << *id << (changed ? " installed and active" : " is already active") << " ("
            << (d / "current").string() << ")\n";

  const bool systemd = !opt.no_systemd && !opt.foreground && control::systemd_available();
  const control::Deployment deployment{systemd ? "systemd" : "supervisor", env_file, production_added};
  if (auto r = control::write_deployment(d, deployment); !r) {
    std::cerr << "deploy: " << r.error().context << "\n";
    return 1;
  }
  if (opt.foreground) return exec_foreground_supervisor(d, env_file, opt.host);
  if (systemd) {
    // A supervisor or a server started by hand would hold the pid file.
    if (control::supervisor_pid(d) ||
        (service::running_server(d) && control::run_program({"systemctl", "is-active", "--quiet", "salespider"}) != 0)) {
      if (auto r = control::stop_processes(d, kStopTimeout); !r) std::cerr << "deploy: " << r.error().context << "\n";
    }
    if (auto r = deploy_systemd(s->config, d, env_file, production_added, changed); !r) {
      std::cerr << "deploy: " << r.error().context << "\n";
      return 1;
    }
    std::cout << "systemd units written to " << systemd_dir().string() << " and enabled\n";
  } else {
    const bool running = control::supervisor_pid(d).has_value();
    if ((running && changed) || (!running && service::running_server(d))) {
      auto stopped = control::stop_processes(d, kStopTimeout);
      if (!stopped) {
        std::cerr << "deploy: " << stopped.error().context << "\n";
        return 1;
      }
      for (const auto& what : *stopped) std::cout << "stopped the " << what << "\n";
    }
    if (!running || changed) {
      const std::vector<std::string> env =
          production_added ? std::vector<std::string>{"NODE_ENV=production"} : std::vector<std::string>{};
      if (auto r = control::start_supervisor(d / "current" / "salespider", d, env_file, env); !r) {
        std::cerr << "deploy: " << r.error().context << "\n";
        return 1;
      }
      std::cout << "no systemd here: started the supervised service (pid file " << (d / "supervisor.pid").string()
                << ", log " << (d / "logs" / "supervisor.log").string() << ")\n";
    } else {
      std::cout << "the supervised service already runs this release: not restarted\n";
    }
  }
  const auto rec = wait_healthy(d, !systemd);
  if (!rec) {
    std::cerr << "deploy: the server did not become healthy within " << kHealthTimeout.count() << " s\n";
    print_log_tails(d);
    return 1;
  }
  print_urls(s->config, *rec);
  return 0;
}

// ---- start / stop / restart ----------------------------------------------------------------

int run_start(const ConfigFlags& flags) {
  auto s = load(flags);
  if (!s) return kConfigErrorExit;
  const auto& d = s->data_path;
  const auto deployment = control::read_deployment(d);
  if (!releases::current_id(d)) {
    std::cerr << "start: nothing is deployed on " << d.string()
              << ": run `salespider deploy --www DIR` (make deploy) first\n";
    return 1;
  }
  const bool systemd = deployment && deployment->mode == "systemd" && control::systemd_available();
  if (systemd) {
    if (control::run_program({"systemctl", "start", "salespider.service"}) != 0) {
      std::cerr << "start: systemctl start salespider.service failed (journalctl -u salespider)\n";
      return 1;
    }
  } else if (control::supervisor_pid(d)) {
    std::cout << "the supervised service is already running\n";
  } else if (const auto other = service::running_server(d)) {
    std::cout << "a server started by hand already runs on this DATA_PATH (pid " << other->pid << ")\n";
  } else {
    fs::path env_file = flags.env_file.empty() && deployment ? deployment->env_file : env_file_used(flags);
    std::vector<std::string> env;
    if (deployment && deployment->production) env.emplace_back("NODE_ENV=production");
    if (auto r = control::start_supervisor(d / "current" / "salespider", d, env_file, env); !r) {
      std::cerr << "start: " << r.error().context << "\n";
      return 1;
    }
  }
  const auto rec = wait_healthy(d, !systemd && !service::running_server(d));
  if (!rec) {
    std::cerr << "start: the server did not come up within " << kHealthTimeout.count() << " s\n";
    print_log_tails(d);
    return 1;
  }
  print_urls(s->config, *rec);
  return 0;
}

int run_stop(const ConfigFlags& flags) {
  auto s = load(flags);
  if (!s) return kConfigErrorExit;
  const auto& d = s->data_path;
  const auto deployment = control::read_deployment(d);
  if (deployment && deployment->mode == "systemd" && control::systemd_available()) {
    control::run_program({"systemctl", "stop", "salespider.service"});
  }
  auto stopped = control::stop_processes(d, kStopTimeout);
  if (!stopped) {
    std::cerr << "stop: " << stopped.error().context << "\n";
    return 1;
  }
  if (stopped->empty()) {
    std::cout << "nothing was running on " << d.string() << "\n";
  } else {
    for (const auto& what : *stopped) std::cout << "stopped the " << what << "\n";
  }
  return 0;
}

// ---- logs, vacuum, db shell, supervise ---------------------------------------------------

int run_logs(const ConfigFlags& flags, bool follow, int lines) {
  auto s = load(flags);
  if (!s) return kConfigErrorExit;
  const auto file = s->data_path / "logs" / "salespider.log";
  if (!fs::exists(file) && !follow) {
    std::cerr << "logs: no log yet at " << file.string() << " (has the server run on this DATA_PATH?)\n";
    return 1;
  }
  if (follow) {
    const std::string n = std::to_string(lines);
    execlp("tail", "tail", "-n", n.c_str(), "-F", file.c_str(), static_cast<char*>(nullptr));
    std::cerr << "logs: cannot run tail: " << std::strerror(errno) << "\n";
    return 1;
  }
  std::cout << control::tail_lines(file, static_cast<std::size_t>(lines)) << std::flush;
  return 0;
}

std::string megabytes(std::int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

int run_vacuum(const ConfigFlags& flags, bool as_json) {
  auto s = load(flags);
  if (!s) return kConfigErrorExit;
  try {
    auto target = open_cli_database(s->config, 1);
    const auto r = db::vacuum_analyze(target.database->pool());
    // The daily vacuum also keeps PostgreSQL's log bounded under systemd
    // (the supervisor does it every minute when there is no systemd).
    control::rotate_copy_truncate(s->data_path / "logs" / "postgres.log", 10U * 1024U * 1024U, 3);
    if (as_json) {
      std::cout << nlohmann::json{{"size_before_bytes", r.size_before}, {"size_after_bytes", r.size_after}}.dump()
                << "\n";
    } else {
      std::cout << "VACUUM (ANALYZE) done: database size " << megabytes(r.size_before) << " before, "
                << megabytes(r.size_after) << " after\n";
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "vacuum: " << e.what() << "\n";
    return 1;
  }
}

int run_db_shell(const ConfigFlags& flags) {
  auto s = load(flags);
  if (!s) return kConfigErrorExit;
  std::string conninfo = s->config.database_conninfo;
  if (s->config.embedded_database()) {
    const auto layout = db::describe_layout(s->data_path);
    conninfo = db::embedded_conninfo(layout, "salespider");
    if (PQping(conninfo.c_str()) != PQPING_OK) {
      std::cerr << "db shell: the embedded PostgreSQL of " << s->data_path.string()
                << " is not running: start the server first (salespider start)\n";
      return 1;
    }
  }
  const char* psql = fs::exists("/usr/lib/postgresql/15/bin/psql") ? "/usr/lib/postgresql/15/bin/psql" : "psql";
  execlp(psql, "psql", conninfo.c_str(), static_cast<char*>(nullptr));
  std::cerr << "db shell: cannot run psql: " << std::strerror(errno) << "\n";
  return 1;
}

int run_supervise(const ConfigFlags& flags, const std::string& host) {
  auto loaded = load_config_or_report(flags);
  if (!loaded) return kConfigErrorExit;
  log::init(log::Level::info);  // stdout only, which is the supervisor's log file
  for (const auto& w : loaded->warnings) log::warn(w);
  control::SupervisorOptions o;
  o.data_path = absolute_data_path(loaded->config);
  o.env_file = env_file_used(flags);
  o.backups = loaded->config.backup_repo_configured();
  o.full_schedule = loaded->config.backup_schedule_full;
  o.diff_schedule = loaded->config.backup_schedule_diff;
  o.host = host;
  return control::run_supervisor(o);
}

}  // namespace

void add_service_commands(CLI::App& app) {
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto opt = std::make_shared<DeployOptions>();
    auto* cmd = app.add_subcommand("deploy",
                                   "Install this binary and the till as the active release and run it as a service "
                                   "(systemd units, else a supervised background service)");
    add_config_flags(cmd, flags);
    cmd->add_option("--www", opt->www, "The till's files to install (e.g. build/wasm/dist)");
    cmd->add_flag("--no-systemd", opt->no_systemd, "Use the supervised background service even where systemd runs");
    cmd->add_flag("--foreground", opt->foreground,
                  "Install the release, then run the supervisor in the foreground (a container's main process)");
    cmd->add_option("--host", opt->host, "With --foreground: the address serve listens on (e.g. 0.0.0.0)");
    cmd->callback([flags, opt] { set_exit_code(run_deploy(*flags, *opt)); });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto* cmd = app.add_subcommand("start", "Start the deployed service and wait until it answers its health check");
    add_config_flags(cmd, flags);
    cmd->callback([flags] { set_exit_code(run_start(*flags)); });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto* cmd = app.add_subcommand("stop", "Stop the service (or a server started by hand) and wait until it is gone");
    add_config_flags(cmd, flags);
    cmd->callback([flags] { set_exit_code(run_stop(*flags)); });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto* cmd = app.add_subcommand("restart", "stop, then start");
    add_config_flags(cmd, flags);
    cmd->callback([flags] {
      const int rc = run_stop(*flags);
      set_exit_code(rc != 0 ? rc : run_start(*flags));
    });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto follow = std::make_shared<bool>(false);
    auto lines = std::make_shared<int>(50);
    auto* cmd = app.add_subcommand("logs", "Print the end of DATA_PATH/logs/salespider.log (-f: follow it)");
    add_config_flags(cmd, flags);
    cmd->add_flag("-f,--follow", *follow, "Keep printing new lines (across rotations)");
    cmd->add_option("-n,--lines", *lines, "How many lines (default 50)")->check(CLI::Range(1, 1000000));
    cmd->callback([flags, follow, lines] { set_exit_code(run_logs(*flags, *follow, *lines)); });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto as_json = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("vacuum", "VACUUM (ANALYZE) the store's database; prints its size before and after");
    add_config_flags(cmd, flags);
    cmd->add_flag("--json", *as_json, "Print the sizes as JSON");
    cmd->callback([flags, as_json] { set_exit_code(run_vacuum(*flags, *as_json)); });
  }
  {
    auto flags = std::make_shared<ConfigFlags>();
    auto host = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("supervise",
                                   "Run the server and its scheduled jobs in the foreground, restarting it after a "
                                   "crash (what deploy starts where there is no systemd)");
    cmd->group("");  // internal: operators use deploy/start/stop
    add_config_flags(cmd, flags);
    cmd->add_option("--host", *host, "Passed to serve: the address to listen on");
    cmd->callback([flags, host] { set_exit_code(run_supervise(*flags, *host)); });
  }
  if (auto* db = app.get_subcommand_ptr("db").get()) {
    auto flags = std::make_shared<ConfigFlags>();
    auto* cmd = db->add_subcommand("shell", "psql on the store's database (the embedded cluster, or DATABASE_URL)");
    add_config_flags(cmd, flags);
    cmd->callback([flags] { set_exit_code(run_db_shell(*flags)); });
  }
}

}  // namespace salespider::app
