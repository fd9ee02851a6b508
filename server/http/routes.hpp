// The route registry: every /api/v1 endpoint is registered here, once, with
// the access it needs. One table, so that
//   * the auth middleware (mount) enforces access for every endpoint the
//     same way: 401 when no valid credential, 403 when the credential does
//     not carry the right;
//   * tests/server/rbac_test.cpp calls every registered endpoint as every
//     role, as a till and anonymously (endpoints added later are covered
//     without touching the test);
//   * docs/security.md's route table is generated from it.
//
// Access kinds:
//   open()          anyone (health, login, the grant public key)
//   person()        any signed-in person ("Authorization: Bearer sps_...")
//   person(P)       a signed-in person whose role has permission P
//   till()          an enrolled till ("Authorization: Bearer spt_...")
//
// Paths are literal except for `{name}` segments, which match one path
// segment and are handed to the handler as ctx.param("name").
// A feature adds its endpoints with a `register_<feature>_routes(RouteRegistry&,
// service::Services&)` function called from register_api_routes (routes.cpp).
// Deliberately not here: static files and the /setup pages (http_server.cpp).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/permissions.hpp"
#include "auth/principal.hpp"
#include "http/errors.hpp"
#include "http/json_limits.hpp"
#include "service/auth_outcome.hpp"

namespace httplib {
struct Request;
struct Response;
class Server;
}  // namespace httplib

namespace salespider::service {
class Services;
}

namespace salespider::http {

enum class AccessKind { open, person, till };

struct Access {
  AccessKind kind = AccessKind::open;
  std::optional<auth::Permission> permission;  // person only; nullopt = any signed-in person
  // A PIN session (auth::UserPrincipal::pin_session) may use a person route
  // only when its permission is a till action (auth::allowed_in_pin_session)
  // or the route says so here (logout, who am I).
  bool pin_sessions = false;

  static Access open() { return {AccessKind::open, std::nullopt}; }
  static Access person() { return {AccessKind::person, std::nullopt}; }
  static Access person(auth::Permission p) { return {AccessKind::person, p}; }
  static Access till() { return {AccessKind::till, std::nullopt}; }
  Access also_pin_sessions() const {
    Access a = *this;
    a.pin_sessions = true;
    return a;
  }
  bool admits_pin_session() const;

  // "public", "signed in", "permission: refund", "till credential".
  std::string describe() const;
};

// One request as a handler sees it. The principal matching the route's
// access is set before the handler runs (user for person routes, till for
// till routes); open routes see neither.
struct Context {
  const httplib::Request& req;
  httplib::Response& res;
  std::string request_id;
  std::string client_ip;
  std::map<std::string, std::string> params;  // the {name} segments
  std::optional<auth::UserPrincipal> user;
  std::optional<auth::TillPrincipal> till;

  const std::string& param(const std::string& name) const;
  // Query-string value, "" when absent.
  std::string query(const std::string& name) const;
  // The Bearer token of the Authorization header, "" when none.
  std::string bearer() const;
  // For audit rows: user and/or till of this request, its id and address.
  auth::Actor actor() const;

  // Parses the JSON body (limits: json_limits.hpp); on error answers the
  // request and returns nullopt. The body must be a JSON object.
  std::optional<nlohmann::json> json_body(JsonLimits limits = {64 * 1024, 32});

  void send_json(int status, const nlohmann::json& body);
  // Error answers: `message` is a catalogue msgid (mark a literal N_("...")),
  // translated into language() with args filled; Failure's likewise.
  void send_error(ErrorCode code, const std::string& message, const std::vector<i18n::Arg>& args = {});
  void send_failure(const service::Failure& failure);
  // The request's catalogue language (Accept-Language), "en" when none fits.
  std::string language() const;
};

using Handler = std::function<void(Context&)>;

struct Route {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // "/api/v1/users/{id}/disable"
  Access access;
  std::string summary;  // one line for docs/api.md and the generated table
  Handler handler;
  std::size_t max_body_bytes = 0;  // 0 = the server's limit (ServerConfig::max_body_bytes)
};

class RouteRegistry {
 public:
  // Programmer errors (a duplicate method+path, a malformed pattern) assert.
  void add(std::string method, std::string path, Access access, std::string summary, Handler handler);
  const std::vector<Route>& routes() const { return routes_; }
  // Lets one route take a body larger than the server's limit (a CSV
  // import); the connection gate reads it only for that method and path.
  void allow_large_body(const std::string& method, const std::string& path, std::size_t max_bytes);

 private:
  std::vector<Route> routes_;
};

// How mount() turns bearer tokens into principals (service/services.cpp
// provides the real one). Either function may be empty: that kind of
// credential is then never accepted.
struct Authenticator {
  std::function<std::optional<auth::UserPrincipal>(const std::string& token, const std::string& client_ip)>
      person;
  std::function<std::optional<auth::TillPrincipal>(const std::string& token)> till;
};

// Installs every route of `registry` on `server`, each wrapped in the auth
// check. The database being unavailable (service/unavailable.hpp) becomes
// 503; anything else thrown reaches the server's exception handler (500).
void mount(std::shared_ptr<const RouteRegistry> registry, Authenticator authenticator,
           httplib::Server& server);

// The health endpoint (GET /api/v1/health): in every registry, including
// the one an HttpServer uses when no other is given.
void register_health_routes(RouteRegistry& registry);

// Every /api/v1 endpoint of the product: calls each feature's function below.
// A new feature adds its declaration here and one line in register_api_routes.
void register_api_routes(RouteRegistry& registry, service::Services& services);

void register_auth_routes(RouteRegistry& registry, service::Services& services);   // routes_auth.cpp
void register_staff_routes(RouteRegistry& registry, service::Services& services);  // routes_auth_staff.cpp
void register_till_routes(RouteRegistry& registry, service::Services& services);   // routes_auth_tills.cpp
void register_audit_routes(RouteRegistry& registry, service::Services& services);  // routes_auth_audit.cpp
void register_sync_routes(RouteRegistry& registry, service::Services& services);   // routes_sync.cpp
void register_history_routes(RouteRegistry& registry, service::Services& services);  // routes_history.cpp
void register_catalog_routes(RouteRegistry& registry, service::Services& services);  // routes_catalog.cpp
void register_stock_routes(RouteRegistry& registry, service::Services& services);    // routes_stock.cpp
void register_product_csv_routes(RouteRegistry& registry, service::Services& services);  // routes_product_csv.cpp
void register_settings_routes(RouteRegistry& registry, service::Services& services);  // routes_settings.cpp
void register_printer_routes(RouteRegistry& registry, service::Services& services);  // routes_printers.cpp
void register_language_routes(RouteRegistry& registry, service::Services& services);  // routes_language.cpp
void register_server_routes(RouteRegistry& registry, service::Services& services);  // routes_server.cpp
void register_reports_routes(RouteRegistry& registry, service::Services& services);  // routes_reports.cpp
void register_reorder_routes(RouteRegistry& registry, service::Services& services);  // routes_reorder.cpp
void register_sync_bootstrap_routes(RouteRegistry& registry, service::Services& services);  // routes_sync_bootstrap.cpp

// The Authenticator backed by the services (session tokens, till credentials).
Authenticator authenticator_for(service::Services& services);

// The till's own clock as it sent it (X-Till-Time, ms since the epoch), if
// present and sane: pushes, pulls and sign-ins on a till measure its skew
// with it (routes_sync.cpp).
std::optional<std::int64_t> till_clock_header(const httplib::Request& req);

// The endpoints as a Markdown table (method, path, access, summary).
std::string routes_markdown(const RouteRegistry& registry);

}  // namespace salespider::http
