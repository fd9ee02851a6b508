// The connection gate: our own accept loop in front of cpp-httplib's request
// parser, so that slow or idle clients cannot occupy the worker pool.
//
// cpp-httplib 0.11.4 hands every accepted socket to a worker, which then
// blocks reading the request with a per-recv timeout: a client sending one
// header byte a second holds a worker indefinitely, and a keep-alive
// connection holds one while idle. Here one epoll thread accepts, completes
// TLS handshakes, and buffers each whole request without blocking: its head,
// then its body, whether framed by Content-Length or chunked, answering
// `Expect: 100-continue` itself. Only a complete request reaches a worker,
// which runs httplib::Server::process_request (a protected member, reached
// through a subclass) for exactly that one request, leaves the response in
// the connection's output, and gives the connection back; the gate writes
// the response out. docs/security.md explains the choice.
//
// What it enforces: header_timeout for the TLS handshake and a request's
// head, body_timeout for the rest of the request, keep_alive idle timeout,
// a whole-response write timeout, max connections in total and per client
// address (the oldest idle or unfinished connection is evicted first, so a
// new client always gets in while any connection is merely waiting), how
// many workers one address may occupy at once, workers kept for requests
// carrying a till credential, a memory budget for responses waiting to be
// written, lingering close after error responses, and graceful stop: stop
// accepting, drop idle connections, let in-flight requests finish within
// shutdown_grace.
// Not here: HTTP/2, rate limiting per request (429 comes from handlers),
// verifying the till credential (the gate checks only its shape; the
// handler verifies it, so a forged one buys a worker for one quick 401).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <openssl/ssl.h>

#include "http/connection.hpp"

namespace httplib {
class Stream;
}

namespace salespider::http {

struct GateLimits {
  std::size_t worker_count = 16;
  std::size_t max_connections = 512;
  std::size_t max_connections_per_address = 32;
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{30000};
  std::chrono::milliseconds keep_alive_timeout{5000};
  std::chrono::milliseconds write_timeout{60000};
  std::chrono::milliseconds shutdown_grace{10000};
  std::chrono::milliseconds linger{2000};
  std::size_t keep_alive_max_requests = 100;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  // Requests allowed a larger body than max_body_bytes: exact method and
  // path (the query string aside), e.g. POST /api/v1/products/import.
  struct LargeBody {
    std::string method;
    std::string path;
    std::size_t max_bytes = 0;
  };
  std::vector<LargeBody> large_bodies;
  // Of worker_count, kept for API requests with a till credential (at most
  // a quarter of the workers).
  std::size_t reserved_till_workers = 4;
  // Workers one client address may occupy at once; always below the
  // workers left after the reservation.
  std::size_t max_workers_per_address = 8;
  // Responses up to this size are written by the gate, not the worker...
  std::size_t max_buffered_response_bytes = 4 * 1024 * 1024;
  // ...while all such responses together stay within this.
  std::size_t output_budget_bytes = 64 * 1024 * 1024;
};

// What the gate uses of the limits, made consistent with each other.
struct WorkerShares {
  std::size_t reserved_for_tills;
  std::size_t per_address;
};
WorkerShares worker_shares(const GateLimits& limits);

// Serves one complete request from the stream; returns false if the
// connection must close. close_connection says this is its last request;
// connection_closed is set when the client asked to close.
using RequestProcessor = std::function<bool(httplib::Stream& stream, bool close_connection, bool& connection_closed)>;

struct GateStats {
  std::size_t accepted = 0;
  std::size_t evicted = 0;   // waiting connections closed to make room
  std::size_t refused = 0;   // closed at accept: every slot was busy in a worker
  std::size_t timed_out = 0;
  std::size_t requests = 0;
  std::size_t queued = 0;    // complete requests that waited for a worker they may use
};

class ConnectionGate {
 public:
  explicit ConnectionGate(GateLimits limits);
  ~ConnectionGate();
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  // Listens on host:port (0 = any free port) before run(). `tls` (not owned,
  // must outlive the gate) makes it an HTTPS listener. Returns the bound port,
  // or -1 with error() saying why.
  int add_listener(const std::string& host, int port, SSL_CTX* tls, RequestProcessor processor);
  const std::string& error() const { return error_; }

  // Accepts and serves until stop(); returns after in-flight requests have
  // finished (or shutdown_grace passed) and the workers have exited.
  void run();
  // Thread-safe and idempotent; wakes run().
  void stop();
  bool stopping() const { return stopping_.load(); }

  GateStats stats() const;

 private:
  struct Listener {
    int fd;
    SSL_CTX* tls;
    int front;
  };
  struct Returned {
    std::unique_ptr<Connection> connection;
    Verdict verdict;
  };

  void accept_all(const Listener& listener);
  bool make_room(const std::string& peer_ip);
  void on_event(int fd, std::uint32_t events);
  void advance(Connection& c);
  void read_request(Connection& c);
  bool begin_body(Connection& c, std::size_t head_end);
  void send_interim(Connection& c, const std::string& bytes);
  void enqueue(Connection& c);
  void dispatch_queued();
  bool may_start(const Connection& c) const;
  void dispatch(Connection& c);
  void start_writing(Connection& c, Verdict then);
  void flush(Connection& c);
  void finish(Connection& c, Verdict verdict);
  std::size_t writing_count() const;
  void start_linger(Connection& c);
  void close_connection(int fd);
  void watch(Connection& c);
  void unwatch(Connection& c);
  void enter_waiting(Connection& c);
  void expire(std::chrono::steady_clock::time_point now);
  void take_returned();
  void send_canned_error(Connection& c, int status);
  void worker_loop();
  Verdict serve(Connection& c);
  void warn_if_pressed(std::chrono::steady_clock::time_point now);

  GateLimits limits_;
  std::string error_;
  std::vector<Listener> listeners_;
  std::vector<RequestProcessor> processors_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::atomic<bool> stopping_{false};

  // Gate thread only.
  std::unordered_map<int, std::unique_ptr<Connection>> waiting_;
  std::unordered_map<std::string, std::size_t> per_address_;
  std::size_t total_ = 0;
  std::size_t in_workers_ = 0;
  std::size_t anonymous_in_workers_ = 0;  // in workers without a till credential
  std::unordered_map<std::string, std::size_t> in_workers_per_address_;
  std::deque<int> queued_;  // fds of complete requests waiting for a worker, oldest first
  WorkerShares shares_;
  OutputBudget output_budget_;

  // Shared with workers.
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::deque<std::unique_ptr<Connection>> work_;
  std::vector<Returned> returned_;
  std::unordered_set<int> working_fds_;
  bool workers_exit_ = false;
  GateStats stats_;
  std::vector<std::thread> workers_;

  std::chrono::steady_clock::time_point last_warning_{};
  GateStats warned_stats_;
};

}  // namespace salespider::http
