// Logging people in and keeping them logged in: password login (with an
// offline grant when the request comes from an enrolled till), PIN login on
// an enrolled till, sessions with idle and absolute expiry, logout, listing
// and revoking sessions, and login throttling.
//
// Sessions: the token is "sps_" + base64url(32 random bytes); only its
// SHA-256 is stored. A session ends at its absolute expiry, after `idle`
// without use, when revoked, or when its user is disabled.
// Throttling (in PostgreSQL, so restarts and several servers agree; limits
// per store in settings.login_*): per account and client address, 5
// failures within 15 minutes block that pair for 1, 2, 4 ... minutes (at
// most login_lockout_minutes), counted before the secret is checked so
// concurrent guesses never pass the limit; per client address, 20 failures
// within the window refuse further attempts from it until the window
// passes. Every failure answers the same whether the account exists, is
// disabled or has no PIN. Every attempt is audited.
#pragma once

#include <chrono>
#include <filesystem>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/crypto.hpp"
#include "auth/principal.hpp"
#include "db/sessions.hpp"
#include "service/auth_outcome.hpp"
#include "service/grants.hpp"
#include "service/users.hpp"
#include "support/clock.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service {

struct SessionPolicy {
  std::chrono::seconds idle{12 * 60 * 60};
  std::chrono::seconds absolute{7 * 24 * 60 * 60};
};

struct LoginRequest {
  std::string login;                        // e-mail or username
  std::string password;                     // or the PIN, for pin_login
  std::optional<auth::TillPrincipal> till;  // the request also carried a valid till credential
  std::string client_ip;
  std::string user_agent;
  std::string request_id;
};

struct LoginResult {
  std::string token;  // shown once
  std::string session_id;
  std::string expires_at;  // absolute expiry, ISO 8601
  auth::UserPrincipal user;
  std::optional<IssuedGrant> grant;  // when logged in on an enrolled till
};

// A person's session as listed to managers: the row as the database keeps it
// (token hashes are never part of it).
using SessionInfo = db::SessionRow;

class AuthService {
 public:
  // `first_login_file`: removed when an owner signs in (users.hpp kFirstLoginFileName).
  AuthService(db::Pool& pool, GrantService& grants, auth::PasswordParams params, SessionPolicy sessions,
              support::Clock clock, std::filesystem::path first_login_file = {});

  Outcome<LoginResult> login(const LoginRequest& request);
  // PIN switch on an enrolled till (request.till must be set). Only for
  // users who have a PIN; throttled and audited like passwords.
  Outcome<LoginResult> pin_login(const LoginRequest& request);

  // Resolves a session token; refreshes last_seen_at at most once a minute.
  Outcome<auth::UserPrincipal> authenticate(const std::string& token, const std::string& client_ip);

  Completion logout(const auth::UserPrincipal& me, const auth::Actor& actor);

  // All sessions of the store (user_id nullopt) or of one user, newest first
  // (the CLI: everyone's).
  std::vector<SessionInfo> list_sessions(const std::string& store_id,
                                         const std::optional<std::string>& user_id, bool include_ended);
  // The same as `viewer` sees them: their own and those of people ranked
  // below them (auth::may_manage); asking for someone ranked higher is
  // forbidden, not an empty list.
  Outcome<std::vector<SessionInfo>> list_sessions_as(const auth::UserPrincipal& viewer,
                                                     const std::optional<std::string>& user_id,
                                                     bool include_ended);
  // `owner_only`: the session must belong to this user (self-service).
  // `acting_as`: the actor's role; the session must then be the actor's own
  // or belong to someone ranked below (nullopt: the CLI, anyone's).
  Completion revoke_session(const std::string& store_id, const std::string& session_id,
                            const std::optional<std::string>& owner_only, const auth::Actor& actor,
                            std::optional<auth::Role> acting_as = std::nullopt);

 private:
  Outcome<LoginResult> login_with(const LoginRequest& request, bool pin);

  db::Pool& pool_;
  GrantService& grants_;
  auth::PasswordParams params_;
  SessionPolicy sessions_;
  support::Clock clock_;  // grant issue times
  std::filesystem::path first_login_file_;
  std::string dummy_hash_;  // verified against when the account does not exist (same timing)
};

}  // namespace salespider::service
