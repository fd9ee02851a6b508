// See secrets_archive.hpp. The archive is a POSIX ustar file (readable with
// `tar -xf` when not encrypted). Encrypted form:
//   "SSPSEC01" | salt (16) | PBKDF2 iterations (4, big-endian) | IV (12) |
//   AES-256-GCM ciphertext of the tar | tag (16)
// with the first 28 bytes as additional authenticated data, so a wrong
// passphrase or a changed byte anywhere is an error, never garbage.
#include "service/secrets_archive.hpp"

#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <sstream>

#include "log/log.hpp"
#include "support/openssl_ptr.hpp"
#include "support/secret_file.hpp"

namespace fs = std::filesystem;

namespace salespider::service::backups {
namespace {

constexpr std::string_view kMagic = "SSPSEC01";
constexpr std::size_t kSaltLen = 16;
constexpr std::size_t kIvLen = 12;
constexpr std::size_t kTagLen = 16;
constexpr std::uint32_t kIterations = 200000;
constexpr std::size_t kHeaderLen = kMagic.size() + kSaltLen + 4 + kIvLen;
constexpr std::size_t kBlock = 512;

using UniqueCipherCtx = std::unique_ptr<EVP_CIPHER_CTX, support::Deleter<EVP_CIPHER_CTX_free>>;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void put_octal(char* field, std::size_t width, std::uint64_t value) {
  // width-1 octal digits and a NUL, as ustar wants.
  std::string digits(width - 1, '0');
  for (std::size_t i = width - 1; i-- > 0 && value != 0; value >>= 3) digits[i] = static_cast<char>('0' + (value & 7));
  std::memcpy(field, digits.data(), width - 1);
  field[width - 1] = '\0';
}

void append_entry(std::string& tar, const std::string& name, const std::string& content, unsigned mode) {
  if (name.size() >= 100) throw std::runtime_error("secrets archive: name too long: " + name);
  std::array<char, kBlock> h{};
  std::memcpy(h.data(), name.data(), name.size());
  put_octal(&h[100], 8, mode);
  put_octal(&h[108], 8, 0);
  put_octal(&h[116], 8, 0);
  put_octal(&h[124], 12, content.size());
  put_octal(&h[136], 12, 0);
  h[156] = '0';
  std::memcpy(&h[257], "ustar", 6);
  std::memcpy(&h[263], "00", 2);
  std::memset(&h[148], ' ', 8);
  unsigned sum = 0;
  for (char c : h) sum += static_cast<unsigned char>(c);
  put_octal(&h[148], 7, sum);
  h[155] = ' ';
  tar.append(h.data(), h.size());
  tar += content;
  tar.append((kBlock - content.size() % kBlock) % kBlock, '\0');
}

struct Entry {
  std::string name;
  std::string content;
};

std::uint64_t parse_octal(const char* field, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width && field[i] >= '0' && field[i] <= '7'; ++i) v = v * 8 + static_cast<unsigned>(field[i] - '0');
  return v;
}

Result<std::vector<Entry>> parse_tar(const std::string& tar) {
  std::vector<Entry> out;
  std::size_t at = 0;
  while (at + kBlock <= tar.size()) {
    const char* h = tar.data() + at;
    if (std::all_of(h, h + kBlock, [](char c) { return c == '\0'; })) return out;
    unsigned sum = 0;
    for (std::size_t i = 0; i < kBlock; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
    if (sum != parse_octal(h + 148, 8)) return make_error(Errc::invalid_value, "the secrets archive is damaged");
    const std::string name(h, strnlen(h, 100));
    const auto size = parse_octal(h + 124, 12);
    at += kBlock;
    if (at + size > tar.size()) return make_error(Errc::invalid_value, "the secrets archive is truncated");
    if (h[156] == '0' || h[156] == '\0') out.push_back({name, tar.substr(at, size)});
    at += (size + kBlock - 1) / kBlock * kBlock;
  }
  return make_error(Errc::invalid_value, "the secrets archive is truncated");
}

std::array<unsigned char, 32> derive_key(const std::string& pass, const unsigned char* salt, std::uint32_t iterations) {
  std::array<unsigned char, 32> key{};
  if (PKCS5_PBKDF2_HMAC(pass.data(), static_cast<int>(pass.size()), salt, static_cast<int>(kSaltLen),
                        static_cast<int>(iterations), EVP_sha256(), static_cast<int>(key.size()), key.data()) != 1) {
    support::throw_openssl_error("PBKDF2");
  }
  return key;
}

std::string encrypt(const std::string& plain, const std::string& pass) {
  std::string out(kMagic);
  unsigned char salt[kSaltLen];
  unsigned char iv[kIvLen];
  if (RAND_bytes(salt, sizeof salt) != 1 || RAND_bytes(iv, sizeof iv) != 1) support::throw_openssl_error("RAND_bytes");
  out.append(reinterpret_cast<const char*>(salt), sizeof salt);
  for (int shift : {24, 16, 8, 0}) out += static_cast<char>((kIterations >> shift) & 0xFF);
  out.append(reinterpret_cast<const char*>(iv), sizeof iv);
  const auto key = derive_key(pass, salt, kIterations);

  UniqueCipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  std::string cipher(plain.size() + 16, '\0');
  auto* cbuf = reinterpret_cast<unsigned char*>(cipher.data());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kIvLen), nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(out.data()),
                        static_cast<int>(out.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), cbuf, &len, reinterpret_cast<const unsigned char*>(plain.data()),
                        static_cast<int>(plain.size())) != 1) {
    support::throw_openssl_error("encrypting the secrets archive");
  }
  int total = len;
  unsigned char tag[kTagLen];
  if (EVP_EncryptFinal_ex(ctx.get(), cbuf + total, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagLen), tag) != 1) {
    support::throw_openssl_error("encrypting the secrets archive");
  }
  total += len;
  cipher.resize(static_cast<std::size_t>(total));
  out += cipher;
  out.append(reinterpret_cast<const char*>(tag), sizeof tag);
  return out;
}

