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

// ---------------------------------------------------------------- enrolment codes

struct NewEnrolCode {
  std::string store_id;
  std::string code_hash_hex;  // SHA-256 of the code as typed (upper case)
  std::optional<std::string> name;
  std::optional<std::string> created_by;
  int lifetime_minutes = 15;
};
struct EnrolCodeRow {
  std::string id;
  std::string expires_at;
};
// nullopt: the hash is taken (draw another code). Audited in the same transaction.
std::optional<EnrolCodeRow> insert_enrol_code(Pool& pool, const NewEnrolCode& code, AuditEntry audit);

enum class CodeCheck { ok, unknown, expired, used, no_name };
struct CodeEnrolment {
  CodeCheck check = CodeCheck::unknown;
  TillWrite write = TillWrite::not_found;  // when check == ok
  TillRow till;
};
// Enrols a till with a code, in one transaction: the code's row is locked,
// checked (unknown, expired, already used), the till inserted (enrolled_by =
// the code's creator) and the code marked used by it. Two concurrent uses
// of one code: the second waits for the row lock and then finds it used.
// `till.store_id` is ignored: the code's store is used. An empty
// `till.name` takes the code's name (no_name when it has none).
CodeEnrolment insert_till_with_code(Pool& pool, const std::string& code_hash_hex, NewTillRow till,
                                    AuditEntry audit);

// ---------------------------------------------------------------- hand-over

// The outbox depth the till last reported on a push or pull (till_sync_status);
// nullopt when it never reported one.
std::optional<std::int64_t> reported_outbox_depth(Pool& pool, const std::string& till_id);

// Whether `to_till` may push `from_till`'s ops (docs/security.md "Hand-over
// of a retired till"). Checked in one read: from_till is a till of the
// store that is retired; to_till was enrolled at or after that retirement
// by a manager or owner (or with a code made on the admin CLI); no other
// till has taken over from_till's ops before.
enum class HandoverCheck { ok, no_such_till, not_retired, enrolled_before, not_by_manager, taken_by_other };
struct HandoverFacts {
  HandoverCheck check = HandoverCheck::no_such_till;
  TillRow from;                          // when found
  std::optional<std::string> by_user;    // who enrolled to_till
};
HandoverFacts check_handover(Pool& pool, const std::string& store_id, const std::string& from_till,
                             const std::string& to_till);

struct HandoverRow {
  std::string store_id;
  std::string from_till;
  std::optional<std::string> to_till;  // nullopt: imported from a file
  std::optional<std::string> by_user;
  std::int64_t op_count = 0;
  std::int64_t new_ops = 0;
};
// The row and its audit row (action given by the caller) in one transaction.
void record_handover(Pool& pool, const HandoverRow& row, AuditEntry audit);

}  // namespace salespider::db
