// The product's /api/v1 endpoints, feature by feature, and the
// Authenticator backed by the services. A feature adds one line here.
#include <httplib.h>

#include "http/routes.hpp"
#include "service/services.hpp"

namespace salespider::http {

void register_api_routes(RouteRegistry& registry, service::Services& services) {
  register_health_routes(registry);
  register_auth_routes(registry, services);
  register_staff_routes(registry, services);
  register_till_routes(registry, services);
  register_audit_routes(registry, services);
  register_sync_routes(registry, services);
  register_history_routes(registry, services);
  // Before the catalog's: /api/v1/products/export.csv would otherwise match
  // GET /api/v1/products/{id}.
  register_product_csv_routes(registry, services);
  register_catalog_routes(registry, services);
  register_stock_routes(registry, services);
  register_settings_routes(registry, services);
  register_printer_routes(registry, services);
  register_language_routes(registry, services);
  register_server_routes(registry, services);
  register_reports_routes(registry, services);
  register_reorder_routes(registry, services);
  register_sync_bootstrap_routes(registry, services);
}

Authenticator authenticator_for(service::Services& services) {
  Authenticator a;
  a.person = [&services](const std::string& token,
                         const std::string& ip) -> std::optional<auth::UserPrincipal> {
    auto r = services.auth().authenticate(token, ip);
    if (!r) return std::nullopt;
    return r.value();
  };
  a.till = [&services](const std::string& token) -> std::optional<auth::TillPrincipal> {
    auto r = services.tills().authenticate_till(token);
    if (!r) return std::nullopt;
    return r.value();
  };
  return a;
}

}  // namespace salespider::http
