// See health.hpp.
#include "service/health.hpp"

#include <memory>
#include <mutex>

#include "db/database.hpp"
#include "db/embedded_postgres.hpp"
#include "salespider/version.hpp"

namespace salespider::service {
namespace {

std::mutex g_mutex;
std::shared_ptr<const DatabaseProbe> g_probe;

}  // namespace

void set_database_probe(DatabaseProbe probe) {
  auto p = probe ? std::make_shared<const DatabaseProbe>(std::move(probe)) : nullptr;
  std::lock_guard lock(g_mutex);
  g_probe = std::move(p);
}

DatabaseProbe make_database_probe(db::Database& database, const db::EmbeddedPostgres* embedded,
                                  std::function<bool()> schema_ready, std::chrono::milliseconds timeout) {
  return [&database, embedded, schema_ready = std::move(schema_ready), timeout]() -> DatabaseHealth {
    if (embedded != nullptr) {
      switch (embedded->state()) {
        case db::PgState::maintenance:
          return {"maintenance", "the database is stopped for maintenance (" + embedded->maintenance_reason() + ")"};
        case db::PgState::restarting:
          return {"down", "the embedded PostgreSQL stopped unexpectedly and is being restarted"};
        case db::PgState::starting:
          return {"down", "the embedded PostgreSQL is starting"};
        case db::PgState::stopping:
        case db::PgState::stopped:
          return {"down", "the embedded PostgreSQL is not running"};
        case db::PgState::running:
          break;
      }
    }
    if (schema_ready && !schema_ready()) {
      return {"down", "waiting for the database to apply the schema (see the server log)"};
    }
    const auto ping = database.ping(timeout);
    return {ping.ok ? "up" : "down", ping.detail};
  };
}

Health current_health() {
  std::shared_ptr<const DatabaseProbe> probe;
  {
    std::lock_guard lock(g_mutex);
    probe = g_probe;
  }
  if (!probe) {
    return Health{kVersion, DatabaseHealth{"none", "no database is configured: this server serves the till only"}};
  }
  return Health{kVersion, (*probe)()};
}

}  // namespace salespider::service
