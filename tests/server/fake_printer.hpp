// A network printer for tests: a TCP listener on 127.0.0.1 (a spare port)
// that keeps the bytes of each connection, in the order connections were
// accepted. It can hold its reads (a printer out of paper, or busy) with a
// small receive buffer, so a sender cannot finish by filling kernel buffers,
// and it counts connections, so a test can see two jobs were never open at
// once. Deliberately no ESC/POS: bytes are bytes.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace salespider::test {

class FakePrinter {
 public:
  // receive_buffer > 0: SO_RCVBUF of the listener (inherited by each
  // connection); the kernel rounds it up to a couple of KiB.
  explicit FakePrinter(int receive_buffer = 0) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener_ < 0) throw std::runtime_error("socket");
    if (receive_buffer > 0) ::setsockopt(listener_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listener_, 16) != 0)
      throw std::runtime_error("bind/listen");
    socklen_t len = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~FakePrinter() {
    stop_ = true;
    release();
    acceptor_.join();
    for (auto& t : readers_) t.join();
    ::close(listener_);
  }
  FakePrinter(const FakePrinter&) = delete;
  FakePrinter& operator=(const FakePrinter&) = delete;

  int port() const { return port_; }

  // While held, connections are accepted but nothing is read.
  void hold() {
    std::lock_guard lock(mutex_);
    held_ = true;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      held_ = false;
    }
    changed_.notify_all();
  }

  int accepted() const { return accepted_.load(); }
  // The bytes of every connection, in accept order.
  std::vector<std::string> jobs() const {
    std::lock_guard lock(mutex_);
    return jobs_;
  }
  // Waits until `n` connections were closed by the sender (EOF read).
  bool wait_for_jobs(std::size_t n, std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return finished_ >= n; });
  }

 private:
  void accept_loop() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      std::size_t index = 0;
      {
        std::lock_guard lock(mutex_);
        index = jobs_.size();
        jobs_.emplace_back();
      }
      ++accepted_;
      readers_.emplace_back([this, fd, index] { read_loop(fd, index); });
    }
  }

  void read_loop(int fd, std::size_t index) {
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !held_ || stop_; });
    }
    char buffer[4096];
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const auto n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      std::lock_guard lock(mutex_);
      jobs_[index].append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    {
      std::lock_guard lock(mutex_);
      ++finished_;
    }
    changed_.notify_all();
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool held_ = false;
  std::size_t finished_ = 0;
  std::vector<std::string> jobs_;
  std::thread acceptor_;
  std::vector<std::thread> readers_;  // touched by the acceptor thread only, joined after it
};

// A loopback port nothing listens on (bound, then closed).
inline int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

}  // namespace salespider::test
