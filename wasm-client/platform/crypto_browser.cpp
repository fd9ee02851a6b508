// The browser implementation of platform/crypto.hpp: WebCrypto through
// window.SaleSpiderBridge (www/bridge.js), answered by id through
// salespider_crypto_complete(id, ok).
#include "platform/crypto.hpp"

#include <emscripten/emscripten.h>

#include <cstdio>
#include <map>
#include <utility>

// clang-format off
EM_JS(void, js_pbkdf2, (unsigned id, const char* secret, const char* salt, int iterations), {
  SaleSpiderBridge.pbkdf2(id, UTF8ToString(secret), UTF8ToString(salt), iterations);
});
EM_JS(void, js_verify_ed25519, (unsigned id, const char* key, const char* message, const char* signature), {
  SaleSpiderBridge.verifyEd25519(id, UTF8ToString(key), UTF8ToString(message), UTF8ToString(signature));
});
EM_JS(int, js_crypto_result_length, (unsigned id), { return SaleSpiderBridge.resultLength(id); });
EM_JS(void, js_crypto_result_copy, (unsigned id, char* out), { SaleSpiderBridge.resultCopy(id, HEAPU8, out); });
EM_JS(double, js_random_byte, (), { return crypto.getRandomValues(new Uint8Array(1))[0]; });
// clang-format on

namespace salespider::platform::crypto {

namespace {

std::uint32_t g_next_id = 1;
std::map<std::uint32_t, Done>& pending() {
  static std::map<std::uint32_t, Done> p;
  return p;
}

std::uint32_t track(Done done) {
  const std::uint32_t id = g_next_id++;
  pending().emplace(id, std::move(done));
  return id;
}

}  // namespace

void pbkdf2_sha256_hex(const std::string& secret, const std::string& salt_hex, int iterations, Done done) {
  js_pbkdf2(track(std::move(done)), secret.c_str(), salt_hex.c_str(), iterations);
}

void verify_ed25519(const std::string& public_key_b64url, const std::string& message,
                    const std::string& signature_b64url, Done done) {
  js_verify_ed25519(track(std::move(done)), public_key_b64url.c_str(), message.c_str(), signature_b64url.c_str());
}

std::string random_hex(std::size_t bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (std::size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned>(js_random_byte());
    out += kHex[(b >> 4) & 15];
    out += kHex[b & 15];
  }
  return out;
}

void complete(std::uint32_t id, bool ok) {
  std::string text;
  if (const int n = js_crypto_result_length(id); n > 0) {
    text.resize(static_cast<std::size_t>(n));
    js_crypto_result_copy(id, text.data());
  }
  auto it = pending().find(id);
  if (it == pending().end()) return;
  Done done = std::move(it->second);
  pending().erase(it);
  if (!ok) std::fprintf(stderr, "salespider: WebCrypto: %s\n", text.c_str());
  if (done) done(ok ? std::optional<std::string>(std::move(text)) : std::nullopt);
}

}  // namespace salespider::platform::crypto
