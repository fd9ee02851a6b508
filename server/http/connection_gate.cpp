// See connection_gate.hpp.
#include "http/connection_gate.hpp"

#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "auth/principal.hpp"
#include "http/errors.hpp"
#include "http/request_id.hpp"
#include "log/log.hpp"

namespace salespider::http {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kReadBudgetPerEvent = 256 * 1024;
constexpr std::size_t kChunkFraming = 64 * 1024;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// What the gate needs from a request head: where its body ends, if it can
// know, and which workers it may use. Parsing proper is httplib's job.
struct HeadFacts {
  bool bad = false;               // unparseable or conflicting framing
  bool chunked = false;           // Transfer-Encoding: chunked
  bool expect_continue = false;   // Expect: 100-continue
  std::vector<std::size_t> expect_names;  // where each Expect header's name starts
  std::uint64_t content_length = 0;
  bool till = false;              // an API request with a well-formed till credential
  std::string_view method;
  std::string_view path;          // without the query string
};

// The body a request may send: the server's limit, or more for the few
// routes that take files (GateLimits::large_bodies).
std::size_t body_limit(const GateLimits& limits, const HeadFacts& facts) {
  for (const auto& large : limits.large_bodies) {
    if (large.method == facts.method && large.path == facts.path) return large.max_bytes;
  }
  return limits.max_body_bytes;
}

// "Bearer spt_" + 43 base64url characters: the shape of a till credential
// (auth::new_token). Whether it is a real one is the handler's business.
bool looks_like_till_credential(std::string_view value) {
  constexpr std::size_t kTokenChars = 43;
  if (value.size() < 7 || !iequals(value.substr(0, 7), "bearer ")) return false;
  const auto token = trim(value.substr(7));
  const std::string_view prefix = auth::kTillCredentialPrefix;
  if (token.size() != prefix.size() + kTokenChars || token.substr(0, prefix.size()) != prefix) return false;
  return std::all_of(token.begin() + static_cast<std::ptrdiff_t>(prefix.size()), token.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
}

HeadFacts head_facts(std::string_view head) {
  HeadFacts facts;
  bool seen_length = false;
  bool till_credential = false;
  const auto first_space = head.find(' ');
  const bool api = first_space != std::string_view::npos && head.substr(first_space + 1, 5) == "/api/";
  if (first_space != std::string_view::npos) {
    facts.method = head.substr(0, first_space);
    const auto target = head.substr(first_space + 1, head.find_first_of(" \r", first_space + 1) - first_space - 1);
    facts.path = target.substr(0, target.find('?'));
  }
  std::size_t line_start = head.find("\r\n");
  while (line_start != std::string_view::npos && line_start + 2 < head.size()) {
    const auto begin = line_start + 2;
    auto end = head.find("\r\n", begin);
    if (end == std::string_view::npos) end = head.size();
    const auto line = head.substr(begin, end - begin);
    line_start = end;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const auto name = line.substr(0, colon);
    const auto value = trim(line.substr(colon + 1));
    if (iequals(name, "content-length")) {
      std::uint64_t n = 0;
      if (value.empty() || value.size() > 18 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        facts.bad = true;
        continue;
      }
      for (char c : value) n = n * 10 + static_cast<std::uint64_t>(c - '0');
      if (seen_length && n != facts.content_length) facts.bad = true;
      facts.content_length = n;
      seen_length = true;
    } else if (iequals(name, "transfer-encoding")) {
      // httplib decodes "chunked" alone; any other coding would leave the
      // body's end to guesswork.
      if (!iequals(value, "chunked")) facts.bad = true;
      facts.chunked = true;
    } else if (iequals(name, "expect") && iequals(value, "100-continue")) {
      facts.expect_continue = true;
      facts.expect_names.push_back(begin);
    } else if (iequals(name, "authorization")) {
      till_credential = looks_like_till_credential(value);
    }
  }
  // Both framings at once is how requests are smuggled past proxies.
  if (facts.chunked && seen_length) facts.bad = true;
  facts.till = api && till_credential;
  return facts;
}

enum class Framing { more, done, bad, too_large };

// Follows the chunked framing of c's body from c.chunk_at; on done, sets
// c.request_end to just after the last chunk and its trailers.
Framing scan_chunks(Connection& c, std::size_t max_body) {
  constexpr std::size_t kMaxLine = 1024;  // a chunk-size line or a trailer
  const std::string& b = c.buffer;
  for (;;) {
    const auto eol = b.find("\r\n", c.chunk_at);
    if (eol == std::string::npos) return b.size() - c.chunk_at > kMaxLine ? Framing::bad : Framing::more;
    if (eol - c.chunk_at > kMaxLine) return Framing::bad;
    if (c.in_trailers) {
      const bool last = eol == c.chunk_at;
      c.chunk_at = eol + 2;
      if (last) {
        c.request_end = c.chunk_at;
        return Framing::done;
      }
      continue;
    }
    auto size_text = std::string_view(b).substr(c.chunk_at, eol - c.chunk_at);
    size_text = trim(size_text.substr(0, size_text.find(';')));
    if (size_text.empty() || size_text.size() > 16 || !std::all_of(size_text.begin(), size_text.end(), [](char ch) {
          return std::isxdigit(static_cast<unsigned char>(ch)) != 0;
        })) {
      return Framing::bad;
    }
    const auto size = std::stoull(std::string(size_text), nullptr, 16);
    if (size > max_body) return Framing::too_large;
    if (size == 0) {
      c.in_trailers = true;
      c.chunk_at = eol + 2;
      continue;
    }
    const auto data_end = eol + 2 + static_cast<std::size_t>(size);
    if (b.size() < data_end + 2) return Framing::more;
    if (b.compare(data_end, 2, "\r\n") != 0) return Framing::bad;
    c.chunk_at = data_end + 2;
  }
}

const char* reason_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    default: return "Error";
  }
}

}  // namespace

