// See sync_attention.hpp.
#include "service/sync_attention.hpp"

#include "salespider/shared/ids.hpp"
#include "service/audit_entry.hpp"
#include "service/sync_push.hpp"

namespace salespider::service::sync {
namespace {

bool is_uuid(const std::string& text) {
  auto u = parse_uuid(text);
  return u && u->to_string() == text;
}

db::AuditActor actor_of(const auth::Actor& a) {
  auto actor = audit_actor(a);
  if (actor.via.empty()) actor.via = "cli";
  return actor;
}

}  // namespace

Outcome<std::vector<db::OpInfo>> AttentionService::list(const std::string& store_id, const db::OpQuery& query) {
  static const char* states[] = {"open", "rejected", "flagged", "resolved", "all"};
  bool known = false;
  for (const char* s : states) known = known || query.state == s;
  if (!known) return fail(Problem::bad_request, "state: open, rejected, flagged, resolved or all", "state");
  if (query.limit < 1 || query.limit > 1000) return fail(Problem::bad_request, "limit: 1 to 1000", "limit");
  if (!query.till_id.empty() && !is_uuid(query.till_id))
    return fail(Problem::bad_request, "till: not a till id", "till");
  if (!query.kind.empty() && !parse_op_kind(query.kind) && query.kind != "unknown")
    return fail(Problem::bad_request, "kind: not an op kind", "kind");
  return db::list_ops(pool_, store_id, query);
}

Outcome<db::OpInfo> AttentionService::show(const std::string& store_id, const std::string& op_id) {
  if (!is_uuid(op_id)) return fail(Problem::not_found, "no such op", "id");
  auto op = db::get_op(pool_, store_id, op_id);
  if (!op) return fail(Problem::not_found, "no such op", "id");
  return *op;
}

Outcome<db::OpInfo> AttentionService::close(const std::string& store_id, const std::string& op_id,
                                            const std::string& resolution, const std::string& note,
                                            const auth::Actor& actor) {
  if (resolution != "resolved" && resolution != "dismissed")
    return fail(Problem::bad_request, "resolution: resolved or dismissed");
  if (note.size() > 1000) return fail(Problem::bad_request, "note: at most 1000 bytes", "note");
  if (!is_uuid(op_id)) return fail(Problem::not_found, "no such op", "id");
  switch (db::resolve_op(pool_, store_id, op_id, resolution, note, actor_of(actor))) {
    case db::ResolveOutcome::not_found:
      return fail(Problem::not_found, "no such op", "id");
    case db::ResolveOutcome::not_open:
      return fail(Problem::conflict, "this op does not need attention (applied without flags, or already resolved)");
    case db::ResolveOutcome::done:
      break;
  }
  return show(store_id, op_id);
}

Outcome<OpResult> AttentionService::retry(const std::string& store_id, const std::string& op_id,
                                          const auth::Actor& actor, std::int64_t now_ms) {
  if (!is_uuid(op_id)) return fail(Problem::not_found, "no such op", "id");
  auto result = push_.retry(store_id, op_id, actor.user_id, now_ms, actor.via.empty() ? "cli" : actor.via);
  if (result.status == OpStatus::rejected && result.code == "not_found") return fail(Problem::not_found, "no such op");
  if (result.status == OpStatus::rejected && result.code == "conflict" &&
      result.message == "only unresolved rejected ops can be retried")
    return fail(Problem::conflict, "only unresolved rejected ops can be retried");
  return result;
}

std::vector<db::TillHealth> AttentionService::till_health(const std::string& store_id) {
  return db::till_health(pool_, store_id);
}

bool till_sync_stale(const db::TillHealth& till, std::int64_t stale_after_seconds) {
  return till.status == "active" && (till.seconds_since_sync < 0 || till.seconds_since_sync > stale_after_seconds);
}

}  // namespace salespider::service::sync
