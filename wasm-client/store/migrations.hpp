// Versioned local schema of the till database. PRAGMA user_version holds the
// version; each step runs in its own transaction at open, so a newer build
// opens an older build's data by running the steps it is missing.
//
// Rules for adding a step: append, never edit a released one; a step must
// keep the rows it finds (the local sales history and the catalog). Not here:
// the real catalog and sale shapes (they arrive with their issues, as new
// steps) and any server-side schema.
#pragma once

#include "store/sqlite_db.hpp"

#include <span>

namespace salespider::store {

struct Migration {
  int version;      // user_version after this step (1, 2, 3 ...)
  const char* sql;  // one or more statements
};

// The steps of this build, in order.
std::span<const Migration> migrations();
int latest_schema_version();

struct MigrationOutcome {
  int from = 0;
  int to = 0;
};

// Brings the database to the last version in `steps`. A database newer than
// that is left untouched and reported as StoreErrc::schema_too_new.
Result<MigrationOutcome> migrate(Database& db, std::span<const Migration> steps = migrations());

}  // namespace salespider::store
