// The audit log in PostgreSQL: appending rows (inside the caller's
// transaction, so the row commits or rolls back with the action), and the
// queries the sealer, `audit verify` and the viewer need.
//
// Any db/ code that performs a mutating action calls append_audit with its
// own pqxx transaction; the database forces occurred_at and txid and leaves
// the row unsealed whatever the caller sends (migration 0007). Sealing
// (chain position, prev_hash, hash) is done later by service/audit.cpp's
// sealer, in commit-safe order, through audit_seal_row() (the server's role
// has no UPDATE on audit_log); see docs/security.md "Audit log".
//
// Includes no <pqxx/...>: pqxx::transaction_base is only declared.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace pqxx {
class transaction_base;
}

namespace salespider::db {

class Pool;

// Who did it, as plain values (service/audit_entry.hpp fills it from the
// caller's auth::Actor).
struct AuditActor {
  std::optional<std::string> user_id;
  std::optional<std::string> till_id;
  std::string request_id;  // "" outside HTTP (CLI, background jobs)
  std::string client_ip;   // "" outside HTTP
  std::string via;         // "http", "cli", "sync", "startup"
};

struct AuditEntry {
  std::string store_id;
  AuditActor actor;
  std::string action;                                // "user.login", "product.update" ([a-z][a-z0-9_.]*)
  std::optional<std::string> entity;                 // "user", "product" ([a-z][a-z_]*)
  std::optional<std::string> entity_id;              // uuid
  nlohmann::json detail = nlohmann::json::object();  // {"before":{...},"after":{...}, ...}; never secrets
};

void append_audit(pqxx::transaction_base& tx, const AuditEntry& entry);
// For actions that change nothing else (exports, reads worth recording):
// the row in a transaction of its own.
void append_audit_now(Pool& pool, const AuditEntry& entry);

// One stored row, as hashed and shown.
struct AuditRow {
  std::int64_t id = 0;
  std::string txid;  // xid8 as text
  std::optional<std::int64_t> chain_pos;
  std::string store_id;
  std::int64_t occurred_at_us = 0;  // server clock, microseconds since the epoch
  std::string occurred_at;          // ISO 8601 UTC
  std::optional<std::string> actor_user_id;
  std::optional<std::string> actor_till_id;
  std::string action;
  std::optional<std::string> entity;
  std::optional<std::string> entity_id;
  std::optional<std::string> request_id;
  std::optional<std::string> client_ip;
  std::string detail;                    // jsonb as text (PostgreSQL's normalised form)
  std::optional<std::string> prev_hash;  // 32 raw bytes
  std::optional<std::string> hash;       // 32 raw bytes
};

struct ChainHead {
  std::int64_t position = 0;  // 0 = empty chain
  std::string hash;           // 32 raw bytes; "" when empty
};

// The sealer's step, in one transaction under an advisory lock: reads the
// head, the unsealed rows below the transaction-id watermark in (txid, id)
// order (at most `limit`), lets `seal` compute each row's hash, writes them.
// Returns the new head (unchanged when nothing was sealed).
using SealFn =
    std::function<std::string(const AuditRow& row, std::int64_t position, const std::string& prev_hash)>;
ChainHead seal_audit_rows(Pool& pool, std::size_t limit, const SealFn& seal);

ChainHead audit_chain_head(Pool& pool);
// The head recorded when shift `shift_id` closed (migration 0007), or nullopt
// while it is open or when it closed before heads were recorded.
std::optional<ChainHead> shift_close_audit_head(Pool& pool, const std::string& shift_id);

// Sealed rows with chain_pos > after, in chain order (paging for verify).
std::vector<AuditRow> sealed_audit_rows(Pool& pool, std::int64_t after, std::size_t limit);
std::int64_t unsealed_audit_count(Pool& pool);

struct AuditFilter {
  std::optional<std::string> action_prefix;  // "user." or "user.login"
  std::optional<std::string> actor_user_id;
  std::optional<std::string> actor_till_id;
  std::optional<std::string> entity;
  std::optional<std::string> entity_id;
  std::optional<std::string> from;  // ISO 8601, inclusive
  std::optional<std::string> to;    // ISO 8601, exclusive
};
// Newest first; `before_id` pages (0 = from the newest).
std::vector<AuditRow> find_audit_rows(Pool& pool, const std::string& store_id, const AuditFilter& filter,
                                      std::int64_t before_id, std::size_t limit);

}  // namespace salespider::db
