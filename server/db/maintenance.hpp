// Routine database maintenance run by `salespider vacuum` (and the daily
// timer or supervisor job): VACUUM (ANALYZE) of the store's database, with
// its size before and after so the operator sees what it did.
// Deliberately not here: VACUUM FULL (locks every table; an operator runs it
// by hand through `salespider db shell` if ever needed), REINDEX.
#pragma once

#include <cstdint>

namespace salespider::db {

class Pool;

struct VacuumResult {
  std::int64_t size_before = 0;  // pg_database_size, bytes
  std::int64_t size_after = 0;
};

// Throws db::Unavailable when the database cannot be reached.
VacuumResult vacuum_analyze(Pool& pool);

}  // namespace salespider::db
