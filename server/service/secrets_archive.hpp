// The store's secrets next to its backups: DATA_PATH/tls (the local CA's key
// and certificates), DATA_PATH/keys (the offline-grant and audit-anchor
// signing keys) and the .env file in use, in one tar archive, encrypted with
// AES-256-GCM (key from PBKDF2-SHA256 of PGBACKREST_REPO1_CIPHER_PASS) when a
// passphrase is set. A restored server that gets these back is trusted by the
// tills it had (same CA, same grant key).
//
// Deliberately not here: directories other than tls/ and keys/, symlinks,
// anything but regular files; a general tar reader (only our own archives).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "salespider/shared/result.hpp"

namespace salespider::service::backups {

struct SecretsSources {
  std::filesystem::path data_path;
  std::optional<std::filesystem::path> env_file;  // the .env in use, if any
};

// Entries: "tls/<name>", "keys/<name>", ".env". Throws on unreadable files.
std::string secrets_archive_bytes(const SecretsSources& sources, const std::string& cipher_pass);

// Writes the archive to `out` (0600, atomically). Throws on failure.
void write_secrets_archive(const SecretsSources& sources, const std::string& cipher_pass,
                           const std::filesystem::path& out);

// Whether an archive file is encrypted (by its header).
bool secrets_archive_encrypted(const std::filesystem::path& archive);

// Puts tls/ and keys/ files back into data_path (dirs 0700, files 0600 or
// 0644 for certificates, as the server makes them) when missing, or always
// when `overwrite`. The archived .env goes to data_path/"env.from-backup"
// (never over a live .env: the operator decides). Errors: unreadable or
// damaged archive, wrong or missing passphrase, an entry outside tls/, keys/.
Result<void> restore_secrets(const std::filesystem::path& archive, const std::filesystem::path& data_path,
                             bool overwrite, const std::string& cipher_pass = "");

// Where restore_secrets() puts the archived .env.
inline constexpr const char* kRestoredEnvName = "env.from-backup";

}  // namespace salespider::service::backups
