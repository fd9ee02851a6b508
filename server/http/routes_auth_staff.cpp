// Staff accounts and everyone's sessions, for managers and owners
// (permission manage_staff; who may act on whom: service/users.hpp).
#include <httplib.h>

#include "http/routes_auth_json.hpp"
#include "service/services.hpp"

namespace salespider::http {

void register_staff_routes(RouteRegistry& r, service::Services& s) {
  const auto staff = Access::person(auth::Permission::manage_staff);

  r.add("GET", "/api/v1/users", staff, "List staff", [&s](Context& ctx) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& u : s.users().list(ctx.user->store_id)) list.push_back(user_json(u));
    ctx.send_json(200, {{"users", list}});
  });

  r.add("POST", "/api/v1/users", staff,
        "Add a person (email?, username, display_name, role, password, pin?); managers add cashiers only",
        [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          service::NewUser u;
          std::optional<std::string> pin;
          if (!read_optional(ctx, *body, "email", u.email) ||
              !read_string(ctx, *body, "username", u.username) ||
              !read_string(ctx, *body, "display_name", u.display_name) ||
              !read_role(ctx, *body, "role", u.role) || !read_string(ctx, *body, "password", u.password) ||
              !read_optional(ctx, *body, "pin", u.pin)) {
            return;
          }
          auto created = s.users().create(ctx.user->store_id, u, ctx.user->role, ctx.actor());
          if (!created) return ctx.send_failure(created.error());
          ctx.send_json(201, user_json(*created));
        });

  r.add("GET", "/api/v1/users/{id}", staff, "One person", [&s](Context& ctx) {
    auto u = s.users().get(ctx.user->store_id, ctx.param("id"));
    if (!u) return ctx.send_failure(u.error());
    ctx.send_json(200, user_json(*u));
  });

  r.add("PATCH", "/api/v1/users/{id}", staff, "Edit email, username, display_name", [&s](Context& ctx) {
    auto body = ctx.json_body();
    if (!body) return;
    service::UserPatch patch;
    std::optional<std::string> username;
    std::optional<std::string> name;
    if (!read_nullable(ctx, *body, "email", patch.email) ||
        !read_optional(ctx, *body, "username", username) ||
        !read_optional(ctx, *body, "display_name", name)) {
      return;
    }
    patch.username = username;
    patch.display_name = name;
    auto u = s.users().update(ctx.user->store_id, ctx.param("id"), patch, ctx.user->role, ctx.actor());
    if (!u) return ctx.send_failure(u.error());
    ctx.send_json(200, user_json(*u));
  });

  r.add("POST", "/api/v1/users/{id}/role", staff, "Change a person's role (role); their grants are revoked",
        [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          auth::Role role{};
          if (!read_role(ctx, *body, "role", role)) return;
          answer(ctx,
                 s.users().set_role(ctx.user->store_id, ctx.param("id"), role, ctx.user->role, ctx.actor()));
        });

  r.add("POST", "/api/v1/users/{id}/disable", staff,
        "Disable a person: their sessions and grants end at once", [&s](Context& ctx) {
          answer(ctx, s.users().set_enabled(ctx.user->store_id, ctx.param("id"), false, ctx.user->role,
                                            ctx.actor()));
        });

  r.add("POST", "/api/v1/users/{id}/enable", staff, "Enable a disabled person", [&s](Context& ctx) {
    answer(ctx,
           s.users().set_enabled(ctx.user->store_id, ctx.param("id"), true, ctx.user->role, ctx.actor()));
  });

  r.add("POST", "/api/v1/users/{id}/reset-password", staff,
        "Set a new password (password); unlocks, ends their sessions and grants", [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          std::string password;
          if (!read_string(ctx, *body, "password", password)) return;
          answer(ctx, s.users().reset_password(ctx.user->store_id, ctx.param("id"), password, ctx.user->role,
                                               ctx.actor()));
        });

  r.add("PUT", "/api/v1/users/{id}/pin", staff, "Set (pin) or remove (pin: null) a person's PIN",
        [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          std::optional<std::optional<std::string>> pin;
          if (!read_nullable(ctx, *body, "pin", pin)) return;
          if (!pin)
            return ctx.send_error(ErrorCode::bad_request, N_("pin is required (a string, or null to remove it)"));
          answer(ctx,
                 s.users().set_pin(ctx.user->store_id, ctx.param("id"), *pin, ctx.user->role, ctx.actor()));
        });

  r.add("POST", "/api/v1/users/{id}/unlock", staff, "Unlock an account locked by failed logins",
        [&s](Context& ctx) {
          answer(ctx, s.users().unlock(ctx.user->store_id, ctx.param("id"), ctx.user->role, ctx.actor()));
        });

  r.add("GET", "/api/v1/sessions", staff, "Sessions of people ranked below me, and mine (?user_id=, ?ended=1)", [&s](Context& ctx) {
    std::optional<std::string> user;
    if (const auto u = ctx.query("user_id"); !u.empty()) {
      auto found = s.users().get(ctx.user->store_id, u);
      if (!found) return ctx.send_failure(found.error());
      user = u;
    }
    auto sessions = s.auth().list_sessions_as(*ctx.user, user, ctx.query("ended") == "1");
    if (!sessions) return ctx.send_failure(sessions.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& x : *sessions) list.push_back(session_json(x));
    ctx.send_json(200, {{"sessions", list}});
  });

  r.add("POST", "/api/v1/sessions/{id}/revoke", staff, "End a session of someone ranked below me, or mine", [&s](Context& ctx) {
    answer(ctx, s.auth().revoke_session(ctx.user->store_id, ctx.param("id"), std::nullopt, ctx.actor(),
                                        ctx.user->role));
  });
}

}  // namespace salespider::http
