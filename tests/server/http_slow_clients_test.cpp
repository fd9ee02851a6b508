// More slow or idle clients than workers cannot stop the server: a normal
// client still gets answers within a second while many connections trickle
// one header byte a second, sit idle, or trickle a body. Also: slow heads are
// cut off with 408, and stop() lets in-flight requests finish.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include "http/connection_gate.hpp"
#include "http_test_support.hpp"

using salespider::test::RawSocket;
using salespider::test::RunningServer;
using salespider::test::status_of;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kWorkers = 2;

// Sends one byte of `text` per second on each socket until stopped.
class Trickler {
 public:
  Trickler(std::vector<std::unique_ptr<RawSocket>>& sockets, std::string text)
      : thread_([&sockets, text = std::move(text), this] {
          for (std::size_t i = 0; !stop_; ++i) {
            for (auto& s : sockets) s->send(std::string(1, text[i % text.size()]));
            for (int t = 0; t < 10 && !stop_; ++t) std::this_thread::sleep_for(std::chrono::milliseconds(100));
          }
        }) {}
  ~Trickler() {
    stop_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The slowest of `rounds` GET /api/v1/health on fresh connections, in ms;
// a failed request counts as 99999.
long worst_health_latency_ms(int port, int rounds) {
  long worst = 0;
  for (int i = 0; i < rounds; ++i) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(3);
    client.set_read_timeout(3);
    const auto start = Clock::now();
    auto res = client.Get("/api/v1/health");
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    worst = std::max(worst, (res && res->status == 200) ? static_cast<long>(ms) : 99999L);
  }
  return worst;
}

std::vector<std::unique_ptr<RawSocket>> open_sockets(int port, std::size_t n) {
  std::vector<std::unique_ptr<RawSocket>> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(std::make_unique<RawSocket>(port));
  return out;
}

salespider::http::ServerConfig small_pool() {
  auto config = salespider::test::test_config();
  config.worker_count = kWorkers;
  return config;
}

}  // namespace

TEST(HttpSlowClients, TwelveTimesMoreSlowHeaderClientsThanWorkersLeaveANormalClientAnswered) {
  RunningServer server(small_pool());
  auto slow = open_sockets(server.http_port(), 12 * kWorkers);
  Trickler trickle(slow, "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const auto worst = worst_health_latency_ms(server.http_port(), 10);
  std::cout << "[measure] " << slow.size() << " slow-header clients, " << kWorkers
            << " workers: worst health latency " << worst << " ms\n";
  EXPECT_LT(worst, 1000);
}

TEST(HttpSlowClients, IdleAndSlowBodyClientsDoNotHoldWorkers) {
  RunningServer server(small_pool());
  auto idle = open_sockets(server.http_port(), 8 * kWorkers);
  auto slow_body = open_sockets(server.http_port(), 8 * kWorkers);
  for (auto& s : slow_body) {
    s->send("POST /api/v1/health HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            "Content-Length: 1000\r\n\r\n[");
  }
  Trickler trickle(slow_body, "1,");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const auto worst = worst_health_latency_ms(server.http_port(), 10);
  std::cout << "[measure] " << idle.size() << " idle + " << slow_body.size() << " slow-body clients, " << kWorkers
            << " workers: worst health latency " << worst << " ms\n";
  EXPECT_LT(worst, 1000);
}

TEST(HttpSlowClients, MoreSlowClientsThanThePerAddressLimitEvictTheOldestNotTheNewcomer) {
  auto config = small_pool();
  config.max_connections_per_address = 8;
  RunningServer server(config);
  auto slow = open_sockets(server.http_port(), 20);
  Trickler trickle(slow, "GET / HTTP/1.1\r\nX-Slow: ");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const auto worst = worst_health_latency_ms(server.http_port(), 5);
  std::cout << "[measure] 20 slow clients over a per-address limit of 8: worst health latency " << worst << " ms\n";
  EXPECT_LT(worst, 1000);
}

TEST(HttpSlowClients, AHeadThatDoesNotArriveInTimeGets408) {
  auto config = small_pool();
  config.header_timeout_seconds = 1;
  RunningServer server(config);
  RawSocket socket(server.http_port());
  socket.send("GET /api/v1/health HTTP/1.1\r\nHost: loc");
  const auto start = Clock::now();
  const auto response = socket.read_all();
  const auto waited = Clock::now() - start;
  EXPECT_EQ(status_of(response), 408) << response;
  EXPECT_LT(waited, std::chrono::seconds(3));
}

TEST(HttpSlowClients, StopLetsTheRequestInFlightFinish) {
  std::atomic<bool> handler_started{false};
  RunningServer server(small_pool(), [&](salespider::http::HttpServer& s) {
    s.add_routes([&](httplib::Server& router) {
      router.Get("/api/v1/test/slow", [&](const httplib::Request&, httplib::Response& res) {
        handler_started = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(800));
        res.set_content("{\"done\":true}", "application/json");
      });
    });
  });
  const int port = server.http_port();
  httplib::Result result{nullptr, httplib::Error::Unknown};
  std::thread request([&] {
    httplib::Client client("127.0.0.1", port);
    result = client.Get("/api/v1/test/slow");
  });
  while (!handler_started) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  server.stop();  // returns once the request has finished
  request.join();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "{\"done\":true}");
  RawSocket after(port);
  EXPECT_FALSE(after.connected()) << "nothing listens after stop()";
}

TEST(WorkerShares, OneAddressAlwaysLeavesAWorkerForOthersAndTillsKeepAtMostAQuarter) {
  salespider::http::GateLimits limits;
  auto shares = salespider::http::worker_shares(limits);
  EXPECT_EQ(shares.reserved_for_tills, 4u);
  EXPECT_EQ(shares.per_address, 8u);

  limits.max_workers_per_address = 100;
  limits.reserved_till_workers = 100;
  shares = salespider::http::worker_shares(limits);
  EXPECT_EQ(shares.reserved_for_tills, 4u);
  EXPECT_EQ(shares.per_address, 11u);  // 16 - 4 kept for tills - 1 left for others

  limits.worker_count = 2;
  shares = salespider::http::worker_shares(limits);
  EXPECT_EQ(shares.reserved_for_tills, 0u);
  EXPECT_EQ(shares.per_address, 1u);
}
