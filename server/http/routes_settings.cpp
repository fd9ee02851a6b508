// The store settings endpoints (docs/api.md "Settings"): GET for anyone
// signed in (PIN sessions too: every screen of the till reads them), PATCH
// for manage_settings (the owner). The body is handed whole to the service,
// which reads it strictly (an unknown field or a wrong type is a 400 naming
// it, a value out of its rule a 422). Deliberately nothing else here.
#include <httplib.h>

#include "http/json_limits.hpp"
#include "http/routes.hpp"
#include "service/services.hpp"
#include "service/settings.hpp"

namespace salespider::http {

void register_settings_routes(RouteRegistry& r, service::Services& s) {
  r.add("GET", "/api/v1/settings", Access::person().also_pin_sessions(), "The store's settings",
        [&s](Context& ctx) {
          auto got = service::read_settings(s.pool(), ctx.user->store_id);
          if (!got) return ctx.send_failure(got.error());
          ctx.send_json(200, service::settings_json(*got));
        });

  r.add("PATCH", "/api/v1/settings", Access::person(auth::Permission::manage_settings),
        "Change the store's settings (row_version + any writable field)", [&s](Context& ctx) {
          // A logo is up to 64 KiB of image, about 88 KB of base64.
          auto body = ctx.json_body({128 * 1024, 8});
          if (!body) return;
          auto done = service::update_settings(s.pool(), ctx.user->store_id, *body, ctx.actor());
          if (!done) return ctx.send_failure(done.error());
          ctx.send_json(200, service::settings_json(*done));
        });
}

}  // namespace salespider::http
