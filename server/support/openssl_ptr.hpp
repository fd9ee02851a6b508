// unique_ptr aliases for the OpenSSL objects we own, so every one is freed on
// every path (no raw owning pointers), plus the one way we report an OpenSSL
// failure: an exception carrying OpenSSL's error queue (infrastructure).
//
// support/ is the base layer's home for helpers that both auth/ (grant
// signing keys) and tls/ (certificates, the TLS context) need and that belong
// to neither: owned OpenSSL handles, files holding secrets, the clock. It
// includes nothing of the server above it (no db/, auth/, tls/, http/).
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

namespace salespider::support {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const noexcept { Free(p); }
};

using UniqueBio = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using UniqueBignum = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using UniqueKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using UniqueX509 = std::unique_ptr<X509, Deleter<X509_free>>;
using UniqueExtension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using UniqueGeneralNames = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using UniqueSslCtx = std::unique_ptr<SSL_CTX, Deleter<SSL_CTX_free>>;
using UniqueSsl = std::unique_ptr<SSL, Deleter<SSL_free>>;

// Throws std::runtime_error("<what>: <OpenSSL's queued errors>") and clears
// the thread's error queue.
[[noreturn]] void throw_openssl_error(const std::string& what);

}  // namespace salespider::support
