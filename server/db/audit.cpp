// See audit.hpp.
#include "db/audit.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"
#include "db/read_limits.hpp"
#include "db/users_common.hpp"

namespace salespider::db {
namespace {

// pg_advisory_xact_lock key for the sealer: one sealer at a time per database.
constexpr std::int64_t kSealerLockKey = 0x5350417564697421;  // "SPAudit!"

constexpr const char* kRowColumns =
    "id, txid::text AS txid_text, chain_pos, store_id::text, "
    "(extract(epoch FROM occurred_at) * 1000000)::bigint, " SALESPIDER_ISO("occurred_at") ", "
    "actor_user_id::text, actor_till_id::text, action, entity, entity_id::text, request_id, host(client_ip), "
    "detail::text, encode(prev_hash, 'hex'), encode(hash, 'hex')";

std::optional<std::string> hex_field(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  const auto hex = f.as<std::string>();
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string to_hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

AuditRow row_of(const pqxx::row& r) {
  AuditRow a;
  a.id = r[0].as<std::int64_t>();
  a.txid = r[1].as<std::string>();
  if (!r[2].is_null()) a.chain_pos = r[2].as<std::int64_t>();
  a.store_id = r[3].as<std::string>();
  a.occurred_at_us = r[4].as<std::int64_t>();
  a.occurred_at = r[5].as<std::string>();
  a.actor_user_id = opt_text(r[6]);
  a.actor_till_id = opt_text(r[7]);
  a.action = r[8].as<std::string>();
  a.entity = opt_text(r[9]);
  a.entity_id = opt_text(r[10]);
  a.request_id = opt_text(r[11]);
  a.client_ip = opt_text(r[12]);
  a.detail = r[13].as<std::string>();
  a.prev_hash = hex_field(r[14]);
  a.hash = hex_field(r[15]);
  return a;
}

}  // namespace

void append_audit(pqxx::transaction_base& tx, const AuditEntry& e) {
  auto detail = e.detail.is_object() ? e.detail : nlohmann::json{{"value", e.detail}};
  if (!e.actor.via.empty()) detail["via"] = e.actor.via;
  tx.exec_params0(
      "INSERT INTO audit_log (store_id, actor_user_id, actor_till_id, action, entity, entity_id, request_id, "
      "client_ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::inet, $9::jsonb)",
      e.store_id, nullable(e.actor.user_id), nullable(e.actor.till_id), e.action, nullable(e.entity),
      nullable(e.entity_id), nullable_if_empty(e.actor.request_id.substr(0, 64)),
      nullable_if_empty(e.actor.client_ip),
      detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void append_audit_now(Pool& pool, const AuditEntry& entry) {
  pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    append_audit(tx, entry);
    tx.commit();
  });
}

ChainHead seal_audit_rows(Pool& pool, std::size_t limit, const SealFn& seal) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params("SELECT pg_advisory_xact_lock($1::bigint)", kSealerLockKey);
    ChainHead head;
    const auto h = tx.exec(
        "SELECT chain_pos, encode(hash, 'hex') FROM audit_log WHERE chain_pos IS NOT NULL "
        "ORDER BY chain_pos DESC LIMIT 1");
    if (!h.empty()) {
      head.position = h[0][0].as<std::int64_t>();
      head.hash = *hex_field(h[0][1]);
    } else {
      head.hash = std::string(32, '\0');
    }
    // ONE statement, so the watermark and the rows come from one snapshot:
    // every transaction below xmin has ended, so no row can still appear
    // before the last one returned.
    const auto rows = tx.exec_params(std::string("SELECT ") + kRowColumns +
                                         " FROM audit_log WHERE chain_pos IS NULL "
                                         "AND txid < pg_snapshot_xmin(pg_current_snapshot()) "
                                         "ORDER BY audit_log.txid, audit_log.id LIMIT $1",
                                     static_cast<std::int64_t>(limit));
    for (const auto& r : rows) {
      const auto row = row_of(r);
      const auto position = head.position + 1;
      const auto hash = seal(row, position, head.hash);
      // The application role may not UPDATE audit_log: the owner's function
      // seals the row, and only as the next position after the head.
      tx.exec_params(
          "SELECT audit_seal_row($1::bigint, $2::bigint, decode($3, 'hex'), decode($4, 'hex'))",
          row.id, position, to_hex(head.hash), to_hex(hash));
      head.position = position;
      head.hash = hash;
    }
    tx.commit();
    if (head.position == 0) head.hash.clear();
    return head;
  });
}