WorkerShares worker_shares(const GateLimits& limits) {
  WorkerShares shares{};
  shares.reserved_for_tills = std::min(limits.reserved_till_workers, limits.worker_count / 4);
  const auto open = limits.worker_count - shares.reserved_for_tills;
  // Below the open workers, so one address always leaves one for others.
  shares.per_address = std::clamp<std::size_t>(limits.max_workers_per_address, 1, open > 1 ? open - 1 : 1);
  return shares;
}

ConnectionGate::ConnectionGate(GateLimits limits)
    : limits_(limits), shares_(worker_shares(limits)), output_budget_(limits.output_budget_bytes) {
  // A TLS write to a socket the client closed would otherwise kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) throw std::runtime_error(std::string("epoll/eventfd: ") + std::strerror(errno));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
}

ConnectionGate::~ConnectionGate() {
  waiting_.clear();
  for (const auto& l : listeners_) ::close(l.fd);
  if (wake_fd_ >= 0) ::close(wake_fd_);
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

int ConnectionGate::add_listener(const std::string& host, int port, SSL_CTX* tls, RequestProcessor processor) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const auto port_text = std::to_string(port);
  if (const int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), port_text.c_str(), &hints, &found); rc != 0) {
    error_ = "cannot resolve " + host + ": " + gai_strerror(rc);
    return -1;
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
  int fd = -1;
  for (auto* ai = addresses.get(); ai; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    const int yes = 1;
    const int no = 0;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    // "::" serves IPv4 clients too.
    if (ai->ai_family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no);
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0) break;
    error_ = "cannot listen on " + host + ":" + port_text + ": " + std::strerror(errno);
    ::close(fd);
    fd = -1;
  }
  if (fd < 0) return -1;
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  const int bound = ss.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port)
                                             : ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
  listeners_.push_back(Listener{fd, tls, static_cast<int>(processors_.size())});
  processors_.push_back(std::move(processor));
  return bound;
}

void ConnectionGate::stop() {
  stopping_ = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
}

GateStats ConnectionGate::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

