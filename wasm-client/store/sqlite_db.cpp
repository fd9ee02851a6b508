// SQLite RAII helpers: every failure becomes a StoreError carrying SQLite's
// message, since the store's callers log and surface it, never parse it.
#include "store/sqlite_db.hpp"

#include <utility>

namespace salespider::store {

const char* to_string(StoreErrc code) noexcept {
  switch (code) {
    case StoreErrc::sqlite:
      return "sqlite";
    case StoreErrc::corrupt_image:
      return "corrupt_image";
    case StoreErrc::schema_too_new:
      return "schema_too_new";
    case StoreErrc::read_only:
      return "read_only";
    case StoreErrc::invalid_op:
      return "invalid_op";
    case StoreErrc::duplicate_op:
      return "duplicate_op";
    case StoreErrc::unknown_op:
      return "unknown_op";
    case StoreErrc::storage_failed:
      return "storage_failed";
    case StoreErrc::busy:
      return "busy";
  }
  return "unknown";
}

StoreError sqlite_error(sqlite3* db, std::string_view doing) {
  std::string context(doing);
  context += ": ";
  context += db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  return store_error(StoreErrc::sqlite, std::move(context));
}

Statement& Statement::bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies, so temporaries are safe to pass.
  sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t number) {
  sqlite3_bind_int64(stmt_.get(), index, number);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_.get(), index);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_error(db_, "step");
}

Status Statement::run() {
  for (;;) {
    Result<bool> row = step();
    if (!row) return row.error();
    if (!row.value()) return {};
  }
}

Status Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  return {};
}

std::string Statement::text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_.get(), column);
  if (p == nullptr) return {};
  const int n = sqlite3_column_bytes(stmt_.get(), column);
  return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
}

Result<Database> Database::open(const std::string& name, const char* vfs) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
  DbHandle db(raw);  // owns it even when open failed (SQLite may still allocate)
  if (rc != SQLITE_OK) return sqlite_error(db.get(), "open " + name);
  sqlite3_extended_result_codes(db.get(), 1);
  return Database(std::move(db));
}

Status Database::exec(const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  std::string context = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return store_error(StoreErrc::sqlite, std::move(context));
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, StatementFinalizer> stmt(raw);
  if (rc != SQLITE_OK) return sqlite_error(db_.get(), "prepare");
  return Statement(db_.get(), std::move(stmt));
}

Result<std::optional<std::int64_t>> Database::query_int(std::string_view sql) {
  Result<Statement> stmt = prepare(sql);
  if (!stmt) return stmt.error();
  Result<bool> row = stmt.value().step();
  if (!row) return row.error();
  if (!row.value() || stmt.value().is_null(0)) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{stmt.value().int64(0)};
}

}  // namespace salespider::store
