// The server's own health for managers and the owner (docs/api.md "Server
// alerts"): GET /api/v1/server/alerts, the alerts the server's monitor sees
// now (service/alerts.hpp), each message in the request's language.
// Deliberately read-only: acting on an alert is the operator's, on the server.
#include <httplib.h>

#include "http/routes.hpp"
#include "service/alerts.hpp"
#include "service/services.hpp"

namespace salespider::http {

void register_server_routes(RouteRegistry& r, service::Services& /*s*/) {
  r.add("GET", "/api/v1/server/alerts", Access::person(auth::Permission::view_audit_log),
        "The server's current alerts (backups, disk, certificate)", [](Context& ctx) {
          const auto lang = ctx.language();
          nlohmann::json alerts = nlohmann::json::array();
          for (const auto& a : service::server_alerts()) {
            alerts.push_back({{"code", a.code},
                              {"since", a.since},
                              {"message", service::alert_message(a, lang)},
                              {"detail", a.detail}});
          }
          ctx.send_json(200, {{"alerts", alerts}});
        });
}

}  // namespace salespider::http
