// See roles.hpp. Role and schema names are quoted as identifiers (GRANT and
// CREATE ROLE take no parameters).
#include "db/roles.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"
#include "log/log.hpp"

namespace salespider::db {
namespace {

// Predefined roles that reach the server's files or run programs as its OS
// user; the app role must never be a member.
constexpr const char* kDangerousMemberships[] = {"pg_read_server_files", "pg_write_server_files",
                                                 "pg_execute_server_program"};

}  // namespace

void ensure_app_role(Pool& owner, const std::string& role) {
  owner.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto r = tx.quote_name(role);
    const auto exists = tx.exec_params("SELECT 1 FROM pg_roles WHERE rolname = $1", role);
    if (exists.empty()) {
      tx.exec0("CREATE ROLE " + r + " LOGIN");
      log::info("created the database application role", {{"role", role}});
    }
    // Also for an existing role: someone may have widened it by hand.
    tx.exec0("ALTER ROLE " + r + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
    for (const char* dangerous : kDangerousMemberships) {
      const auto member = tx.exec_params(
          "SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
          "WHERE g.rolname = $1 AND u.rolname = $2",
          dangerous, role);
      if (!member.empty()) {
        tx.exec0(std::string("REVOKE ") + dangerous + " FROM " + r);
        log::warn("took a dangerous membership away from the application role",
                  {{"role", role}, {"membership", dangerous}});
      }
    }
    tx.commit();
  });
}

void grant_app_role(Pool& owner, const std::string& role, const std::string& schema) {
  owner.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto r = tx.quote_name(role);
    const auto s = tx.quote_name(schema.empty() ? tx.exec1("SELECT current_schema()")[0].as<std::string>() : schema);
    const auto db = tx.quote_name(tx.exec1("SELECT current_database()")[0].as<std::string>());
    tx.exec0("GRANT CONNECT, TEMPORARY ON DATABASE " + db + " TO " + r);
    tx.exec0("REVOKE CREATE ON DATABASE " + db + " FROM " + r);
    tx.exec0("GRANT USAGE ON SCHEMA " + s + " TO " + r);
    // PUBLIC may not create in the schema (PostgreSQL 15's default for
    // `public`; said again for a schema from ?schema=).
    tx.exec0("REVOKE CREATE ON SCHEMA " + s + " FROM PUBLIC");
    tx.exec0("REVOKE CREATE ON SCHEMA " + s + " FROM " + r);
    tx.exec0("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + s + " TO " + r);
    tx.exec0("REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA " + s + " FROM " + r);
    tx.exec0("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + s + " TO " + r);
    // Tables the next migrations add get the same rights when they are created
    // (grant_app_role runs again after them anyway).
    tx.exec0("ALTER DEFAULT PRIVILEGES IN SCHEMA " + s + " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + r);
    tx.exec0("ALTER DEFAULT PRIVILEGES IN SCHEMA " + s + " GRANT USAGE, SELECT ON SEQUENCES TO " + r);
    // The exceptions: the audit log is append-only for the server (sealing
    // goes through audit_seal_row), and only the owner records migrations.
    tx.exec0("REVOKE UPDATE, DELETE ON " + s + ".audit_log FROM " + r);
    tx.exec0("REVOKE INSERT, UPDATE, DELETE ON " + s + ".schema_migrations FROM " + r);
    tx.exec0("GRANT EXECUTE ON FUNCTION " + s + ".audit_seal_row(bigint, bigint, bytea, bytea) TO " + r);
    tx.commit();
  });
}

MigrateReport migrate_as_owner(const std::string& owner_conninfo, const std::string& schema,
                               const std::string& app_role) {
  Pool owner(owner_conninfo, PoolOptions{2, std::chrono::milliseconds(5000), {}});
  auto report = migrate(owner, embedded_migrations(), schema);
  ensure_app_role(owner, app_role);
  grant_app_role(owner, app_role, schema);
  return report;
}

RoleFacts role_facts(Pool& pool) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const auto row = tx.exec1("SELECT rolname, rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user");
    return RoleFacts{row[0].as<std::string>(), row[1].as<bool>(), row[2].as<bool>()};
  });
}

}  // namespace salespider::db
