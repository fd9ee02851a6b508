// `salespider db migrate` and `salespider db status`: the schema, by hand.
// With the embedded database they use the running server's PostgreSQL when
// there is one, and otherwise start the cluster for the duration of the
// command (creating it on first use, exactly as `serve` would).
#include <libpq-fe.h>

#include <cstdio>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cli_database.hpp"
#include "app/commands.hpp"
#include "app/config_flags.hpp"
#include "db/database.hpp"
#include "db/embedded_postgres.hpp"
#include "db/errors.hpp"
#include "db/migrations.hpp"
#include "log/log.hpp"

namespace fs = std::filesystem;

namespace salespider::app {
namespace {

int run_migrate(const ConfigFlags& flags) {
  auto loaded = load_config_or_report(flags);
  if (!loaded) return kConfigErrorExit;
  log::init(log::Level::warn);
  for (const auto& w : loaded->warnings) log::warn(w);
  try {
    auto target = open_cli_database(loaded->config, 1);
    const auto report =
        db::migrate(target.database->pool(), db::embedded_migrations(), target.database->schema());
    grant_cli_app_role(target);
    if (report.applied_now.empty()) {
      std::cout << "schema is up to date (" << report.total << " migrations)\n";
    } else {
      std::cout << "applied " << report.applied_now.size() << " migration(s):";
      for (int v : report.applied_now) std::cout << ' ' << v;
      std::cout << " (" << report.total << " in total)\n";
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "db migrate: " << e.what() << "\n";
    return 1;
  }
}

int run_status(const ConfigFlags& flags, bool as_json) {
  auto loaded = load_config_or_report(flags);
  if (!loaded) return kConfigErrorExit;
  log::init(log::Level::warn);
  for (const auto& w : loaded->warnings) log::warn(w);
  try {
    auto target = open_cli_database(loaded->config, 1);
    const auto status = db::migration_status(target.database->pool());
    bool all_applied = true;
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& m : status) {
      all_applied = all_applied && m.state == db::MigrationState::applied;
      rows.push_back({{"version", m.version}, {"name", m.name}, {"state", db::to_string(m.state)},
                      {"applied_at", m.applied_at}});
    }
    if (as_json) {
      std::cout << nlohmann::json{{"up_to_date", all_applied}, {"migrations", rows}}.dump(2) << "\n";
    } else {
      for (const auto& m : status) {
        std::printf("%04d  %-10s %-22s %s\n", m.version, db::to_string(m.state), m.applied_at.c_str(), m.name.c_str());
      }
      std::cout << (all_applied ? "schema is up to date\n" : "schema is NOT up to date: salespider db migrate\n");
    }
    return all_applied ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "db status: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

void add_db_command(CLI::App& app) {
  auto* db = app.add_subcommand("db", "Database schema: migrate, status");
  db->require_subcommand(1);

  auto migrate_flags = std::make_shared<ConfigFlags>();
  auto* migrate = db->add_subcommand("migrate", "Apply the migrations this binary carries (idempotent)");
  add_config_flags(migrate, migrate_flags);
  migrate->callback([migrate_flags] { set_exit_code(run_migrate(*migrate_flags)); });

  auto status_flags = std::make_shared<ConfigFlags>();
  auto json = std::make_shared<bool>(false);
  auto* status = db->add_subcommand("status", "List migrations: applied, pending, changed or unknown");
  add_config_flags(status, status_flags);
  status->add_flag("--json", *json, "Print JSON");
  status->callback([status_flags, json] { set_exit_code(run_status(*status_flags, *json)); });
}

}  // namespace salespider::app
