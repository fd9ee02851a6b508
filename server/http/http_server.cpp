// See http_server.hpp.
#include "http/http_server.hpp"

#include <httplib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>
#include <nlohmann/json.hpp>

#include "auth/hash_queue.hpp"
#include "http/connection.hpp"
#include "http/connection_gate.hpp"
#include "http/errors.hpp"
#include "http/request_id.hpp"
#include "http/routes.hpp"
#include "http/security_headers.hpp"
#include "http/setup_page.hpp"
#include "http/static_files.hpp"
#include "log/log.hpp"
#include "service/health.hpp"
#include "tls/server_context.hpp"

namespace salespider::http {

// cpp-httplib's router and request parser, minus its accept loop: the gate
// calls process_request (protected in 0.11.4) for one complete request.
//
// httplib writes content-provider responses (our static files, later the
// streamed exports) only while is_running() is true, and that flag is set
// only inside its own accept loop. So while the gate serves, each Router runs
// that loop on a socket nobody can reach: an AF_UNIX listener whose path is
// removed right after bind. It accepts nothing; stop() ends it.
class Router : public httplib::Server {
 public:
  ~Router() override { stop_running(); }

  bool process_one(httplib::Stream& stream, bool close_connection, bool& connection_closed) {
    return process_request(stream, close_connection, connection_closed, nullptr);
  }

