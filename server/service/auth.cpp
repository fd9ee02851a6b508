// See auth.hpp.
#include "service/auth.hpp"

#include "db/sessions.hpp"
#include "db/users.hpp"
#include "salespider/shared/ids.hpp"
#include "service/audit_entry.hpp"

namespace salespider::service {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

auth::Actor actor_of(const LoginRequest& r, const std::optional<std::string>& user_id) {
  auth::Actor a;
  a.user_id = user_id;
  if (r.till) a.till_id = r.till->till_id;
  a.request_id = r.request_id;
  a.client_ip = r.client_ip;
  a.via = "http";
  return a;
}

// One message for every way a password login can fail before the password
// is known to be right, so the answer does not tell which accounts exist.
constexpr const char* kWrongLogin = "wrong login or password";

}  // namespace

AuthService::AuthService(db::Pool& pool, GrantService& grants, auth::PasswordParams params,
                         SessionPolicy sessions, support::Clock clock)
    : pool_(pool),
      grants_(grants),
      params_(params),
      sessions_(sessions),
      clock_(std::move(clock)),
      dummy_hash_(auth::hash_password(auth::random_bytes(16), params)) {}

Outcome<LoginResult> AuthService::login(const LoginRequest& request) {
  return login_with(request, false);
}

Outcome<LoginResult> AuthService::pin_login(const LoginRequest& request) {
  if (!request.till) return fail(Problem::forbidden, "PIN login works only on an enrolled till");
  return login_with(request, true);
}

Outcome<LoginResult> AuthService::login_with(const LoginRequest& request, bool pin) {
  const std::string method = pin ? "pin" : "password";
  const auto login = lower(request.login).substr(0, 254);
  if (login.empty() || request.password.empty() || request.password.size() > 1024) {
    return fail(Problem::bad_request, pin ? "login and pin are required" : "login and password are required");
  }
  auto facts = db::login_facts(pool_, login, request.client_ip);
  // The store's settings decide the limits (settings.login_*).
  const db::LoginPolicyRow policy = facts.policy;

  auto refuse = [&](const std::string& reason, bool counts, const std::optional<std::string>& user_id) {
    db::FailedLogin f{facts.store_id, login, user_id, request.client_ip, method, reason, counts, policy};
    db::AuditEntry audit;
    audit.store_id = facts.store_id;
    audit.actor = audit_actor(actor_of(request, std::nullopt));
    audit.action = "auth.login_failed";
    return db::record_failed_login(pool_, f, audit);
  };

  if (facts.address_failures >= policy.max_failures_per_address) {
    refuse("address_blocked", false, facts.user ? std::optional<std::string>(facts.user->id) : std::nullopt);
    return fail(Problem::rate_limited, "too many failed logins from this address; try again in " +
                                           std::to_string(policy.window_minutes) + " minutes");
  }
  if (!facts.user) {
    // Same work as a real check, so timing does not reveal unknown accounts.
    (void)auth::verify_password(request.password, dummy_hash_, params_);
    refuse("unknown_user", false, std::nullopt);
    return fail(Problem::unauthenticated, kWrongLogin);
  }
  const auto& user = *facts.user;
  if (facts.locked) {
    refuse("locked", false, user.id);
    return fail(Problem::rate_limited, "this account is locked after too many failed logins until " +
                                           user.locked_until.value_or("later") + "; a manager can unlock it");
  }
  const auto& hash = pin ? user.pin_hash : user.password_hash;
  if (!hash) {
    (void)auth::verify_password(request.password, dummy_hash_, params_);
    refuse(pin ? "no_pin" : "no_password", false, user.id);
    return fail(Problem::unauthenticated,
                pin ? "this person has no PIN; log in with the password" : kWrongLogin);
  }
  if (!auth::verify_password(request.password, *hash, params_)) {
    const bool locked_now = refuse(pin ? "bad_pin" : "bad_password", true, user.id);
    if (locked_now) {
      return fail(Problem::rate_limited, "too many failed logins: this account is locked for " +
                                             std::to_string(policy.lockout_minutes) +
                                             " minutes; a manager can unlock it");
    }
    return fail(Problem::unauthenticated, pin ? "wrong PIN" : kWrongLogin);
  }
  if (user.status != "active") {
    refuse("disabled", false, user.id);
    return fail(Problem::forbidden, "this account is disabled; ask a manager");
  }

  LoginResult result;
  result.user.user_id = user.id;
  result.user.store_id = user.store_id;
  result.user.username = user.username;
  result.user.display_name = user.display_name;
  result.user.role = auth::role_from_string(user.role).value_or(auth::Role::cashier);
  if (request.till) result.user.till_id = request.till->till_id;
  result.token = auth::new_token(auth::kSessionTokenPrefix);

  db::NewSessionRow row;
  row.store_id = user.store_id;
  row.user_id = user.id;
  if (request.till) row.till_id = request.till->till_id;
  row.token_hash_hex = auth::sha256_hex(result.token);
  row.absolute_seconds = sessions_.absolute.count();
  row.client_ip = request.client_ip;
  row.user_agent = request.user_agent;
  row.method = method;
  row.login = login;
  if (request.till) {
    // Offline logins on this till, for this person, from now on.
    const std::int64_t now = clock_.now_ms();
    result.grant = grants_.issue(result.user, *request.till, now, policy.grant_hours);
    row.grant = db::NewGrantRow{result.grant->grant_id, request.till->till_id, user.role, now,
                                result.grant->expires_at_ms};
  }
  db::AuditEntry audit;
  audit.store_id = user.store_id;
  audit.actor = audit_actor(actor_of(request, user.id));
  audit.action = pin ? "auth.pin_login" : "auth.login";
  const auto opened = db::open_session(pool_, row, audit);
  result.session_id = opened.id;
  result.expires_at = opened.expires_at;
  result.user.session_id = opened.id;
  return result;
}

