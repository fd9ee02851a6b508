// See auth.hpp.
#include "service/auth.hpp"

#include <algorithm>

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

// One answer for every way a login can fail before it succeeds: an unknown
// login, a wrong secret, a disabled person, a person without a PIN. The
// anonymous caller cannot tell which accounts exist or what state they are in.
constexpr const char* kWrongLogin = i18n::N_("wrong login or password");
constexpr const char* kWrongPinLogin = i18n::N_("wrong login or PIN");

constexpr const char* kNotYours = i18n::N_("only the person or someone ranked above them may see or end their sessions");

std::int64_t minutes_of(std::int64_t seconds) { return std::max<std::int64_t>(1, (seconds + 59) / 60); }

}  // namespace

AuthService::AuthService(db::Pool& pool, GrantService& grants, auth::PasswordParams params,
                         SessionPolicy sessions, support::Clock clock, std::filesystem::path first_login_file)
    : pool_(pool),
      grants_(grants),
      params_(params),
      sessions_(sessions),
      clock_(std::move(clock)),
      first_login_file_(std::move(first_login_file)),
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
    return pin ? fail(Problem::bad_request, "login and pin are required")
               : fail(Problem::bad_request, "login and password are required");
  }
  auto facts = db::login_facts(pool_, login, request.client_ip);
  // The store's settings decide the limits (settings.login_*).
  const db::LoginPolicyRow policy = facts.policy;
  const std::optional<std::string> user_id =
      facts.user ? std::optional<std::string>(facts.user->id) : std::nullopt;

  auto refuse = [&](const std::string& reason, const db::Claim& claim) {
    db::FailedLogin f{facts.store_id, login,       user_id, request.client_ip, method, reason,
                      claim.blocks_now, claim.retry_after_seconds};
    db::AuditEntry audit;
    audit.store_id = facts.store_id;
    audit.actor = audit_actor(actor_of(request, std::nullopt));
    audit.action = "auth.login_failed";
    db::record_failed_login(pool_, f, audit);
  };
  auto blocked = [&](std::int64_t seconds) {
    const auto minutes = minutes_of(seconds);
    if (minutes == 1) return fail(Problem::rate_limited, "too many failed logins: try again in 1 minute or ask a manager");
    return fail(Problem::rate_limited, "too many failed logins: try again in {minutes} minutes or ask a manager", "",
                {{"minutes", std::to_string(minutes)}});
  };

  if (facts.address_failures >= policy.max_failures_per_address) {
    refuse("address_blocked", db::Claim{});
    return fail(Problem::rate_limited, "too many failed logins from this address; try again in {minutes} minutes", "",
                {{"minutes", std::to_string(policy.window_minutes)}});
  }
  // Counted before the secret is checked (one row lock), so concurrent
  // guesses cannot pass the limit; unknown logins get a key of their own and
  // are throttled exactly like real ones.
  const db::ThrottleKey key{facts.store_id, user_id ? *user_id : "login:" + login, request.client_ip};
  const auto claim = db::claim_login_attempt(pool_, key, policy);
  if (!claim.allowed) {
    refuse("blocked", claim);
    return blocked(claim.retry_after_seconds);
  }
  // Exactly one Argon2 verification whatever the account's state, so the
  // time taken does not tell either.
  const std::optional<std::string> hash =
      facts.user ? (pin ? facts.user->pin_hash : facts.user->password_hash) : std::nullopt;
  const bool right = auth::verify_password(request.password, hash.value_or(dummy_hash_), params_) && hash;
  std::string reason;
  if (!facts.user) {
    reason = "unknown_user";
  } else if (!hash) {
    reason = pin ? "no_pin" : "no_password";
  } else if (!right) {
    reason = pin ? "bad_pin" : "bad_password";
  } else if (facts.user->status != "active") {
    reason = "disabled";
  }
  if (!reason.empty()) {
    refuse(reason, claim);
    if (claim.blocks_now) return blocked(claim.retry_after_seconds);
    return fail(Problem::unauthenticated, pin ? kWrongPinLogin : kWrongLogin);
  }
  const auto& user = *facts.user;
  db::forget_login_failures(pool_, key);

  LoginResult result;
  result.user.user_id = user.id;
  result.user.store_id = user.store_id;
  result.user.username = user.username;
  result.user.display_name = user.display_name;
  result.user.role = auth::role_from_string(user.role).value_or(auth::Role::cashier);
  if (request.till) result.user.till_id = request.till->till_id;
  result.user.pin_session = pin;
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
  // The generated first password has done its job once an owner is in.
  if (result.user.role == auth::Role::super_admin) forget_first_login_file(first_login_file_);
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
  p.pin_session = row->method == "pin";
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

Outcome<std::vector<SessionInfo>> AuthService::list_sessions_as(const auth::UserPrincipal& viewer,
                                                                 const std::optional<std::string>& user_id,
                                                                 bool include_ended) {
  auto may_see = [&](const std::string& owner, const std::string& role) {
    const auto r = auth::role_from_string(role);
    return owner == viewer.user_id || (r && auth::may_manage(viewer.role, *r));
  };
  if (user_id && *user_id != viewer.user_id) {
    const auto u = db::find_user(pool_, viewer.store_id, *user_id);
    if (u && !may_see(u->id, u->role)) return fail(Problem::forbidden, kNotYours);
  }
  std::vector<SessionInfo> out;
  for (auto& s : list_sessions(viewer.store_id, user_id, include_ended)) {
    if (may_see(s.user_id, s.role)) out.push_back(std::move(s));
  }
  return out;
}

Completion AuthService::revoke_session(const std::string& store_id, const std::string& session_id,
                                       const std::optional<std::string>& owner_only, const auth::Actor& actor,
                                       std::optional<auth::Role> acting_as) {
  if (!parse_uuid(session_id)) return fail(Problem::not_found, "no such session");
  if (acting_as) {
    const auto owner = db::session_owner(pool_, store_id, session_id);
    if (!owner) return fail(Problem::not_found, "no such active session");
    const auto role = auth::role_from_string(owner->role);
    if (owner->user_id != actor.user_id && !(role && auth::may_manage(*acting_as, *role))) {
      return fail(Problem::forbidden, kNotYours);
    }
  }
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
