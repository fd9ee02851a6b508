// The signed-in person's language (per-person, helper contract of issue 21).
//   PUT /api/v1/me/language   {language: "de" | null}: my own, or back to the store's default
// and the two language fields every "who am I" answer carries (GET /api/v1/me
// and the login answers): "language" (mine, or null) and "store_language".
#include <httplib.h>

#include "http/routes.hpp"
#include "http/routes_auth_json.hpp"
#include "service/services.hpp"

namespace salespider::http {

void add_language_fields(nlohmann::json& out, service::Services& s, const auth::UserPrincipal& me) {
  const std::optional<std::string> own = s.languages().own_language(me);
  out["language"] = own ? nlohmann::json(*own) : nlohmann::json(nullptr);
  out["store_language"] = s.languages().store_language(me.store_id);
}

void register_language_routes(RouteRegistry& r, service::Services& s) {
  r.add("PUT", "/api/v1/me/language", Access::person().also_pin_sessions(),
        "Set my language (language: a catalogue code such as \"de\", or null for the store's default)",
        [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          std::optional<std::optional<std::string>> language;
          if (!read_nullable(ctx, *body, "language", language)) return;
          if (!language) {
            ctx.send_failure(service::fail(service::Problem::bad_request,
                                           "language is required (a language code, or null for the store's default)",
                                           "language"));
            return;
          }
          const auto done = s.languages().set_own_language(*ctx.user, *language, ctx.actor());
          if (!done) {
            ctx.send_failure(done.error());
            return;
          }
          nlohmann::json out = principal_json(*ctx.user);
          add_language_fields(out, s, *ctx.user);
          ctx.send_json(200, out);
        });
}

}  // namespace salespider::http
