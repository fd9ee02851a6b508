// See tills.hpp.
#include "db/tills.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"
#include "db/users_common.hpp"

namespace salespider::db {
namespace {

constexpr const char* kTillColumns =
    "id::text, store_id::text, name, code, status, " SALESPIDER_ISO("enrolled_at") ", enrolled_by::text, "
    "CASE WHEN revoked_at IS NOT NULL THEN " SALESPIDER_ISO("revoked_at") " END, "
    "CASE WHEN last_seen_at IS NOT NULL THEN " SALESPIDER_ISO("last_seen_at") " END, highest_receipt_seq, "
    "coalesce(extract(epoch FROM now() - last_seen_at)::bigint, -1)";

TillRow till_of(const pqxx::row& r) {
  TillRow t;
  t.id = r[0].as<std::string>();
  t.store_id = r[1].as<std::string>();
  t.name = r[2].as<std::string>();
  t.code = r[3].as<std::string>();
  t.status = r[4].as<std::string>();
  t.enrolled_at = r[5].as<std::string>();
  t.enrolled_by = opt_text(r[6]);
  t.revoked_at = opt_text(r[7]);
  t.last_seen_at = opt_text(r[8]);
  t.highest_receipt_seq = r[9].as<std::int64_t>();
  t.seconds_since_seen = r[10].as<std::int64_t>();
  return t;
}

std::optional<TillRow> locked_till(pqxx::transaction_base& tx, const std::string& store_id,
                                   const std::string& id) {
  const auto r = tx.exec_params(
      std::string("SELECT ") + kTillColumns + " FROM tills WHERE store_id = $1 AND id = $2::uuid FOR UPDATE",
      store_id, id);
  if (r.empty()) return std::nullopt;
  return till_of(r[0]);
}

nlohmann::json till_json(const TillRow& t) {
  return {{"name", t.name}, {"code", t.code}, {"status", t.status}};
}

// Ends everything the till could still act with.
void revoke_till_rights(pqxx::transaction_base& tx, const std::string& till_id) {
  tx.exec_params(
      "UPDATE tills SET status = 'revoked', revoked_at = now(), credential_hash = NULL, "
      "row_version = row_version + 1 WHERE id = $1::uuid",
      till_id);
  tx.exec_params(
      "UPDATE offline_grants SET revoked_at = now(), revoked_reason = 'till_retired' "
      "WHERE till_id = $1::uuid AND revoked_at IS NULL",
      till_id);
  tx.exec_params(
      "UPDATE sessions SET revoked_at = now(), revoked_reason = 'till_retired' "
      "WHERE till_id = $1::uuid AND revoked_at IS NULL",
      till_id);
}

// The till's row and its audit row in `tx`; `replaces` retired first.
TillWrite insert_till_in(pqxx::transaction_base& tx, const NewTillRow& t, AuditEntry audit, TillRow* out) {
  std::optional<TillRow> replaced;
  if (t.replaces) {
    replaced = locked_till(tx, t.store_id, *t.replaces);
    if (!replaced) return TillWrite::not_found;
    if (replaced->status == "active") {
      revoke_till_rights(tx, replaced->id);
      AuditEntry retire = audit;
      retire.action = "till.retire";
      retire.entity = "till";
      retire.entity_id = replaced->id;
      retire.detail = {{"before", till_json(*replaced)}, {"reason", "re-enrolled"}};
      append_audit(tx, retire);
    }
  }
  const auto id = tx.exec_params1(
                        "INSERT INTO tills (store_id, name, code, credential_hash, enrolled_by) "
                        "VALUES ($1, $2, $3, decode($4, 'hex'), $5::uuid) RETURNING id::text",
                        t.store_id, t.name, t.code, t.credential_hash_hex, nullable(t.enrolled_by))[0]
                      .as<std::string>();
  const auto row = locked_till(tx, t.store_id, id);
  audit.entity = "till";
  audit.entity_id = id;
  audit.detail["after"] = till_json(*row);
  if (replaced) audit.detail["replaces"] = replaced->id;
  append_audit(tx, audit);
  if (out != nullptr) *out = *row;
  return TillWrite::ok;
}

}  // namespace

TillWrite insert_till(Pool& pool, const NewTillRow& t, AuditEntry audit, TillRow* out) {
  return pool.with_connection([&](pqxx::connection& c) {
    try {
      pqxx::work tx(c);
      TillRow row;
      const auto s = insert_till_in(tx, t, std::move(audit), &row);
      if (s != TillWrite::ok) return s;
      tx.commit();
      if (out != nullptr) *out = row;
      return TillWrite::ok;
    } catch (const pqxx::unique_violation&) {
      return TillWrite::code_taken;
    }
  });
}

std::optional<EnrolCodeRow> insert_enrol_code(Pool& pool, const NewEnrolCode& code, AuditEntry audit) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<EnrolCodeRow> {
    try {
      pqxx::work tx(c);
      const auto r = tx.exec_params1(
          "INSERT INTO till_enrol_codes (store_id, code_hash, name, created_by, expires_at) "
          "VALUES ($1, decode($2, 'hex'), $3, $4::uuid, now() + make_interval(mins => $5)) "
          "RETURNING id::text, " SALESPIDER_ISO("expires_at"),
          code.store_id, code.code_hash_hex, nullable(code.name), nullable(code.created_by),
          code.lifetime_minutes);
      EnrolCodeRow out{r[0].as<std::string>(), r[1].as<std::string>()};
      audit.entity = "till_enrol_code";
      audit.entity_id = out.id;
      audit.detail["expires_at"] = out.expires_at;
      if (code.name) audit.detail["name"] = *code.name;
      append_audit(tx, audit);
      tx.commit();
      return out;
    } catch (const pqxx::unique_violation&) {
      return std::nullopt;
    }
  });
}

