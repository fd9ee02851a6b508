// A till's TLS client in a few lines, for the tests that check which
// certificates a till accepts: a handshake to 127.0.0.1:port trusting only
// `ca_file` and checking the server for `name` (a DNS name, or an IP when
// `is_ip`), then GET /api/v1/health.
#pragma once

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <string>

#include "http_test_support.hpp"
#include "support/openssl_ptr.hpp"

namespace salespider::test {

// "" once the server answered over a verified connection (its status in
// `status`); else "refused: <why the chain or name did not verify>",
// "cannot connect", "cannot load CA" or "no answer".
inline std::string tls_health(int port, const std::filesystem::path& ca_file, const std::string& name, bool is_ip,
                              int* status = nullptr) {
  support::UniqueSslCtx ctx(SSL_CTX_new(TLS_client_method()));
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(ctx.get(), ca_file.c_str(), nullptr) != 1) return "cannot load CA";
  support::UniqueSsl ssl(SSL_new(ctx.get()));
  RawSocket socket(port);
  if (!socket.connected()) return "cannot connect";
  SSL_set_fd(ssl.get(), socket.fd());
  if (is_ip) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), name.c_str());
  } else {
    SSL_set1_host(ssl.get(), name.c_str());
  }
  if (SSL_connect(ssl.get()) != 1) {
    const auto result = SSL_get_verify_result(ssl.get());
    ERR_clear_error();
    return std::string("refused: ") + X509_verify_cert_error_string(result);
  }
  const std::string request = "GET /api/v1/health HTTP/1.1\r\nHost: " + name + "\r\nConnection: close\r\n\r\n";
  SSL_write(ssl.get(), request.data(), static_cast<int>(request.size()));
  char buf[4096];
  const int n = SSL_read(ssl.get(), buf, sizeof buf);
  const std::string answer = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  if (answer.rfind("HTTP/1.1 ", 0) != 0 || answer.size() < 12) return "no answer";
  if (status != nullptr) *status = std::stoi(answer.substr(9, 3));
  return "";
}

}  // namespace salespider::test
