// See ops.hpp.
#include "db/ops.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"

namespace salespider::db {
namespace {

constexpr const char* kColumns =
    "a.op_id::text, a.till_id::text, coalesce(t.code, ''), a.kind, a.status, coalesce(a.reject_code, ''),"
    " coalesce(a.reject_message, ''), array_to_string(a.flags, ','), coalesce(a.op_user_id, a.user_id::text, ''),"
    " to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
    " to_char(a.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
    " coalesce(a.resolution, ''), a.resolution_note,"
    " coalesce(to_char(a.resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''),"
    " coalesce(a.resolved_by::text, ''),"
    " coalesce(to_char(a.retried_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''),"
    " coalesce(a.payload::text, ''), a.result_message";

std::vector<std::string> split_flags(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto p = text.find(',', start);
    if (p == std::string::npos) p = text.size();
    out.push_back(text.substr(start, p - start));
    start = p + 1;
  }
  return out;
}

OpInfo read_op(const pqxx::row& r) {
  OpInfo o;
  o.op_id = r[0].as<std::string>();
  o.till_id = r[1].as<std::string>();
  o.till_code = r[2].as<std::string>();
  o.kind = r[3].as<std::string>();
  o.status = r[4].as<std::string>();
  o.reject_code = r[5].as<std::string>();
  o.reject_message = r[6].as<std::string>();
  o.flags = split_flags(r[7].as<std::string>());
  o.user_id = r[8].as<std::string>();
  o.occurred_at = r[9].as<std::string>();
  o.received_at = r[10].as<std::string>();
  o.resolution = r[11].as<std::string>();
  o.resolution_note = r[12].as<std::string>();
  o.resolved_at = r[13].as<std::string>();
  o.resolved_by = r[14].as<std::string>();
  o.retried_at = r[15].as<std::string>();
  o.payload = r[16].as<std::string>();
  o.result_message = r[17].as<std::string>();
  return o;
}

void insert_audit(pqxx::work& tx, const std::string& store_id, const std::string& op_id, const std::string& action,
                  const std::string& detail, const AuditActor& actor) {
  tx.exec_params0(
      "INSERT INTO audit_log (store_id, actor_user_id, action, entity, entity_id, request_id, client_ip, detail)"
      " VALUES ($1, NULLIF($2, '')::uuid, $3, 'op', $4, NULLIF($5, ''), NULLIF($6, '')::inet,"
      "  $7::jsonb || jsonb_build_object('via', $8::text))",
      store_id, actor.user_id.value_or(""), action, op_id, actor.request_id, actor.client_ip, detail,
      actor.via.empty() ? std::string("cli") : actor.via);
}

}  // namespace

std::vector<OpInfo> list_ops(Pool& pool, const std::string& store_id, const OpQuery& q) {
  std::string where;
  if (q.state == "open") {
    where = "a.resolved_at IS NULL AND (a.status = 'rejected' OR cardinality(a.flags) > 0)";
  } else if (q.state == "rejected") {
    where = "a.status = 'rejected'";
  } else if (q.state == "flagged") {
    where = "cardinality(a.flags) > 0";
  } else if (q.state == "resolved") {
    where = "a.resolved_at IS NOT NULL";
  } else {
    where = "true";
  }
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<OpInfo> out;
    const auto r = tx.exec_params(std::string("SELECT ") + kColumns +
                                      " FROM applied_ops a LEFT JOIN tills t ON t.id = a.till_id"
                                      " WHERE a.store_id = $1 AND " +
                                      where +
                                      " AND ($2 = '' OR a.till_id::text = $2) AND ($3 = '' OR a.kind = $3)"
                                      " ORDER BY a.received_at DESC, a.op_id DESC LIMIT $4",
                                  store_id, q.till_id, q.kind, q.limit);
    for (const auto& row : r) {
      out.push_back(read_op(row));
      out.back().payload.clear();
    }
    return out;
  });
}

