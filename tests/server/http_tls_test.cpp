// HTTPS with the store's own CA: a TLS client that trusts only the generated
// ca.crt completes the handshake for each name in the certificate (localhost,
// 127.0.0.1, ::1, DOMAIN, HOST_IP) and fails for any other; HSTS is sent over
// HTTPS except to localhost; HTTP serves loopback clients and the setup page.
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/err.h>

#include <nlohmann/json.hpp>

#include "http/security_headers.hpp"
#include "http/setup_page.hpp"
#include "http_test_support.hpp"
#include "tls_client_support.hpp"
#include "tls/certificates.hpp"
#include "support/openssl_ptr.hpp"

namespace tls = salespider::tls;
namespace support = salespider::support;
using salespider::test::RawSocket;
using salespider::test::RunningServer;
using salespider::test::TempDir;

namespace {

class HttpsServer : public ::testing::Test {
 protected:
  HttpsServer() {
    auto report = tls::ensure_certificates(paths_, {"till.shop.test", "192.168.50.7"}, tls::Clock::now());
    EXPECT_TRUE(report.ok());
    www_.write("index.html", "<!doctype html><title>SaleSpider</title>");
    auto config = salespider::test::test_config();
    config.www_dir = www_.path();
    config.tls_cert_file = paths_.server_cert;
    config.tls_key_file = paths_.server_key;
    config.ca_cert_file = paths_.ca_cert;
    config.public_host = "till.shop.test";
    server_ = std::make_unique<RunningServer>(config);
  }

  // TLS handshake to 127.0.0.1:https_port, verifying the chain against our
  // CA and the certificate against `name` (DNS name or IP), then a 200 from
  // health. Returns "" on success or what failed.
  std::string handshake_as(const std::string& name, bool is_ip) {
    int status = 0;
    const std::string failed =
        salespider::test::tls_health(server_->https_port(), paths_.ca_cert, name, is_ip, &status);
    if (!failed.empty()) return failed;
    return status == 200 ? "" : "no 200";
  }

  std::unique_ptr<httplib::SSLClient> https_client() const {
    auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", server_->https_port());
    client->set_ca_cert_path(paths_.ca_cert.c_str());
    client->enable_server_certificate_verification(true);
    return client;
  }

  TempDir data_{"tls-data"};
  TempDir www_{"tls-www"};
  tls::Paths paths_ = tls::Paths::under(data_.path());
  std::unique_ptr<RunningServer> server_;
};

}  // namespace

TEST_F(HttpsServer, TlsVerifiesAgainstTheGeneratedCaForEveryName) {
  EXPECT_EQ(handshake_as("localhost", false), "");
  EXPECT_EQ(handshake_as("till.shop.test", false), "");
  EXPECT_EQ(handshake_as("127.0.0.1", true), "");
  EXPECT_EQ(handshake_as("::1", true), "");
  EXPECT_EQ(handshake_as("192.168.50.7", true), "");
}

TEST_F(HttpsServer, TlsFailsForANameTheCertificateDoesNotCarry) {
  EXPECT_NE(handshake_as("other.shop.test", false), "");
  EXPECT_NE(handshake_as("192.168.50.8", true), "");
}

TEST_F(HttpsServer, HstsIsSentOverHttpsButNeverToLocalhost) {
  auto client = https_client();
  auto local = client->Get("/api/v1/health", {{"Host", "localhost"}});
  ASSERT_TRUE(local) << httplib::to_string(local.error());
  EXPECT_EQ(local->status, 200);
  EXPECT_FALSE(local->has_header("Strict-Transport-Security"));

  auto lan = client->Get("/api/v1/health", {{"Host", "till.shop.test"}});
  ASSERT_TRUE(lan);
  EXPECT_EQ(lan->get_header_value("Strict-Transport-Security"), "max-age=31536000");
  EXPECT_NE(lan->get_header_value("Content-Security-Policy").find("'wasm-unsafe-eval'"), std::string::npos);
}

TEST_F(HttpsServer, KeepAliveWorksOverTls) {
  auto client = https_client();
  client->set_keep_alive(true);
  for (int i = 0; i < 5; ++i) {
    auto res = client->Get("/");
    ASSERT_TRUE(res) << i << ": " << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 200);
  }
}

TEST_F(HttpsServer, ClientsStuckBeforeTheHandshakeDoNotBlockOthers) {
  std::vector<std::unique_ptr<RawSocket>> stuck;
  for (int i = 0; i < 40; ++i) stuck.push_back(std::make_unique<RawSocket>(server_->https_port()));
  stuck.front()->send("\x16\x03\x01");  // the first bytes of a ClientHello, then nothing
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto start = std::chrono::steady_clock::now();
  auto res = https_client()->Get("/api/v1/health");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST_F(HttpsServer, PlainHttpFromLoopbackServesTheApp) {
  httplib::Client client("127.0.0.1", server_->http_port());
  auto res = client.Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("SaleSpider"), std::string::npos);
}

TEST_F(HttpsServer, TheCaAndSetupPageAreServedOverPlainHttp) {
  httplib::Client client("127.0.0.1", server_->http_port());
  auto ca = client.Get("/ca.crt");
  ASSERT_TRUE(ca);
  EXPECT_EQ(ca->status, 200);
  EXPECT_EQ(ca->get_header_value("Content-Type"), "application/x-x509-ca-cert");
  EXPECT_EQ(ca->body.rfind("-----BEGIN CERTIFICATE-----", 0), 0u);

  auto setup = client.Get("/setup");
  ASSERT_TRUE(setup);
  EXPECT_EQ(setup->status, 200);
  const auto url = "https://till.shop.test:" + std::to_string(server_->https_port()) + "/";
  EXPECT_NE(setup->body.find(url), std::string::npos);
  EXPECT_NE(setup->body.find("<svg class=\"qr\""), std::string::npos);
  EXPECT_NE(setup->body.find(tls::read_certificate_info(paths_.ca_cert).sha256), std::string::npos);
  for (const char* platform : {"Android", "iPhone", "Windows", "macOS", "Linux"}) {
    EXPECT_NE(setup->body.find(platform), std::string::npos) << platform;
  }
  EXPECT_EQ(setup->body.find("<script"), std::string::npos) << "the setup page runs under the same CSP";
  EXPECT_EQ(setup->body.find("style="), std::string::npos);
}

TEST(HttpRedirectPolicy, LanClientsAreSentToHttpsExceptForTheSetupPages) {
  using salespider::http::is_loopback_address;
  EXPECT_TRUE(is_loopback_address("127.0.0.1"));
  EXPECT_TRUE(is_loopback_address("127.8.0.1"));
  EXPECT_TRUE(is_loopback_address("::1"));
  EXPECT_TRUE(is_loopback_address("::ffff:127.0.0.1"));
  EXPECT_FALSE(is_loopback_address("192.168.1.20"));
  EXPECT_FALSE(is_loopback_address("::ffff:192.168.1.20"));
  EXPECT_FALSE(is_loopback_address("fe80::1"));
  salespider::http::SetupPageOptions options{{}, "", 8443, "", ""};
  EXPECT_EQ(salespider::http::https_url(options, "192.168.1.5:8080"), "https://192.168.1.5:8443/");
  EXPECT_EQ(salespider::http::https_url(options, "[fe80::1]:8080"), "https://[fe80::1]:8443/");
  EXPECT_EQ(salespider::http::https_url(options, "evil\"><script>:80"), "https://localhost:8443/");
  options.https_port = 443;
  options.public_host = "till.shop.test";
  EXPECT_EQ(salespider::http::https_url(options, "192.168.1.5"), "https://till.shop.test/");
}
