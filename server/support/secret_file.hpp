// Files that hold secrets (private keys, signing keys): created with mode
// 0600 from the first byte (never chmod-ed afterwards), written to a
// temporary name, fsync-ed and renamed, so a crash leaves the old file or the
// new one, never half of one. Directories holding them are made 0700.
// Base layer (support/, see openssl_ptr.hpp): used by auth/ for the grant
// signing key and by tls/ for private keys.
#pragma once

#include <filesystem>
#include <string_view>

namespace salespider::support {

enum class FileMode { secret, public_readable };  // 0600 or 0644

// Throws std::runtime_error on failure (disk full, permissions).
void write_file_atomically(const std::filesystem::path& path, std::string_view content, FileMode mode);

// Creates `dir` (and parents) if missing and makes `dir` itself 0700.
void ensure_private_directory(const std::filesystem::path& dir);

// The permission bits of an existing file (for checks and tests).
unsigned permission_bits(const std::filesystem::path& path);

}  // namespace salespider::support
