// Logging in and out, the signed-in person's own account, offline grants.
//   POST /api/v1/auth/login         password login; with X-Till-Credential an offline grant too
//                                   (and X-Till-Time: the till's clock skew is measured)
//   POST /api/v1/auth/pin-login     PIN switch on an enrolled till (till credential)
//   POST /api/v1/auth/logout        ends this session
//   GET  /api/v1/me                 who am I, with my permissions and limits
//   POST /api/v1/me/password        change my password
//   PUT  /api/v1/me/pin             set or remove my PIN (with my current password)
//   (PUT /api/v1/me/language, and the language fields of /me and the login answers: routes_language.cpp)
//   GET  /api/v1/me/sessions        my sessions; POST .../{id}/revoke ends one
//   GET  /api/v1/grants/public-key  the key tills verify grants with (public)
//   GET  /api/v1/grants/revoked     this till's revoked grants (till credential)
//   POST /api/v1/grants/{id}/revoke a manager revokes a grant
// Field reading and JSON shapes: routes_auth_json.cpp.
#include <httplib.h>

#include "http/routes_auth_json.hpp"
#include "service/services.hpp"
#include "service/sync_push.hpp"

namespace salespider::http {
namespace {

service::LoginRequest login_request(Context& ctx, const nlohmann::json& body, service::Services& services,
                                    const char* secret_field, bool* ok) {
  service::LoginRequest r;
  *ok = read_string(ctx, body, "login", r.login) && read_string(ctx, body, secret_field, r.password);
  r.client_ip = ctx.client_ip;
  r.user_agent = ctx.req.get_header_value("User-Agent").substr(0, 512);
  r.request_id = ctx.request_id;
  if (ctx.till) {
    r.till = ctx.till;
  } else if (const auto credential = ctx.req.get_header_value("X-Till-Credential"); !credential.empty()) {
    auto till = services.tills().authenticate_till(credential);
    if (!till) {
      ctx.send_error(ErrorCode::unauthenticated, N_("unknown or retired till credential; enrol this device again"));
      *ok = false;
    } else {
      r.till = till.value();
    }
  }
  return r;
}

void answer_login(Context& ctx, service::Services& s, const service::LoginRequest& request,
                  const service::Outcome<service::LoginResult>& result) {
  // A sign-in on a till measures its clock like a push does, so the first
  // push after it is judged on the corrected clock (sync_push.hpp).
  if (result && request.till)
    if (const auto till_clock = till_clock_header(ctx.req))
      service::sync::note_till_clock(s.pool(), *request.till, *till_clock, s.clock().now_ms());
  if (!result) {
    if (result.error().problem == service::Problem::rate_limited) ctx.res.set_header("Retry-After", "60");
    ctx.send_failure(result.error());
    return;
  }
  nlohmann::json body = {{"token", result->token},
                         {"session_id", result->session_id},
                         {"expires_at", result->expires_at},
                         {"user", principal_json(result->user)}};
  add_language_fields(body["user"], s, result->user);
  body["language"] = body["user"]["language"];
  body["store_language"] = body["user"]["store_language"];
  if (result->grant) {
    body["offline_grant"] = {{"token", result->grant->token},
                             {"grant_id", result->grant->grant_id},
                             {"expires_at_ms", result->grant->expires_at_ms}};
  }
  ctx.send_json(200, body);
}

}  // namespace

void register_auth_routes(RouteRegistry& r, service::Services& s) {
  r.add("POST", "/api/v1/auth/login", Access::open(),
        "Log in with login (e-mail or username) and password; with header X-Till-Credential also get an "
        "offline grant",
        [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          bool ok = false;
          auto request = login_request(ctx, *body, s, "password", &ok);
          if (!ok) return;
          answer_login(ctx, s, request, s.auth().login(request));
        });

  r.add("POST", "/api/v1/auth/pin-login", Access::till(),
        "Switch user on this till with login and PIN (gets a session and an offline grant)",
        [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          bool ok = false;
          auto request = login_request(ctx, *body, s, "pin", &ok);
          if (!ok) return;
          answer_login(ctx, s, request, s.auth().pin_login(request));
        });

  r.add("POST", "/api/v1/auth/logout", Access::person().also_pin_sessions(), "End this session",
        [&s](Context& ctx) { answer(ctx, s.auth().logout(*ctx.user, ctx.actor())); });

  r.add("GET", "/api/v1/me", Access::person().also_pin_sessions(), "The signed-in person, with permissions and limits",
        [&s](Context& ctx) {
          nlohmann::json me = principal_json(*ctx.user);
          add_language_fields(me, s, *ctx.user);
          ctx.send_json(200, me);
        });

  r.add("POST", "/api/v1/me/password", Access::person(),
        "Change my password (current_password, new_password); my other sessions end", [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          std::string current;
          std::string replacement;
          if (!read_string(ctx, *body, "current_password", current) ||
              !read_string(ctx, *body, "new_password", replacement)) {
            return;
          }
          answer(ctx, s.users().change_own_password(*ctx.user, current, replacement, ctx.actor()));
        });

  r.add("PUT", "/api/v1/me/pin", Access::person(),
        "Set (pin) or remove (pin: null) my quick-switch PIN, with current_password", [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          std::optional<std::optional<std::string>> pin;
          std::string current;
          if (!read_nullable(ctx, *body, "pin", pin)) return;
          if (!pin) {
            ctx.send_error(ErrorCode::bad_request, N_("pin is required (a string, or null to remove it)"));
            return;
          }
          if (!read_string(ctx, *body, "current_password", current)) return;
          answer(ctx, s.users().set_own_pin(*ctx.user, current, *pin, ctx.actor()));
        });

  r.add("GET", "/api/v1/me/sessions", Access::person(), "My sessions", [&s](Context& ctx) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& x :
         s.auth().list_sessions(ctx.user->store_id, ctx.user->user_id, ctx.query("ended") == "1")) {
      list.push_back(session_json(x));
    }
    ctx.send_json(200, {{"sessions", list}});
  });

  r.add("POST", "/api/v1/me/sessions/{id}/revoke", Access::person(), "End one of my sessions",
        [&s](Context& ctx) {
          answer(ctx, s.auth().revoke_session(ctx.user->store_id, ctx.param("id"), ctx.user->user_id,
                                              ctx.actor()));
        });

  r.add("GET", "/api/v1/grants/public-key", Access::open(),
        "The Ed25519 public key tills verify offline grants with", [&s](Context& ctx) {
          ctx.send_json(200, {{"alg", "Ed25519"},
                              {"public_key", auth::base64url_encode(s.grants().public_key_raw())},
                              {"encoding", "base64url, 32 raw bytes"}});
        });

  r.add("GET", "/api/v1/grants/revoked", Access::till(), "Ids of this till's revoked, unexpired grants",
        [&s](Context& ctx) {
          ctx.send_json(200, {{"revoked", s.grants().revoked_for_till(ctx.till->till_id, s.clock().now_ms())}});
        });

  r.add("POST", "/api/v1/grants/{id}/revoke", Access::person(auth::Permission::manage_staff),
        "Revoke an offline grant", [&s](Context& ctx) {
          answer(ctx, s.grants().revoke(ctx.user->store_id, ctx.param("id"), ctx.actor(), ctx.user->role));
        });
}

}  // namespace salespider::http
