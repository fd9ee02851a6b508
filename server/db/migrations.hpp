// Versioned SQL migrations, embedded in the binary at build time
// (db/migrations/NNNN_name.sql -> a generated .cpp, see embed_migrations.cmake).
//
// migrate() takes a session advisory lock so that two servers starting at
// once apply each migration once; each migration runs in its own transaction
// together with its schema_migrations row, so a failure leaves the schema at
// the previous version. Re-running is a no-op. A migration edited after it
// was applied (checksum mismatch) or one this binary does not know (a newer
// binary migrated the database) stops startup with MigrationError.
// Deliberately forward-only: no down migrations; restore a backup instead.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace salespider::db {

class Pool;

struct Migration {
  int version = 0;
  std::string name;
  std::string_view sql;
  std::string checksum;  // sha256 of the .sql file, hex
};

// The migrations compiled into this binary, in version order.
const std::vector<Migration>& embedded_migrations();

enum class MigrationState { applied, pending, changed, unknown };
const char* to_string(MigrationState state) noexcept;

struct MigrationStatus {
  int version = 0;
  std::string name;
  MigrationState state = MigrationState::pending;
  std::string applied_at;  // ISO 8601, "" when pending
};

struct MigrateReport {
  std::vector<int> applied_now;  // empty when the schema was up to date
  int total = 0;                 // migrations this binary knows
};

// `schema`: created if missing (DATABASE_URL `?schema=`); "" = search_path as is.
// Throws MigrationError (schema cannot be brought up to date) or Unavailable.
MigrateReport migrate(Pool& pool, const std::vector<Migration>& migrations = embedded_migrations(),
                      const std::string& schema = {});

// What is applied, pending, changed or unknown, without changing anything.
std::vector<MigrationStatus> migration_status(Pool& pool,
                                              const std::vector<Migration>& migrations = embedded_migrations());

}  // namespace salespider::db
