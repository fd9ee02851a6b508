// What the admin subcommands that work on the store's data (user, session,
// till, audit) share: opening the database the way `serve` would (the
// running server's embedded PostgreSQL, or starting it for the duration of
// the command, or DATABASE_URL), bringing the schema up to date, and the
// services over it. The CLI acts with the authority of the shell it runs in.
#pragma once

#include <memory>

#include "app/config_flags.hpp"
#include "auth/principal.hpp"
#include "service/services.hpp"

namespace salespider::db {
class Database;
class EmbeddedPostgres;
}  // namespace salespider::db

namespace salespider::app {

// The database a command works on, and whatever must stay alive for it: the
// running server's embedded PostgreSQL, or one started for the duration of
// the command (stopped when this is destroyed), or DATABASE_URL. Throws
// db::Unavailable when it cannot be reached. The schema is not touched.
struct CliDatabase {
  CliDatabase();
  CliDatabase(CliDatabase&&) noexcept;
  ~CliDatabase();
  std::unique_ptr<db::EmbeddedPostgres> started_here;
  std::unique_ptr<db::Database> database;  // as the owner; destroyed before started_here
  // The embedded cluster's application role and how to connect as it; both
  // "" with DATABASE_URL, whose role does everything.
  std::string app_role;
  std::string app_conninfo;
};
CliDatabase open_cli_database(const config::Config& config, std::size_t pool_size);
// After migrating as the owner: the app role exists and has its grants
// (embedded cluster only).
void grant_cli_app_role(CliDatabase& db);

class CliStore {
 public:
  // Throws on an unreachable database or a schema that cannot be migrated.
  explicit CliStore(const config::Config& config);
  ~CliStore();
  CliStore(const CliStore&) = delete;
  CliStore& operator=(const CliStore&) = delete;

  service::Services& services() { return *services_; }
  const std::string& store_id() { return services_->store_id(); }
  // The actor for audit rows: the CLI, with the OS user in the detail.
  static auth::Actor actor();

 private:
  CliDatabase db_;
  std::unique_ptr<db::Database> app_database_;  // the services' pool, as the app role (embedded)
  std::unique_ptr<service::Services> services_;
};

// Loads the configuration, opens the store and runs fn; prints errors with
// `what` and maps them to exit codes (2 configuration, 1 anything else).
int with_store(const ConfigFlags& flags, const char* what, const std::function<int(CliStore&)>& fn);

}  // namespace salespider::app
