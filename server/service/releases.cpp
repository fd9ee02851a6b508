// See releases.hpp. Every switch is a rename(), which is atomic on one file
// system: a reader (the service starting) sees the old or the new release,
// never half of one.
#include "service/releases.hpp"

#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <system_error>

#include "auth/crypto.hpp"

namespace fs = std::filesystem;

namespace salespider::service::releases {
namespace {

constexpr const char* kBinary = "salespider";
constexpr const char* kWww = "www";
constexpr const char* kManifest = "manifest.json";

Error fail(std::string what) { return make_error(Errc::invalid_value, std::move(what)); }

// "1.2.3-abcdef012345" -> "1.2.3".
std::string version_of(const std::string& id) {
  const auto dash = id.rfind('-');
  return dash == std::string::npos ? id : id.substr(0, dash);
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 128 || id.front() == '.') return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '_' || c == '+';
    if (!ok) return false;
  }
  return true;
}

// The id a symlink DATA_PATH/<name> -> releases/<id> points at.
std::optional<std::string> link_id(const fs::path& data_path, const char* name) {
  std::error_code ec;
  const fs::path target = fs::read_symlink(data_path / name, ec);
  if (ec) return std::nullopt;
  const auto id = target.filename().string();
  if (target.parent_path().filename() != "releases" || !valid_id(id)) return std::nullopt;
  return id;
}

// DATA_PATH/<name> := releases/<id>, atomically (symlink beside it, rename).
Result<void> point(const fs::path& data_path, const char* name, const std::string& id) {
  const fs::path tmp = data_path / ("." + std::string(name) + ".tmp");
  std::error_code ec;
  fs::remove(tmp, ec);
  fs::create_symlink(fs::path("releases") / id, tmp, ec);
  if (ec) return fail("cannot create " + tmp.string() + ": " + ec.message());
  fs::rename(tmp, data_path / name, ec);
  if (ec) return fail("cannot switch " + (data_path / name).string() + ": " + ec.message());
  return {};
}

Result<void> copy_tree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
  if (ec) return fail("cannot copy " + from.string() + " to " + to.string() + ": " + ec.message());
  return {};
}

}  // namespace

Result<std::string> file_sha256(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("cannot read " + file.string());
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return fail("sha256 is unavailable");
  std::string buf(1 << 16, '\0');
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = in.gcount();
    if (n > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(n));
  }
  if (in.bad()) return fail("cannot read " + file.string());
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  return auth::to_hex(std::string_view(reinterpret_cast<const char*>(md), len));
}

Result<std::string> release_id(std::string_view version, const fs::path& binary) {
  auto sum = file_sha256(binary);
  if (!sum) return sum.error();
  return std::string(version) + "-" + sum->substr(0, 12);
}

fs::path release_dir(const fs::path& data_path, const std::string& id) { return data_path / "releases" / id; }

