// See database.hpp.
#include "db/database.hpp"

#include <libpq-fe.h>

#include <pqxx/pqxx>

#include "db/errors.hpp"
#include "db/migrations.hpp"
#include "db/pool.hpp"
#include "log/log.hpp"

namespace salespider::db {

void ensure_database(const std::string& admin_conninfo, const std::string& name) {
  try {
    pqxx::connection conn(admin_conninfo);
    pqxx::nontransaction tx(conn);
    const auto exists = tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", name);
    if (!exists.empty()) return;
    // CREATE DATABASE takes no parameters: the name is quoted as an identifier.
    tx.exec0("CREATE DATABASE " + tx.quote_name(name) + " ENCODING 'UTF8' TEMPLATE template0");
    log::info("created the application database", {{"database", name}});
  } catch (const pqxx::broken_connection& e) {
    throw Unavailable(std::string("cannot connect to create the database: ") + e.what());
  }
}

std::optional<std::string> conninfo_problem(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (opts != nullptr) {
    PQconninfoFree(opts);
    return std::nullopt;
  }
  std::string why = err != nullptr ? err : "cannot be parsed";
  if (err != nullptr) PQfreemem(err);
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  return why;
}

Database::Database(std::string conninfo, std::size_t pool_size, std::string schema)
    : pool_(std::make_unique<Pool>(std::move(conninfo), PoolOptions{pool_size, std::chrono::milliseconds(5000), {}})),
      schema_(std::move(schema)) {}

Database::~Database() = default;

Ping Database::ping(std::chrono::milliseconds timeout) {
  try {
    auto lease = pool_->acquire(timeout);
    try {
      pqxx::nontransaction tx(*lease);
      tx.exec1("SELECT 1");
      return Ping{true, "accepting connections"};
    } catch (const pqxx::broken_connection& e) {
      lease.discard();
      log::warn("database ping failed", {{"what", e.what()}});
      return Ping{false, "the connection to the database was lost"};
    }
  } catch (const Unavailable& e) {
    log::warn("database ping failed", {{"what", e.what()}});
    return Ping{false, "cannot connect to the database"};
  } catch (const std::exception& e) {
    log::warn("database ping failed", {{"what", e.what()}});
    return Ping{false, "the database did not answer a test query"};
  }
}

ServerFacts Database::facts() {
  return pool_->with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    ServerFacts f;
    const auto row = tx.exec1(
        "SELECT current_setting('server_version'), current_database(), pg_database_size(current_database()), "
        "to_regclass('schema_migrations') IS NOT NULL");
    f.server_version = row[0].as<std::string>();
    f.database = row[1].as<std::string>();
    f.size_bytes = row[2].as<std::int64_t>();
    if (row[3].as<bool>()) {
      const auto m = tx.exec1("SELECT count(*), coalesce(max(version), 0) FROM schema_migrations");
      f.migrations_applied = m[0].as<int>();
      f.latest_applied = m[1].as<int>();
    }
    f.migrations_known = static_cast<int>(embedded_migrations().size());
    return f;
  });
}

}  // namespace salespider::db
