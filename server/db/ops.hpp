// "Needs attention" in SQL: ops a till pushed that the server rejected (kept
// with their payload) or applied with flags, and a manager's resolution of
// them, audited in the same transaction. Retrying an op goes through the
// push path (service/sync_push.hpp), not through here.
// No pqxx types in this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/audit.hpp"

namespace salespider::db {

class Pool;

struct OpFlagInfo {
  std::string kind;
  std::string detail;  // JSON object text
  std::optional<std::string> sale_id;
  std::string created_at;
};

struct OpInfo {
  std::string op_id;
  std::string till_id;
  std::string till_code;
  std::string kind;
  std::string status;  // applied | rejected
  std::string reject_code;
  std::string reject_message;
  std::vector<std::string> flags;
  std::string user_id;  // as sent
  std::string occurred_at;  // the till's clock (ISO 8601)
  std::string received_at;  // the server's
  std::string resolution;   // "", resolved, dismissed
  std::string resolution_note;
  std::string resolved_at;
  std::string resolved_by;
  std::string retried_at;
  // Detail only (get_op):
  std::string payload;  // JSON text, "" when not kept
  std::string result_message;
  std::vector<OpFlagInfo> flag_rows;
};

struct OpQuery {
  // open: rejected or flagged, not resolved; rejected; flagged; resolved; all
  std::string state = "open";
  std::string till_id;  // "" = every till
  std::string kind;     // "" = every kind
  int limit = 100;
};

std::vector<OpInfo> list_ops(Pool& pool, const std::string& store_id, const OpQuery& query);
std::optional<OpInfo> get_op(Pool& pool, const std::string& store_id, const std::string& op_id);

enum class ResolveOutcome { done, not_found, not_open };

// resolution: "resolved" | "dismissed". Writes the audit row (op.resolved /
// op.dismissed) in the same transaction.
ResolveOutcome resolve_op(Pool& pool, const std::string& store_id, const std::string& op_id,
                          const std::string& resolution, const std::string& note, const AuditActor& actor);

// One audit row on its own (op.retried, written after a retry).
void audit_op_action(Pool& pool, const std::string& store_id, const std::string& op_id, const std::string& action,
                     const std::string& detail_json, const AuditActor& actor);


// Till health: one row per till of the store.
struct TillHealth {
  std::string till_id;
  std::string name;
  std::string code;
  std::string status;
  std::string last_push_at;  // ISO 8601, "" = never
  std::string last_pull_at;
  std::int64_t seconds_since_sync = -1;  // since the later of the two; -1 = never synced
  std::optional<int> outbox_depth;
  std::optional<std::int64_t> oldest_op_age_ms;
  std::string app_version;
  std::optional<std::int64_t> clock_skew_ms;
  std::int64_t highest_receipt_seq = 0;
  std::int64_t open_attention = 0;  // its rejected or flagged ops not yet resolved
};
std::vector<TillHealth> till_health(Pool& pool, const std::string& store_id);

}  // namespace salespider::db
