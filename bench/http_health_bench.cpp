// Baseline of the HTTP front: round trips of GET /api/v1/health over loopback
// on one keep-alive connection, in process. It measures cpp-httplib plus our
// routing, request ids and logging, not PostgreSQL or TLS.
#include <benchmark/benchmark.h>
#include <httplib.h>

#include <thread>

#include "http/http_server.hpp"

namespace {

void HealthRoundTrip(benchmark::State& state) {
  salespider::http::ServerConfig config;
  config.port = 0;
  salespider::http::HttpServer server(config);
  const int port = server.bind();
  std::thread serving([&] { server.listen(); });
  {
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    for (auto _ : state) {
      auto res = client.Get("/api/v1/health");
      if (!res || res->status != 200) state.SkipWithError("health request failed");
    }
  }
  server.stop();
  serving.join();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(HealthRoundTrip)->UseRealTime()->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
