// Session effects: enrolment, sign-in (online, then offline against the
// till's own verifier) and the lock (sign-out, switching cashier), plus a
// manager's PIN approval, which is the same offline check. See session.hpp.
#include "effects/session.hpp"

#include <salespider/shared/i18n.hpp>

#include "automation/json_writer.hpp"
#include "platform/crypto.hpp"
#include "platform/storage.hpp"
#include "store/catalog.hpp"

#include <salespider/shared/i18n.hpp>

#include <cstdio>
#include <initializer_list>
#include <utility>

namespace salespider::effects {

namespace {

// {"<k1>":"<v1>",...}: the small request bodies of sign-in and enrolment.
std::string json_object(std::initializer_list<std::pair<const char*, std::string_view>> fields) {
  automation::JsonWriter json;
  json.begin_object();
  for (const auto& [key, value] : fields) json.key(key).value(value);
  json.end_object();
  return json.str();
}

}  // namespace

void Session::save_account(const auth::LocalAccount& account) {
  store::Store* s = ctx_.store();
  if (!s) return;
  if (store::Status st = s->set_setting(auth::account_key(account.user.id), auth::encode_account(account));
      !st) {
    std::fprintf(stderr, "salespider: could not keep %s for offline sign-in: %s\n",
                 account.user.username.c_str(), st.error().context.c_str());
    return;
  }
  // The verifier is what makes the next offline sign-in possible: persist it
  // now rather than with the next timed snapshot.
  (void)s->flush();
  publish_accounts();
}

void Session::publish_accounts() {
  std::vector<state::KnownUser> users;
  for (const auth::LocalAccount& a : load_accounts(ctx_.store()))
    users.push_back(
        state::KnownUser{a.user.id, a.user.username, a.user.display_name, !a.password_verifier.empty(),
                         !a.pin_verifier.empty(), a.user.language});
  ctx_.app.apply(state::KnownUsersChanged{std::move(users)});
}

// Enrolment: the manager signs in (no till yet), enrols, signs out again;
// then this browser signs the manager in as the new till's first person.
void Session::enrol(const state::SubmitEnrol& c) {
  if (!c.code.empty()) {
    enrol_with_code(c);
    return;
  }
  PendingLogin who{c.login, c.password, false};
  const std::string name = c.till_name.empty() ? std::string(i18n::tr("Till")) : c.till_name;
  ctx_.http.send(
      json_post("/api/v1/auth/login", json_object({{"login", c.login}, {"password", c.password}})),
      [this, who, name](sync::HttpResponse response) {
        if (response.status != 200) {
          ctx_.server_reachable = !no_answer(response);
          ctx_.app.apply(state::EnrolFinished{
              std::nullopt, no_answer(response) ? i18n::tr("Enrolment needs the store server — it cannot be reached.")
                                                : auth::error_message(response.body, response.status)});
          return;
        }
        std::optional<std::string> token = auth::parse_session_token(response.body);
        if (!token) {
          ctx_.app.apply(state::EnrolFinished{std::nullopt, i18n::tr("The store server's answer was not understood.")});
          return;
        }
        sync::HttpRequest r = json_post("/api/v1/tills", json_object({{"name", name}}));
        r.headers.emplace_back("Authorization", "Bearer " + *token);
        const std::string session = *token;
        ctx_.http.send(r, [this, who, session](sync::HttpResponse answer) {
          // The manager's enrolment session has done its job.
          sync::HttpRequest out = json_post("/api/v1/auth/logout", "{}");
          out.headers.emplace_back("Authorization", "Bearer " + session);
          ctx_.http.send(out, [](sync::HttpResponse) {});
          if (answer.status != 201 && answer.status != 200) {
            ctx_.app.apply(
                state::EnrolFinished{std::nullopt, auth::error_message(answer.body, answer.status)});
            return;
          }
          std::optional<auth::Identity> identity = auth::parse_enrol_answer(answer.body);
          if (!identity) {
            ctx_.app.apply(
                state::EnrolFinished{std::nullopt, i18n::tr("The store server's answer was not understood.")});
            return;
          }
          identity->enrolled_at_ms = ctx_.now_ms();
          after_enrolment(std::move(*identity), who);
        });
      });
}

// A code a manager made on the Tills screen (or `salespider till enrol-code`):
// no sign-in on this browser; nobody is signed in afterwards.
void Session::enrol_with_code(const state::SubmitEnrol& c) {
  std::string body = json_object({{"code", c.code}, {"name", c.till_name}});
  ctx_.http.send(json_post("/api/v1/tills/enrol-with-code", std::move(body)), [this](sync::HttpResponse answer) {
    if (answer.status != 201) {
      ctx_.server_reachable = !no_answer(answer);
      ctx_.app.apply(state::EnrolFinished{
          std::nullopt, no_answer(answer) ? i18n::tr("Enrolment needs the store server — it cannot be reached.")
                                          : auth::error_message(answer.body, answer.status)});
      return;
    }
    std::optional<auth::Identity> identity = auth::parse_enrol_answer(answer.body);
    if (!identity) {
      ctx_.app.apply(state::EnrolFinished{std::nullopt, i18n::tr("The store server's answer was not understood.")});
      return;
    }
    identity->enrolled_at_ms = ctx_.now_ms();
    after_enrolment(std::move(*identity), PendingLogin{"", "", false});
  });
}

void Session::after_enrolment(auth::Identity identity, PendingLogin login) {
  // Re-enrolled (the old till was retired or refused): the ops it recorded
  // keep its id and are handed over under it; nothing is deleted.
  if (ctx_.identity && ctx_.identity->till_id != identity.till_id) {
    identity.predecessor_till_id = ctx_.identity->till_id;
    identity.predecessor_code = ctx_.identity->code;
  }
  const std::string json = auth::encode_identity(identity);
  saving_identity_ = std::make_pair(std::move(identity), std::move(login));
  platform::storage::save_identity(json);
}

void Session::identity_saved(bool ok) {
  if (!saving_identity_) return;
  auto [identity, login] = std::move(*saving_identity_);
  saving_identity_.reset();
  if (!ok) {
    ctx_.app.apply(
        state::EnrolFinished{std::nullopt,
                             i18n::trf("The till was enrolled but this browser could not store it. Check the storage "
                                       "settings and enrol again; a manager can retire till {code}.",
                                       {{"code", identity.code}})});
    return;
  }
  ctx_.identity = identity;
  if (ctx_.sync)
    ctx_.sync->set_identity(
        sync::TillIdentity{identity.till_id, identity.code, identity.credential, identity.predecessor_till_id});
  ctx_.app.apply(state::EnrolFinished{auth::till_info(identity), ""});
  // The manager who enrolled is signed in at once (and gets an offline grant);
  // after an enrolment with a code, nobody is.
  if (!login.login.empty()) ctx_.app.apply(state::SubmitLogin{login.login, login.secret});
}

// --- sign-in ------------------------------------------------------------------------

void Session::login_with(PendingLogin who) {
  if (!ctx_.identity) {
    finish_login(std::nullopt, i18n::tr("This browser is not enrolled as a till yet."));
    return;
  }
  const char* path = who.pin ? "/api/v1/auth/pin-login" : "/api/v1/auth/login";
  const char* secret_key = who.pin ? "pin" : "password";
  sync::HttpRequest r = json_post(path, json_object({{"login", who.login}, {secret_key, who.secret}}));
  if (who.pin)
    r.headers.emplace_back("Authorization", "Bearer " + ctx_.identity->credential);
  else
    r.headers.emplace_back("X-Till-Credential", ctx_.identity->credential);
  // The server measures the till's clock skew at the sign-in too (its grant
  // is issued at server time; docs/reliability.md "Clocks").
  r.headers.emplace_back("X-Till-Time", std::to_string(ctx_.now_ms()));
  ctx_.http.send(r, [this, who](sync::HttpResponse response) { login_online_answered(who, response); });
}

void Session::login_online_answered(PendingLogin who, const sync::HttpResponse& response) {
  if (no_answer(response)) {
    login_offline(std::move(who));
    return;
  }
  if (response.status != 200) {
    finish_login(std::nullopt, auth::error_message(response.body, response.status));
    return;
  }
  std::optional<auth::LoginAnswer> answer = auth::parse_login_answer(response.body);
  if (!answer) {
    finish_login(std::nullopt, i18n::tr("The store server's answer was not understood."));
    return;
  }
  std::optional<auth::LocalAccount> previous;
  for (auth::LocalAccount& a : load_accounts(ctx_.store()))
    if (a.user.id == answer->user.id) previous = std::move(a);
  auth::LocalAccount account = auth::merge_online(std::move(previous), *answer, who.login, ctx_.now_ms());
  SignedIn session{answer->session_token, account.grant.token};
  state::User user = account.user;
  offline_failures_.erase(auth::lower(who.login));
  // The person is signed in now; the verifier for next time follows
  // (PBKDF2 takes a moment and must not hold the cashier up).
  finish_login(user, "", session);
  const std::string salt = platform::crypto::random_hex(16);
  platform::crypto::pbkdf2_sha256_hex(
      who.secret, salt, auth::kVerifierIterations,
      [this, account = std::move(account), salt, pin = who.pin](std::optional<std::string> verifier) mutable {
        if (!verifier) return;  // no WebCrypto: this person cannot sign in offline here
        if (pin) {
          account.pin_salt = salt;
          account.pin_verifier = *verifier;
          account.pin_iterations = auth::kVerifierIterations;
        } else {
          account.password_salt = salt;
          account.password_verifier = *verifier;
          account.password_iterations = auth::kVerifierIterations;
        }
        save_account(account);
      });
}

void Session::login_offline(PendingLogin who) {
  verify_local(std::move(who), [this](std::optional<auth::LocalAccount> account, std::string error) {
    if (!account) {
      finish_login(std::nullopt, std::move(error));
      return;
    }
    state::User user = account->user;
    user.offline = true;
    finish_login(user, "", SignedIn{"", account->grant.token});
  });
}

void Session::verify_local(PendingLogin who, VerifiedFn done) {
  if (!ctx_.identity) {
    done(std::nullopt, i18n::tr("This browser is not an enrolled till."));
    return;
  }
  const std::string key = auth::lower(who.login);
  const std::int64_t now = ctx_.now_ms();
  if (offline_failures_[key].second > now) {
    done(std::nullopt, i18n::tr("Too many wrong attempts: wait a few minutes, or connect to the store server."));
    return;
  }
  std::vector<auth::LocalAccount> accounts = load_accounts(ctx_.store());
  const auth::LocalAccount* found = auth::find_account(accounts, who.login);
  if (!found) {
    done(std::nullopt, i18n::trf("{login} has not signed in on this till before. Checking a password or PIN without "
                                 "the server needs one online sign-in here first.",
                                 {{"login", who.login}}));
    return;
  }
  auth::LocalAccount account = *found;
  // Copies: `account` is moved into the callback below, in the same call.
  const std::string salt = who.pin ? account.pin_salt : account.password_salt;
  const std::string verifier = who.pin ? account.pin_verifier : account.password_verifier;
  const int iterations = who.pin ? account.pin_iterations : account.password_iterations;
  if (salt.empty() || verifier.empty()) {
    done(std::nullopt, i18n::format(who.pin ? i18n::tr("This till has no PIN check for {name} yet: sign in online once with it.")
                                            : i18n::tr("This till has no password check for {name} yet: sign in online once with it."),
                                    {{"name", account.user.display_name}}));
    return;
  }
  bool revoked = false;
  if (store::Store* s = ctx_.store()) {
    auto r = store::is_grant_revoked(s->db(), account.grant.grant_id);
    revoked = r && r.value();
  }
  const auth::OfflineRefusal refusal =
      auth::check_offline_grant(account, ctx_.identity->till_id, now, revoked);
  if (refusal != auth::OfflineRefusal::none) {
    done(std::nullopt, auth::describe(refusal, account));
    return;
  }
  platform::crypto::pbkdf2_sha256_hex(
      who.secret, salt, iterations,
      [this, account = std::move(account), expected = verifier, key,
       done](std::optional<std::string> derived) {
        auto& [failures, paused_until] = offline_failures_[key];
        if (!derived || !auth::same_verifier(*derived, expected)) {
          if (++failures >= auth::kOfflineFailuresBeforePause) {
            failures = 0;
            paused_until = ctx_.now_ms() + auth::kOfflinePauseMs;
          }
          done(std::nullopt,
               derived ? i18n::tr("Wrong password or PIN.") : i18n::tr("This browser cannot check passwords offline."));
          return;
        }
        failures = 0;
        std::optional<auth::SignedParts> parts = auth::split_grant(account.grant.token);
        if (!parts || !ctx_.identity) {
          done(std::nullopt, auth::describe(auth::OfflineRefusal::no_grant, account));
          return;
        }
        // The grant's signature: a grant edited in this browser's storage
        // (a longer expiry, another role) is refused here, not only later on
        // the server; what the person may do then comes from the signed
        // payload alone. A browser that cannot check an Ed25519 signature
        // cannot tell an edited grant from a real one: it signs in online only.
        platform::crypto::verify_ed25519(
            ctx_.identity->grant_public_key, parts->message, parts->signature_b64url,
            [this, account, done](std::optional<std::string> verdict) {
              if (!verdict) {
                done(std::nullopt, i18n::tr("This browser cannot check the store's signature: sign in with the store "
                                            "server reachable, or update the browser."));
                return;
              }
              if (*verdict != "valid") {
                done(std::nullopt, account.user.display_name +
                                       "'s offline permission is not signed by this store: sign in online.");
                return;
              }
              if (!ctx_.identity) {  // the till was reset meanwhile
                done(std::nullopt, auth::describe(auth::OfflineRefusal::no_grant, account));
                return;
              }
              auth::Trusted trusted = auth::with_signed_role(account, ctx_.identity->till_id, ctx_.now_ms());
              if (!trusted.account) {
                done(std::nullopt, auth::describe(trusted.refusal, account));
                return;
              }
              done(std::move(trusted.account), "");
            });
      });
}

void Session::finish_login(std::optional<state::User> user, std::string error, SignedIn session) {
  if (user) ctx_.session = std::move(session);
  ctx_.app.apply(state::LoginFinished{std::move(user), std::move(error)});
}

void Session::sign_out() {
  if (ctx_.session && !ctx_.session->token.empty()) {
    sync::HttpRequest out = json_post("/api/v1/auth/logout", "{}");
    out.headers.emplace_back("Authorization", "Bearer " + ctx_.session->token);
    ctx_.http.send(out, [](sync::HttpResponse) {});
  }
  ctx_.session.reset();
}

void Session::reset_refused() {
  ctx_.app.apply(
      state::ResetRefused{i18n::tr("Local data was not reset: the till still holds sales the store server has not "
                                   "acknowledged.")});
}

void Session::approve(const state::SubmitApproval& c) {
  verify_local(PendingLogin{c.login, c.secret, true}, [this](std::optional<auth::LocalAccount> account,
                                                             std::string error) {
    if (!account) {
      ctx_.app.apply(state::ApprovalFinished{std::nullopt, std::move(error)});
      return;
    }
    const state::User& u = account->user;
    if (!state::is_manager_role(u.role)) {
      ctx_.app.apply(state::ApprovalFinished{std::nullopt, i18n::trf("{name} is not a manager.", {{"name", u.display_name}})});
      return;
    }
    state::Approver a;
    a.user_id = u.id;
    a.display_name = u.display_name;
    a.grant = account->grant.token;
    a.max_discount_percent = u.max_discount_percent;
    a.permissions = u.permissions;
    ctx_.app.apply(state::ApprovalFinished{std::move(a), ""});
  });
}

}  // namespace salespider::effects
