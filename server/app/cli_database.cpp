// See cli_database.hpp.
#include "app/cli_database.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <iostream>

#include "db/database.hpp"
#include "db/embedded_postgres.hpp"
#include "db/errors.hpp"
#include "db/migrations.hpp"
#include "db/pgbackrest.hpp"
#include "db/roles.hpp"
#include "log/log.hpp"

namespace fs = std::filesystem;

namespace salespider::app {

CliDatabase::CliDatabase() = default;
CliDatabase::CliDatabase(CliDatabase&&) noexcept = default;
CliDatabase::~CliDatabase() {
  database.reset();  // the pool goes before the PostgreSQL it talks to
}

CliDatabase open_cli_database(const config::Config& config, std::size_t pool_size) {
  CliDatabase t;
  std::string conninfo = config.database_conninfo;
  if (config.embedded_database()) {
    const auto data_path = fs::absolute(config.data_path).lexically_normal();
    const auto layout = db::describe_layout(data_path);
    conninfo = db::embedded_conninfo(layout, "salespider");
    t.app_role = db::kAppRole;
    t.app_conninfo = db::embedded_conninfo(layout, "salespider", db::kAppRole);
    if (PQping(db::embedded_conninfo(layout, "postgres").c_str()) != PQPING_OK) {
      db::EmbeddedOptions eo;
      eo.data_path = data_path;
      eo.repo1_type = config.pgbackrest_repo1_type;
      eo.repo1_path = config.pgbackrest_repo1_path;
      eo.backups = std::make_shared<db::pgbackrest::Settings>(db::pgbackrest::settings_from(config));
      t.started_here = std::make_unique<db::EmbeddedPostgres>(std::move(eo));
      t.started_here->start();
      conninfo = t.started_here->conninfo();
    }
  } else if (auto problem = db::conninfo_problem(conninfo)) {
    throw db::Unavailable("DATABASE_URL (" + config::redact_url(config.database_url) + "): " + *problem);
  }
  t.database = std::make_unique<db::Database>(conninfo, pool_size, config.database_schema);
  return t;
}

void grant_cli_app_role(CliDatabase& db) {
  if (db.app_role.empty()) return;
  db::ensure_app_role(db.database->pool(), db.app_role);
  db::grant_app_role(db.database->pool(), db.app_role, db.database->schema());
}

CliStore::CliStore(const config::Config& config) : db_(open_cli_database(config, 2)) {
  const auto data_path = fs::absolute(config.data_path).lexically_normal();
  db::migrate(db_.database->pool(), db::embedded_migrations(), db_.database->schema());
  grant_cli_app_role(db_);
  // The services act as the server does: through the application role.
  if (!db_.app_conninfo.empty()) {
    app_database_ = std::make_unique<db::Database>(db_.app_conninfo, 2, db_.database->schema());
  }
  service::ServicesOptions options;
  options.data_path = data_path;
  options.clock = support::Clock::system();  // the command's one clock
  services_ = std::make_unique<service::Services>((app_database_ ? *app_database_ : *db_.database).pool(), options);
}

CliStore::~CliStore() {
  services_.reset();
  app_database_.reset();
}

auth::Actor CliStore::actor() {
  auth::Actor a;
  a.via = "cli";
  if (const char* user = ::getlogin(); user != nullptr) a.request_id = std::string("cli:") + user;
  return a;
}

int with_store(const ConfigFlags& flags, const char* what, const std::function<int(CliStore&)>& fn) {
  auto loaded = load_config_or_report(flags);
  if (!loaded) return kConfigErrorExit;
  log::init(log::Level::warn);
  for (const auto& w : loaded->warnings) log::warn(w);
  try {
    CliStore store(loaded->config);
    return fn(store);
  } catch (const std::exception& e) {
    std::cerr << what << ": " << e.what() << "\n";
    return 1;
  }
}

}  // namespace salespider::app
