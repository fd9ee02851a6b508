// Users, login facts and login attempts in PostgreSQL. Each mutating
// function is one transaction that also writes its audit row (db/audit.hpp)
// with before/after values; password and PIN hashes never enter the audit
// log. No <pqxx/...> here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/audit.hpp"

namespace salespider::db {

class Pool;

struct UserRow {
  std::string id;
  std::string store_id;
  std::optional<std::string> email;
  std::string username;
  std::string display_name;
  std::string role;
  std::string status;
  bool has_pin = false;
  // While failed logins block this account from some address (the latest
  // such block's end; other addresses may still sign in).
  std::optional<std::string> locked_until;
  std::string created_at;
  std::string updated_at;
  // Only filled by login_facts:
  std::optional<std::string> password_hash;
  std::optional<std::string> pin_hash;
};

std::string store_id_of_first_store(Pool& pool);
std::int64_t count_users(Pool& pool);
std::vector<UserRow> list_users(Pool& pool, const std::string& store_id);
std::optional<UserRow> find_user(Pool& pool, const std::string& store_id,
                                 const std::string& id_email_or_username);

enum class WriteStatus { ok, not_found, email_taken, username_taken, last_owner };

struct NewUserRow {
  std::string store_id;
  std::optional<std::string> email;
  std::string username;
  std::string display_name;
  std::string role;
  std::string password_hash;
  std::optional<std::string> pin_hash;
};
// `audit.detail` gets "after"; `only_if_no_users` makes it a no-op
// (returns not_found) when any user exists (first owner, race-free).
WriteStatus insert_user(Pool& pool, const NewUserRow& user, AuditEntry audit, std::string* id_out,
                        bool only_if_no_users = false);

struct UserChange {
  std::optional<std::optional<std::string>> email;
  std::optional<std::string> username;
  std::optional<std::string> display_name;
  std::optional<std::string> role;
  std::optional<std::string> status;
  std::optional<std::string> password_hash;
  std::optional<std::optional<std::string>> pin_hash;
  bool unlock = false;  // forgets the account's failed logins from every address
  // Sessions and offline grants of the user are revoked with this reason
  // ("user_disabled", "password_reset"); "" = keep them.
  std::string revoke_reason;
  std::optional<std::string> keep_session_id;  // e.g. the session changing its own password
};
// Refuses (last_owner) to leave the store without an active super_admin.
WriteStatus update_user(Pool& pool, const std::string& store_id, const std::string& user_id,
                        const UserChange& change, AuditEntry audit);

// ---------------------------------------------------------------- logins

struct LoginPolicyRow {
  int max_failures = 5;
  int max_failures_per_address = 20;
  int window_minutes = 15;
  int lockout_minutes = 60;
  int grant_hours = 168;
};

struct LoginFacts {
  std::string store_id;
  std::optional<UserRow> user;        // with password_hash/pin_hash
  std::int64_t address_failures = 0;  // within the window, any account
  LoginPolicyRow policy;
};
LoginFacts login_facts(Pool& pool, const std::string& login, const std::string& client_ip);
// The policy alone (a password change checks the current password).
LoginFacts login_policy(Pool& pool);

// Who is guessing at what: `account` is a user id, or "login:<name>" for a
// login no user has, so unknown names are throttled like real ones.
struct ThrottleKey {
  std::string store_id;
  std::string account;
  std::string client_ip;  // "" outside HTTP
};
struct Claim {
  bool allowed = false;    // false: blocked now, nothing counted
  bool blocks_now = false;  // this attempt used the last try: a wrong secret blocks the key
  std::int64_t retry_after_seconds = 0;  // when blocked (or blocks_now)
};
// Counts one attempt for `key` before its secret is checked, in one
// statement on the key's row (so concurrent guesses never pass the limit):
// max_failures within window_minutes, then a block of 1, 2, 4 ... minutes,
// at most lockout_minutes; a day without failures forgets the backoff.
Claim claim_login_attempt(Pool& pool, const ThrottleKey& key, const LoginPolicyRow& policy);
// The secret was right: the key's failures are forgotten.
void forget_login_failures(Pool& pool, const ThrottleKey& key);

struct FailedLogin {
  std::string store_id;
  std::string login;
  std::optional<std::string> user_id;
  std::string client_ip;
  std::string method;  // "password" | "pin" (a password change checks a password)
  // bad_password, bad_pin, bad_current_password, unknown_user, blocked, address_blocked, disabled, no_pin
  std::string reason;
  bool blocked_now = false;  // this failure used the key's last try: also a user.locked row
  std::int64_t blocked_seconds = 0;
};
// Records the attempt (login_attempts) and its audit row.
void record_failed_login(Pool& pool, const FailedLogin& attempt, AuditEntry audit);

}  // namespace salespider::db
