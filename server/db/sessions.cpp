// See sessions.hpp.
#include "db/sessions.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"
#include "db/users_common.hpp"

namespace salespider::db {

OpenedSession open_session(Pool& pool, const NewSessionRow& s, AuditEntry audit) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params0(
        "INSERT INTO login_attempts (store_id, login, user_id, client_ip, method, succeeded) "
        "VALUES ($1, $2, $3::uuid, $4::inet, $5, true)",
        s.store_id, s.login.substr(0, 254), s.user_id, nullable_if_empty(s.client_ip), s.method);
    const auto r = tx.exec_params1(
        "INSERT INTO sessions (store_id, user_id, till_id, token_hash, expires_at, client_ip, user_agent, "
        "method) "
        "VALUES ($1, $2::uuid, $3::uuid, decode($4, 'hex'), now() + make_interval(secs => $5), $6::inet, $7, "
        "$8) "
        "RETURNING id::text, " SALESPIDER_ISO("expires_at"),
        s.store_id, s.user_id, nullable(s.till_id), s.token_hash_hex, static_cast<double>(s.absolute_seconds),
        nullable_if_empty(s.client_ip), s.user_agent.substr(0, 512), s.method);
    OpenedSession out{r[0].as<std::string>(), r[1].as<std::string>()};
    if (s.grant) {
      tx.exec_params0(
          "INSERT INTO offline_grants (id, store_id, user_id, till_id, session_id, role, issued_at, "
          "expires_at) "
          "VALUES ($1::uuid, $2, $3::uuid, $4::uuid, $5::uuid, $6, to_timestamp($7::double precision / "
          "1000), "
          "to_timestamp($8::double precision / 1000))",
          s.grant->id, s.store_id, s.user_id, s.grant->till_id, out.id, s.grant->role,
          static_cast<double>(s.grant->issued_at_ms), static_cast<double>(s.grant->expires_at_ms));
      audit.detail["grant_id"] = s.grant->id;
      audit.detail["grant_expires_at_ms"] = s.grant->expires_at_ms;
    }
    audit.entity = "user";
    audit.entity_id = s.user_id;
    audit.detail["session_id"] = out.id;
    audit.detail["method"] = s.method;
    append_audit(tx, audit);
    tx.commit();
    return out;
  });
}

std::optional<SessionPrincipalRow> live_session(Pool& pool, const std::string& token_hash_hex,
                                                std::int64_t idle_seconds) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<SessionPrincipalRow> {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params(
        "SELECT s.id::text, u.id::text, u.store_id::text, u.username, u.display_name, u.role, "
        "s.till_id::text, "
        "extract(epoch FROM now() - s.last_seen_at)::bigint, s.method "
        "FROM sessions s JOIN users u ON u.id = s.user_id "
        "LEFT JOIN tills t ON t.id = s.till_id "
        "WHERE s.token_hash = decode($1, 'hex') AND s.revoked_at IS NULL AND s.expires_at > now() "
        "AND s.last_seen_at > now() - make_interval(secs => $2) AND u.status = 'active' "
        "AND (s.till_id IS NULL OR t.status = 'active')",
        token_hash_hex, static_cast<double>(idle_seconds));
    if (r.empty()) return std::nullopt;
    SessionPrincipalRow p;
    p.session_id = r[0][0].as<std::string>();
    p.user_id = r[0][1].as<std::string>();
    p.store_id = r[0][2].as<std::string>();
    p.username = r[0][3].as<std::string>();
    p.display_name = r[0][4].as<std::string>();
    p.role = r[0][5].as<std::string>();
    p.till_id = opt_text(r[0][6]);
    p.seconds_since_seen = r[0][7].as<std::int64_t>();
    p.method = r[0][8].as<std::string>();
    return p;
  });
}

void touch_session(Pool& pool, const std::string& session_id) {
  pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params0("UPDATE sessions SET last_seen_at = now() WHERE id = $1::uuid", session_id);
    tx.commit();
  });
}

std::vector<SessionRow> list_sessions(Pool& pool, const std::string& store_id,
                                      const std::optional<std::string>& user_id, bool include_ended,
                                      std::int64_t idle_seconds) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<SessionRow> out;
    const auto rows = tx.exec_params(
        "SELECT s.id::text, s.user_id::text, u.username, s.till_id::text, " SALESPIDER_ISO("s.created_at") ", "
        SALESPIDER_ISO("s.last_seen_at") ", " SALESPIDER_ISO("s.expires_at") ", "
        "CASE WHEN s.revoked_at IS NOT NULL THEN " SALESPIDER_ISO("s.revoked_at") " END, host(s.client_ip), "
        "coalesce(s.user_agent, ''), "
        "(s.revoked_at IS NULL AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => $4) "
        " AND u.status = 'active') AS active, u.role "
        "FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.store_id = $1 AND ($2::uuid IS NULL OR s.user_id = $2::uuid) "
        "AND ($3 OR (s.revoked_at IS NULL AND s.expires_at > now() AND "
        "     s.last_seen_at > now() - make_interval(secs => $4) AND u.status = 'active')) "
        "ORDER BY s.created_at DESC LIMIT 1000",
        store_id, nullable(user_id), include_ended, static_cast<double>(idle_seconds));
    for (const auto& r : rows) {
      SessionRow s;
      s.id = r[0].as<std::string>();
      s.user_id = r[1].as<std::string>();
      s.username = r[2].as<std::string>();
      s.till_id = opt_text(r[3]);
      s.created_at = r[4].as<std::string>();
      s.last_seen_at = r[5].as<std::string>();
      s.expires_at = r[6].as<std::string>();
      s.revoked_at = opt_text(r[7]);
      s.client_ip = opt_text(r[8]);
      s.user_agent = r[9].as<std::string>();
      s.active = r[10].as<bool>();
      s.role = r[11].as<std::string>();
      out.push_back(std::move(s));
    }
    return out;
  });
}

namespace {

std::optional<OwnerRow> owner_of(Pool& pool, const char* table, const std::string& store_id,
                                 const std::string& id) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<OwnerRow> {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params(std::string("SELECT u.id::text, u.role FROM ") + table +
                                      " x JOIN users u ON u.id = x.user_id WHERE x.store_id = $1 AND x.id = $2::uuid",
                                  store_id, id);
    if (r.empty()) return std::nullopt;
    return OwnerRow{r[0][0].as<std::string>(), r[0][1].as<std::string>()};
  });
}

}  // namespace

std::optional<OwnerRow> session_owner(Pool& pool, const std::string& store_id, const std::string& session_id) {
  return owner_of(pool, "sessions", store_id, session_id);
}

std::optional<OwnerRow> grant_owner(Pool& pool, const std::string& store_id, const std::string& grant_id) {
  return owner_of(pool, "offline_grants", store_id, grant_id);
}

bool revoke_session(Pool& pool, const std::string& store_id, const std::string& session_id,
                    const std::optional<std::string>& owner_only, const std::string& reason,
                    AuditEntry audit) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto r = tx.exec_params(
        "UPDATE sessions SET revoked_at = now(), revoked_reason = $4 WHERE store_id = $1 AND id = $2::uuid "
        "AND revoked_at IS NULL AND ($3::uuid IS NULL OR user_id = $3::uuid) RETURNING user_id::text",
        store_id, session_id, nullable(owner_only), reason);
    if (r.empty()) return false;
    audit.entity = "session";
    audit.entity_id = session_id;
    audit.detail["user_id"] = r[0][0].as<std::string>();
    audit.detail["reason"] = reason;
    append_audit(tx, audit);
    tx.commit();
    return true;
  });
}

}  // namespace salespider::db
