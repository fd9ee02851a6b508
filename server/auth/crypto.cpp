// See crypto.hpp.
#include "auth/crypto.hpp"

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "auth/hash_queue.hpp"
#include "support/openssl_ptr.hpp"
#include "support/secret_file.hpp"

namespace salespider::auth {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

HashQueueLimits queue_limits(const PasswordParams& params) {
  return HashQueueLimits{params.max_concurrent, params.max_waiting, std::chrono::milliseconds(params.max_wait_ms)};
}

constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    support::throw_openssl_error("RAND_bytes");
  }
  return out;
}

std::string new_token(std::string_view prefix) {
  return std::string(prefix) + base64url_encode(random_bytes(32));
}

std::string sha256(std::string_view data) {
  std::string out(32, '\0');
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len, EVP_sha256(),
                 nullptr) != 1) {
    support::throw_openssl_error("SHA-256");
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  return to_hex(sha256(data));
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    out += kB64Url[(v >> 18) & 63];
    out += kB64Url[(v >> 12) & 63];
    out += kB64Url[(v >> 6) & 63];
    out += kB64Url[v & 63];
  }
  if (bytes.size() - i == 1) {
    const unsigned v = p[i] << 16;
    out += kB64Url[(v >> 18) & 63];
    out += kB64Url[(v >> 12) & 63];
  } else if (bytes.size() - i == 2) {
    const unsigned v = (p[i] << 16) | (p[i + 1] << 8);
    out += kB64Url[(v >> 18) & 63];
    out += kB64Url[(v >> 12) & 63];
    out += kB64Url[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  // Leftover bits must be zero, so every byte string has one encoding.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hash_password(std::string_view password, const PasswordParams& params) {
  const auto salt = random_bytes(kSaltBytes);
  const std::size_t len = argon2_encodedlen(params.time_cost, params.memory_kib, params.parallelism,
                                            kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(len, '\0');
  const HashSlot slot(queue_limits(params));
  const int rc =
      argon2id_hash_encoded(params.time_cost, params.memory_kib, params.parallelism, password.data(),
                            password.size(), salt.data(), salt.size(), kHashBytes, encoded.data(), len);
  if (rc != ARGON2_OK) throw std::runtime_error(std::string("argon2id: ") + argon2_error_message(rc));
  encoded.resize(std::char_traits<char>::length(encoded.c_str()));
  return encoded;
}

bool verify_password(std::string_view password, const std::string& phc, const PasswordParams& params) {
  if (phc.rfind("$argon2id$", 0) != 0) return false;
  const HashSlot slot(queue_limits(params));
  return argon2id_verify(phc.c_str(), password.data(), password.size()) == ARGON2_OK;
}

// ---------------------------------------------------------------- Ed25519

struct SigningKey::Impl {
  support::UniqueKey key;
};

SigningKey::SigningKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

SigningKey SigningKey::generate() {
  support::UniqueKey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) support::throw_openssl_error("generating the grant-signing key");
  auto impl = std::make_unique<Impl>();
  impl->key = std::move(key);
  return SigningKey(std::move(impl));
}

std::optional<SigningKey> SigningKey::from_pem(const std::string& pem) {
  support::UniqueBio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return std::nullopt;
  support::UniqueKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) return std::nullopt;
  auto impl = std::make_unique<Impl>();
  impl->key = std::move(key);
  return SigningKey(std::move(impl));
}

SigningKey SigningKey::load_or_create(const std::filesystem::path& path) {
  if (std::filesystem::exists(path)) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    auto key = from_pem(buf.str());
    if (!key) throw std::runtime_error(path.string() + " is not an Ed25519 private key in PEM form");
    if ((support::permission_bits(path) & 0077) != 0) {
      std::filesystem::permissions(path,
                                   std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                   std::filesystem::perm_options::replace);
    }
    return std::move(*key);
  }
  support::ensure_private_directory(path.parent_path());
  auto key = generate();
  support::write_file_atomically(path, key.private_key_pem(), support::FileMode::secret);
  return key;
}

std::string SigningKey::sign(std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, support::Deleter<EVP_MD_CTX_free>> ctx(EVP_MD_CTX_new());
  std::string sig(64, '\0');
  std::size_t len = sig.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    support::throw_openssl_error("signing a grant");
  }
  sig.resize(len);
  return sig;
}

std::string SigningKey::public_key_raw() const {
  std::string out(32, '\0');
  std::size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(impl_->key.get(), reinterpret_cast<unsigned char*>(out.data()), &len) !=
      1) {
    support::throw_openssl_error("reading the grant public key");
  }
  out.resize(len);
  return out;
}

std::string SigningKey::private_key_pem() const {
  support::UniqueBio bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), impl_->key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    support::throw_openssl_error("writing the grant-signing key");
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

bool verify_ed25519(std::string_view public_key_raw, std::string_view message, std::string_view signature) {
  if (public_key_raw.size() != 32 || signature.size() != 64) return false;
  support::UniqueKey key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(public_key_raw.data()),
      public_key_raw.size()));
  std::unique_ptr<EVP_MD_CTX, support::Deleter<EVP_MD_CTX_free>> ctx(EVP_MD_CTX_new());
  if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
    return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

}  // namespace salespider::auth