  bool start_running() {
    const char* tmp = std::getenv("TMPDIR");
    std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/salespider-router-XXXXXX";
    if (!::mkdtemp(dir.data())) return false;
    const std::string path = dir + "/r";
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::listen(fd, 1) == 0;
    ::unlink(path.c_str());
    ::rmdir(dir.c_str());
    if (!ok) {
      if (fd >= 0) ::close(fd);
      return false;
    }
    svr_sock_ = fd;
    new_task_queue = [] { return new httplib::ThreadPool(0); };  // it never gets a connection
    loop_ = std::thread([this] { listen_after_bind(); });
    for (int i = 0; i < 1000 && !is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return is_running();
  }

  void stop_running() {
    if (!loop_.joinable()) return;
    stop();
    loop_.join();
  }

 private:
  std::thread loop_;
};

namespace {

constexpr const char* kRequestIdHeader = "X-Request-Id";

std::string request_id_of(httplib::Response& res) {
  auto id = res.get_header_value(kRequestIdHeader);
  if (id.empty()) {
    // httplib rejected the request before routing (e.g. a malformed request line).
    id = new_request_id();
    res.set_header(kRequestIdHeader, id);
  }
  return id;
}

bool is_api_path(const std::string& path) { return path.rfind("/api/", 0) == 0; }

// Reached over plain HTTP from the LAN before the CA is trusted.
bool is_setup_path(const std::string& path) {
  return path == "/ca.crt" || path == "/setup" || path == "/setup.css";
}

}  // namespace

HttpServer::HttpServer(ServerConfig config) : config_(std::move(config)) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::add_routes(RouteSetup setup) { extra_routes_.push_back(std::move(setup)); }

void HttpServer::set_api(std::shared_ptr<const RouteRegistry> routes, std::shared_ptr<const Authenticator> authenticator) {
  api_routes_ = std::move(routes);
  api_authenticator_ = std::move(authenticator);
}

void HttpServer::configure(Router& s, bool https) {
  s.set_keep_alive_timeout(config_.keep_alive_seconds);
  s.set_keep_alive_max_count(config_.keep_alive_max_requests);
  // The largest body any route takes; the gate holds every other route to
  // max_body_bytes before httplib reads a byte (ConnectionGate::begin_body).
  std::size_t largest_body = config_.max_body_bytes;
  if (api_routes_) {
    for (const auto& r : api_routes_->routes()) largest_body = std::max(largest_body, r.max_body_bytes);
  }
  s.set_payload_max_length(largest_body);

  SecurityHeaderOptions headers{https, config_.allowed_origins, config_.csp_script_hashes};
  SetupPageOptions setup{config_.ca_cert_file, config_.public_host, tls_enabled() ? https_port_ : 0,
                         config_.lan_domain, config_.lan_ip};
  const bool redirect = !https && tls_enabled() && config_.redirect_lan_http_to_https;

  s.set_pre_routing_handler([headers, setup, redirect](const httplib::Request& req, httplib::Response& res) {
    const auto rid = new_request_id();
    res.set_header(kRequestIdHeader, rid);
    if (is_api_path(req.path) && req.has_header("Accept-Encoding")) {
      // The API's answers are never brotli 11 (json_compression.hpp). The
      // request is httplib's own object, handed here as const.
      auto& request = const_cast<httplib::Request&>(req);
      std::string accept;
      for (auto [it, end] = request.headers.equal_range("Accept-Encoding"); it != end; ++it)
        accept += (accept.empty() ? "" : ", ") + it->second;
      request.headers.erase("Accept-Encoding");
      request.headers.emplace("Accept-Encoding", without_brotli(accept));
    }
    if (is_preflight(req)) {
      answer_preflight(req, res, headers, rid);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (redirect && !is_loopback_address(req.remote_addr) && !is_setup_path(req.path)) {
      // 307, not 301/308: a permanent redirect would be cached by browsers
      // beyond any later change of ports; HSTS does the pinning instead.
      const auto target = req.target.empty() || req.target.front() != '/' ? std::string("/") : req.target;
      res.set_redirect(https_url(setup, req.get_header_value("Host")) + target.substr(1), 307);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Every /api/v1 endpoint, behind the auth check (routes.hpp); without a
  // registry set, just the health endpoint.
  if (api_routes_) {
    mount(api_routes_, api_authenticator_ ? *api_authenticator_ : Authenticator{}, s);
  } else {
    auto health_only = std::make_shared<RouteRegistry>();
    register_health_routes(*health_only);
    mount(health_only, Authenticator{}, s);
  }

  for (const auto& setup_routes : extra_routes_) setup_routes(s);

  register_setup_routes(s, setup);

  auto files = std::make_shared<StaticFiles>(config_.www_dir);
  if (!config_.www_dir.empty() && !files->valid()) {
    log::error("the till's directory does not exist", {{"www_dir", config_.www_dir.string()}});
  }
  s.Get(".*", [files](const httplib::Request& req, httplib::Response& res) {
    if (!is_api_path(req.path) && files->serve(req, res)) return;
    send_error(req, res, ErrorCode::not_found, is_api_path(req.path) ? N_("no such endpoint") : N_("no such file"),
               res.get_header_value(kRequestIdHeader));
  });

  // Anything that reaches here without a body is an error status set by
  // httplib itself (400, 404, 413, 414...): answer in JSON.
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() || res.content_length_ > 0) return;
    const auto rid = request_id_of(res);
    switch (res.status) {
      case 404:
        send_error(req, res, ErrorCode::not_found, is_api_path(req.path) ? N_("no such endpoint") : N_("no such file"),
                   rid);
        break;
      case 413: send_error(req, res, ErrorCode::payload_too_large, N_("request body too large"), rid); break;
      case 414: send_error(req, res, ErrorCode::bad_request, N_("request target too long"), rid); break;
      case 416: break;  // a Range outside the file: the status says it all
      default:
        if (res.status >= 500) {
          send_error(req, res, ErrorCode::internal, N_("internal error"), rid);
        } else if (res.status >= 400) {
          send_error(req, res, ErrorCode::bad_request, N_("malformed request"), rid);
        }
    }
  });

  s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    const auto rid = request_id_of(res);
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const auth::HashingBusy&) {
      // Overload, not a bug: the client may retry; the gate's per-address
      // share and the login lockouts decide who gets to.
      log::warn("password hashing at capacity", {{"request_id", rid}});
      send_error(req, res, ErrorCode::unavailable, N_("the server is busy checking passwords; try again shortly"), rid);
      res.set_header("Retry-After", std::to_string(auth::HashingBusy::retry_after.count()));
      return;
    } catch (const std::exception& e) {
      log::error("unhandled exception", {{"request_id", rid}, {"what", e.what()}});
    } catch (...) {
      log::error("unhandled non-standard exception", {{"request_id", rid}});
    }
    send_error(req, res, ErrorCode::internal, N_("internal error"), rid);
  });