Result<std::string> decrypt(const std::string& data, const std::string& pass) {
  if (pass.empty()) {
    return make_error(Errc::invalid_value,
                      "the secrets archive is encrypted: set PGBACKREST_REPO1_CIPHER_PASS to the repository's passphrase");
  }
  if (data.size() < kHeaderLen + kTagLen) return make_error(Errc::invalid_value, "the secrets archive is truncated");
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const unsigned char* salt = bytes + kMagic.size();
  std::uint32_t iterations = 0;
  for (std::size_t i = 0; i < 4; ++i) iterations = (iterations << 8) | bytes[kMagic.size() + kSaltLen + i];
  if (iterations == 0 || iterations > 10'000'000) return make_error(Errc::invalid_value, "the secrets archive is damaged");
  const unsigned char* iv = bytes + kMagic.size() + kSaltLen + 4;
  const auto key = derive_key(pass, salt, iterations);
  const std::size_t cipher_len = data.size() - kHeaderLen - kTagLen;
  std::string plain(cipher_len + 16, '\0');
  auto* pbuf = reinterpret_cast<unsigned char*>(plain.data());
  UniqueCipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kIvLen), nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes, static_cast<int>(kHeaderLen)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), pbuf, &len, bytes + kHeaderLen, static_cast<int>(cipher_len)) != 1) {
    support::throw_openssl_error("decrypting the secrets archive");
  }
  int total = len;
  std::array<unsigned char, kTagLen> tag{};
  std::memcpy(tag.data(), bytes + kHeaderLen + cipher_len, kTagLen);
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagLen), tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), pbuf + total, &len) != 1) {
    ERR_clear_error();
    return make_error(Errc::invalid_value,
                      "cannot decrypt the secrets archive: wrong passphrase (PGBACKREST_REPO1_CIPHER_PASS) or a damaged file");
  }
  total += len;
  plain.resize(static_cast<std::size_t>(total));
  return plain;
}

// Regular files directly in dir, sorted (the archive is reproducible).
std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && !e.is_symlink()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool safe_name(const std::string& name, std::string& dir, std::string& file) {
  const auto slash = name.find('/');
  if (name == ".env") {
    dir.clear();
    file = name;
    return true;
  }
  if (slash == std::string::npos) return false;
  dir = name.substr(0, slash);
  file = name.substr(slash + 1);
  return (dir == "tls" || dir == "keys") && !file.empty() && file.find('/') == std::string::npos && file != "." &&
         file != "..";
}

}  // namespace

std::string secrets_archive_bytes(const SecretsSources& sources, const std::string& cipher_pass) {
  std::string tar;
  for (const char* dir : {"tls", "keys"}) {
    for (const auto& f : files_in(sources.data_path / dir)) {
      append_entry(tar, std::string(dir) + "/" + f.filename().string(), read_file(f), 0600);
    }
  }
  if (sources.env_file && fs::is_regular_file(*sources.env_file)) {
    append_entry(tar, ".env", read_file(*sources.env_file), 0600);
  }
  tar.append(2 * kBlock, '\0');
  return cipher_pass.empty() ? tar : encrypt(tar, cipher_pass);
}

void write_secrets_archive(const SecretsSources& sources, const std::string& cipher_pass, const fs::path& out) {
  support::write_file_atomically(out, secrets_archive_bytes(sources, cipher_pass), support::FileMode::secret);
}

bool secrets_archive_encrypted(const fs::path& archive) {
  std::ifstream in(archive, std::ios::binary);
  std::string head(kMagic.size(), '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  return in && head == kMagic;
}

Result<void> restore_secrets(const fs::path& archive, const fs::path& data_path, bool overwrite,
                             const std::string& cipher_pass) {
  std::string data;
  try {
    data = read_file(archive);
  } catch (const std::exception& e) {
    return make_error(Errc::invalid_value, e.what());
  }
  if (data.compare(0, kMagic.size(), kMagic) == 0) {
    auto plain = decrypt(data, cipher_pass);
    if (!plain) return plain.error();
    data = std::move(*plain);
  }
  auto entries = parse_tar(data);
  if (!entries) return entries.error();
  for (const auto& e : *entries) {
    std::string dir, file;
    if (!safe_name(e.name, dir, file)) {
      return make_error(Errc::invalid_value, "the secrets archive holds an unexpected entry: " + e.name);
    }
  }
  for (const auto& e : *entries) {
    std::string dir, file;
    safe_name(e.name, dir, file);
    fs::path target;
    if (dir.empty()) {
      target = data_path / kRestoredEnvName;
    } else {
      support::ensure_private_directory(data_path / dir);
      target = data_path / dir / file;
    }
    if (!overwrite && fs::exists(target)) continue;
    // Certificates are public (the server serves ca.crt); keys are not.
    const bool is_public = dir == "tls" && file.size() > 4 && file.substr(file.size() - 4) != ".key";
    support::write_file_atomically(target, e.content,
                                   is_public ? support::FileMode::public_readable : support::FileMode::secret);
    log::info("restored a secret from the backup", {{"file", target.string()}});
  }
  return {};
}

}  // namespace salespider::service::backups
