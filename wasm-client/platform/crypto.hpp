// The browser's WebCrypto, as the till's offline sign-in needs it: a PBKDF2
// verifier of what a person typed, the Ed25519 check of an offline grant,
// and random salts. All answers arrive later (WebCrypto is asynchronous).
//
// Free of Emscripten; crypto_browser.cpp is the browser (www/bridge.js).
// Deliberately not here: what is derived from what, and when (auth/).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace salespider::platform::crypto {

// The answer's text, or nullopt when the browser could not do it (the
// error text is logged).
using Done = std::function<void(std::optional<std::string>)>;

// 32 bytes of PBKDF2-SHA-256(secret, salt, iterations), as hex.
void pbkdf2_sha256_hex(const std::string& secret, const std::string& salt_hex, int iterations, Done done);

// "valid" or "invalid"; nullopt where WebCrypto has no Ed25519 (older browsers).
void verify_ed25519(const std::string& public_key_b64url, const std::string& message,
                    const std::string& signature_b64url, Done done);

// crypto.getRandomValues, as hex.
std::string random_hex(std::size_t bytes);

// From www/bridge.js.
void complete(std::uint32_t id, bool ok);

}  // namespace salespider::platform::crypto
