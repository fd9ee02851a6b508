// See printer_relay.hpp.
#include "service/printer_relay.hpp"

#include <linux/sockios.h>
#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

namespace salespider::service {
namespace {

using SteadyClock = std::chrono::steady_clock;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  int fd() const { return fd_; }

 private:
  int fd_;
};

int ms_left(SteadyClock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

std::string errno_text(const char* what, int err) { return std::string(what) + ": " + std::strerror(err); }

struct AddrInfoFree {
  void operator()(addrinfo* a) const { ::freeaddrinfo(a); }
};

// A connected socket, or nullptr with `why`.
std::unique_ptr<Socket> connect_to(const std::string& host, int port, std::chrono::milliseconds limit,
                                   std::string& why) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const auto service = std::to_string(port);
  if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    why = std::string("cannot resolve the host: ") + ::gai_strerror(rc);
    return nullptr;
  }
  const std::unique_ptr<addrinfo, AddrInfoFree> list(found);
  const auto deadline = SteadyClock::now() + limit;
  why = "no address to connect to";
  for (const addrinfo* a = list.get(); a != nullptr; a = a->ai_next) {
    auto s = std::make_unique<Socket>(::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (s->fd() < 0) {
      why = errno_text("socket", errno);
      continue;
    }
    if (::connect(s->fd(), a->ai_addr, a->ai_addrlen) == 0) return s;
    if (errno != EINPROGRESS) {
      why = errno_text("connect", errno);
      continue;
    }
    pollfd p{s->fd(), POLLOUT, 0};
    int ready = 0;
    do {
      ready = ::poll(&p, 1, ms_left(deadline));
    } while (ready < 0 && errno == EINTR);
    if (ready == 0) {
      why = "connect timed out after " + std::to_string(limit.count()) + " ms";
      return nullptr;  // the deadline covers every address
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (ready < 0) err = errno;
    else if (::getsockopt(s->fd(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err == 0) return s;
    why = errno_text("connect", err);
  }
  return nullptr;
}

// Waits up to `ms` for `events` (or an error on the socket).
void wait_for(int fd, short events, int ms) {
  pollfd p{fd, events, 0};
  while (::poll(&p, 1, ms) < 0 && errno == EINTR) {
  }
}

enum class Input { open, closed, reset };

// Reads and drops whatever the printer sent (status bytes), so that our
// side never holds unread input (closing with unread input resets the
// connection).
Input drain_input(int fd) {
  char buffer[512];
  for (;;) {
    const auto n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) continue;
    if (n == 0) return Input::closed;  // the printer closed its side: fine, we only write
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK ? Input::open : Input::reset;
  }
}

}  // namespace

RelayOutcome send_to_printer(const std::string& host, int port, std::string_view bytes, const RelayLimits& limits) {
  RelayOutcome out;
  auto socket = connect_to(host, port, limits.connect, out.detail);
  if (!socket) {
    out.result = RelayResult::unreachable;
    return out;
  }
  const int fd = socket->fd();
  auto last_progress = SteadyClock::now();
  auto stall_left = [&] {
    return ms_left(last_progress + limits.stall);
  };

  while (out.bytes < bytes.size()) {
    const auto n = ::send(fd, bytes.data() + out.bytes, bytes.size() - out.bytes, MSG_NOSIGNAL);
    if (n > 0) {
      out.bytes += static_cast<std::size_t>(n);
      last_progress = SteadyClock::now();
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (drain_input(fd) == Input::reset) {
        out.result = RelayResult::unreachable;
        out.detail = "the printer reset the connection";
        return out;
      }
      const int left = stall_left();
      if (left == 0) {
        out.result = RelayResult::timeout;
        out.detail = "the printer took no byte for " + std::to_string(limits.stall.count()) + " ms (after " +
                     std::to_string(out.bytes) + " of " + std::to_string(bytes.size()) + " bytes)";
        return out;
      }
      wait_for(fd, POLLOUT, std::min(left, 50));
      continue;
    }
    out.result = RelayResult::unreachable;
    out.detail = errno_text("send", errno);
    return out;
  }

  // Everything is in our kernel's hands: tell the printer the job is
  // complete, then wait until it has acknowledged every byte.
  ::shutdown(fd, SHUT_WR);
  int queued_before = -1;
  for (;;) {
    int queued = 0;
    if (::ioctl(fd, SIOCOUTQ, &queued) != 0) {
      out.detail = errno_text("SIOCOUTQ", errno);
      break;  // cannot tell: the bytes were written, call it sent
    }
    if (queued == 0) break;
    if (queued_before < 0 || queued < queued_before) last_progress = SteadyClock::now();
    queued_before = queued;
    const Input input = drain_input(fd);
    if (input == Input::reset) {
      out.result = RelayResult::unreachable;
      out.detail = "the printer reset the connection with " + std::to_string(queued) + " bytes unacknowledged";
      return out;
    }
    const int left = stall_left();
    if (left == 0) {
      out.result = RelayResult::timeout;
      out.detail = "the printer acknowledged nothing for " + std::to_string(limits.stall.count()) + " ms (" +
                   std::to_string(queued) + " bytes outstanding)";
      return out;
    }
    // Acknowledgements wake no poll: look again shortly (a closed input
    // side is always readable, so then just sleep).
    if (input == Input::open)
      wait_for(fd, POLLIN, std::min(left, 10));
    else
      ::poll(nullptr, 0, std::min(left, 10));
  }
  drain_input(fd);
  out.result = RelayResult::sent;
  return out;
}

}  // namespace salespider::service