void ConnectionGate::run() {
  for (std::size_t i = 0; i < limits_.worker_count; ++i) workers_.emplace_back([this] { worker_loop(); });

  bool closed_listeners = false;
  bool forced = false;
  Clock::time_point grace_end{};
  Clock::time_point last_expiry{};
  epoll_event events[128];
  for (;;) {
    const int n = ::epoll_wait(epoll_fd_, events, 128, 100);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wake_fd_) {
        std::uint64_t count = 0;
        [[maybe_unused]] const auto r = ::read(wake_fd_, &count, sizeof count);
        continue;
      }
      const auto listener = std::find_if(listeners_.begin(), listeners_.end(), [fd](const Listener& l) { return l.fd == fd; });
      if (listener != listeners_.end()) {
        if (!stopping_) accept_all(*listener);
      } else {
        on_event(fd, events[i].events);
      }
    }
    take_returned();
    const auto now = Clock::now();
    if (now - last_expiry >= std::chrono::milliseconds(100)) {
      expire(now);
      last_expiry = now;
    }
    warn_if_pressed(now);

    if (stopping_) {
      if (!closed_listeners) {
        // Stop accepting, then drop every connection that is not mid-request.
        for (const auto& l : listeners_) {
          ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, l.fd, nullptr);
          ::close(l.fd);
        }
        listeners_.clear();
        std::vector<int> fds;
        for (const auto& [fd, c] : waiting_) {
          if (c->phase != Connection::Phase::writing) fds.push_back(fd);
        }
        for (int fd : fds) close_connection(fd);
        closed_listeners = true;
        grace_end = now + limits_.shutdown_grace;
      }
      if (in_workers_ == 0 && (forced || writing_count() == 0)) break;
      if (!forced && now >= grace_end) {
        // Past the grace period: fail the remaining requests' socket I/O so
        // their workers return, and drop the responses still being written.
        {
          std::lock_guard<std::mutex> lock(mutex_);
          for (int fd : working_fds_) ::shutdown(fd, SHUT_RDWR);
        }
        std::vector<int> fds;
        for (const auto& [fd, c] : waiting_) fds.push_back(fd);
        for (int fd : fds) close_connection(fd);
        forced = true;
      }
    }
  }

  {
    std::lock_guard<std::mutex> lock(mutex_);
    workers_exit_ = true;
  }
  work_ready_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
  take_returned();
  waiting_.clear();
}

void ConnectionGate::accept_all(const Listener& listener) {
  for (;;) {
    const int fd = ::accept4(listener.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // EAGAIN, or out of descriptors: max_connections is meant to keep us below that
    }
    const int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    support::UniqueSsl ssl;
    if (listener.tls) {
      ssl.reset(SSL_new(listener.tls));
      if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) {
        ERR_clear_error();
        ::close(fd);
        continue;
      }
      SSL_set_accept_state(ssl.get());
    }
    auto c = std::make_unique<Connection>(fd, std::move(ssl), listener.front);
    if (!make_room(c->peer_ip)) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++stats_.refused;
      continue;  // c closes the socket
    }
    ++per_address_[c->peer_ip];
    ++total_;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++stats_.accepted;
    }
    const auto now = Clock::now();
    c->phase = listener.tls ? Connection::Phase::handshake : Connection::Phase::reading;
    c->deadline = now + limits_.header_timeout;
    c->since = now;
    auto& ref = *c;
    waiting_.emplace(fd, std::move(c));
    watch(ref);
  }
}

// Makes room for one more connection from `peer_ip` by closing the
// connection that matters least: lingering, then idle, then unfinished,
// oldest first. False if every candidate is busy in a worker.
bool ConnectionGate::make_room(const std::string& peer_ip) {
  const auto addr = per_address_.find(peer_ip);
  const bool over_address = addr != per_address_.end() && addr->second >= limits_.max_connections_per_address;
  const bool over_total = total_ >= limits_.max_connections;
  if (!over_address && !over_total) return true;
  auto rank = [](Connection::Phase p) {
    switch (p) {
      case Connection::Phase::lingering: return 0;
      case Connection::Phase::waiting: return 1;
      default: return 2;
    }
  };
  Connection* victim = nullptr;
  for (const auto& [fd, c] : waiting_) {
    if (over_address && c->peer_ip != peer_ip) continue;
    if (!victim || std::make_pair(rank(c->phase), c->since) < std::make_pair(rank(victim->phase), victim->since)) {
      victim = c.get();
    }
  }
  if (!victim) return false;
  close_connection(victim->fd);
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.evicted;
  return true;
}

