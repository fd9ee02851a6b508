// The deployed releases of the server under DATA_PATH, so that deploy and
// update can switch versions atomically and roll back:
//   DATA_PATH/releases/<id>/{salespider, www/, manifest.json}
//   DATA_PATH/current  -> releases/<id>      (relative symlinks, switched by
//   DATA_PATH/previous -> releases/<old id>   renaming a temporary symlink)
// The service (systemd unit or supervisor) always runs
// DATA_PATH/current/salespider serve --www DATA_PATH/current/www.
// A release id is "<version>-<first 12 hex digits of the binary's sha256>".
// Deliberately not here: starting or stopping anything, deleting old
// releases (an operator may want to go back further than `previous`).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "salespider/shared/result.hpp"

namespace salespider::service::releases {

// Lowercase hex SHA-256 of a file's bytes.
Result<std::string> file_sha256(const std::filesystem::path& file);

// "<version>-<12 hex of sha256(binary)>".
Result<std::string> release_id(std::string_view version, const std::filesystem::path& binary);

std::filesystem::path release_dir(const std::filesystem::path& data_path, const std::string& id);

// relpath ("salespider", "www/index.html"...) -> sha256, of what install()
// would copy from these sources.
using Files = std::map<std::string, std::string>;
Result<Files> source_files(const std::filesystem::path& binary, const std::filesystem::path& www_dir);
// The manifest.json of an installed release (error when missing/corrupt).
Result<Files> installed_files(const std::filesystem::path& data_path, const std::string& id);

// Copies the binary and www_dir into releases/<id>/ (built in a temporary
// directory, then renamed into place) with manifest.json {id, version,
// files}. An id already installed with identical content is a no-op; one
// whose content differs (or whose manifest is missing) is replaced.
// Returns the id.
Result<std::string> install(const std::filesystem::path& data_path, const std::filesystem::path& binary,
                            const std::filesystem::path& www_dir, const std::string& id);

// previous := current (when it differs from id); current := id. The release
// must be installed (its binary present).
Result<void> activate(const std::filesystem::path& data_path, const std::string& id);
// current := previous, previous := the old current. Error when there is no
// previous release.
Result<void> rollback(const std::filesystem::path& data_path);

std::optional<std::string> current_id(const std::filesystem::path& data_path);
std::optional<std::string> previous_id(const std::filesystem::path& data_path);

}  // namespace salespider::service::releases
