// The database as the rest of the server sees it, without libpqxx types:
// a pool behind a facade, a health ping, facts for `salespider status`, and
// creating the application database in a fresh cluster.
// Deliberately no domain queries here: those live in their own db/ files and
// take the Pool (db/pool.hpp) directly.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace salespider::db {

class Pool;

// Creates database `name` (owned by the connecting role) if it does not
// exist. Throws Unavailable when the server cannot be reached.
void ensure_database(const std::string& admin_conninfo, const std::string& name);

// libpq's own verdict on a connection string or URL, or nullopt when it
// parses (e.g. the guide's `?schema=` untranslated is rejected here).
std::optional<std::string> conninfo_problem(const std::string& conninfo);

struct Ping {
  bool ok = false;
  std::string detail;  // for the health answer: short, never SQL or driver text
};

struct ServerFacts {
  std::string server_version;
  std::string database;
  std::int64_t size_bytes = 0;
  int migrations_applied = 0;
  int migrations_known = 0;
  int latest_applied = 0;  // highest version in schema_migrations, 0 if none
};

class Database {
 public:
  Database(std::string conninfo, std::size_t pool_size, std::string schema = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Pool& pool() { return *pool_; }
  const std::string& schema() const { return schema_; }

  // Never throws; logs the cause of a failure with `context`.
  Ping ping(std::chrono::milliseconds timeout);
  // Throws Unavailable.
  ServerFacts facts();

 private:
  std::unique_ptr<Pool> pool_;
  std::string schema_;
};

}  // namespace salespider::db
