// One client connection as the connection gate (connection_gate.hpp) sees it,
// and ConnectionStream: the httplib::Stream a worker thread hands to
// httplib's request parser for exactly one request on that connection.
//
// Sockets are non-blocking throughout. The gate reads a request's head (and a
// small enough body) into Connection::buffer without holding a worker; the
// worker's stream serves those bytes first and reads any rest itself under
// one deadline for the whole request, so a client that trickles bytes cannot
// keep a worker longer than body_timeout. TLS objects live with the
// connection, so the handshake runs on the gate and the request on a worker.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <string>

#include "support/openssl_ptr.hpp"

namespace salespider::http {

using SteadyClock = std::chrono::steady_clock;

enum class ReadOutcome { data, would_block, closed, error };

struct Connection {
  enum class Phase {
    handshake,  // TLS handshake in progress (gate)
    waiting,    // idle keep-alive, no byte of the next request yet (gate)
    reading,    // a request is arriving (gate)
    working,    // a worker is serving a request
    lingering,  // response sent, write side shut, draining input before close (gate)
  };

  Connection(int fd, support::UniqueSsl ssl, int front);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Reads what is available without blocking and appends it to buffer.
  // With TLS, would_block may mean the library wants to write first:
  // wants_write tells which way to wait.
  ReadOutcome read_some(std::size_t max_bytes);
  std::size_t unread() const { return buffer.size() - consumed; }
  // Forgets the bytes already consumed (keeps pipelined ones).
  void compact();

  int fd;
  support::UniqueSsl ssl;
  int front;  // which request processor (HTTP or HTTPS) serves it
  std::string peer_ip;
  int peer_port = 0;
  std::string local_ip;
  int local_port = 0;

  std::string buffer;
  std::size_t consumed = 0;
  std::size_t scan_from = 0;  // where the search for the end of the head resumes

  Phase phase = Phase::waiting;
  SteadyClock::time_point deadline;
  SteadyClock::time_point since;  // entered its current gate phase (eviction order)
  bool head_complete = false;
  std::size_t request_end = 0;    // buffer index where the gate may hand over (head, or head + body)
  bool oversized_body = false;    // declared Content-Length above the limit: never read it
  bool wants_write = false;
  bool registered = false;        // in the gate's epoll set
  unsigned requests = 0;
};

struct StreamLimits {
  SteadyClock::time_point read_deadline;  // the whole request
  std::chrono::milliseconds write_timeout{60000};  // the whole response
  std::size_t max_request_bytes = 0;      // head + body + chunk framing
};

class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(Connection& connection, StreamLimits limits);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, std::size_t size) override;
  ssize_t write(const char* ptr, std::size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return connection_.fd; }

  // The status of the final response written (0 if none), and whether a
  // read (refused, timed out, closed) or a write failed.
  int response_status() const { return status_; }
  bool read_failed() const { return read_failed_; }
  bool write_failed() const { return write_failed_; }

 private:
  bool wait(short events, SteadyClock::time_point deadline) const;
  bool refill();

  Connection& connection_;
  StreamLimits limits_;
  SteadyClock::time_point write_deadline_{};
  std::size_t delivered_ = 0;
  int status_ = 0;
  bool read_failed_ = false;
  bool write_failed_ = false;
};

// Waits until fd is ready for `events` (POLLIN/POLLOUT) or the deadline
// passes; false on timeout or error.
bool wait_fd(int fd, short events, SteadyClock::time_point deadline);

// Whether a response with this status ends its connection: the request's
// body may not have been read (400, 408, 411, 413, 414, 431) or the server
// is in trouble (5xx).
bool closes_connection(int status);

}  // namespace salespider::http
