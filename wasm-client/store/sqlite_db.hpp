// A thin RAII layer over the SQLite C API for store/: an owning connection,
// prepared statements with bound parameters, and errors as Result values.
//
// Only what the store uses: no connection pool (one connection, one thread),
// no SQL built from strings with values in them (every value is bound).
#pragma once

#include "store/store_result.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace salespider::store {

struct SqliteCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};
using DbHandle = std::unique_ptr<sqlite3, SqliteCloser>;

// One prepared statement. step() returns true while a row is available.
class Statement {
 public:
  Statement(sqlite3* db, std::unique_ptr<sqlite3_stmt, StatementFinalizer> stmt)
      : db_(db), stmt_(std::move(stmt)) {}

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t number);
  Statement& bind_null(int index);

  // One step: a row (true), done (false) or an error.
  Result<bool> step();
  // Steps to the end, ignoring rows: for INSERT/UPDATE/DELETE.
  Status run();
  Status reset();

  std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_.get(), column); }
  std::string text(int column) const;
  bool is_null(int column) const { return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, StatementFinalizer> stmt_;
};

class Database {
 public:
  // Opens (creating if needed) `name` through the VFS registered as `vfs`.
  static Result<Database> open(const std::string& name, const char* vfs);

  sqlite3* handle() const { return db_.get(); }
  // Runs one or more statements without parameters (schema, pragmas).
  Status exec(const char* sql);
  Result<Statement> prepare(std::string_view sql);
  // The first column of the first row as an integer (nullopt: no row / NULL).
  Result<std::optional<std::int64_t>> query_int(std::string_view sql);
  std::int64_t changes() const { return sqlite3_changes64(db_.get()); }
  // True when no transaction is open: the only moment a snapshot is consistent.
  bool in_autocommit() const { return sqlite3_get_autocommit(db_.get()) != 0; }
  void close() { db_.reset(); }

 private:
  explicit Database(DbHandle db) : db_(std::move(db)) {}
  DbHandle db_;
};

// Text of the last error on `db` prefixed with what was being done.
StoreError sqlite_error(sqlite3* db, std::string_view doing);

}  // namespace salespider::store
