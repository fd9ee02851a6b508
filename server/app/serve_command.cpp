// `salespider serve`: runs the store server in the foreground until SIGINT or
// SIGTERM. serve() is the wiring, one named step each, in order:
// configuration and logs -> pid file -> PostgreSQL (the embedded cluster, or
// DATABASE_URL) and the pool -> migrations -> health probe -> services (over
// one clock) -> routes -> TLS -> listen. Shutdown runs it backwards: stop
// accepting, drop the pool, stop the embedded PostgreSQL (fast).
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/commands.hpp"
#include "app/config_flags.hpp"
#include "db/database.hpp"
#include "db/embedded_postgres.hpp"
#include "db/errors.hpp"
#include "db/migrations.hpp"
#include "db/pgbackrest.hpp"
#include "db/process.hpp"
#include "db/pool.hpp"
#include "db/roles.hpp"
#include "http/http_server.hpp"
#include "http/https_setup.hpp"
#include "log/log.hpp"
#include "salespider/version.hpp"
#include "service/health.hpp"
#include "service/status.hpp"
#include "service/sync_demo.hpp"
#include "http/routes.hpp"
#include "service/services.hpp"
#include "support/clock.hpp"
#include "support/secret_file.hpp"

namespace fs = std::filesystem;

namespace salespider::app {
namespace {

struct ServeOptions {
  std::shared_ptr<ConfigFlags> flags = std::make_shared<ConfigFlags>();
  std::string host;  // "" = 0.0.0.0 when HOST_IP is set (LAN), else 127.0.0.1
  std::string www;
  std::size_t workers = 16;
};

log::Level log_level_of(config::LogLevel l) {
  switch (l) {
    case config::LogLevel::trace: return log::Level::trace;
    case config::LogLevel::debug: return log::Level::debug;
    case config::LogLevel::info: return log::Level::info;
    case config::LogLevel::warn: return log::Level::warn;
    case config::LogLevel::error: return log::Level::error;
  }
  return log::Level::info;
}

// DATABASE_URL is the operator's server and its role is used for everything
// (docs/security.md "The database roles"): a superuser there can read and
// write the server's files and run programs, so say so loudly at every start.
void warn_if_superuser(db::Pool& pool) {
  const auto role = db::role_facts(pool);
  if (!role.superuser) return;
  log::warn("DATABASE_URL connects as a PostgreSQL SUPERUSER: a bug that lets SQL through could read or write "
            "files and run programs on the database host. Use a role that owns only the store's database "
            "(docs/security.md, \"The database roles\")",
            {{"role", role.name}});
  std::cerr << "WARNING: DATABASE_URL connects as the PostgreSQL superuser " << role.name
            << "; see docs/security.md \"The database roles\".\n";
}

// With DATABASE_URL the database may come up after us (a LAN server
// rebooting): keep trying to migrate in the background while the health
// endpoint answers 503. A schema that cannot be migrated stops the server.
class SchemaWaiter {
 public:
  SchemaWaiter(db::Database& database, std::function<void()> on_fatal)
      : database_(database), on_fatal_(std::move(on_fatal)) {}
  ~SchemaWaiter() { stop(); }

  // Returns true when the schema is ready now; otherwise retries in the background.
  bool try_now_or_later() {
    if (attempt()) return true;
    thread_ = std::thread([this] {
      auto delay = std::chrono::seconds(2);
      std::unique_lock lock(mutex_);
      while (!stopping_) {
        cv_.wait_for(lock, delay, [&] { return stopping_; });
        if (stopping_) break;
        lock.unlock();
        const bool done = attempt();
        lock.lock();
        if (done || fatal_) break;
        delay = std::min(delay * 2, std::chrono::seconds(30));
      }
    });
    return false;
  }
  bool ready() const { return ready_.load(); }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  bool attempt() {
    try {
      const auto report = db::migrate(database_.pool(), db::embedded_migrations(), database_.schema());
      log::info("database schema is up to date",
                {{"applied_now", report.applied_now.size()}, {"migrations", report.total}});
      warn_if_superuser(database_.pool());
      ready_ = true;
      return true;
    } catch (const db::Unavailable& e) {
      log::warn("the database is not reachable yet; retrying", {{"what", e.what()}});
      return false;
    } catch (const db::MigrationError& e) {
      log::error("cannot bring the database schema up to date", {{"what", e.what()}});
      fatal_ = true;
      on_fatal_();
      return false;
    }
  }

