// Tills and their credentials in PostgreSQL. The credential is stored as
// its SHA-256 only. Retiring a till revokes its credential, its offline
// grants and the sessions opened on it, in one transaction with the audit
// row. No <pqxx/...> here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/audit.hpp"

namespace salespider::db {

class Pool;

struct TillRow {
  std::string id;
  std::string store_id;
  std::string name;
  std::string code;
  std::string status;  // "active" | "revoked"
  std::string enrolled_at;
  std::optional<std::string> enrolled_by;
  std::optional<std::string> revoked_at;
  std::optional<std::string> last_seen_at;
  std::int64_t highest_receipt_seq = 0;
  std::int64_t seconds_since_seen = -1;  // -1 = never
};

enum class TillWrite { ok, not_found, code_taken, already_retired };

struct NewTillRow {
  std::string store_id;
  std::string name;
  std::string code;
  std::string credential_hash_hex;
  std::optional<std::string> enrolled_by;
  std::optional<std::string> replaces;  // retired in the same transaction
};
TillWrite insert_till(Pool& pool, const NewTillRow& till, AuditEntry audit, TillRow* out);

std::optional<TillRow> till_by_credential(Pool& pool, const std::string& credential_hash_hex);
void touch_till(Pool& pool, const std::string& till_id);
std::vector<TillRow> list_tills(Pool& pool, const std::string& store_id);
std::optional<TillRow> find_till(Pool& pool, const std::string& store_id, const std::string& till_id);
TillWrite rename_till(Pool& pool, const std::string& store_id, const std::string& till_id,
                      const std::string& name, AuditEntry audit);
TillWrite retire_till(Pool& pool, const std::string& store_id, const std::string& till_id, AuditEntry audit);

}  // namespace salespider::db
