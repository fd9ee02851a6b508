// See connection.hpp.
#include "http/connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace salespider::http {
namespace {

void address_of(const sockaddr_storage& ss, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (ss.ss_family == AF_INET) {
    sockaddr_in sin{};
    std::memcpy(&sin, &ss, sizeof sin);
    inet_ntop(AF_INET, &sin.sin_addr, text, sizeof text);
    port = ntohs(sin.sin_port);
  } else if (ss.ss_family == AF_INET6) {
    sockaddr_in6 sin6{};
    std::memcpy(&sin6, &ss, sizeof sin6);
    inet_ntop(AF_INET6, &sin6.sin6_addr, text, sizeof text);
    port = ntohs(sin6.sin6_port);
  }
  ip = text;
  // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d.
  if (ip.rfind("::ffff:", 0) == 0 && ip.find('.') != std::string::npos) ip.erase(0, 7);
}

constexpr std::size_t kChunk = 16 * 1024;

}  // namespace

Connection::Connection(int fd_, support::UniqueSsl ssl_, int front_) : fd(fd_), ssl(std::move(ssl_)), front(front_) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0) address_of(ss, peer_ip, peer_port);
  len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0) address_of(ss, local_ip, local_port);
  since = SteadyClock::now();
}

bool OutputBudget::take(std::size_t n) {
  auto used = used_.load();
  do {
    if (n > limit_ || used > limit_ - n) return false;
  } while (!used_.compare_exchange_weak(used, used + n));
  return true;
}

Connection::~Connection() {
  release_output();
  ssl.reset();
  if (fd >= 0) ::close(fd);
}

ReadOutcome Connection::read_some(std::size_t max_bytes) {
  const auto old = buffer.size();
  const auto want = std::min(max_bytes, kChunk);
  buffer.resize(old + want);
  char* dst = buffer.data() + old;
  if (ssl) {
    ERR_clear_error();
    const int n = SSL_read(ssl.get(), dst, static_cast<int>(want));
    if (n > 0) {
      buffer.resize(old + static_cast<std::size_t>(n));
      wants_write = false;
      return ReadOutcome::data;
    }
    buffer.resize(old);
    switch (SSL_get_error(ssl.get(), n)) {
      case SSL_ERROR_WANT_READ: wants_write = false; return ReadOutcome::would_block;
      case SSL_ERROR_WANT_WRITE: wants_write = true; return ReadOutcome::would_block;
      case SSL_ERROR_ZERO_RETURN: return ReadOutcome::closed;
      case SSL_ERROR_SYSCALL: return errno == EAGAIN ? ReadOutcome::would_block : ReadOutcome::closed;
      default: ERR_clear_error(); return ReadOutcome::error;
    }
  }
  for (;;) {
    const auto n = ::recv(fd, dst, want, 0);
    if (n > 0) {
      buffer.resize(old + static_cast<std::size_t>(n));
      return ReadOutcome::data;
    }
    if (n < 0 && errno == EINTR) continue;
    buffer.resize(old);
    if (n == 0) return ReadOutcome::closed;
    return (errno == EAGAIN || errno == EWOULDBLOCK) ? ReadOutcome::would_block : ReadOutcome::error;
  }
}

WriteOutcome Connection::write_some() {
  while (has_output()) {
    const char* from = output.data() + output_sent;
    const std::size_t left = output.size() - output_sent;
    if (ssl) {
      ERR_clear_error();
      const int n = SSL_write(ssl.get(), from, static_cast<int>(std::min<std::size_t>(left, 1u << 30)));
      if (n > 0) {
        output_sent += static_cast<std::size_t>(n);
        continue;
      }
      switch (SSL_get_error(ssl.get(), n)) {
        case SSL_ERROR_WANT_WRITE: wants_write = true; return WriteOutcome::would_block;
        case SSL_ERROR_WANT_READ: wants_write = false; return WriteOutcome::would_block;
        default: ERR_clear_error(); return WriteOutcome::error;
      }
    }
    const auto n = ::send(fd, from, left, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
      output_sent += static_cast<std::size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      wants_write = true;
      return WriteOutcome::would_block;
    }
    return WriteOutcome::error;
  }
  return WriteOutcome::done;
}

void Connection::release_output() {
  if (budget) budget->give(output.size());
  output.clear();
  output.shrink_to_fit();
  output_sent = 0;
}

void Connection::compact() {
  buffer.erase(0, consumed);
  scan_from = scan_from > consumed ? scan_from - consumed : 0;
  consumed = 0;
}

bool wait_fd(int fd, short events, SteadyClock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (r > 0) return (p.revents & (events | POLLHUP | POLLERR)) != 0;
    if (r < 0 && errno != EINTR) return false;
  }
}

