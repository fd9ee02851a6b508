// The SHA-256 of a file, read in blocks (a release's binary is ~170 MB: it is
// never held in memory whole). For release manifests and update bundles.
// Deliberately only the digest: what a mismatch means is the caller's.
#pragma once

#include <filesystem>
#include <string>

namespace salespider::support {

// 64 lowercase hex digits. Throws std::runtime_error when the file cannot be read.
std::string sha256_file_hex(const std::filesystem::path& file);

}  // namespace salespider::support
