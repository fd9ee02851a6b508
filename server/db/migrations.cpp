// See migrations.hpp.
#include "db/migrations.hpp"

#include <chrono>
#include <map>
#include <pqxx/pqxx>

#include "db/errors.hpp"
#include "db/pool.hpp"
#include "log/log.hpp"

namespace salespider::db {
namespace {

// pg_advisory_lock key: "SaleSpid" in ASCII; any constant no one else uses.
constexpr std::int64_t kMigrationLockKey = 0x53616c6553706964;

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY CHECK (version > 0),"
    " name text NOT NULL,"
    " checksum text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),"
    " applied_at timestamptz NOT NULL DEFAULT now(),"
    " duration_ms bigint NOT NULL DEFAULT 0 CHECK (duration_ms >= 0))";

struct Applied {
  std::string name;
  std::string checksum;
  std::string applied_at;
};

std::map<int, Applied> read_applied(pqxx::transaction_base& tx) {
  std::map<int, Applied> out;
  if (!tx.exec1("SELECT to_regclass('schema_migrations') IS NOT NULL")[0].as<bool>()) return out;
  for (const auto& row : tx.exec(
           "SELECT version, name, checksum, to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
           "FROM schema_migrations ORDER BY version")) {
    out[row[0].as<int>()] = Applied{row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<std::string>()};
  }
  return out;
}

void check_applied(const std::map<int, Applied>& applied, const std::vector<Migration>& migrations) {
  for (const auto& [version, a] : applied) {
    const Migration* known = nullptr;
    for (const auto& m : migrations) {
      if (m.version == version) known = &m;
    }
    if (known == nullptr) {
      throw MigrationError("the database has migration " + std::to_string(version) + " (" + a.name +
                           ") that this salespider does not know: a newer version set it up. Run that version, "
                           "or restore a backup made for this one");
    }
    if (known->checksum != a.checksum) {
      throw MigrationError("migration " + std::to_string(version) + " (" + a.name +
                           ") was changed after it was applied (checksum " + a.checksum.substr(0, 12) +
                           "... in the database, " + known->checksum.substr(0, 12) +
                           "... in this binary): never edit an applied migration, add a new one");
    }
  }
}

}  // namespace

const char* to_string(MigrationState state) noexcept {
  switch (state) {
    case MigrationState::applied: return "applied";
    case MigrationState::pending: return "pending";
    case MigrationState::changed: return "changed";
    case MigrationState::unknown: return "unknown";
  }
  return "pending";
}

MigrateReport migrate(Pool& pool, const std::vector<Migration>& migrations, const std::string& schema) {
  auto lease = pool.acquire();
  pqxx::connection& conn = *lease;
  // The session is left with a lock and settings: it never goes back to the pool.
  lease.discard();
  MigrateReport report;
  report.total = static_cast<int>(migrations.size());
  try {
    {
      pqxx::nontransaction tx(conn);
      // Another server may be migrating: wait for it, but not forever.
      tx.exec0("SET lock_timeout = '120s'");
      tx.exec_params("SELECT pg_advisory_lock($1::bigint)", kMigrationLockKey);
      tx.exec0("SET lock_timeout = 0");
    }
    {
      pqxx::work tx(conn);
      if (!schema.empty()) tx.exec0("CREATE SCHEMA IF NOT EXISTS " + tx.quote_name(schema));
      tx.exec0(kCreateTable);
      tx.commit();
    }
    std::map<int, Applied> applied;
    {
      pqxx::read_transaction tx(conn);
      applied = read_applied(tx);
    }
    check_applied(applied, migrations);
    for (const auto& m : migrations) {
      if (applied.count(m.version) != 0) continue;
      const auto started = std::chrono::steady_clock::now();
      try {
        pqxx::work tx(conn);
        tx.exec(std::string(m.sql));
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
        tx.exec_params0("INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)",
                        m.version, m.name, m.checksum, static_cast<std::int64_t>(ms));
        tx.commit();
        log::info("applied migration", {{"version", m.version}, {"name", m.name}, {"ms", ms}});
      } catch (const pqxx::broken_connection&) {
        throw;
      } catch (const pqxx::sql_error& e) {
        throw MigrationError("migration " + std::to_string(m.version) + " (" + m.name + ") failed and was rolled back: " +
                             e.what());
      }
      report.applied_now.push_back(m.version);
    }
  } catch (const pqxx::broken_connection& e) {
    throw Unavailable(std::string("lost the database connection while migrating: ") + e.what());
  }
  // The lock is released with the session when the discarded lease closes it.
  return report;
}

std::vector<MigrationStatus> migration_status(Pool& pool, const std::vector<Migration>& migrations) {
  return pool.with_connection([&](pqxx::connection& conn) {
    pqxx::read_transaction tx(conn);
    const auto applied = read_applied(tx);
    std::vector<MigrationStatus> out;
    for (const auto& m : migrations) {
      MigrationStatus s{m.version, m.name, MigrationState::pending, ""};
      if (auto it = applied.find(m.version); it != applied.end()) {
        s.state = it->second.checksum == m.checksum ? MigrationState::applied : MigrationState::changed;
        s.applied_at = it->second.applied_at;
      }
      out.push_back(std::move(s));
    }
    for (const auto& [version, a] : applied) {
      bool known = false;
      for (const auto& m : migrations) known = known || m.version == version;
      if (!known) out.push_back(MigrationStatus{version, a.name, MigrationState::unknown, a.applied_at});
    }
    return out;
  });
}

}  // namespace salespider::db