CodeEnrolment insert_till_with_code(Pool& pool, const std::string& code_hash_hex, NewTillRow till,
                                    AuditEntry audit) {
  return pool.with_connection([&](pqxx::connection& c) {
    CodeEnrolment out;
    try {
      pqxx::work tx(c);
      // FOR UPDATE: a concurrent use of the same code waits here and then
      // reads the row as the first one left it (used).
      const auto r = tx.exec_params(
          "SELECT id::text, store_id::text, created_by::text, used_at IS NOT NULL, expires_at <= now(), name "
          "FROM till_enrol_codes WHERE code_hash = decode($1, 'hex') FOR UPDATE",
          code_hash_hex);
      if (r.empty()) return out;
      if (r[0][3].as<bool>()) {
        out.check = CodeCheck::used;
        return out;
      }
      if (r[0][4].as<bool>()) {
        out.check = CodeCheck::expired;
        return out;
      }
      if (till.name.empty()) till.name = opt_text(r[0][5]).value_or("");
      if (till.name.empty()) {
        out.check = CodeCheck::no_name;
        return out;
      }
      out.check = CodeCheck::ok;
      const auto code_id = r[0][0].as<std::string>();
      till.store_id = r[0][1].as<std::string>();
      till.enrolled_by = opt_text(r[0][2]);
      audit.store_id = till.store_id;
      audit.detail["enrol_code_id"] = code_id;
      out.write = insert_till_in(tx, till, std::move(audit), &out.till);
      if (out.write != TillWrite::ok) return out;
      tx.exec_params0("UPDATE till_enrol_codes SET used_at = now(), till_id = $2::uuid WHERE id = $1::uuid",
                      code_id, out.till.id);
      tx.commit();
    } catch (const pqxx::unique_violation&) {
      out.write = TillWrite::code_taken;
    }
    return out;
  });
}

std::optional<TillRow> till_by_credential(Pool& pool, const std::string& credential_hash_hex) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<TillRow> {
    pqxx::read_transaction tx(c);
    const auto r =
        tx.exec_params(std::string("SELECT ") + kTillColumns +
                           " FROM tills WHERE credential_hash = decode($1, 'hex') AND status = 'active'",
                       credential_hash_hex);
    if (r.empty()) return std::nullopt;
    return till_of(r[0]);
  });
}

void touch_till(Pool& pool, const std::string& till_id) {
  pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // last_seen_at is not a change the till needs pulled: no row_version bump.
    tx.exec_params0("UPDATE tills SET last_seen_at = now() WHERE id = $1::uuid", till_id);
    tx.commit();
  });
}

std::vector<TillRow> list_tills(Pool& pool, const std::string& store_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<TillRow> out;
    for (const auto& r : tx.exec_params(std::string("SELECT ") + kTillColumns +
                                            " FROM tills WHERE store_id = $1 ORDER BY status, enrolled_at",
                                        store_id)) {
      out.push_back(till_of(r));
    }
    return out;
  });
}

std::optional<TillRow> find_till(Pool& pool, const std::string& store_id, const std::string& key) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<TillRow> {
    pqxx::read_transaction tx(c);
    const auto r =
        tx.exec_params(std::string("SELECT ") + kTillColumns +
                           " FROM tills WHERE store_id = $1 AND (id::text = lower($2) OR code = upper($2)) "
                           "LIMIT 1",
                       store_id, key);
    if (r.empty()) return std::nullopt;
    return till_of(r[0]);
  });
}