Outcome<auth::UserPrincipal> AuthService::authenticate(const std::string& token,
                                                       const std::string& /*client_ip*/) {
  if (token.rfind(auth::kSessionTokenPrefix, 0) != 0 || token.size() > 128) {
    return fail(Problem::unauthenticated, "not a session token");
  }
  const auto row = db::live_session(pool_, auth::sha256_hex(token), sessions_.idle.count());
  if (!row) return fail(Problem::unauthenticated, "the session has expired or was ended");
  // At most one write a minute per session: idle expiry needs no finer grain.
  if (row->seconds_since_seen >= 60) db::touch_session(pool_, row->session_id);
  auth::UserPrincipal p;
  p.user_id = row->user_id;
  p.store_id = row->store_id;
  p.session_id = row->session_id;
  p.username = row->username;
  p.display_name = row->display_name;
  p.role = auth::role_from_string(row->role).value_or(auth::Role::cashier);
  p.till_id = row->till_id;
  return p;
}

Completion AuthService::logout(const auth::UserPrincipal& me, const auth::Actor& actor) {
  db::AuditEntry audit;
  audit.store_id = me.store_id;
  audit.actor = audit_actor(actor);
  audit.action = "auth.logout";
  if (!db::revoke_session(pool_, me.store_id, me.session_id, me.user_id, "logout", audit)) {
    return fail(Problem::unauthenticated, "the session has already ended");
  }
  return Done{};
}

std::vector<SessionInfo> AuthService::list_sessions(const std::string& store_id,
                                                    const std::optional<std::string>& user_id,
                                                    bool include_ended) {
  return db::list_sessions(pool_, store_id, user_id, include_ended, sessions_.idle.count());
}

Completion AuthService::revoke_session(const std::string& store_id, const std::string& session_id,
                                       const std::optional<std::string>& owner_only,
                                       const auth::Actor& actor) {
  if (!parse_uuid(session_id)) return fail(Problem::not_found, "no such session");
  db::AuditEntry audit;
  audit.store_id = store_id;
  audit.actor = audit_actor(actor);
  audit.action = "session.revoke";
  if (!db::revoke_session(pool_, store_id, session_id, owner_only, "revoked", audit)) {
    return fail(Problem::not_found, "no such active session");
  }
  return Done{};
}

}  // namespace salespider::service