bool closes_connection(int status) {
  return status == 400 || status == 408 || status == 411 || status == 413 || status == 414 || status == 431 ||
         status >= 500;
}

ConnectionStream::ConnectionStream(Connection& connection, StreamLimits limits)
    : connection_(connection), limits_(limits) {}

bool ConnectionStream::wait(short events, SteadyClock::time_point deadline) const {
  return wait_fd(connection_.fd, events, deadline);
}

bool ConnectionStream::is_readable() const {
  if (connection_.unread() > 0) return true;
  if (connection_.ssl && SSL_pending(connection_.ssl.get()) > 0) return true;
  return wait(POLLIN, limits_.read_deadline);
}

bool ConnectionStream::is_writable() const {
  if (!direct_) return true;  // writes go to the output buffer
  const auto deadline = write_deadline_ == SteadyClock::time_point{} ? SteadyClock::now() + limits_.write_timeout
                                                                      : write_deadline_;
  return wait(POLLOUT, deadline);
}

// Gets more bytes into the connection's buffer, waiting up to the request's
// deadline. The gate already holds the head; this is the body's tail.
bool ConnectionStream::refill() {
  if (connection_.oversized_body) return false;  // never read a body we will refuse
  while (true) {
    switch (connection_.read_some(kChunk)) {
      case ReadOutcome::data: return true;
      case ReadOutcome::would_block:
        if (!wait(connection_.wants_write ? POLLOUT : POLLIN, limits_.read_deadline)) return false;
        break;
      case ReadOutcome::closed:
      case ReadOutcome::error: return false;
    }
  }
}

ssize_t ConnectionStream::read(char* ptr, std::size_t size) {
  if (connection_.unread() == 0) {
    if (read_failed_ || delivered_ >= limits_.max_request_bytes || !refill()) {
      read_failed_ = true;
      return -1;
    }
  }
  const auto n = std::min({size, connection_.unread(), limits_.max_request_bytes - delivered_});
  std::memcpy(ptr, connection_.buffer.data() + connection_.consumed, n);
  connection_.consumed += n;
  delivered_ += n;
  return static_cast<ssize_t>(n);
}

// The response goes to the connection's output for the gate to write, as
// long as it fits the per-response limit and the global budget; after that
// the worker writes what was buffered and the rest itself.
ssize_t ConnectionStream::write(const char* ptr, std::size_t size) {
  if (write_failed_) return -1;
  if (write_deadline_ == SteadyClock::time_point{}) write_deadline_ = SteadyClock::now() + limits_.write_timeout;
  // httplib writes a response's status line and headers in one call.
  if (status_ < 200 && size > 12 && std::memcmp(ptr, "HTTP/1.", 7) == 0) {
    status_ = std::atoi(std::string(ptr + 9, 3).c_str());
  }
  if (!direct_ && buffer(ptr, size)) return static_cast<ssize_t>(size);
  if (!direct_) {
    direct_ = true;
    if (!flush_output()) {
      write_failed_ = true;
      return -1;
    }
  }
  return write_direct(ptr, size);
}

bool ConnectionStream::buffer(const char* ptr, std::size_t size) {
  auto& c = connection_;
  if (!c.budget || c.output.size() + size > limits_.max_buffered_response || !c.budget->take(size)) return false;
  c.output.append(ptr, size);
  return true;
}

bool ConnectionStream::flush_output() {
  auto& c = connection_;
  while (c.has_output()) {
    switch (c.write_some()) {
      case WriteOutcome::done: break;
      case WriteOutcome::would_block:
        if (!wait(c.wants_write ? POLLOUT : POLLIN, write_deadline_)) return false;
        break;
      case WriteOutcome::error: return false;
    }
  }
  c.release_output();
  return true;
}

ssize_t ConnectionStream::write_direct(const char* ptr, std::size_t size) {
  for (;;) {
    if (connection_.ssl) {
      ERR_clear_error();
      const int n = SSL_write(connection_.ssl.get(), ptr, static_cast<int>(std::min<std::size_t>(size, 1u << 30)));
      if (n > 0) return n;
      const int err = SSL_get_error(connection_.ssl.get(), n);
      if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ) {
        if (wait(err == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, write_deadline_)) continue;
      }
      ERR_clear_error();
    } else {
      const auto n = ::send(connection_.fd, ptr, size, MSG_NOSIGNAL);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if ((errno == EAGAIN || errno == EWOULDBLOCK) && wait(POLLOUT, write_deadline_)) continue;
    }
    write_failed_ = true;
    return -1;
  }
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = connection_.peer_ip;
  port = connection_.peer_port;
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = connection_.local_ip;
  port = connection_.local_port;
}

}  // namespace salespider::http
