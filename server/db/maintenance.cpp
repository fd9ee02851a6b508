// See maintenance.hpp.
#include "db/maintenance.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"

namespace salespider::db {

VacuumResult vacuum_analyze(Pool& pool) {
  return pool.with_connection([](pqxx::connection& c) {
    auto size = [&c] {
      pqxx::nontransaction tx(c);
      return tx.exec1("SELECT pg_database_size(current_database())")[0].as<std::int64_t>();
    };
    VacuumResult r;
    r.size_before = size();
    {
      // VACUUM refuses to run inside a transaction block.
      pqxx::nontransaction tx(c);
      tx.exec("VACUUM (ANALYZE)");
    }
    r.size_after = size();
    return r;
  });
}

}  // namespace salespider::db
