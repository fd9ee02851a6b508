// One address cannot stall the server (docs/security.md "Slow and idle
// clients: the connection gate"). From 127.0.0.1, twenty connections each
// hold on in their own way: chunked bodies sent a byte at a time, an
// `Expect: 100-continue` body that never comes, a large response never
// read, and a login flood at the password hashing. While they hold on,
// GET /api/v1/health from that same address still answers quickly. Also: a
// till's push gets through while anonymous clients hold every worker they
// may have, and a login flood is answered 503 + Retry-After instead of
// queueing behind the hashes.
//
// The one timing assert here is the issue's: health within kHealthBound.
// The issue asks for 100 ms; the bound is looser so a loaded 2-core CI
// machine does not flake, and the measured latency is printed (the figure
// in docs/security.md is the median of several runs).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "store_http_support.hpp"

using namespace salespider;
using Clock = std::chrono::steady_clock;
using test::body_of;
using test::status_of;

namespace {

constexpr auto kHealthBound = std::chrono::milliseconds(1000);
constexpr std::size_t kBigFileBytes = 3 * 1024 * 1024;

// A TCP connection to 127.0.0.1:port from a chosen loopback address
// (all of 127/8 is this machine), so one test can be several clients.
class Conn {
 public:
  Conn(int port, const std::string& from, int receive_buffer = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    // A small receive window keeps a large response in the server's hands.
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, from.c_str(), &local.sin_addr);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    set_receive_timeout(std::chrono::seconds(5));
  }
  void set_receive_timeout(std::chrono::seconds t) {
    timeval tv{static_cast<time_t>(t.count()), 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Conn() { ::close(fd_); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  bool connected() const { return connected_; }
  bool send(const std::string& data) {
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }
  // One response: head plus Content-Length bytes, skipping 1xx answers.
  std::string read_response() {
    for (;;) {
      const auto head_end = in_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        if (in_.compare(0, 10, "HTTP/1.1 1") == 0) {
          in_.erase(0, head_end + 4);
          continue;
        }
        std::size_t length = 0;
        const auto cl = in_.find("Content-Length: ");
        if (cl != std::string::npos && cl < head_end) length = std::stoul(in_.substr(cl + 16));
        if (in_.size() >= head_end + 4 + length) {
          auto out = in_.substr(0, head_end + 4 + length);
          in_.erase(0, out.size());
          return out;
        }
      }
      char buf[8192];
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return std::exchange(in_, {});
      in_.append(buf, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string in_;
};

const std::string kChunkedHead =
    "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    "Transfer-Encoding: chunked\r\n\r\n";

std::string login_request(const std::string& login) {
  const auto body = nlohmann::json({{"login", login}, {"password", "not-the-password"}}).dump();
  return "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

// The product's routes over services hashing passwords at production cost
// (64 MiB Argon2id, one at a time), so a handful of logins fills the
// hashing queue; the store's per-address login limit is raised so the
// flood reaches the hashing instead of the lockout.
class HashingStore {
 public:
  explicit HashingStore(http::ServerConfig config) {
    store_.w_.sql("UPDATE settings SET login_max_failures_per_address = 10000");
    service::ServicesOptions o;
    o.password = auth::PasswordParams{};
    o.password.max_concurrent = 1;
    services_ = std::make_unique<service::Services>(store_.w_.pool(), o);
    auto registry = std::make_shared<http::RouteRegistry>();
    http::register_api_routes(*registry, *services_);
    auto authenticator = std::make_shared<http::Authenticator>(http::authenticator_for(*services_));
    server_ = std::make_unique<test::RunningServer>(
        std::move(config), [&](http::HttpServer& s) { s.set_api(registry, authenticator); });
  }
  int port() { return server_->http_port(); }

 private:
  test::StoreOverHttp store_;
  std::unique_ptr<service::Services> services_;
  std::unique_ptr<test::RunningServer> server_;
};

// GET /api/v1/health from 127.0.0.1 on a fresh connection: its latency, or
// a minute if it did not answer 200 within 5 s.
std::chrono::microseconds health_latency(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5);
  client.set_read_timeout(5);
  const auto start = Clock::now();
  const auto res = client.Get("/api/v1/health");
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  return res && res->status == 200 ? took : std::chrono::microseconds(std::chrono::minutes(1));
}

// Keeps `n` connections logging in as nobody, one request after another,
// until destroyed; remembers every status and Retry-After seen.
class LoginFlood {
 public:
  LoginFlood(int port, std::size_t n, const std::string& from) {
    for (std::size_t i = 0; i < n; ++i) {
      threads_.emplace_back([this, port, from, i] {
        while (!stop_) {
          Conn c(port, from);
          if (!c.connected() || !c.send(login_request("nobody" + std::to_string(i)))) continue;
          record(c.read_response());
        }
      });
    }
  }
  ~LoginFlood() {
    stop_ = true;
    for (auto& t : threads_) t.join();
  }
  struct Seen {
    std::size_t answers = 0, refused = 0, refused_without_retry_after = 0, refused_without_json = 0,
                other = 0;
  };
  Seen seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  void record(const std::string& response) {
    const int status = status_of(response);
    std::lock_guard lock(mutex_);
    ++seen_.answers;
    if (status == 429 || status == 503) {
      ++seen_.refused;
      if (response.find("\r\nRetry-After: ") == std::string::npos) ++seen_.refused_without_retry_after;
      const auto body = nlohmann::json::parse(body_of(response), nullptr, false);
      if (!body.is_object() || !body["error"].is_object() || !body["error"]["code"].is_string()) {
        ++seen_.refused_without_json;
      }
    } else if (status != 401) {
      ++seen_.other;
    }
  }

  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  Seen seen_;
  std::vector<std::thread> threads_;
};

http::ServerConfig with_big_file(const test::TempDir& www) {
  www.write("big.bin", std::string(kBigFileBytes, 'b'));
  auto config = test::test_config();
  config.www_dir = www.path();
  config.shutdown_grace_seconds = 1;
  return config;
}

}  // namespace

TEST(Stall, TwentyHoldingConnectionsFromOneAddressLeaveHealthAnsweringQuickly) {
  test::TempDir www("stall-www");
  HashingStore store(with_big_file(www));
  const int port = store.port();
  std::vector<std::unique_ptr<Conn>> held;
  // (a) chunked bodies, one byte at a time (below).
  for (int i = 0; i < 5; ++i) {
    held.push_back(std::make_unique<Conn>(port, "127.0.0.1"));
    held.back()->send(kChunkedHead + "40\r\n{");
  }
  // (b) Expect: 100-continue, and the body never follows.
  for (int i = 0; i < 5; ++i) {
    held.push_back(std::make_unique<Conn>(port, "127.0.0.1"));
    held.back()->send(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Expect: 100-continue\r\nContent-Length: 64\r\n\r\n");
  }
  // (c) a 3 MB response that is never read.
  for (int i = 0; i < 5; ++i) {
    held.push_back(std::make_unique<Conn>(port, "127.0.0.1", 4096));
    held.back()->send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
  }
  // (d) five connections hammering login at the hashing queue.
  LoginFlood flood(port, 5, "127.0.0.1");
  std::atomic<bool> trickling{true};
  std::thread trickle([&] {
    while (trickling) {
      for (int i = 0; i < 5; ++i) held[static_cast<std::size_t>(i)]->send(" ");
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));

  std::vector<double> latencies;  // ms
  for (int i = 0; i < 9; ++i) {
    latencies.push_back(static_cast<double>(health_latency(port).count()) / 1000.0);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  trickling = false;
  trickle.join();
  std::sort(latencies.begin(), latencies.end());
  std::cout << "[ stall    ] GET /api/v1/health with 20 holding connections from the same address: median "
            << latencies[latencies.size() / 2] << " ms, worst " << latencies.back() << " ms\n";
  EXPECT_LT(latencies.back(), static_cast<double>(kHealthBound.count()))
      << "health stalled behind one address's connections";
  EXPECT_GT(flood.seen().answers, 0u) << "the login flood was not being answered at all";
}

TEST(Stall, ATillPushGetsThroughWhileAnonymousClientsHoldEveryWorkerTheyMayUse) {
  test::StoreOverHttp store;
  test::TempDir www("stall-www");
  auto config = with_big_file(www);
  config.worker_count = 8;                         // 2 kept for tills, 6 for everyone
  config.max_buffered_response_bytes = 64 * 1024;  // so a slow reader of big.bin holds a worker
  config.write_timeout_seconds = 20;
  auto authenticator = std::make_shared<http::Authenticator>(http::authenticator_for(store.w_.services()));
  test::RunningServer server(config, [&](http::HttpServer& s) { s.set_api(store.registry_, authenticator); });
  const int port = server.http_port();

  // Anonymous slow readers from eight other addresses: far more than the
  // six open workers.
  std::vector<std::unique_ptr<Conn>> readers;
  for (int a = 2; a < 10; ++a) {
    for (int i = 0; i < 2; ++i) {
      readers.push_back(std::make_unique<Conn>(port, "127.0.0." + std::to_string(a), 4096));
      readers.back()->send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  // They do hold them: an anonymous request waits.
  {
    Conn probe(port, "127.0.0.20");
    probe.set_receive_timeout(std::chrono::seconds(1));
    probe.send("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(status_of(probe.read_response()), 0)
        << "the slow readers did not hold the open workers; the test proves nothing";
  }

  httplib::Client till("127.0.0.1", port);
  till.set_read_timeout(5);
  const auto start = Clock::now();
  const auto res = till.Post("/api/v1/sync/push", store.till_headers(), store.batch({store.sale(1, 1000)}),
                             "application/json");
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  ASSERT_TRUE(res) << "the till's push got no answer: " << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200) << res->body;
  std::cout << "[ stall    ] till push while anonymous clients hold every open worker: " << took << " ms\n";
}

TEST(Stall, ALoginFloodIsRefusedWithRetryAfterInsteadOfQueueingBehindTheHashes) {
  HashingStore store(test::test_config());
  {
    LoginFlood flood(store.port(), 8, "127.0.0.1");
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const auto seen = flood.seen();
    std::cout << "[ stall    ] login flood: " << seen.answers << " answers, " << seen.refused << " refused\n";
    EXPECT_GT(seen.refused, 0u) << "no login was refused: the flood queued behind the hashing without bound";
    EXPECT_EQ(seen.refused_without_retry_after, 0u);
    EXPECT_EQ(seen.refused_without_json, 0u);
    EXPECT_EQ(seen.other, 0u) << "answers other than 401, 429 and 503";
  }
  // Once the flood stops, logins are checked again.
  Conn c(store.port(), "127.0.0.1");
  c.send(login_request("nobody"));
  EXPECT_EQ(status_of(c.read_response()), 401);
}