ChainHead audit_chain_head(Pool& pool) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    ChainHead head;
    const auto h = tx.exec(
        "SELECT chain_pos, encode(hash, 'hex') FROM audit_log WHERE chain_pos IS NOT NULL "
        "ORDER BY chain_pos DESC LIMIT 1");
    if (!h.empty()) {
      head.position = h[0][0].as<std::int64_t>();
      head.hash = *hex_field(h[0][1]);
    }
    return head;
  });
}

std::optional<ChainHead> shift_close_audit_head(Pool& pool, const std::string& shift_id) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<ChainHead> {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params(
        "SELECT close_audit_position, encode(close_audit_hash, 'hex') FROM shifts "
        "WHERE id = $1::uuid AND close_audit_position IS NOT NULL",
        shift_id);
    if (r.empty()) return std::nullopt;
    ChainHead head;
    head.position = r[0][0].as<std::int64_t>();
    if (!r[0][1].is_null()) head.hash = *hex_field(r[0][1]);
    return head;
  });
}

std::vector<AuditRow> sealed_audit_rows(Pool& pool, std::int64_t after, std::size_t limit) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    limit_statement_time(tx);
    std::vector<AuditRow> out;
    for (const auto& r :
         tx.exec_params(std::string("SELECT ") + kRowColumns +
                            " FROM audit_log WHERE chain_pos > $1 ORDER BY chain_pos LIMIT $2",
                        after, static_cast<std::int64_t>(limit))) {
      out.push_back(row_of(r));
    }
    return out;
  });
}

std::int64_t unsealed_audit_count(Pool& pool) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return tx.exec1("SELECT count(*) FROM audit_log WHERE chain_pos IS NULL")[0].as<std::int64_t>();
  });
}

std::vector<AuditRow> find_audit_rows(Pool& pool, const std::string& store_id, const AuditFilter& f,
                                      std::int64_t before_id, std::size_t limit) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    limit_statement_time(tx);
    std::vector<AuditRow> out;
    // Each filter is a parameter that is either NULL (no filter) or a value.
    const auto rows = tx.exec_params(
        std::string("SELECT ") + kRowColumns +
            " FROM audit_log WHERE store_id = $1"
            " AND ($2::text IS NULL OR action = $2 OR (right($2, 1) = '.' AND starts_with(action, $2)))"
            " AND ($3::uuid IS NULL OR actor_user_id = $3::uuid)"
            " AND ($4::uuid IS NULL OR actor_till_id = $4::uuid)"
            " AND ($5::text IS NULL OR entity = $5)"
            " AND ($6::uuid IS NULL OR entity_id = $6::uuid)"
            " AND ($7::timestamptz IS NULL OR occurred_at >= $7::timestamptz)"
            " AND ($8::timestamptz IS NULL OR occurred_at < $8::timestamptz)"
            " AND ($9::bigint <= 0 OR id < $9::bigint)"
            " ORDER BY id DESC LIMIT $10",
        store_id, nullable(f.action_prefix), nullable(f.actor_user_id), nullable(f.actor_till_id),
        nullable(f.entity), nullable(f.entity_id), nullable(f.from), nullable(f.to), before_id,
        static_cast<std::int64_t>(limit));
    for (const auto& r : rows) out.push_back(row_of(r));
    return out;
  });
}

}  // namespace salespider::db