  db::Database& database_;
  std::function<void()> on_fatal_;
  std::atomic<bool> ready_{false};
  std::atomic<bool> fatal_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

void print_banner(const config::Config& config, const std::string& host, int http_port, int https_port,
                  const fs::path& data_path, bool embedded, const service::FirstOwner& owner) {
  const std::string shown_host = host == "0.0.0.0" ? (config.host_ip.empty() ? "127.0.0.1" : config.host_ip) : host;
  const std::string url = "https://" + shown_host + ":" + std::to_string(https_port) + "/";
  const std::string plain = "http://" + shown_host + ":" + std::to_string(http_port) + "/";
  std::cerr << "\n"
            << "  SaleSpider " << kVersion << " is running.\n"
            << "    Till and back office:  " << url << "\n"
            << "    Trust this store's CA: " << plain << "setup (on each tablet, once)\n"
            << "    Data:                  " << data_path.string()
            << (embedded ? " (with its own PostgreSQL)" : " (PostgreSQL from DATABASE_URL)") << "\n"
            << "    Logs:                  " << (data_path / "logs" / "salespider.log").string() << "\n"
            << "    Status:                salespider status --data-path " << data_path.string() << "\n"
            << "  First login: open the address above and sign in as " << config.super_admin_email << ",\n";
  const auto file = (data_path / service::kFirstLoginFileName).string();
  if (!owner.generated_password.empty() && isatty(STDERR_FILENO) == 1) {
    // Shown once, and only on a terminal: under systemd or a container
    // stderr is a log that outlives the password's file.
    std::cerr << "  with the password " << owner.generated_password << " (change it after signing in;\n"
              << "  also in " << file << " until the owner signs in).\n";
  } else if (!owner.generated_password.empty()) {
    std::cerr << "  with the password in " << file << " (0600; removed when the owner signs in).\n";
  } else {
    std::cerr << "  with SUPER_ADMIN_PASSWORD from .env (see docs/operate.md, \"First login\").\n";
  }
  std::cerr
            << "  Stop with Ctrl-C.\n\n"
            << std::flush;
}

// `make run` sets SALESPIDER_DEMO=1: an empty embedded store gets a small
// demo (docs/operate.md). Never with DATABASE_URL, never without the switch.
void maybe_seed_demo(service::Services& services, bool embedded) {
  const char* demo = std::getenv("SALESPIDER_DEMO");
  if (!embedded || demo == nullptr || std::string(demo) != "1") return;
  try {
    service::sync::DemoOptions o;
    o.products = 40;
    o.sales = 600;
    o.days = 30;
    o.clock = services.clock();
    auto r = service::sync::seed_demo(services.pool(), o);
    if (r) {
      log::info("seeded a demo store (SALESPIDER_DEMO=0 turns this off)",
                {{"products", r->products}, {"sales", r->sales}, {"days", o.days}});
    }
  } catch (const std::exception& e) {
    log::error("could not seed the demo store", {{"what", e.what()}});
  }
}

// ---- the steps of `serve`, in the order it runs them ------------------------

// Before any thread exists (logger, PostgreSQL supervisor, HTTP pool), so
// they all inherit the mask and one thread can sigwait() for a stop request
// outside a signal handler.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

struct Settings {
  config::Config config;
  fs::path data_path;  // absolute
};

// When root runs the embedded PostgreSQL (as `postgres`) with its cluster in
// DATA_PATH/postgres, that user's group must pass through DATA_PATH.
std::optional<gid_t> cluster_traverse_group(const Settings& s) {
  if (!s.config.embedded_database() || geteuid() != 0 || db::describe_layout(s.data_path).relocated) {
    return std::nullopt;
  }
  try {
    const auto as = db::postgres_identity();
    if (as.switch_user) return as.gid;
  } catch (const db::EmbeddedError&) {
    // No postgres user: start_database() says so in its own words.
  }
  return std::nullopt;
}

// DATA_PATH, its logs and keys, and a local backup repository are the
// owner's alone (docs/security.md "Data at rest"). Returns what was too open.
std::vector<std::string> secure_data_at_rest(const Settings& s) {
  auto too_open = support::secure_data_path(s.data_path, cluster_traverse_group(s));
  const auto& repo = s.config.pgbackrest_repo1_path;
  if (s.config.pgbackrest_repo1_type == "posix" && !repo.empty()) {
    if (auto fixed = support::tighten_mode(repo, 0750)) too_open.push_back(std::move(*fixed));
  }
  return too_open;
}

// The configuration, DATA_PATH/logs and the log itself, and a DATABASE_URL
// that can be parsed. Reports problems on stderr; nullopt = configuration error.
std::optional<Settings> load_settings(const ServeOptions& options) {
  auto loaded = load_config_or_report(*options.flags);
  if (!loaded) return std::nullopt;
  Settings s{loaded->config, fs::absolute(loaded->config.data_path).lexically_normal()};
  std::vector<std::string> too_open;
  try {
    too_open = secure_data_at_rest(s);
  } catch (const std::exception& e) {
    std::cerr << "configuration error:\n  DATA_PATH=" << s.data_path << ": cannot create it: " << e.what() << "\n";
    return std::nullopt;
  }
  log::init(log_level_of(s.config.log_level), s.data_path / "logs");
  for (const auto& w : loaded->warnings) log::warn(w);
  for (const auto& w : too_open) log::warn("data at rest was readable by others: tightened", {{"what", w}});
  if (!s.config.embedded_database()) {
    if (auto problem = db::conninfo_problem(s.config.database_conninfo)) {
      std::cerr << "configuration error:\n  DATABASE_URL (" << config::redact_url(s.config.database_url)
                << "): " << *problem << "\n";
      return std::nullopt;
    }
  }
  return s;
}

// PostgreSQL and the pool over it: the embedded cluster, or DATABASE_URL.
// Members are destroyed bottom-up: the pool before the cluster it uses.
struct DatabaseRuntime {
  // The embedded cluster's supervisor tells the pool when PostgreSQL was
  // restarted, so dead connections are dropped at once.
  std::atomic<db::Database*> restart_target{nullptr};
  std::unique_ptr<db::EmbeddedPostgres> embedded;
  std::unique_ptr<db::Database> database;

