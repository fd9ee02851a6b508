// The OpenSSL server context HTTPS listeners share: TLS 1.2+, the server
// certificate chain and key from files (PEM). A renewed certificate is picked
// up at the next start of the server (it is read once here).
#pragma once

#include <filesystem>

#include "support/openssl_ptr.hpp"

namespace salespider::tls {

// Throws std::runtime_error (with OpenSSL's reason) if the files are missing,
// unreadable or do not belong together.
support::UniqueSslCtx make_server_context(const std::filesystem::path& cert_chain_file, const std::filesystem::path& key_file);

}  // namespace salespider::tls