void ConnectionGate::on_event(int fd, std::uint32_t events) {
  const auto it = waiting_.find(fd);
  if (it == waiting_.end()) return;
  if ((events & EPOLLERR) != 0) {
    close_connection(fd);
    return;
  }
  advance(*it->second);
}

void ConnectionGate::advance(Connection& c) {
  switch (c.phase) {
    case Connection::Phase::handshake: {
      ERR_clear_error();
      const int r = SSL_accept(c.ssl.get());
      if (r == 1) {
        c.phase = Connection::Phase::reading;
        c.wants_write = false;
        read_request(c);
        return;
      }
      const int err = SSL_get_error(c.ssl.get(), r);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        c.wants_write = err == SSL_ERROR_WANT_WRITE;
        watch(c);
        return;
      }
      ERR_clear_error();  // not TLS, or a client that does not trust us
      close_connection(c.fd);
      return;
    }
    case Connection::Phase::waiting:
    case Connection::Phase::reading: read_request(c); return;
    case Connection::Phase::lingering: {
      char scratch[16 * 1024];
      for (;;) {
        const auto n = ::recv(c.fd, scratch, sizeof scratch, 0);
        if (n > 0) continue;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        close_connection(c.fd);
        return;
      }
    }
    case Connection::Phase::writing: flush(c); return;
    case Connection::Phase::queued:
    case Connection::Phase::working: return;
  }
}

void ConnectionGate::read_request(Connection& c) {
  std::size_t budget = kReadBudgetPerEvent;
  for (;;) {
    if (!c.head_complete) {
      const auto start = std::max(c.scan_from, c.consumed);
      const auto end = c.buffer.find("\r\n\r\n", start);
      if (end == std::string::npos) {
        c.scan_from = c.buffer.size() >= 3 ? std::max(c.buffer.size() - 3, c.consumed) : c.consumed;
        if (c.unread() > limits_.max_header_bytes) {
          send_canned_error(c, 431);
          start_linger(c);
          return;
        }
      } else {
        const auto head_end = end + 4;
        if (head_end - c.consumed > limits_.max_header_bytes) {
          send_canned_error(c, 431);
          start_linger(c);
          return;
        }
        if (!begin_body(c, head_end)) return;
      }
    }
    if (c.head_complete && c.chunked) {
      switch (scan_chunks(c, c.max_body)) {
        case Framing::more: break;
        case Framing::done: c.chunked = false; break;
        case Framing::bad:
          send_canned_error(c, 400);
          start_linger(c);
          return;
        case Framing::too_large:
          send_canned_error(c, 413);
          start_linger(c);
          return;
      }
      if (c.chunked && c.buffer.size() - c.body_start > c.max_body + kChunkFraming) {
        send_canned_error(c, 413);
        start_linger(c);
        return;
      }
    }
    if (c.head_complete && !c.chunked && c.buffer.size() >= c.request_end) {
      enqueue(c);
      return;
    }
    if (budget == 0) {
      watch(c);
      return;
    }
    const auto before = c.buffer.size();
    switch (c.read_some(budget)) {
      case ReadOutcome::data:
        budget -= std::min(budget, c.buffer.size() - before);
        if (c.phase == Connection::Phase::waiting) {
          c.phase = Connection::Phase::reading;
          c.deadline = Clock::now() + limits_.header_timeout;
        }
        break;
      case ReadOutcome::would_block: watch(c); return;
      case ReadOutcome::closed:
      case ReadOutcome::error: close_connection(c.fd); return;
    }
  }
}

