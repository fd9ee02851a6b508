// Helpers for the http tests: a temporary directory, a real HttpServer on
// spare loopback ports running on its own thread, and raw TCP sockets for
// requests no well-behaved client library would send.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "http/http_server.hpp"

namespace salespider::test {

namespace fs = std::filesystem;

class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("salespider-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  void write(const std::string& name, const std::string& content) const {
    fs::create_directories((path_ / name).parent_path());
    std::ofstream(path_ / name, std::ios::binary) << content;
  }

 private:
  fs::path path_;
};

// Defaults for tests: any free ports, never the developer's 8080/8443.
inline http::ServerConfig test_config() {
  http::ServerConfig config;
  config.port = 0;
  config.https_port = 0;
  return config;
}

class RunningServer {
 public:
  explicit RunningServer(http::ServerConfig config,
                         std::function<void(http::HttpServer&)> before_bind = nullptr) {
    server_ = std::make_unique<http::HttpServer>(std::move(config));
    if (before_bind) before_bind(*server_);
    if (server_->bind() < 0) throw std::runtime_error("bind failed: " + server_->bind_error());
    thread_ = std::thread([this] { server_->listen(); });
  }
  ~RunningServer() { stop(); }
  void stop() {
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
  }
  http::HttpServer& server() { return *server_; }
  int http_port() const { return server_->http_port(); }
  int https_port() const { return server_->https_port(); }

 private:
  std::unique_ptr<http::HttpServer> server_;
  std::thread thread_;
};

// A blocking TCP connection to 127.0.0.1:port with a receive timeout.
class RawSocket {
 public:
  explicit RawSocket(int port, std::chrono::milliseconds recv_timeout = std::chrono::seconds(5)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(recv_timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((recv_timeout.count() % 1000) * 1000);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;
  bool connected() const { return connected_; }
  bool send(const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
      const auto n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
  // Reads until the peer closes or the timeout passes.
  std::string read_all() {
    std::string out;
    char buf[8192];
    for (;;) {
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }
  // Reads until the end of one response head plus Content-Length bytes.
  // One response; what arrived after it (a pipelined request's answer in the
  // same packet) is kept for the next call.
  std::string read_response() {
    std::string out = std::move(pending_);
    pending_.clear();
    char buf[8192];
    for (;;) {
      const auto head_end = out.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        std::size_t length = 0;
        const auto cl = out.find("Content-Length: ");
        if (cl != std::string::npos && cl < head_end) length = std::stoul(out.substr(cl + 16));
        const std::size_t end = head_end + 4 + length;
        if (out.size() >= end) {
          pending_ = out.substr(end);
          out.resize(end);
          return out;
        }
      }
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;
};

// The status code of a raw HTTP response ("HTTP/1.1 413 ..." -> 413), or 0.
inline int status_of(const std::string& response) {
  if (response.size() < 12 || response.compare(0, 7, "HTTP/1.") != 0) return 0;
  return std::stoi(response.substr(9, 3));
}

inline std::string body_of(const std::string& response) {
  const auto p = response.find("\r\n\r\n");
  return p == std::string::npos ? std::string() : response.substr(p + 4);
}

}  // namespace salespider::test
