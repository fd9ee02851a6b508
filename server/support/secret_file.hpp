// Files that hold secrets (private keys, signing keys): created with mode
// 0600 from the first byte (never chmod-ed afterwards), written to a
// temporary name, fsync-ed and renamed, so a crash leaves the old file or the
// new one, never half of one. Directories holding them are made 0700.
// Base layer (support/, see openssl_ptr.hpp): used by auth/ for the grant
// signing key and by tls/ for private keys.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::support {

enum class FileMode { secret, public_readable };  // 0600 or 0644

// Throws std::runtime_error on failure (disk full, permissions).
void write_file_atomically(const std::filesystem::path& path, std::string_view content, FileMode mode);

// Creates `dir` (and parents) if missing and makes `dir` itself 0700.
void ensure_private_directory(const std::filesystem::path& dir);

// Takes group and other bits away from an existing file or directory so at
// most `allowed` remains. Returns a sentence for the operator when it had to
// ("... was 0644; now 0600", or why it could not), nullopt when the mode was
// already right or the path does not exist. Symlinks are left alone.
std::optional<std::string> tighten_mode(const std::filesystem::path& path, unsigned allowed);

// Data at rest (docs/security.md "Data at rest"): creates DATA_PATH and
// DATA_PATH/logs if missing, and makes DATA_PATH 0700, logs/, tls/ and keys/
// 0700, every file directly in DATA_PATH, logs/ and keys/ and every *.key in
// tls/ 0600. postgres/ is PostgreSQL's (it keeps its own 0700).
//
// One exception: when another user must pass through DATA_PATH to reach its
// directory in it (the embedded PostgreSQL run as `postgres` when root runs
// the server), DATA_PATH is 0710 with that user's group: it may enter, never
// list. `traverse_group` names that group for a cluster still to be created;
// an existing DATA_PATH/postgres owned by another user is found by itself.
// Returns the sentences of tighten_mode() for whatever was found too open
// (nothing for what was created just now).
std::vector<std::string> secure_data_path(const std::filesystem::path& data_path,
                                          std::optional<gid_t> traverse_group = std::nullopt);

// The permission bits of an existing file (for checks and tests).
unsigned permission_bits(const std::filesystem::path& path);

}  // namespace salespider::support