// The head has arrived: decide how much body to wait for, and let a client
// that waits for `100 Continue` start sending. False when the gate has
// answered the request itself.
bool ConnectionGate::begin_body(Connection& c, std::size_t head_end) {
  const auto facts = head_facts(std::string_view(c.buffer).substr(c.consumed, head_end - 2 - c.consumed));
  if (facts.bad) {
    send_canned_error(c, 400);
    start_linger(c);
    return false;
  }
  c.head_complete = true;
  c.till = facts.till;
  c.body_start = head_end;
  c.request_end = head_end;
  c.max_body = body_limit(limits_, facts);
  if (facts.content_length > c.max_body) {
    // Answered here: httplib's own limit is the largest route's.
    send_canned_error(c, 413);
    start_linger(c);
    return false;
  } else if (facts.chunked) {
    c.chunked = true;
    c.in_trailers = false;
    c.chunk_at = head_end;
  } else {
    c.request_end = head_end + static_cast<std::size_t>(facts.content_length);
  }
  const bool body_expected = c.chunked || c.request_end > head_end;
  if (facts.expect_continue) {
    // httplib would answer Expect from a worker, after the gate has waited
    // for the body: rename the header (same length) so it does not, and
    // answer here while the client is still waiting.
    for (const auto at : facts.expect_names) c.buffer.replace(c.consumed + at, 6, "X-Gate");
    if (body_expected && !c.oversized_body && c.buffer.size() == head_end) send_interim(c, "HTTP/1.1 100 Continue\r\n\r\n");
  }
  if (body_expected) c.deadline = Clock::now() + limits_.body_timeout;
  return true;
}

// A complete request waits here until a worker it may use is free.
void ConnectionGate::enqueue(Connection& c) {
  unwatch(c);
  c.phase = Connection::Phase::queued;
  c.deadline = Clock::time_point::max();  // it waits for us, not we for it
  c.since = Clock::now();
  const int fd = c.fd;
  queued_.push_back(fd);
  dispatch_queued();  // c may be in a worker's hands after this: look it up again
  if (const auto w = waiting_.find(fd); w != waiting_.end() && w->second->phase == Connection::Phase::queued) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++stats_.queued;
  }
}

// Oldest first, skipping requests whose address is at its share or that
// would take a worker kept for tills.
void ConnectionGate::dispatch_queued() {
  if (stopping_) return;
  for (auto it = queued_.begin(); it != queued_.end() && in_workers_ < limits_.worker_count;) {
    const auto w = waiting_.find(*it);
    if (w == waiting_.end() || w->second->phase != Connection::Phase::queued) {
      it = queued_.erase(it);  // closed (evicted) while it waited
      continue;
    }
    if (!may_start(*w->second)) {
      ++it;
      continue;
    }
    it = queued_.erase(it);
    dispatch(*w->second);
  }
}

bool ConnectionGate::may_start(const Connection& c) const {
  if (in_workers_ >= limits_.worker_count) return false;
  const auto a = in_workers_per_address_.find(c.peer_ip);
  if (a != in_workers_per_address_.end() && a->second >= shares_.per_address) return false;
  return c.till || anonymous_in_workers_ < limits_.worker_count - shares_.reserved_for_tills;
}

void ConnectionGate::dispatch(Connection& c) {
  const int fd = c.fd;
  auto node = waiting_.extract(fd);
  c.phase = Connection::Phase::working;
  ++in_workers_;
  ++in_workers_per_address_[c.peer_ip];
  if (!c.till) ++anonymous_in_workers_;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    working_fds_.insert(fd);
    work_.push_back(std::move(node.mapped()));
  }
  work_ready_.notify_one();
}

void ConnectionGate::worker_loop() {
  for (;;) {
    std::unique_ptr<Connection> c;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock, [this] { return workers_exit_ || !work_.empty(); });
      if (work_.empty()) return;
      c = std::move(work_.front());
      work_.pop_front();
    }
    const auto verdict = serve(*c);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++stats_.requests;
      returned_.push_back(Returned{std::move(c), verdict});
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
  }
}

