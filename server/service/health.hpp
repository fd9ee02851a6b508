// What the server knows about its own health, independent of HTTP.
// It reports; it does not try to repair anything (the embedded database's
// supervisor does that).
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace salespider::db {
class Database;
class EmbeddedPostgres;
}  // namespace salespider::db

namespace salespider::service {

struct DatabaseHealth {
  std::string state;   // "none" | "up" | "down" | "maintenance"
  std::string detail;  // a sentence an operator can act on; never SQL or driver text
};

struct Health {
  std::string version;
  DatabaseHealth database;
  // "none" is a server built or started without a database (serves the till only).
  bool ok() const { return database.state == "up" || database.state == "none"; }
};

using DatabaseProbe = std::function<DatabaseHealth()>;

// `serve` installs the probe once the database is wired; tests may install
// their own. An empty probe means "no database". Process-wide so the HTTP
// layer needs no knowledge of the database to answer /api/v1/health.
void set_database_probe(DatabaseProbe probe);

// The probe `serve` uses: the embedded cluster's state (when there is one),
// whether the schema is in place, and a `SELECT 1` within `timeout`.
// The pointers must outlive the probe; `embedded` may be null (DATABASE_URL).
DatabaseProbe make_database_probe(db::Database& database, const db::EmbeddedPostgres* embedded,
                                  std::function<bool()> schema_ready,
                                  std::chrono::milliseconds timeout = std::chrono::milliseconds(1500));

Health current_health();

}  // namespace salespider::service
