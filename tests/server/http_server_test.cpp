// The HTTP front serves the till's files with the right MIME types, cache
// headers, precompressed variants and security headers, answers the API in
// JSON, and refuses paths that leave the till's directory. A real server on
// a spare loopback port, a real HTTP client.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "http/static_files.hpp"
#include "http_test_support.hpp"

using salespider::test::RunningServer;
using salespider::test::TempDir;

namespace {

class HttpServer : public ::testing::Test {
 protected:
  HttpServer() {
    www_.write("index.html", "<!doctype html><title>SaleSpider</title>");
    www_.write("app.js", "console.log('till');");
    www_.write("salespider.js", "console.log('glue');");
    www_.write("salespider.js.gz", "GZ-BYTES");
    www_.write("salespider.js.br", "BR-BYTES");
    www_.write("salespider.wasm", std::string("\0asm\1\0\0\0", 8));
    www_.write("salespider.3f2a9c1d.wasm", std::string("\0asm\1\0\0\0", 8));
    www_.write("manifest.webmanifest", "{}");
    www_.write("sw.js", "self.addEventListener('fetch', () => {});");
    www_.write("salespider.data", "DATA");
    www_.write("fonts/DejaVuSans.ttf", "TTF");
    www_.write(".secret", "hidden");
    secret_.write("passwd", "root:x:0:0");
    std::filesystem::create_symlink(secret_.path() / "passwd", www_.path() / "escape.txt");
    auto config = salespider::test::test_config();
    config.www_dir = www_.path();
    config.allowed_origins = {"https://backoffice.shop.test"};
    server_ = std::make_unique<RunningServer>(config);
  }
  httplib::Client client() const { return httplib::Client("127.0.0.1", server_->http_port()); }

  TempDir www_{"www"};
  TempDir secret_{"secret"};
  std::unique_ptr<RunningServer> server_;
};

}  // namespace

TEST_F(HttpServer, HealthSaysThereIsNoDatabaseYet) {
  auto res = client().Get("/api/v1/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
  const auto body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_FALSE(body["version"].get<std::string>().empty());
  EXPECT_EQ(res->get_header_value("X-Request-Id").size(), 16u);
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
}

TEST_F(HttpServer, ServesTheTillPageAsHtmlThatIsAlwaysRevalidated) {
  auto res = client().Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-cache");
  EXPECT_NE(res->body.find("SaleSpider"), std::string::npos);
}

TEST_F(HttpServer, EveryFileTypeGetsItsMimeType) {
  const std::pair<const char*, const char*> cases[] = {
      {"/salespider.wasm", "application/wasm"},
      {"/app.js", "text/javascript; charset=utf-8"},
      {"/manifest.webmanifest", "application/manifest+json"},
      {"/salespider.data", "application/octet-stream"},
      {"/fonts/DejaVuSans.ttf", "font/ttf"},
  };
  for (const auto& [path, type] : cases) {
    auto res = client().Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->get_header_value("Content-Type"), type) << path;
  }
}

TEST_F(HttpServer, ContentHashedFilesAreImmutableAndServiceWorkerIsNot) {
  auto hashed = client().Get("/salespider.3f2a9c1d.wasm");
  ASSERT_TRUE(hashed);
  EXPECT_EQ(hashed->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  auto sw = client().Get("/sw.js");
  ASSERT_TRUE(sw);
  EXPECT_EQ(sw->get_header_value("Cache-Control"), "no-cache");
  auto plain = client().Get("/salespider.wasm");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->get_header_value("Cache-Control"), "no-cache");
}

