// The few cryptographic primitives auth needs, on OpenSSL 3 and libargon2:
// random tokens, SHA-256, base64url, Argon2id password hashing, and Ed25519
// signing for offline grants. Thin wrappers: no policy here (how long a
// password must be is auth/password_policy.hpp; what a grant says is
// service/grants.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace salespider::auth {

// Cryptographically secure random bytes (RAND_bytes); throws on failure.
std::string random_bytes(std::size_t n);
// `prefix` + base64url(32 random bytes): session tokens, till credentials.
std::string new_token(std::string_view prefix);
// SHA-256 of `data`: 32 raw bytes, or 64 lowercase hex digits.
std::string sha256(std::string_view data);
std::string sha256_hex(std::string_view data);
std::string to_hex(std::string_view bytes);
std::optional<std::string> from_hex(std::string_view hex);
// Unpadded base64url (RFC 4648 section 5).
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);
// Comparison whose time does not depend on where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// Argon2id parameters. Production: t=3, m=64 MiB, p=1 (docs/security.md);
// tests lower memory_kib to stay fast.
struct PasswordParams {
  std::uint32_t time_cost = 3;
  std::uint32_t memory_kib = 64 * 1024;
  std::uint32_t parallelism = 1;
  // The hashing queue (auth/hash_queue.hpp): hashes computed at once
  // (bounds memory), how many more may wait (bounds blocked workers), and
  // for how long; beyond that hashing throws HashingBusy.
  std::uint32_t max_concurrent = 4;
  std::uint32_t max_waiting = 4;
  std::uint32_t max_wait_ms = 2000;
};

// PHC string "$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>" with a fresh
// 16-byte salt and a 32-byte hash. Throws on an internal libargon2 failure.
std::string hash_password(std::string_view password, const PasswordParams& params);
// True when `password` matches `phc`; false for a mismatch or a malformed
// string. The parameters are read from the string, so old hashes keep
// verifying after the defaults change. Both throw auth::HashingBusy when the
// hashing queue is full (auth/hash_queue.hpp).
bool verify_password(std::string_view password, const std::string& phc, const PasswordParams& params);

// An Ed25519 key pair for offline grants.
class SigningKey {
 public:
  // Reads the PEM private key at `path`, or creates one there (0600, in a
  // 0700 directory) when the file does not exist. Throws on a bad file.
  static SigningKey load_or_create(const std::filesystem::path& path);
  static SigningKey generate();
  static std::optional<SigningKey> from_pem(const std::string& pem);

  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  ~SigningKey();

  std::string sign(std::string_view message) const;  // 64 raw bytes
  std::string public_key_raw() const;                // 32 raw bytes
  std::string private_key_pem() const;

 private:
  struct Impl;
  explicit SigningKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Verifies an Ed25519 signature against a raw 32-byte public key.
bool verify_ed25519(std::string_view public_key_raw, std::string_view message, std::string_view signature);

}  // namespace salespider::auth
