// See grants.hpp.
#include "db/grants.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"
#include "db/users_common.hpp"

namespace salespider::db {

std::optional<GrantState> grant_state(Pool& pool, const std::string& grant_id) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<GrantState> {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params(
        "SELECT g.user_id::text, g.till_id::text, (extract(epoch FROM g.revoked_at) * 1000)::bigint, "
        "u.status "
        "FROM offline_grants g JOIN users u ON u.id = g.user_id WHERE g.id = $1::uuid",
        grant_id);
    if (r.empty()) return std::nullopt;
    GrantState s;
    s.user_id = r[0][0].as<std::string>();
    s.till_id = r[0][1].as<std::string>();
    if (!r[0][2].is_null()) s.revoked_at_ms = r[0][2].as<std::int64_t>();
    s.user_status = r[0][3].as<std::string>();
    return s;
  });
}

std::vector<std::string> revoked_unexpired_grants(Pool& pool, const std::string& till_id,
                                                  std::int64_t now_ms) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<std::string> out;
    for (const auto& r :
         tx.exec_params("SELECT id::text FROM offline_grants WHERE till_id = $1::uuid AND revoked_at "
                        "IS NOT NULL AND expires_at > to_timestamp($2::double precision / 1000) "
                        "ORDER BY revoked_at",
                        till_id, static_cast<double>(now_ms))) {
      out.push_back(r[0].as<std::string>());
    }
    return out;
  });
}

bool revoke_grant(Pool& pool, const std::string& store_id, const std::string& grant_id,
                  const std::string& reason, AuditEntry audit) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto r = tx.exec_params(
        "UPDATE offline_grants SET revoked_at = now(), revoked_reason = $3 "
        "WHERE store_id = $1 AND id = $2::uuid AND revoked_at IS NULL "
        "RETURNING user_id::text, till_id::text",
        store_id, grant_id, reason);
    if (r.empty()) return false;
    audit.entity = "offline_grant";
    audit.entity_id = grant_id;
    audit.detail["user_id"] = r[0][0].as<std::string>();
    audit.detail["till_id"] = r[0][1].as<std::string>();
    audit.detail["reason"] = reason;
    append_audit(tx, audit);
    tx.commit();
    return true;
  });
}

}  // namespace salespider::db
