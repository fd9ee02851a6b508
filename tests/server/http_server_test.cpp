// The HTTP front serves the till's files with the right MIME types and answers
// /api/v1/health and unknown API paths in JSON. A real server on a spare
// loopback port, a real HTTP client.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "http/http_server.hpp"

namespace fs = std::filesystem;

namespace {

class RunningServer {
 public:
  explicit RunningServer(fs::path www) {
    salespider::http::ServerConfig config;
    config.port = 0;
    config.www_dir = std::move(www);
    server_ = std::make_unique<salespider::http::HttpServer>(config);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->listen(); });
  }
  ~RunningServer() {
    server_->stop();
    thread_.join();
  }
  int port() const { return port_; }
  httplib::Client client() const { return httplib::Client("127.0.0.1", port_); }

 private:
  std::unique_ptr<salespider::http::HttpServer> server_;
  int port_ = -1;
  std::thread thread_;
};

class TempWww {
 public:
  TempWww() : dir_(fs::temp_directory_path() / ("salespider-www-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
    write("index.html", "<!doctype html><title>SaleSpider</title>");
    write("salespider.js", "console.log('till');");
    write("salespider.wasm", std::string("\0asm\1\0\0\0", 8));
    write("manifest.webmanifest", "{}");
  }
  ~TempWww() { fs::remove_all(dir_); }
  const fs::path& path() const { return dir_; }

 private:
  void write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }
  fs::path dir_;
};

class HttpServer : public ::testing::Test {
 protected:
  TempWww www_;
  RunningServer server_{www_.path()};
};

}  // namespace

TEST_F(HttpServer, HealthSaysThereIsNoDatabaseYet) {
  auto res = server_.client().Get("/api/v1/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  const auto body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["database"]["state"], "none");
  EXPECT_FALSE(body["version"].get<std::string>().empty());
  EXPECT_EQ(res->get_header_value("X-Request-Id").size(), 16u);
}

TEST_F(HttpServer, ServesTheTillPageAsHtml) {
  auto res = server_.client().Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html");
  EXPECT_NE(res->body.find("SaleSpider"), std::string::npos);
}

TEST_F(HttpServer, ServesWasmWithTheWasmMimeTypeSoStreamingCompileWorks) {
  auto res = server_.client().Get("/salespider.wasm");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/wasm");
  EXPECT_EQ(res->body.substr(0, 4), std::string("\0asm", 4));
}

TEST_F(HttpServer, ServesScriptsAndManifestWithTheirMimeTypes) {
  auto js = server_.client().Get("/salespider.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript");
  auto manifest = server_.client().Get("/manifest.webmanifest");
  ASSERT_TRUE(manifest);
  EXPECT_EQ(manifest->get_header_value("Content-Type"), "application/manifest+json");
}

TEST_F(HttpServer, UnknownApiPathIsAJsonNotFoundWithTheRequestId) {
  auto res = server_.client().Get("/api/v1/no-such-thing");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  const auto body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body["error"]["code"], "not_found");
  EXPECT_EQ(body["error"]["request_id"], res->get_header_value("X-Request-Id"));
}

TEST_F(HttpServer, PathTraversalOutsideTheTillDirectoryIsRefused) {
  auto res = server_.client().Get("/../../etc/passwd");
  ASSERT_TRUE(res);
  EXPECT_NE(res->status, 200);
  EXPECT_EQ(res->body.find("root:"), std::string::npos);
}
