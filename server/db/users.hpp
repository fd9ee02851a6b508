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
  std::optional<std::string> locked_until;  // set only while the lock lasts
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
  bool unlock = false;
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
  bool locked = false;                // the user is locked now
  std::int64_t address_failures = 0;  // within the window
  LoginPolicyRow policy;
};
LoginFacts login_facts(Pool& pool, const std::string& login, const std::string& client_ip);

struct FailedLogin {
  std::string store_id;
  std::string login;
  std::optional<std::string> user_id;
  std::string client_ip;
  std::string method;  // "password" | "pin"
  std::string reason;  // bad_password, bad_pin, unknown_user, locked, address_blocked, disabled, no_pin
  bool counts_for_account = false;
  LoginPolicyRow policy;
};
// Records the attempt and its audit row; locks the account when this
// failure reaches the limit. Returns true when it locked the account now.
bool record_failed_login(Pool& pool, const FailedLogin& attempt, AuditEntry audit);

}  // namespace salespider::db