TillWrite rename_till(Pool& pool, const std::string& store_id, const std::string& till_id,
                      const std::string& name, AuditEntry audit) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto before = locked_till(tx, store_id, till_id);
    if (!before) return TillWrite::not_found;
    tx.exec_params0("UPDATE tills SET name = $2, row_version = row_version + 1 WHERE id = $1::uuid", till_id,
                    name);
    auto after = *before;
    after.name = name;
    audit.entity = "till";
    audit.entity_id = till_id;
    audit.detail["before"] = till_json(*before);
    audit.detail["after"] = till_json(after);
    append_audit(tx, audit);
    tx.commit();
    return TillWrite::ok;
  });
}

TillWrite retire_till(Pool& pool, const std::string& store_id, const std::string& till_id, AuditEntry audit) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto before = locked_till(tx, store_id, till_id);
    if (!before) return TillWrite::not_found;
    if (before->status != "active") return TillWrite::already_retired;
    revoke_till_rights(tx, till_id);
    const auto after = locked_till(tx, store_id, till_id);
    audit.entity = "till";
    audit.entity_id = till_id;
    audit.detail["before"] = till_json(*before);
    audit.detail["after"] = till_json(*after);
    append_audit(tx, audit);
    tx.commit();
    return TillWrite::ok;
  });
}

std::optional<std::int64_t> reported_outbox_depth(Pool& pool, const std::string& till_id) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<std::int64_t> {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params("SELECT outbox_depth FROM till_sync_status WHERE till_id = $1::uuid", till_id);
    if (r.empty() || r[0][0].is_null()) return std::nullopt;
    return r[0][0].as<std::int64_t>();
  });
}

HandoverFacts check_handover(Pool& pool, const std::string& store_id, const std::string& from_till,
                             const std::string& to_till) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    HandoverFacts out;
    const auto from = tx.exec_params(std::string("SELECT ") + kTillColumns +
                                         " FROM tills WHERE store_id = $1 AND id = $2::uuid",
                                     store_id, from_till);
    if (from.empty()) return out;
    out.from = till_of(from[0]);
    if (out.from.status != "revoked") {
      out.check = HandoverCheck::not_retired;
      return out;
    }
    // The new till's enrolment: after the retirement (the same transaction
    // when it replaced the old one), by whom, and that person's role now.
    const auto to = tx.exec_params(
        "SELECT t.enrolled_at >= o.revoked_at, t.enrolled_by::text, "
        "  t.enrolled_by IS NULL OR u.role IN ('manager', 'admin', 'super_admin') "
        "FROM tills t JOIN tills o ON o.id = $3::uuid LEFT JOIN users u ON u.id = t.enrolled_by "
        "WHERE t.store_id = $1 AND t.id = $2::uuid",
        store_id, to_till, from_till);
    if (to.empty()) return out;
    out.by_user = opt_text(to[0][1]);
    if (!to[0][0].as<bool>()) {
      out.check = HandoverCheck::enrolled_before;
      return out;
    }
    if (!to[0][2].as<bool>()) {
      out.check = HandoverCheck::not_by_manager;
      return out;
    }
    const auto other = tx.exec_params(
        "SELECT 1 FROM till_handovers WHERE from_till = $1::uuid AND to_till IS NOT NULL AND to_till <> $2::uuid "
        "LIMIT 1",
        from_till, to_till);
    out.check = other.empty() ? HandoverCheck::ok : HandoverCheck::taken_by_other;
    return out;
  });
}

void record_handover(Pool& pool, const HandoverRow& h, AuditEntry audit) {
  pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto id = tx.exec_params1(
                          "INSERT INTO till_handovers (store_id, from_till, to_till, via, by_user, op_count, new_ops) "
                          "VALUES ($1, $2::uuid, $3::uuid, $4, $5::uuid, $6, $7) RETURNING id::text",
                          h.store_id, h.from_till, nullable(h.to_till), h.to_till ? "re-enrol" : "import",
                          nullable(h.by_user), h.op_count, h.new_ops)[0]
                        .as<std::string>();
    audit.entity = "till";
    audit.entity_id = h.from_till;
    audit.detail["handover_id"] = id;
    audit.detail["from_till"] = h.from_till;
    if (h.to_till) audit.detail["to_till"] = *h.to_till;
    audit.detail["ops"] = h.op_count;
    audit.detail["new_ops"] = h.new_ops;
    append_audit(tx, audit);
    tx.commit();
  });
}

}  // namespace salespider::db