std::optional<OpInfo> get_op(Pool& pool, const std::string& store_id, const std::string& op_id) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<OpInfo> {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params(std::string("SELECT ") + kColumns +
                                      " FROM applied_ops a LEFT JOIN tills t ON t.id = a.till_id"
                                      " WHERE a.store_id = $1 AND a.op_id::text = $2",
                                  store_id, op_id);
    if (r.empty()) return std::nullopt;
    OpInfo o = read_op(r[0]);
    for (const auto& f : tx.exec_params("SELECT kind, detail::text, sale_id::text,"
                                        " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                                        " FROM op_flags WHERE op_id = $1 ORDER BY id",
                                        o.op_id)) {
      o.flag_rows.push_back(OpFlagInfo{f[0].as<std::string>(), f[1].as<std::string>(),
                                       f[2].is_null() ? std::nullopt : std::optional(f[2].as<std::string>()),
                                       f[3].as<std::string>()});
    }
    return o;
  });
}

ResolveOutcome resolve_op(Pool& pool, const std::string& store_id, const std::string& op_id,
                          const std::string& resolution, const std::string& note, const AuditActor& actor) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto found = tx.exec_params(
        "SELECT resolved_at IS NULL AND (status = 'rejected' OR cardinality(flags) > 0) FROM applied_ops"
        " WHERE store_id = $1 AND op_id::text = $2 FOR UPDATE",
        store_id, op_id);
    if (found.empty()) return ResolveOutcome::not_found;
    if (!found[0][0].as<bool>()) return ResolveOutcome::not_open;
    tx.exec_params0("UPDATE applied_ops SET resolution = $3, resolution_note = $4, resolved_at = now(),"
                    " resolved_by = NULLIF($5, '')::uuid WHERE store_id = $1 AND op_id::text = $2",
                    store_id, op_id, resolution, note, actor.user_id.value_or(""));
    const std::string detail = "{}";
    insert_audit(tx, store_id, op_id, "op." + resolution,
                 tx.exec_params1("SELECT jsonb_build_object('note', $1::text)::text", note)[0].as<std::string>(),
                 actor);
    tx.commit();
    return ResolveOutcome::done;
  });
}

void audit_op_action(Pool& pool, const std::string& store_id, const std::string& op_id, const std::string& action,
                     const std::string& detail_json, const AuditActor& actor) {
  pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    insert_audit(tx, store_id, op_id, action, detail_json, actor);
    tx.commit();
  });
}

std::vector<TillHealth> till_health(Pool& pool, const std::string& store_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<TillHealth> out;
    const auto r = tx.exec_params(
        "SELECT t.id::text, t.name, t.code, t.status,"
        " coalesce(to_char(s.last_push_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''),"
        " coalesce(to_char(s.last_pull_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''),"
        " coalesce(extract(epoch FROM now() - greatest(s.last_push_at, s.last_pull_at))::bigint, -1),"
        " s.outbox_depth, s.oldest_op_age_ms, coalesce(s.app_version, ''), s.clock_skew_ms, t.highest_receipt_seq,"
        " (SELECT count(*) FROM applied_ops a WHERE a.till_id = t.id AND a.resolved_at IS NULL"
        "    AND (a.status = 'rejected' OR cardinality(a.flags) > 0))"
        " FROM tills t LEFT JOIN till_sync_status s ON s.till_id = t.id"
        " WHERE t.store_id = $1 ORDER BY t.status, t.code",
        store_id);
    for (const auto& row : r) {
      TillHealth h;
      h.till_id = row[0].as<std::string>();
      h.name = row[1].as<std::string>();
      h.code = row[2].as<std::string>();
      h.status = row[3].as<std::string>();
      h.last_push_at = row[4].as<std::string>();
      h.last_pull_at = row[5].as<std::string>();
      h.seconds_since_sync = row[6].as<std::int64_t>();
      if (!row[7].is_null()) h.outbox_depth = row[7].as<int>();
      if (!row[8].is_null()) h.oldest_op_age_ms = row[8].as<std::int64_t>();
      h.app_version = row[9].as<std::string>();
      if (!row[10].is_null()) h.clock_skew_ms = row[10].as<std::int64_t>();
      h.highest_receipt_seq = row[11].as<std::int64_t>();
      h.open_attention = row[12].as<std::int64_t>();
      out.push_back(std::move(h));
    }
    return out;
  });
}

}  // namespace salespider::db
