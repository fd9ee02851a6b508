// See http_server.hpp.
#include "http/http_server.hpp"

#include <httplib.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "http/errors.hpp"
#include "http/request_id.hpp"
#include "service/health.hpp"

namespace salespider::http {
namespace {

constexpr const char* kRequestIdHeader = "X-Request-Id";

std::string request_id_of(const httplib::Response& res) {
  return res.get_header_value(kRequestIdHeader);
}

bool is_api_path(const std::string& path) { return path.rfind("/api/", 0) == 0; }

void log_request(const httplib::Request& req, const httplib::Response& res) {
  const nlohmann::json line = {{"level", "info"},
                               {"msg", "request"},
                               {"request_id", request_id_of(res)},
                               {"method", req.method},
                               {"path", req.path},
                               {"status", res.status}};
  std::cout << line.dump() << '\n' << std::flush;
}

}  // namespace

HttpServer::HttpServer(ServerConfig config)
    : config_(std::move(config)), server_(std::make_unique<httplib::Server>()) {
  const auto workers = config_.worker_count;
  server_->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  server_->set_keep_alive_timeout(config_.keep_alive_seconds);
  // Small JSON answers must not wait for delayed ACKs (Nagle: ~40 ms a request).
  server_->set_tcp_nodelay(true);
  server_->set_payload_max_length(config_.max_body_bytes);
  register_routes();
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::register_routes() {
  auto& s = *server_;

  s.set_pre_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header(kRequestIdHeader, new_request_id());
    return httplib::Server::HandlerResponse::Unhandled;
  });

  s.Get("/api/v1/health", [](const httplib::Request&, httplib::Response& res) {
    const auto health = service::current_health();
    const nlohmann::json body = {
        {"status", health.ok() ? "ok" : "degraded"},
        {"version", health.version},
        {"database", {{"state", health.database.state}, {"detail", health.database.detail}}}};
    res.status = health.ok() ? 200 : 503;
    res.set_content(body.dump(), "application/json");
  });

  if (!config_.www_dir.empty()) {
    s.set_file_extension_and_mimetype_mapping("webmanifest", "application/manifest+json");
    s.set_file_extension_and_mimetype_mapping("data", "application/octet-stream");
    s.set_file_extension_and_mimetype_mapping("ttf", "font/ttf");
    if (!s.set_mount_point("/", config_.www_dir.string())) {
      std::cerr << nlohmann::json({{"level", "error"},
                                   {"msg", "the till's directory does not exist"},
                                   {"www_dir", config_.www_dir.string()}})
                       .dump()
                << '\n';
    }
  }

  // Anything that reaches here without a body is an error status set by
  // httplib itself (404, 413, 400...): answer API clients in JSON.
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const auto rid = request_id_of(res);
    if (res.status == 404) {
      send_error(res, ErrorCode::not_found,
                 is_api_path(req.path) ? "no such endpoint" : "no such file", rid);
    } else if (res.status == 413) {
      send_error(res, ErrorCode::payload_too_large, "request body too large", rid);
    } else if (res.status == 400) {
      send_error(res, ErrorCode::bad_request, "malformed request", rid);
    } else if (res.status >= 500) {
      send_error(res, ErrorCode::internal, "internal error", rid);
    }
  });

  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    const auto rid = request_id_of(res);
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      std::cerr << nlohmann::json({{"level", "error"}, {"msg", "unhandled exception"}, {"request_id", rid}, {"what", e.what()}}).dump() << '\n';
    } catch (...) {
      std::cerr << nlohmann::json({{"level", "error"}, {"msg", "unhandled non-standard exception"}, {"request_id", rid}}).dump() << '\n';
    }
    send_error(res, ErrorCode::internal, "internal error", rid);
  });

  s.set_logger(log_request);
}

int HttpServer::bind() {
  if (config_.port == 0) {
    port_ = server_->bind_to_any_port(config_.host);
  } else {
    port_ = server_->bind_to_port(config_.host, config_.port) ? config_.port : -1;
  }
  return port_;
}

bool HttpServer::listen() { return server_->listen_after_bind(); }

void HttpServer::stop() {
  if (server_ && server_->is_running()) server_->stop();
}

}  // namespace salespider::http