  s.set_post_routing_handler([headers](const httplib::Request& req, httplib::Response& res) {
    add_security_headers(req, res, headers);
    if (closes_connection(res.status)) {
      // The gate closes after this answer (the body may be unread); say so.
      res.headers.erase("Keep-Alive");
      res.headers.erase("Connection");
      res.set_header("Connection", "close");
    }
  });

  s.set_logger([https](const httplib::Request& req, const httplib::Response& res) {
    log::info("request", {{"request_id", res.get_header_value(kRequestIdHeader)},
                          {"scheme", https ? "https" : "http"},
                          {"method", req.method},
                          {"path", req.path},
                          {"status", res.status}});
  });
}

int HttpServer::bind() {
  GateLimits limits;
  limits.worker_count = config_.worker_count;
  limits.max_connections = config_.max_connections;
  limits.max_connections_per_address = config_.max_connections_per_address;
  limits.header_timeout = std::chrono::seconds(config_.header_timeout_seconds);
  limits.body_timeout = std::chrono::seconds(config_.body_timeout_seconds);
  limits.keep_alive_timeout = std::chrono::seconds(config_.keep_alive_seconds);
  limits.write_timeout = std::chrono::seconds(config_.write_timeout_seconds);
  limits.shutdown_grace = std::chrono::seconds(config_.shutdown_grace_seconds);
  limits.keep_alive_max_requests = config_.keep_alive_max_requests;
  limits.max_header_bytes = config_.max_header_bytes;
  limits.max_body_bytes = config_.max_body_bytes;
  if (api_routes_) {
    for (const auto& r : api_routes_->routes()) {
      if (r.max_body_bytes > config_.max_body_bytes) limits.large_bodies.push_back({r.method, r.path, r.max_body_bytes});
    }
  }
  limits.max_workers_per_address = config_.max_workers_per_address;
  limits.reserved_till_workers = config_.reserved_till_workers;
  limits.max_buffered_response_bytes = config_.max_buffered_response_bytes;
  limits.output_budget_bytes = config_.output_budget_bytes;
  gate_ = std::make_unique<ConnectionGate>(limits);

  if (tls_enabled()) {
    try {
      tls_ctx_ = tls::make_server_context(config_.tls_cert_file, config_.tls_key_file);
    } catch (const std::exception& e) {
      bind_error_ = e.what();
      return -1;
    }
    https_router_ = std::make_unique<Router>();
    auto* router = https_router_.get();
    https_port_ = gate_->add_listener(config_.host, config_.https_port, tls_ctx_.get(),
                                      [router](httplib::Stream& s, bool close, bool& closed) {
                                        return router->process_one(s, close, closed);
                                      });
    if (https_port_ < 0) {
      bind_error_ = gate_->error();
      return -1;
    }
  }
  if (config_.port >= 0) {
    http_router_ = std::make_unique<Router>();
    auto* router = http_router_.get();
    http_port_ = gate_->add_listener(config_.host, config_.port, nullptr,
                                     [router](httplib::Stream& s, bool close, bool& closed) {
                                       return router->process_one(s, close, closed);
                                     });
    if (http_port_ < 0) {
      bind_error_ = gate_->error();
      return -1;
    }
  }
  // Routes last: the setup page and redirects need the bound HTTPS port.
  if (https_router_) configure(*https_router_, true);
  if (http_router_) configure(*http_router_, false);
  if (port() <= 0) {
    bind_error_ = "neither HTTP nor HTTPS is enabled";
    return -1;
  }
  return port();
}

bool HttpServer::listen() {
  if (!gate_ || port() <= 0) return false;
  for (auto* router : {http_router_.get(), https_router_.get()}) {
    if (router && !router->start_running()) {
      log::error("cannot start the request router");
      return false;
    }
  }
  gate_->run();
  // Only now: in-flight responses were still being written until run() returned.
  for (auto* router : {http_router_.get(), https_router_.get()}) {
    if (router) router->stop_running();
  }
  return true;
}

void HttpServer::stop() {
  if (gate_) gate_->stop();
}

}  // namespace salespider::http