TEST_F(HttpServer, PrecompressedSiblingsFollowAcceptEncoding) {
  auto c = client();
  c.set_decompress(false);
  auto br = c.Get("/salespider.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(br);
  EXPECT_EQ(br->get_header_value("Content-Encoding"), "br");
  EXPECT_EQ(br->body, "BR-BYTES");
  EXPECT_EQ(br->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(br->get_header_value("Vary").find("Accept-Encoding"), std::string::npos);

  auto gz = c.Get("/salespider.js", {{"Accept-Encoding", "gzip, br;q=0"}});
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(gz->body, "GZ-BYTES");

  auto identity = c.Get("/salespider.js", {{"Accept-Encoding", "identity"}});
  ASSERT_TRUE(identity);
  EXPECT_FALSE(identity->has_header("Content-Encoding"));
  EXPECT_EQ(identity->body, "console.log('glue');");
  EXPECT_NE(br->get_header_value("ETag"), gz->get_header_value("ETag"));
}

TEST_F(HttpServer, MatchingEtagGetsNotModified) {
  auto first = client().Get("/app.js");
  ASSERT_TRUE(first);
  const auto etag = first->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  auto again = client().Get("/app.js", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  EXPECT_EQ(again->get_header_value("ETag"), etag);
}

TEST_F(HttpServer, EveryAnswerCarriesTheSecurityHeaders) {
  for (const char* path : {"/", "/api/v1/health", "/api/v1/nothing"}) {
    auto res = client().Get(path);
    ASSERT_TRUE(res) << path;
    const auto csp = res->get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self' 'wasm-unsafe-eval'"), std::string::npos) << path;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer") << path;
    EXPECT_FALSE(res->has_header("Strict-Transport-Security")) << "plain HTTP never sends HSTS";
    // The till's clock-skew warning compares its clock with this one.
    EXPECT_EQ(res->get_header_value_count("Date"), 1u) << path;
    EXPECT_NE(res->get_header_value("Date").find(" GMT"), std::string::npos) << path;
  }
}

TEST_F(HttpServer, UnknownApiPathIsAJsonNotFoundWithTheRequestId) {
  auto res = client().Get("/api/v1/no-such-thing");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  const auto body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body["error"]["code"], "not_found");
  EXPECT_EQ(body["error"]["request_id"], res->get_header_value("X-Request-Id"));
}

TEST_F(HttpServer, UnknownFileIsNotFoundRatherThanTheIndex) {
  auto res = client().Get("/no/such/page");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(res->body.find("<title>SaleSpider"), std::string::npos);
}

TEST_F(HttpServer, PathsLeavingTheTillDirectoryAreRefused) {
  for (const char* path : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/escape.txt", "/.secret",
                           "/fonts/../../etc/passwd", "/fonts/..%2f..%2fetc/passwd"}) {
    auto res = client().Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_EQ(res->body.find("root:"), std::string::npos) << path;
    EXPECT_EQ(res->body.find("hidden"), std::string::npos) << path;
  }
}

TEST_F(HttpServer, CorsOnlyForAllowedOrigins) {
  auto allowed = client().Get("/api/v1/health", {{"Origin", "https://backoffice.shop.test"}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Origin"), "https://backoffice.shop.test");

  auto other = client().Get("/api/v1/health", {{"Origin", "https://evil.test"}});
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));

  auto preflight = client().Options("/api/v1/health", {{"Origin", "https://evil.test"},
                                                      {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 403);
  auto ok_preflight = client().Options("/api/v1/health", {{"Origin", "https://backoffice.shop.test"},
                                                         {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(ok_preflight);
  EXPECT_EQ(ok_preflight->status, 204);
  EXPECT_NE(ok_preflight->get_header_value("Access-Control-Allow-Methods").find("POST"), std::string::npos);
}

TEST_F(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  auto c = client();
  c.set_keep_alive(true);
  for (int i = 0; i < 5; ++i) {
    auto res = c.Get("/api/v1/health");
    ASSERT_TRUE(res) << i;
    EXPECT_EQ(res->status, 200);
  }
}

TEST(StaticFileNames, ContentHashIsAnInnerPartOfEightOrMoreLowercaseHexDigits) {
  using salespider::http::is_content_hashed;
  EXPECT_TRUE(is_content_hashed("salespider.3f2a9c1d.wasm"));
  EXPECT_TRUE(is_content_hashed("app.0123456789abcdef0123.js"));
  EXPECT_FALSE(is_content_hashed("salespider.wasm"));
  EXPECT_FALSE(is_content_hashed("app.3f2a9c1.js"));     // 7 digits
  EXPECT_FALSE(is_content_hashed("3f2a9c1d.js"));        // the name itself, not a part
  EXPECT_FALSE(is_content_hashed("app.3F2A9C1D.js"));    // upper case is not our hash spelling
  EXPECT_FALSE(is_content_hashed("app.deadbeefx.js"));
}