  bool is_embedded() const { return embedded != nullptr; }
  ~DatabaseRuntime() { restart_target = nullptr; }
};

// With a repository configured, the stanza exists from the first start, so
// archiving works at once (idempotent). A failure does not stop the store:
// it is logged, and `backup check` / `status` say what to fix.
void create_backup_stanza(const db::EmbeddedPostgres& pg, const db::pgbackrest::Settings& backups) {
  if (!backups.configured()) return;
  const auto outcome = db::pgbackrest::stanza_create(backups, pg.layout(), pg.run_as());
  if (outcome.ok()) {
    log::info("backup repository ready", {{"stanza", backups.stanza}, {"repo1_type", backups.repo1_type},
                                          {"repo1_path", backups.repo1_path}});
  } else {
    log::warn("cannot create the backup stanza: WAL archiving and backups fail until this is fixed "
              "(salespider backup check)",
              {{"stanza", backups.stanza}, {"exit_code", outcome.exit_code},
               {"pgbackrest", db::pgbackrest::error_lines(outcome.output)}});
  }
}

// Starts the embedded PostgreSQL when there is no DATABASE_URL, and opens the
// pool. False (logged, and on stderr) when the cluster did not start.
bool start_database(const Settings& s, std::size_t pool_size, DatabaseRuntime& rt) {
  std::string conninfo = s.config.database_conninfo;
  if (s.config.embedded_database()) {
    db::EmbeddedOptions eo;
    eo.data_path = s.data_path;
    const auto eo_backups = std::make_shared<db::pgbackrest::Settings>(db::pgbackrest::settings_from(s.config));
    eo.repo1_type = s.config.pgbackrest_repo1_type;
    eo.repo1_path = s.config.pgbackrest_repo1_path;
    eo.backups = eo_backups;
    eo.on_restart = [&rt] {
      if (auto* d = rt.restart_target.load()) d->pool().invalidate();
    };
    try {
      rt.embedded = std::make_unique<db::EmbeddedPostgres>(std::move(eo));
      rt.embedded->start();
    } catch (const db::EmbeddedError& e) {
      log::error("cannot start the embedded PostgreSQL", {{"what", e.what()}});
      std::cerr << "\nThe embedded PostgreSQL did not start:\n" << e.what() << "\n";
      return false;
    }
    create_backup_stanza(*rt.embedded, *eo_backups);
    // The pool acts as the application role; migrations run as the owner
    // (migrate_schema), before the pool's first connection.
    conninfo = rt.embedded->app_conninfo();
    log::info("embedded PostgreSQL is running",
              {{"cluster_dir", rt.embedded->layout().cluster_dir.string()},
               {"socket_dir", rt.embedded->layout().socket_dir.string()},
               {"as", rt.embedded->run_as().name}});
  } else {
    log::info("using the PostgreSQL from DATABASE_URL", {{"url", config::redact_url(s.config.database_url)}});
  }
  rt.database = std::make_unique<db::Database>(conninfo, pool_size, s.config.database_schema);
  rt.restart_target = rt.database.get();
  return true;
}

// Our own cluster is up: a migration failure there is final. With
// DATABASE_URL the schema waiter keeps trying in the background. False when
// the server must stop.
bool migrate_schema(DatabaseRuntime& rt, SchemaWaiter& schema, const std::atomic<bool>& fatal) {
  if (rt.is_embedded()) {
    try {
      const auto report = db::migrate_as_owner(rt.embedded->conninfo(), rt.database->schema(), db::kAppRole);
      log::info("database schema is up to date",
                {{"applied_now", report.applied_now.size()}, {"migrations", report.total}, {"app_role", db::kAppRole}});
    } catch (const std::exception& e) {
      log::error("cannot bring the database schema up to date", {{"what", e.what()}});
      return false;
    }
  } else if (!schema.try_now_or_later()) {
    if (fatal) return false;
    log::warn("serving without a database until it is reachable: /api/v1/health answers 503 meanwhile");
  }
  return true;
}

// The first owner, once the schema is there (a generated password goes to
// DATA_PATH/first-login.txt, 0600, until an owner signs in: service/users.hpp).
service::FirstOwner ensure_first_owner(const Settings& s, service::Services& services) {
  service::FirstOwner owner;
  try {
    owner = services.users().ensure_first_owner(s.config.super_admin_email, s.config.super_admin_password);
    if (owner.created) {
      log::info("created the first owner", {{"email", owner.email}, {"username", owner.username}});
    }
  } catch (const std::exception& e) {
    log::error("cannot create the first owner", {{"what", e.what()}});
  }
  return owner;
}

// Where and how HTTP listens.
http::ServerConfig http_config(const Settings& s, const ServeOptions& options) {
  http::ServerConfig sc;
  sc.host = !options.host.empty() ? options.host : (s.config.host_ip.empty() ? "127.0.0.1" : "0.0.0.0");
  sc.port = s.config.http_port;
  sc.https_port = s.config.https_port;
  sc.public_host = s.config.domain;
  sc.allowed_origins = s.config.allowed_origins;
  sc.www_dir = options.www;
  sc.worker_count = options.workers;
  return sc;
}

// HTTPS is on from the first start: a till's service worker and WebCrypto
// need a secure origin on the LAN, and the origin must never change later.
// False (on stderr) when the certificates cannot be prepared.
bool prepare_tls(const Settings& s, http::ServerConfig& sc) {
  const tls::Names names{s.config.domain, s.config.host_ip};
  auto https = http::prepare_https(s.data_path, names, sc);
  if (!https) {
    std::cerr << "configuration error:\n  " << https.error().context << "\n";
    return false;
  }
  for (const auto& w : https->warnings) log::warn(w);
  if (https->server_issued) log::info("issued the server certificate", {{"reason", https->reason}});
  for (const auto& change : http::origin_changes(s.data_path, names, sc.https_port)) {
    log::warn("the till origin changed: tills enrolled under the old origin keep their data there and must be "
              "enrolled again",
              {{"change", change}});
  }
  return true;
}

// Binds, announces, and serves until SIGINT/SIGTERM (or a socket failure).
// Returns the exit status.
int listen_until_stopped(const Settings& s, const http::ServerConfig& sc, service::Services& services,
                         std::shared_ptr<http::RouteRegistry> routes, service::PidFile& pid_file,
                         service::ServerRecord record, bool embedded, const service::FirstOwner& owner,
                         const sigset_t& signals) {
  http::HttpServer server(sc);
  server.set_api(std::move(routes), std::make_shared<http::Authenticator>(http::authenticator_for(services)));
  const int port = server.bind();
  if (port < 0) {
    log::error("cannot listen", {{"host", sc.host}, {"port", sc.port}, {"https_port", sc.https_port},
                                 {"why", server.bind_error()}});
    return 1;
  }
  record.http_port = server.http_port();
  record.https_port = server.https_port();
  pid_file.update(record);
  log::info("listening", {{"version", kVersion},
                          {"host", sc.host},
                          {"port", server.http_port()},
                          {"https_port", server.https_port()},
                          {"url", "https://" + sc.host + ":" + std::to_string(server.https_port()) + "/"}});
  print_banner(s.config, sc.host, server.http_port(), server.https_port(), s.data_path, embedded, owner);

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    log::info("stopping", {{"signal", sig}});
    server.stop();
  });
  const bool ok = server.listen();
  // listen() also returns when the socket fails; wake the waiter either way.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return ok ? 0 : 1;
}

int serve(const ServeOptions& options) {
  const sigset_t signals = block_stop_signals();
  const auto settings = load_settings(options);
  if (!settings) return kConfigErrorExit;
  const Settings& s = *settings;

  service::ServerRecord record{static_cast<int>(getpid()), 0, s.config.https_port,
                               log::utc_iso8601(std::time(nullptr)), kVersion};
  auto pid_file = service::PidFile::acquire(s.data_path, record);
  if (!pid_file) {
    log::error(pid_file.error().context);
    return 1;
  }

  DatabaseRuntime rt;
  if (!start_database(s, std::min<std::size_t>(options.workers, 20), rt)) return 1;
  std::atomic<bool> fatal{false};
  SchemaWaiter schema(*rt.database, [&fatal] {
    fatal = true;
    kill(getpid(), SIGTERM);
  });
  if (!migrate_schema(rt, schema, fatal)) return 1;
  service::set_database_probe(service::make_database_probe(
      *rt.database, rt.embedded.get(), [&schema, embedded = rt.is_embedded()] { return embedded || schema.ready(); }));

  // Staff, sessions, tills, grants, audit, sync (service/services.hpp), over
  // the process's one clock. The audit sealer keeps chaining rows (and
  // retries while the database is away).
  service::ServicesOptions so;
  so.data_path = s.data_path;
  so.clock = support::Clock::system();
  service::Services services(rt.database->pool(), so);
  service::FirstOwner first_owner;
  if (rt.is_embedded() || schema.ready()) first_owner = ensure_first_owner(s, services);
  maybe_seed_demo(services, rt.is_embedded());
  services.audit().start_sealer();

  auto api_routes = std::make_shared<http::RouteRegistry>();
  http::register_api_routes(*api_routes, services);
  auto sc = http_config(s, options);
  if (!prepare_tls(s, sc)) return kConfigErrorExit;

  int rc = listen_until_stopped(s, sc, services, api_routes, *pid_file, record, rt.is_embedded(), first_owner,
                                signals);
  service::set_database_probe({});
  schema.stop();
  if (fatal) rc = 1;
  // `rt` goes last: the pool before the embedded PostgreSQL (which stops, fast).
  return rc;
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto options = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand("serve", "Run the store server in the foreground");
  add_config_flags(cmd, options->flags);
  add_variable_flag(cmd, options->flags, "--http-port,--port", "HTTP_PORT", "Port for HTTP (0 = any free port)");
  add_variable_flag(cmd, options->flags, "--https-port", "HTTPS_PORT", "Port for HTTPS (0 = any free port)");
  cmd->add_option("--host", options->host,
                  "Address to listen on (default: all interfaces when HOST_IP is set, else 127.0.0.1)");
  cmd->add_option("--www", options->www, "Directory of the assembled till (www/ + wasm build)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--workers", options->workers, "HTTP worker threads")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->callback([options] { set_exit_code(serve(*options)); });
}

}  // namespace salespider::app
