// `salespider`: the store server (`salespider serve`) and, in later releases,
// the admin CLI. Thin: parses arguments, calls the server library, and is the
// one boundary where infrastructure exceptions of the process are caught.
#include <CLI/CLI.hpp>

#include <csignal>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <pthread.h>
#include <thread>

#include "http/http_server.hpp"
#include "salespider/version.hpp"

namespace {

// Blocks SIGINT/SIGTERM in every thread and waits for them on one, so a
// stop request is handled outside a signal handler.
int serve(salespider::http::ServerConfig config) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  salespider::http::HttpServer server(config);
  const int port = server.bind();
  if (port < 0) {
    std::cerr << nlohmann::json({{"level", "error"}, {"msg", "cannot listen"}, {"host", config.host}, {"port", config.port}}).dump() << '\n';
    return 1;
  }
  std::cout << nlohmann::json({{"level", "info"},
                               {"msg", "listening"},
                               {"version", salespider::kVersion},
                               {"host", config.host},
                               {"port", port},
                               {"url", "http://" + config.host + ":" + std::to_string(port) + "/"}})
                   .dump()
            << std::endl;

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    std::cout << nlohmann::json({{"level", "info"}, {"msg", "stopping"}, {"signal", sig}}).dump() << std::endl;
    server.stop();
  });
  const bool ok = server.listen();
  // listen() also returns when the socket fails; wake the waiter either way.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"SaleSpider store server and admin CLI"};
  app.set_version_flag("--version", std::string(salespider::kVersion));
  app.require_subcommand(1);

  salespider::http::ServerConfig config;
  std::string www;
  auto* serve_cmd = app.add_subcommand("serve", "Run the store server in the foreground");
  serve_cmd->add_option("--host", config.host, "Address to listen on")->capture_default_str();
  serve_cmd->add_option("--port", config.port, "Port to listen on (0 = any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  serve_cmd->add_option("--www", www, "Directory of the assembled till (www/ + wasm build)")
      ->check(CLI::ExistingDirectory);
  serve_cmd->add_option("--workers", config.worker_count, "HTTP worker threads")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  try {
    if (serve_cmd->parsed()) {
      config.www_dir = www;
      return serve(config);
    }
  } catch (const std::exception& e) {
    std::cerr << nlohmann::json({{"level", "error"}, {"msg", "fatal"}, {"what", e.what()}}).dump() << '\n';
    return 1;
  }
  return 0;
}