Verdict ConnectionGate::serve(Connection& c) {
  StreamLimits limits;
  limits.read_deadline = Clock::now() + limits_.body_timeout;
  limits.write_timeout = limits_.write_timeout;
  limits.max_request_bytes = limits_.max_header_bytes + c.max_body + kChunkFraming;
  limits.max_buffered_response = limits_.max_buffered_response_bytes;
  c.budget = &output_budget_;
  ConnectionStream stream(c, limits);
  const bool last = stopping_ || c.requests + 1 >= limits_.keep_alive_max_requests;
  bool client_closes = false;
  bool ok = false;
  try {
    ok = processors_[static_cast<std::size_t>(c.front)](stream, last, client_closes);
  } catch (const std::exception& e) {
    log::error("request processing failed", {{"what", e.what()}});
  }
  ++c.requests;
  if (!ok || stream.write_failed()) return Verdict::close;
  // After a refused or cut-off read the rest of the request is still on its
  // way: answer, then drain it (lingering close) so the client sees the answer.
  if (last || client_closes || c.oversized_body || stream.read_failed() ||
      closes_connection(stream.response_status())) {
    return Verdict::linger;
  }
  return Verdict::keep;
}

void ConnectionGate::take_returned() {
  std::vector<Returned> batch;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    batch.swap(returned_);
    for (const auto& r : batch) working_fds_.erase(r.connection->fd);
  }
  for (auto& r : batch) {
    --in_workers_;
    auto& c = *r.connection;
    if (const auto a = in_workers_per_address_.find(c.peer_ip); a != in_workers_per_address_.end() && --a->second == 0) {
      in_workers_per_address_.erase(a);
    }
    if (!c.till) --anonymous_in_workers_;
    const int fd = c.fd;
    waiting_.emplace(fd, std::move(r.connection));
    if (c.has_output() && r.verdict != Verdict::close) {
      start_writing(c, stopping_ ? Verdict::close : r.verdict);
    } else {
      finish(c, stopping_ ? Verdict::close : r.verdict);
    }
  }
  dispatch_queued();
}

// The response is sent: keep the connection for the next request, drain it
// before closing, or close it.
void ConnectionGate::finish(Connection& c, Verdict verdict) {
  c.release_output();
  switch (verdict) {
    case Verdict::close: close_connection(c.fd); return;
    case Verdict::linger: start_linger(c); return;
    case Verdict::keep:
      enter_waiting(c);
      read_request(c);  // pipelined bytes, or TLS records already decrypted
      return;
  }
}

// The worker has left the response in c.output; the gate writes it as the
// client reads, so a slow reader holds no worker. write_timeout bounds it.
void ConnectionGate::start_writing(Connection& c, Verdict then) {
  c.phase = Connection::Phase::writing;
  c.after_output = then;
  c.since = Clock::now();
  c.deadline = c.since + limits_.write_timeout;
  flush(c);
}

void ConnectionGate::flush(Connection& c) {
  switch (c.write_some()) {
    case WriteOutcome::done: finish(c, c.after_output); return;
    case WriteOutcome::would_block: watch(c); return;
    case WriteOutcome::error: close_connection(c.fd); return;
  }
}

std::size_t ConnectionGate::writing_count() const {
  return static_cast<std::size_t>(std::count_if(waiting_.begin(), waiting_.end(), [](const auto& entry) {
    return entry.second->phase == Connection::Phase::writing;
  }));
}

void ConnectionGate::enter_waiting(Connection& c) {
  c.compact();
  c.head_complete = false;
  c.oversized_body = false;
  c.chunked = false;
  c.in_trailers = false;
  c.till = false;
  c.request_end = 0;
  c.wants_write = false;
  const auto now = Clock::now();
  c.since = now;
  if (c.unread() > 0) {
    c.phase = Connection::Phase::reading;
    c.deadline = now + limits_.header_timeout;
  } else {
    c.phase = Connection::Phase::waiting;
    c.deadline = now + limits_.keep_alive_timeout;
  }
}