Result<Files> source_files(const fs::path& binary, const fs::path& www_dir) {
  std::error_code ec;
  if (!fs::is_regular_file(binary, ec)) return fail("the server binary " + binary.string() + " does not exist");
  if (!fs::is_directory(www_dir, ec)) {
    return fail("the till's files " + www_dir.string() + " are not a directory (build them: make build-wasm)");
  }
  Files files;
  auto sum = file_sha256(binary);
  if (!sum) return sum.error();
  files[kBinary] = *sum;
  for (fs::recursive_directory_iterator it(www_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    auto s = file_sha256(it->path());
    if (!s) return s.error();
    files[(fs::path(kWww) / fs::relative(it->path(), www_dir)).generic_string()] = *s;
  }
  if (ec) return fail("cannot list " + www_dir.string() + ": " + ec.message());
  return files;
}

Result<Files> installed_files(const fs::path& data_path, const std::string& id) {
  const fs::path manifest = release_dir(data_path, id) / kManifest;
  std::ifstream in(manifest);
  if (!in) return fail("release " + id + " has no manifest (" + manifest.string() + ")");
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (!j.is_object() || !j.contains("files") || !j["files"].is_object() || j.value("id", "") != id) {
    return fail("the manifest of release " + id + " is corrupt (" + manifest.string() + ")");
  }
  Files files;
  for (const auto& [rel, sum] : j["files"].items()) {
    if (!sum.is_string()) return fail("the manifest of release " + id + " is corrupt (" + manifest.string() + ")");
    files[rel] = sum.get<std::string>();
  }
  return files;
}

Result<std::string> install(const fs::path& data_path, const fs::path& binary, const fs::path& www_dir,
                            const std::string& id) {
  if (!valid_id(id)) return fail("\"" + id + "\" is not a release id (letters, digits, . - _ +)");
  auto files = source_files(binary, www_dir);
  if (!files) return files.error();
  const fs::path dir = release_dir(data_path, id);
  std::error_code ec;
  const bool exists = fs::exists(dir, ec);
  if (exists) {
    auto have = installed_files(data_path, id);
    if (have && *have == *files) return id;  // deploy twice: nothing to do
  }
  fs::create_directories(dir.parent_path(), ec);
  if (ec) return fail("cannot create " + dir.parent_path().string() + ": " + ec.message());
  const fs::path tmp = dir.parent_path() / ("." + id + ".tmp-" + std::to_string(getpid()));
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) return fail("cannot create " + tmp.string() + ": " + ec.message());
  auto cleanup = [&] { fs::remove_all(tmp, ec); };
  fs::copy_file(binary, tmp / kBinary, ec);
  if (ec) {
    cleanup();
    return fail("cannot copy " + binary.string() + ": " + ec.message());
  }
  fs::permissions(tmp / kBinary, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                     fs::perms::others_read | fs::perms::others_exec, ec);
  if (auto r = copy_tree(www_dir, tmp / kWww); !r) {
    cleanup();
    return r.error();
  }
  nlohmann::json manifest{{"id", id}, {"version", version_of(id)}, {"files", *files}};
  {
    std::ofstream out(tmp / kManifest);
    out << manifest.dump(2) << "\n";
    if (!out.flush()) {
      cleanup();
      return fail("cannot write " + (tmp / kManifest).string());
    }
  }
  if (exists) {
    // Same id, other content (a rebuilt till, a damaged copy): swap it out.
    const fs::path old = dir.parent_path() / ("." + id + ".old-" + std::to_string(getpid()));
    fs::rename(dir, old, ec);
    if (ec) {
      cleanup();
      return fail("cannot replace " + dir.string() + ": " + ec.message());
    }
    fs::rename(tmp, dir, ec);
    if (ec) {
      fs::rename(old, dir, ec);
      cleanup();
      return fail("cannot replace " + dir.string());
    }
    fs::remove_all(old, ec);
    return id;
  }
  fs::rename(tmp, dir, ec);
  if (ec) {
    cleanup();
    return fail("cannot install " + dir.string() + ": " + ec.message());
  }
  return id;
}

Result<void> activate(const fs::path& data_path, const std::string& id) {
  if (!valid_id(id)) return fail("\"" + id + "\" is not a release id");
  std::error_code ec;
  if (!fs::is_directory(release_dir(data_path, id), ec)) {
    return fail("release " + id + " is not installed in " + (data_path / "releases").string());
  }
  if (!fs::is_regular_file(release_dir(data_path, id) / kBinary, ec)) {
    return fail("release " + id + " is incomplete: " + (release_dir(data_path, id) / kBinary).string() +
                " is missing");
  }
  const auto current = current_id(data_path);
  if (current == id) return {};
  if (current) {
    if (auto r = point(data_path, "previous", *current); !r) return r;
  }
  return point(data_path, "current", id);
}

Result<void> rollback(const fs::path& data_path) {
  const auto previous = previous_id(data_path);
  if (!previous) return fail("there is no previous release to roll back to in " + data_path.string());
  std::error_code ec;
  if (!fs::is_regular_file(release_dir(data_path, *previous) / kBinary, ec)) {
    return fail("the previous release " + *previous + " is missing or incomplete");
  }
  const auto current = current_id(data_path);
  if (auto r = point(data_path, "current", *previous); !r) return r;
  if (current) return point(data_path, "previous", *current);
  return {};
}

std::optional<std::string> current_id(const fs::path& data_path) { return link_id(data_path, "current"); }
std::optional<std::string> previous_id(const fs::path& data_path) { return link_id(data_path, "previous"); }

}  // namespace salespider::service::releases
