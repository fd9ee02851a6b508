// See server_context.hpp.
#include "tls/server_context.hpp"

#include <openssl/err.h>

namespace salespider::tls {

support::UniqueSslCtx make_server_context(const std::filesystem::path& cert_chain_file, const std::filesystem::path& key_file) {
  support::UniqueSslCtx ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) support::throw_openssl_error("SSL_CTX_new");
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  // No renegotiation (a cheap way to burn server CPU); a client that drops
  // the connection without close_notify is an ordinary EOF, not an error.
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_IGNORE_UNEXPECTED_EOF);
  // Non-blocking sockets: a write may complete partially and be retried with
  // the buffer at another address.
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), cert_chain_file.c_str()) != 1) {
    support::throw_openssl_error("cannot load TLS certificate " + cert_chain_file.string());
  }
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    support::throw_openssl_error("cannot load TLS key " + key_file.string());
  }
  if (SSL_CTX_check_private_key(ctx.get()) != 1) {
    support::throw_openssl_error("the TLS key does not match the certificate " + cert_chain_file.string());
  }
  return ctx;
}

}  // namespace salespider::tls