void ConnectionGate::start_linger(Connection& c) {
  if (c.ssl && c.phase != Connection::Phase::handshake) {
    ERR_clear_error();
    SSL_shutdown(c.ssl.get());
    ERR_clear_error();
  }
  ::shutdown(c.fd, SHUT_WR);
  c.phase = Connection::Phase::lingering;
  c.wants_write = false;
  c.deadline = Clock::now() + limits_.linger;
  c.since = Clock::now();
  watch(c);
}

void ConnectionGate::close_connection(int fd) {
  const auto it = waiting_.find(fd);
  if (it == waiting_.end()) return;
  auto& c = *it->second;
  unwatch(c);
  if (const auto a = per_address_.find(c.peer_ip); a != per_address_.end() && --a->second == 0) per_address_.erase(a);
  --total_;
  waiting_.erase(it);
}

void ConnectionGate::watch(Connection& c) {
  epoll_event ev{};
  ev.events = c.wants_write ? EPOLLOUT : EPOLLIN;
  ev.data.fd = c.fd;
  ::epoll_ctl(epoll_fd_, c.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c.fd, &ev);
  c.registered = true;
}

void ConnectionGate::unwatch(Connection& c) {
  if (!c.registered) return;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
  c.registered = false;
}

void ConnectionGate::expire(Clock::time_point now) {
  std::vector<int> expired;
  for (const auto& [fd, c] : waiting_) {
    if (c->deadline <= now) expired.push_back(fd);
  }
  std::size_t timed_out = 0;
  for (int fd : expired) {
    auto& c = *waiting_.at(fd);
    if (c.phase == Connection::Phase::reading || c.phase == Connection::Phase::handshake ||
        c.phase == Connection::Phase::writing) {
      ++timed_out;
      if (c.phase == Connection::Phase::reading && c.unread() > 0) send_canned_error(c, 408);
    }
    close_connection(fd);
  }
  if (timed_out) {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.timed_out += timed_out;
  }
}

// A best-effort error answer from the gate itself (the request never reached
// httplib): one non-blocking write, then the caller closes or lingers.
void ConnectionGate::send_canned_error(Connection& c, int status) {
  const auto code = status == 408   ? ErrorCode::request_timeout
                    : status == 413 ? ErrorCode::payload_too_large
                    : status == 431 ? ErrorCode::headers_too_large
                                    : ErrorCode::bad_request;
  const auto message = status == 408   ? "the request did not arrive in time"
                       : status == 413 ? "request body too large"
                       : status == 431 ? "request headers too large"
                                       : "malformed request";
  const auto id = new_request_id();
  const auto body = error_body(code, message, id);
  const auto response = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
                        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                        "\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nX-Request-Id: " + id +
                        "\r\nConnection: close\r\n\r\n" + body;
  send_interim(c, response);
}

// One best-effort non-blocking write: the canned answers are small and the
// connection has nothing else queued, so the socket takes them whole.
void ConnectionGate::send_interim(Connection& c, const std::string& bytes) {
  if (c.ssl) {
    ERR_clear_error();
    SSL_write(c.ssl.get(), bytes.data(), static_cast<int>(bytes.size()));
    ERR_clear_error();
  } else {
    [[maybe_unused]] const auto n = ::send(c.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  }
}

// One line every 10 s at most while connections are being evicted, refused
// or timed out: enough for an operator to notice, not enough to fill a disk.
void ConnectionGate::warn_if_pressed(Clock::time_point now) {
  if (now - last_warning_ < std::chrono::seconds(10)) return;
  const auto s = stats();
  if (s.evicted == warned_stats_.evicted && s.refused == warned_stats_.refused &&
      s.timed_out == warned_stats_.timed_out) {
    return;
  }
  log::warn("connection pressure: slow, idle or excess connections were closed",
            {{"evicted", s.evicted - warned_stats_.evicted},
             {"refused", s.refused - warned_stats_.refused},
             {"timed_out", s.timed_out - warned_stats_.timed_out},
             {"open", total_}});
  warned_stats_ = s;
  last_warning_ = now;
}

}  // namespace salespider::http
