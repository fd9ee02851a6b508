// The HTTP front of the store server: the /api/v1 routes and the till's static
// files. It owns the cpp-httplib server and nothing else; use cases live in
// service/. Not here yet: TLS, auth, body limits per route (later issues).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace httplib {
class Server;
}

namespace salespider::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0 = any free port (tests)
  std::filesystem::path www_dir;    // the assembled till: www/ + the wasm build
  std::size_t worker_count = 16;
  int keep_alive_seconds = 2;       // a keep-alive connection holds a worker while idle
  std::size_t max_body_bytes = 4u << 20;
};

class HttpServer {
 public:
  explicit HttpServer(ServerConfig config);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the socket; returns the bound port (useful with port 0) or -1.
  int bind();
  // Serves until stop() is called from another thread. Call bind() first.
  bool listen();
  void stop();
  int port() const { return port_; }

 private:
  void register_routes();

  ServerConfig config_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = -1;
};

}  // namespace salespider::http
