// The HTTP front of the store server: the /api/v1 routes, the device setup
// pages and the till's static files, over HTTPS (our local CA's certificate)
// and plain HTTP. Over plain HTTP, loopback clients get everything (local
// development, `make run`), LAN clients get /ca.crt and /setup and are
// redirected to HTTPS for the rest; with no certificate configured, HTTP
// serves everything (tests, first start).
//
// It owns the connection gate (connection_gate.hpp: slow-client defence,
// keep-alive, limits, graceful stop) and two cpp-httplib routers, one per
// scheme, built from the same route list. Use cases live in service/.
// Not here yet: auth, per-route rate limits, certificate reload without a
// restart.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "support/openssl_ptr.hpp"

namespace httplib {
class Server;
}

namespace salespider::http {

class ConnectionGate;
class Router;
class RouteRegistry;
struct Authenticator;

// Everything the operator's .env decides; PART A's serve wiring fills it.
// Defaults suit development and tests.
struct ServerConfig {
  // Listening. One address for both ports: "127.0.0.1" (default), "0.0.0.0"
  // or "::" for the LAN. Production ports are 443/80 (docs/install.md).
  std::string host = "127.0.0.1";
  int port = 8080;                       // plain HTTP; 0 = any free port; -1 = no HTTP listener
  int https_port = 8443;                 // used when tls_cert_file is set; 0 = any free port
  std::filesystem::path tls_cert_file;   // DATA_PATH/tls/server.crt; empty = no HTTPS
  std::filesystem::path tls_key_file;    // DATA_PATH/tls/server.key
  std::filesystem::path ca_cert_file;    // DATA_PATH/tls/ca.crt, served at /ca.crt
  std::string public_host;               // DOMAIN (or HOST_IP): redirects, /setup QR; empty = request's Host
  std::string lan_domain;                // DOMAIN and HOST_IP as configured, shown side by side on /setup
  std::string lan_ip;
  bool redirect_lan_http_to_https = true;  // with HTTPS on: non-loopback HTTP clients are redirected
  std::vector<std::string> allowed_origins;  // ALLOWED_ORIGINS: exact "scheme://host[:port]" for CORS
  std::vector<std::string> csp_script_hashes;  // "sha256-..." of inline scripts, if we ever ship one

  std::filesystem::path www_dir;         // the assembled till: www/ + the wasm build

  // Capacity and limits (docs/security.md says why each exists).
  std::size_t worker_count = 16;
  std::size_t max_connections = 512;     // keep below the process's file descriptor limit
  std::size_t max_connections_per_address = 32;  // connections wait in the gate; workers are limited below
  std::size_t max_workers_per_address = 8;     // kept below the workers open to everyone
  std::size_t reserved_till_workers = 4;       // for API requests with a till credential; at most a quarter
  int keep_alive_seconds = 5;            // idle keep-alive costs a socket, not a worker
  std::size_t keep_alive_max_requests = 100;
  int header_timeout_seconds = 10;       // TLS handshake + request head
  int body_timeout_seconds = 30;         // the rest of one request
  int write_timeout_seconds = 60;        // one whole response
  std::size_t max_buffered_response_bytes = 4 * 1024 * 1024;  // written by the gate, not a worker
  std::size_t output_budget_bytes = 64 * 1024 * 1024;         // all such responses at once
  int shutdown_grace_seconds = 10;       // in-flight requests get this long at stop()
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;  // any request; parse_json_body may set lower per route
  std::size_t max_json_depth = 64;
};

class HttpServer {
 public:
  using RouteSetup = std::function<void(httplib::Server&)>;

  explicit HttpServer(ServerConfig config);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Adds routes (on both schemes) after the built-in API routes and before
  // the static files. Call before bind(). Later endpoints and tests use it.
  void add_routes(RouteSetup setup);
  // The /api/v1 endpoints and how their bearer tokens are resolved
  // (routes.hpp). Without it only GET /api/v1/health is served. Call before bind().
  void set_api(std::shared_ptr<const RouteRegistry> routes, std::shared_ptr<const Authenticator> authenticator);

  // Loads the TLS certificate and binds the listeners. Returns port() or -1;
  // bind_error() then says why.
  int bind();
  // Serves until stop() is called from another thread; in-flight requests
  // finish (up to shutdown_grace_seconds) before it returns. Call bind() first.
  bool listen();
  // Thread-safe, idempotent.
  void stop();

  int http_port() const { return http_port_; }
  int https_port() const { return https_port_; }
  // The HTTP port if HTTP is on, else the HTTPS port.
  int port() const { return http_port_ > 0 ? http_port_ : https_port_; }
  const std::string& bind_error() const { return bind_error_; }
  const ServerConfig& config() const { return config_; }

 private:
  void configure(Router& router, bool https);
  bool tls_enabled() const { return !config_.tls_cert_file.empty(); }

  ServerConfig config_;
  std::vector<RouteSetup> extra_routes_;
  std::shared_ptr<const RouteRegistry> api_routes_;
  std::shared_ptr<const Authenticator> api_authenticator_;
  std::unique_ptr<Router> http_router_;
  std::unique_ptr<Router> https_router_;
  support::UniqueSslCtx tls_ctx_;
  std::unique_ptr<ConnectionGate> gate_;
  int http_port_ = -1;
  int https_port_ = -1;
  std::string bind_error_;
};

}  // namespace salespider::http
