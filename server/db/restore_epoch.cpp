// See restore_epoch.hpp.
#include "db/restore_epoch.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "db/audit.hpp"
#include "db/pool.hpp"

namespace salespider::db {
namespace {

const char* const kColumns =
    "epoch::text, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), reason";

RestoreEpoch epoch_of(const pqxx::row& r) {
  return RestoreEpoch{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>()};
}

}  // namespace

std::string current_restore_epoch(Pool& pool) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return tx.exec1("SELECT epoch::text FROM restore_epochs ORDER BY seq DESC LIMIT 1")[0].as<std::string>();
  });
}

RestoreEpoch begin_restore_epoch(Pool& pool, const std::string& reason, const std::string& detail_json) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto row = tx.exec_params1(std::string("INSERT INTO restore_epochs (reason) VALUES ($1) RETURNING ") +
                                         kColumns,
                                     reason.substr(0, 400));
    RestoreEpoch e = epoch_of(row);
    auto detail = nlohmann::json::parse(detail_json);
    detail["epoch"] = e.epoch;
    for (const auto& store : tx.exec("SELECT id::text FROM stores ORDER BY id")) {
      AuditEntry a;
      a.store_id = store[0].as<std::string>();
      a.actor.via = "cli";
      a.action = "store.restore";
      a.entity = "store";
      a.entity_id = a.store_id;
      a.detail = detail;
      append_audit(tx, a);
    }
    tx.commit();
    return e;
  });
}

std::vector<RestoreEpoch> restore_epochs(Pool& pool) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<RestoreEpoch> out;
    for (const auto& r : tx.exec(std::string("SELECT ") + kColumns + " FROM restore_epochs ORDER BY seq"))
      out.push_back(epoch_of(r));
    return out;
  });
}

std::vector<StoreZone> store_zones(Pool& pool) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<StoreZone> out;
    for (const auto& r : tx.exec("SELECT s.id::text, s.name, coalesce(t.time_zone, 'UTC') FROM stores s"
                                 " LEFT JOIN settings t ON t.store_id = s.id ORDER BY s.created_at, s.id"))
      out.push_back(StoreZone{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>()});
    return out;
  });
}

std::string utc_of_local_time(Pool& pool, const std::string& local, const std::string& time_zone) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return tx
        .exec_params1("SELECT to_char(($1::timestamp AT TIME ZONE $2) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')",
                      local, time_zone)[0]
        .as<std::string>();
  });
}

bool cluster_in_recovery(Pool& pool) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return tx.exec1("SELECT pg_is_in_recovery()")[0].as<bool>();
  });
}

}  // namespace salespider::db
