// `salespider serve`: runs the store server in the foreground until SIGINT or
// SIGTERM, then stops accepting and returns.
#include <csignal>
#include <iostream>
#include <nlohmann/json.hpp>
#include <pthread.h>
#include <thread>

#include "app/commands.hpp"
#include "http/http_server.hpp"
#include "salespider/version.hpp"

namespace salespider::app {
namespace {

// Blocks SIGINT/SIGTERM in every thread and waits for them on one, so a stop
// request is handled outside a signal handler.
int serve(const http::ServerConfig& config) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  http::HttpServer server(config);
  const int port = server.bind();
  if (port < 0) {
    std::cerr << nlohmann::json({{"level", "error"}, {"msg", "cannot listen"}, {"host", config.host}, {"port", config.port}}).dump() << '\n';
    return 1;
  }
  std::cout << nlohmann::json({{"level", "info"},
                               {"msg", "listening"},
                               {"version", kVersion},
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

void add_serve_command(CLI::App& app) {
  struct Options {
    http::ServerConfig config;
    std::string www;
  };
  auto options = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("serve", "Run the store server in the foreground");
  cmd->add_option("--host", options->config.host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", options->config.port, "Port to listen on (0 = any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--www", options->www, "Directory of the assembled till (www/ + wasm build)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--workers", options->config.worker_count, "HTTP worker threads")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->callback([options] {
    options->config.www_dir = options->www;
    set_exit_code(serve(options->config));
  });
}

}  // namespace salespider::app
