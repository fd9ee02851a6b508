// Till enrolment and management (permission enrol_tills), and what a till
// learns about itself with its credential.
#include <httplib.h>

#include "http/routes_auth_json.hpp"
#include "service/services.hpp"

namespace salespider::http {
namespace {

// The answer of both ways to enrol: the credential is shown this once.
nlohmann::json enrolled_json(const service::EnrolledTill& till, service::Services& s) {
  return {{"till_id", till.till.till_id},
          {"store_id", till.till.store_id},
          {"code", till.till.till_code},
          {"name", till.till.name},
          {"credential", till.credential},
          {"grant_public_key", auth::base64url_encode(s.grants().public_key_raw())}};
}

}  // namespace

void register_till_routes(RouteRegistry& r, service::Services& s) {
  const auto enrol = Access::person(auth::Permission::enrol_tills);

  r.add("POST", "/api/v1/tills", enrol,
        "Enrol this browser as a till (name, replaces?): returns till id, new till code and the credential, "
        "once",
        [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          std::string name;
          std::optional<std::string> replaces;
          if (!read_string(ctx, *body, "name", name) || !read_optional(ctx, *body, "replaces", replaces))
            return;
          auto till = s.tills().enrol(ctx.user->store_id, name, replaces.value_or(""), ctx.actor());
          if (!till) return ctx.send_failure(till.error());
          ctx.send_json(201, enrolled_json(*till, s));
        });

  r.add("GET", "/api/v1/tills", enrol, "List tills", [&s](Context& ctx) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& t : s.tills().list(ctx.user->store_id)) list.push_back(till_json(t));
    ctx.send_json(200, {{"tills", list}});
  });

  r.add("PATCH", "/api/v1/tills/{id}", enrol, "Rename a till (name)", [&s](Context& ctx) {
    auto body = ctx.json_body();
    if (!body) return;
    std::string name;
    if (!read_string(ctx, *body, "name", name)) return;
    answer(ctx, s.tills().rename(ctx.user->store_id, ctx.param("id"), name, ctx.actor()));
  });

  r.add("POST", "/api/v1/tills/{id}/retire", enrol,
        "Retire a till: its credential, grants and sessions stop working at once; 409 with unsynced_ops when "
        "it last reported unsynced ops, unless the body says {\"confirm\": true}",
        [&s](Context& ctx) {
          bool confirm = false;
          if (!ctx.req.body.empty()) {
            auto body = ctx.json_body();
            if (!body) return;
            for (const char* key : {"confirm", "force"}) {
              auto it = body->find(key);
              if (it == body->end()) continue;
              if (!it->is_boolean())
                return ctx.send_error(ErrorCode::bad_request, N_("confirm: expected true or false"));
              confirm = confirm || it->get<bool>();
            }
          }
          answer(ctx, s.tills().retire(ctx.user->store_id, ctx.param("id"), ctx.actor(), confirm));
        });

  r.add("POST", "/api/v1/tills/enrol-codes", enrol,
        "Make a till enrolment code (name?): 8 characters, single use, valid 15 minutes", [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          std::optional<std::string> name;
          if (!read_optional(ctx, *body, "name", name)) return;
          auto code = s.tills().create_enrol_code(ctx.user->store_id, name.value_or(""), ctx.actor());
          if (!code) return ctx.send_failure(code.error());
          ctx.send_json(201, {{"code", code->code}, {"expires_at", code->expires_at}});
        });

  r.add("POST", "/api/v1/tills/enrol-with-code", Access::open(),
        "Enrol this browser as a till with an enrolment code (code, name?); wrong codes are throttled per "
        "address like logins",
        [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          std::string code;
          std::optional<std::string> name;
          if (!read_string(ctx, *body, "code", code) || !read_optional(ctx, *body, "name", name)) return;
          auto till = s.tills().enrol_with_code(code, name.value_or(""), ctx.actor());
          if (!till) {
            if (till.error().problem == service::Problem::rate_limited) ctx.res.set_header("Retry-After", "60");
            return ctx.send_failure(till.error());
          }
          ctx.send_json(201, enrolled_json(*till, s));
        });

  r.add("GET", "/api/v1/till", Access::till(), "This till: id, code, name, highest receipt sequence seen",
        [&s](Context& ctx) {
          auto t = s.tills().get(ctx.till->store_id, ctx.till->till_id);
          if (!t) return ctx.send_failure(t.error());
          ctx.send_json(200, till_json(*t));
        });
}

}  // namespace salespider::http
