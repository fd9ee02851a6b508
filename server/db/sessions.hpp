// Sessions of people and the offline grants issued with them, in
// PostgreSQL. Tokens are never stored: only SHA-256 hashes (hex here,
// bytea in the table). No <pqxx/...> here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/audit.hpp"

namespace salespider::db {

class Pool;

struct NewGrantRow {
  std::string id;
  std::string till_id;
  std::string role;
  std::int64_t issued_at_ms = 0;
  std::int64_t expires_at_ms = 0;
};

struct NewSessionRow {
  std::string store_id;
  std::string user_id;
  std::optional<std::string> till_id;
  std::string token_hash_hex;
  std::int64_t absolute_seconds = 0;
  std::string client_ip;
  std::string user_agent;
  std::string method;  // "password" | "pin"
  std::string login;   // as typed, for login_attempts
  std::optional<NewGrantRow> grant;
};
struct OpenedSession {
  std::string id;
  std::string expires_at;
};
// One transaction: the login attempt, the session, the grant row and the
// audit row (the caller forgets the failures: db/users.hpp).
OpenedSession open_session(Pool& pool, const NewSessionRow& session, AuditEntry audit);

struct SessionPrincipalRow {
  std::string session_id;
  std::string user_id;
  std::string store_id;
  std::string username;
  std::string display_name;
  std::string role;
  std::optional<std::string> till_id;
  std::int64_t seconds_since_seen = 0;
  std::string method;  // "password" | "pin"
};
// A live session: not revoked, not past its absolute expiry, used within
// `idle_seconds`, its user active.
std::optional<SessionPrincipalRow> live_session(Pool& pool, const std::string& token_hash_hex,
                                                std::int64_t idle_seconds);
void touch_session(Pool& pool, const std::string& session_id);

struct SessionRow {
  std::string id;
  std::string user_id;
  std::string username;
  std::string role;  // the user's role now (who may see and end the session)
  std::optional<std::string> till_id;
  std::string created_at;
  std::string last_seen_at;
  std::string expires_at;
  std::optional<std::string> revoked_at;
  std::optional<std::string> client_ip;
  std::string user_agent;
  bool active = false;
};
std::vector<SessionRow> list_sessions(Pool& pool, const std::string& store_id,
                                      const std::optional<std::string>& user_id, bool include_ended,
                                      std::int64_t idle_seconds);

// The user a session or an offline grant belongs to, and their role now
// (nullopt: no such session or grant in the store).
struct OwnerRow {
  std::string user_id;
  std::string role;
};
std::optional<OwnerRow> session_owner(Pool& pool, const std::string& store_id, const std::string& session_id);
std::optional<OwnerRow> grant_owner(Pool& pool, const std::string& store_id, const std::string& grant_id);

// false when no such live session (of that user, when owner_only is set).
bool revoke_session(Pool& pool, const std::string& store_id, const std::string& session_id,
                    const std::optional<std::string>& owner_only, const std::string& reason,
                    AuditEntry audit);

}  // namespace salespider::db
