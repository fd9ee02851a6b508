// One client connection as the connection gate (connection_gate.hpp) sees it,
// and ConnectionStream: the httplib::Stream a worker thread hands to
// httplib's request parser for exactly one request on that connection.
//
// Sockets are non-blocking throughout. The gate reads a whole request (head
// and body, Content-Length or chunked) into Connection::buffer without
// holding a worker; the worker's stream serves those bytes. A response is
// collected in Connection::output and written out by the gate, so a client
// that reads slowly holds a socket and some memory, not a worker. Only a
// response too large for the output budget is written by the worker itself,
// under write_timeout. TLS objects live with the connection, so the
// handshake runs on the gate and the request on a worker.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>

#include "support/openssl_ptr.hpp"

namespace salespider::http {

using SteadyClock = std::chrono::steady_clock;

enum class ReadOutcome { data, would_block, closed, error };
enum class WriteOutcome { done, would_block, error };

// What happens to a connection once its response has been sent.
enum class Verdict { keep, linger, close };

// Bytes of responses held for the gate to write, over all connections: a
// cap on the memory slow readers can make the server hold.
class OutputBudget {
 public:
  explicit OutputBudget(std::size_t limit) : limit_(limit) {}
  bool take(std::size_t n);
  void give(std::size_t n) { used_.fetch_sub(n); }
  std::size_t used() const { return used_.load(); }

 private:
  const std::size_t limit_;
  std::atomic<std::size_t> used_{0};
};

struct Connection {
  enum class Phase {
    handshake,  // TLS handshake in progress (gate)
    waiting,    // idle keep-alive, no byte of the next request yet (gate)
    reading,    // a request is arriving (gate)
    queued,     // a complete request waits for a worker it may use (gate)
    working,    // a worker is serving a request
    writing,    // the gate writes out the response a worker left in output
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
  // Writes as much of output as the socket takes without blocking.
  WriteOutcome write_some();
  bool has_output() const { return output_sent < output.size(); }
  // Empties output and gives its bytes back to the budget.
  void release_output();

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
  std::size_t max_body = 0;        // this request's body limit (GateLimits, per route)
  bool oversized_body = false;    // declared Content-Length above the limit: never read it
  std::size_t body_start = 0;
  bool chunked = false;           // a chunked body still arriving: chunk_at is where the framing scan resumes
  bool in_trailers = false;       // the last chunk has been seen
  std::size_t chunk_at = 0;
  bool till = false;              // an API request with a well-formed till credential
  bool wants_write = false;
  bool registered = false;        // in the gate's epoll set
  unsigned requests = 0;

  // A response waiting for the gate to write it (phase writing), and what
  // to do with the connection after.
  std::string output;
  std::size_t output_sent = 0;
  OutputBudget* budget = nullptr;  // output's bytes are taken from it
  Verdict after_output = Verdict::keep;
};

struct StreamLimits {
  SteadyClock::time_point read_deadline;  // the whole request
  std::chrono::milliseconds write_timeout{60000};  // the whole response, when a worker writes it
  std::size_t max_request_bytes = 0;      // head + body + chunk framing
  std::size_t max_buffered_response = 0;  // larger responses are written by the worker
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
  bool buffer(const char* ptr, std::size_t size);
  bool flush_output();
  ssize_t write_direct(const char* ptr, std::size_t size);

  Connection& connection_;
  StreamLimits limits_;
  SteadyClock::time_point write_deadline_{};
  std::size_t delivered_ = 0;
  int status_ = 0;
  bool read_failed_ = false;
  bool write_failed_ = false;
  bool direct_ = false;  // the response outgrew the buffer: the worker writes the rest
};

// Waits until fd is ready for `events` (POLLIN/POLLOUT) or the deadline
// passes; false on timeout or error.
bool wait_fd(int fd, short events, SteadyClock::time_point deadline);

// Whether a response with this status ends its connection: the request's
// body may not have been read (400, 408, 411, 413, 414, 431) or the server
// is in trouble (5xx).
bool closes_connection(int status);

}  // namespace salespider::http
