// PostgreSQL for db tests (osm2pgsql's tests/common-pg.hpp tempdb_t idea):
// ONE server per test process, and a throw-away database per test that is
// dropped when the test ends.
//
// The server is the real thing the product runs: an embedded cluster made by
// db::EmbeddedPostgres (non-durable for speed) in a temp directory the
// `postgres` user can reach, so it works when the tests run as root. Set
// SALESPIDER_TEST_CONNINFO (libpq key=value, no dbname, a role that may
// CREATE DATABASE) to use another server instead. When neither works the
// first test that needs it fails with a message saying what to do.
#pragma once

#include <filesystem>
#include <string>

namespace testpg {

// Connection strings to the test server; starts it on first use (throws
// std::runtime_error with a helpful message when it cannot).
std::string admin_conninfo();
std::string conninfo_for(const std::string& database);

// `database` as the server's application role (db::kAppRole), after giving
// that role its grants there exactly as `serve` does after migrating (call
// it after migrate()). With an external server: conninfo_for(database).
std::string app_conninfo_for(const std::string& database);

// A postgresql:// URL for `database` (unix socket as ?host=), or "" when
// the server is external (SALESPIDER_TEST_CONNINFO).
std::string url_for(const std::string& database);

// The temp directory holding the embedded cluster ("" with an external server).
std::filesystem::path cluster_data_path();

// A database that exists for this object's lifetime.
class TempDatabase {
 public:
  TempDatabase();
  ~TempDatabase();
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;
  const std::string& name() const { return name_; }
  const std::string& conninfo() const { return conninfo_; }

 private:
  std::string name_;
  std::string conninfo_;
};

// A directory under /tmp that the `postgres` user can traverse, removed on
// destruction (clusters made inside it by the test are stopped first by
// their owners).
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace testpg
