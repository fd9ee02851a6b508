// Update bundles: one .tar.gz an operator carries to a store without internet
// (docs/operations.md "Updating"). A bundle holds manifest.json, the server
// binary `salespider` and the till's files under www/; the database
// migrations are compiled into the binary, so the manifest only counts them.
// Beside it, FILE.sha256 in sha256sum's format.
//
// build() writes a bundle; unpack() checks one and extracts it into a
// temporary directory: the .sha256 beside it (when present), then every
// member against the manifest. Anything else is refused before a single file
// is used: members that are not plain files or directories (links, devices),
// absolute paths or `..`, files the manifest does not list or that differ
// from it. Deliberately not here: installing and switching releases
// (service/releases.*) and stopping or starting the server (app/update_command).
// tar and gzip are the system's (/usr/bin/tar), run as children without a shell.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "salespider/shared/result.hpp"

namespace salespider::service::bundles {

inline constexpr int kFormat = 1;

struct FileEntry {
  std::string sha256;  // hex
  std::uint64_t size = 0;
  unsigned mode = 0644;  // 0644 or 0755: nothing else is kept
};

struct Manifest {
  int format = kFormat;
  std::string id;  // the release id: "<version>-<first 12 hex of the binary's sha256>" unless chosen
  std::string version;  // what the binary's --version prints
  std::string created_at;  // ISO 8601 UTC
  std::optional<std::string> min_from_version;
  std::optional<int> schema_migrations;  // migrations compiled into the binary, when known
  std::map<std::string, FileEntry> files;  // "salespider", "www/..."
};

nlohmann::json to_json(const Manifest& manifest);
// Errc::invalid_argument with a sentence naming what is wrong.
Result<Manifest> manifest_from_json(const nlohmann::json& json);
// A manifest path: relative, no empty, `.` or `..` component, "salespider"
// or under "www/".
bool is_allowed_path(const std::string& relpath);
// A release id is a directory name: letters, digits, `.`, `_`, `-`, not starting with `.`.
bool is_valid_id(const std::string& id);

// A program run as a child (no shell), stdout and stderr together.
struct ProgramRun {
  int status = -1;  // exit status, 128 + signal; -1 when it could not start
  bool timed_out = false;  // killed after the limit
  std::string output;
};
ProgramRun run_captured(const std::vector<std::string>& argv, std::chrono::seconds limit);

// What `<binary> --version` prints (trimmed), or an error saying it does not run here.
Result<std::string> binary_version(const std::filesystem::path& binary);

struct BuildOptions {
  std::filesystem::path www_dir;
  std::filesystem::path binary;
  std::filesystem::path out;  // the .tar.gz; FILE.sha256 goes beside it
  std::string id;             // "" = release_id(version, sha256 of binary)
  std::string created_at;
  std::optional<std::string> min_from_version;
  std::optional<int> schema_migrations;
};

struct Built {
  Manifest manifest;
  std::string sha256;  // of the .tar.gz
  std::uint64_t size = 0;
  std::filesystem::path checksum_file;
};
Result<Built> build(const BuildOptions& options);

// A checked bundle, extracted; the directory is removed when this goes.
class Unpacked {
 public:
  Unpacked(std::filesystem::path dir, Manifest manifest, bool checksum_file_checked)
      : dir_(std::move(dir)), manifest_(std::move(manifest)), checksum_file_checked_(checksum_file_checked) {}
  Unpacked(Unpacked&& other) noexcept;
  Unpacked& operator=(Unpacked&&) = delete;
  ~Unpacked();
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path binary() const { return dir_ / "salespider"; }
  std::filesystem::path www() const { return dir_ / "www"; }
  const Manifest& manifest() const { return manifest_; }
  bool checksum_file_checked() const { return checksum_file_checked_; }

 private:
  std::filesystem::path dir_;
  Manifest manifest_;
  bool checksum_file_checked_ = false;
};

// Checks `bundle` and extracts it under `scratch` (a temporary directory is
// made there and removed on refusal). Errc::invalid_argument: refused, with why.
Result<Unpacked> unpack(const std::filesystem::path& bundle, const std::filesystem::path& scratch);

}  // namespace salespider::service::bundles
