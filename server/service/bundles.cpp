// See bundles.hpp.
#include "service/bundles.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "db/process.hpp"
#include "service/releases.hpp"

namespace salespider::service::bundles {
namespace fs = std::filesystem;
namespace {

namespace releases = service::releases;

Error refused(std::string why) { return make_error(Errc::invalid_argument, std::move(why)); }

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

bool is_hex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string tar_program() {
  for (const char* p : {"/usr/bin/tar", "/bin/tar"}) {
    if (access(p, X_OK) == 0) return p;
  }
  throw std::runtime_error("tar is not installed (apt-get install tar gzip)");
}

// A private directory under `parent` (mkdtemp: mode 0700, a fresh name).
fs::path make_temp_dir(const fs::path& parent, const std::string& prefix) {
  std::string pattern = (parent / (prefix + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary directory in " + parent.string() + ": " +
                             std::strerror(errno));
  }
  return pattern;
}

void remove_quietly(const fs::path& p) {
  std::error_code ec;
  fs::remove_all(p, ec);
}

// Removes a directory on every path out of a function unless released.
struct DirGuard {
  fs::path dir;
  ~DirGuard() {
    if (!dir.empty()) remove_quietly(dir);
  }
};

unsigned mode_of(const fs::path& file) {
  const auto perms = fs::status(file).permissions();
  return (perms & fs::perms::owner_exec) != fs::perms::none ? 0755 : 0644;
}

// The SHA-256 of a file (releases' one), throwing when it cannot be read.
std::string sha256_of(const fs::path& file) {
  auto sum = releases::file_sha256(file);
  if (!sum) throw std::runtime_error(sum.error().context);
  return *sum;
}

FileEntry describe_file(const fs::path& file) {
  return {sha256_of(file), static_cast<std::uint64_t>(fs::file_size(file)), mode_of(file)};
}

// The till's files, copied into stage/www with their manifest entries.
// Symbolic links inside the build are followed (their content is shipped).
Result<bool> stage_www(const fs::path& www, const fs::path& stage, Manifest& manifest) {
  fs::create_directories(stage / "www");
  for (auto it = fs::recursive_directory_iterator(www); it != fs::recursive_directory_iterator(); ++it) {
    const std::string rel = "www/" + fs::relative(it->path(), www).generic_string();
    if (it->is_directory()) {
      fs::create_directories(stage / rel);
      continue;
    }
    if (!it->is_regular_file()) return refused(it->path().string() + " is not a regular file");
    if (!is_allowed_path(rel)) return refused("cannot ship " + rel + ": unusual file name");
    fs::copy_file(it->path(), stage / rel, fs::copy_options::overwrite_existing);
    manifest.files[rel] = describe_file(stage / rel);
  }
  return true;
}

Result<std::string> read_checksum_file(const fs::path& file) {
  std::ifstream in(file);
  std::string hex;
  in >> hex;
  if (!is_hex64(hex)) return refused(file.string() + " does not start with a sha256 checksum");
  return hex;
}

// Every member named by `tar -t`, checked before anything is extracted.
// tar's own complaints ("tar: Removing leading ...") share the output; a bad
// member name is reported first since it says more.
Status check_listing(const fs::path& bundle) {
  const auto tar = tar_program();
  const std::string complaint = tar + ": ";
  const auto names = run_captured({tar, "-tzf", bundle.string()}, std::chrono::seconds(120));
  if (names.status != 0 && names.output.find(complaint) == std::string::npos) {
    return refused("not a readable .tar.gz (" + trim(names.output) + "): copy it again");
  }
  std::set<std::string> seen;
  std::string complaints;
  for (auto name : lines_of(names.output)) {
    if (name.rfind(complaint, 0) == 0) {
      complaints += (complaints.empty() ? "" : "; ") + name.substr(complaint.size());
      continue;
    }
    if (!seen.insert(name).second) return refused("the bundle holds " + name + " twice");
    const bool dir = name.back() == '/';
    if (dir) name.pop_back();
    if (name == "manifest.json" || (dir && name == "www") || is_allowed_path(name)) continue;
    return refused("the bundle holds " + name +
                   ", which an update bundle never does (only manifest.json, salespider and www/)");
  }
  if (!complaints.empty() || names.status != 0) return refused("tar objects to the bundle: " + complaints);
  const auto verbose = run_captured({tar, "-tvzf", bundle.string()}, std::chrono::seconds(120));
  if (verbose.status != 0) return refused("not a readable .tar.gz (" + trim(verbose.output) + ")");
  for (const auto& line : lines_of(verbose.output)) {
    // GNU tar's long listing starts with the member's type: '-' file, 'd' directory.
    if (line[0] != '-' && line[0] != 'd') {
      return refused("the bundle holds something that is not a plain file or directory: " + line);
    }
  }
  return {};
}

// What was extracted: plain files and directories only, exactly the manifest's files.
Status check_extracted(const fs::path& dir, const Manifest& manifest) {
  std::set<std::string> seen;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    const auto st = it->symlink_status();
    const std::string rel = fs::relative(it->path(), dir).generic_string();
    if (fs::is_directory(st)) continue;
    if (!fs::is_regular_file(st)) return refused(rel + " is not a plain file");
    if (rel == "manifest.json") continue;
    if (it->hard_link_count() != 1) return refused(rel + " is a hard link");
    const auto entry = manifest.files.find(rel);
    if (entry == manifest.files.end()) return refused(rel + " is in the bundle but not in its manifest");
    if (fs::file_size(it->path()) != entry->second.size) return refused(rel + " has the wrong size");
    if (sha256_of(it->path()) != entry->second.sha256) {
      return refused(rel + " does not match its checksum in the manifest");
    }
    seen.insert(rel);
  }
  for (const auto& [rel, entry] : manifest.files) {
    if (!seen.count(rel)) return refused(rel + " is in the manifest but missing from the bundle");
  }
  return {};
}

}  // namespace

bool is_allowed_path(const std::string& relpath) {
  if (relpath.empty() || relpath.front() == '/') return false;
  for (char c : relpath) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '\\' || c == 0x7f) return false;
  }
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(relpath);
  while (std::getline(in, part, '/')) {
    if (part.empty() || part == "." || part == "..") return false;
    parts.push_back(part);
  }
  if (relpath.back() == '/') return false;
  if (parts.size() == 1) return parts[0] == "salespider";
  return parts[0] == "www";
}

bool is_valid_id(const std::string& id) {
  if (id.empty() || id.size() > 100 || id.front() == '.') return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

nlohmann::json to_json(const Manifest& m) {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [rel, e] : m.files) files[rel] = {{"sha256", e.sha256}, {"size", e.size}, {"mode", e.mode}};
  nlohmann::json out = {{"format", m.format}, {"id", m.id}, {"version", m.version},
                        {"created_at", m.created_at}, {"files", files}};
  if (m.min_from_version) out["min_from_version"] = *m.min_from_version;
  if (m.schema_migrations) out["schema_migrations"] = *m.schema_migrations;
  return out;
}

Result<Manifest> manifest_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return refused("manifest.json is not a JSON object");
  Manifest m;
  if (!j.contains("format") || !j["format"].is_number_integer()) return refused("manifest.json has no format");
  m.format = j["format"].get<int>();
  if (m.format != kFormat) {
    return refused("bundle format " + std::to_string(m.format) + " is not one this salespider reads (" +
                   std::to_string(kFormat) + "): build the bundle with a salespider of this version's line");
  }
  for (const char* key : {"id", "version", "created_at"}) {
    if (!j.contains(key) || !j[key].is_string()) return refused(std::string("manifest.json has no ") + key);
  }
  m.id = j["id"].get<std::string>();
  m.version = j["version"].get<std::string>();
  m.created_at = j["created_at"].get<std::string>();
  if (!is_valid_id(m.id)) return refused("manifest.json's id \"" + m.id + "\" is not a valid release id");
  if (j.contains("min_from_version") && j["min_from_version"].is_string()) {
    m.min_from_version = j["min_from_version"].get<std::string>();
  }
  if (j.contains("schema_migrations") && j["schema_migrations"].is_number_integer()) {
    m.schema_migrations = j["schema_migrations"].get<int>();
  }
  if (!j.contains("files") || !j["files"].is_object()) return refused("manifest.json lists no files");
  for (const auto& [rel, e] : j["files"].items()) {
    if (!is_allowed_path(rel)) return refused("manifest.json lists " + rel + ", which a bundle never holds");
    if (!e.is_object() || !e.contains("sha256") || !e["sha256"].is_string() || !e.contains("size") ||
        !e["size"].is_number_unsigned()) {
      return refused("manifest.json's entry for " + rel + " needs sha256 and size");
    }
    FileEntry entry{e["sha256"].get<std::string>(), e["size"].get<std::uint64_t>(), 0644};
    if (!is_hex64(entry.sha256)) return refused("manifest.json's sha256 of " + rel + " is not 64 hex digits");
    if (e.contains("mode") && e["mode"].is_number_unsigned()) entry.mode = e["mode"].get<unsigned>() == 0755 ? 0755 : 0644;
    m.files[rel] = entry;
  }
  if (!m.files.count("salespider")) return refused("manifest.json lists no salespider binary");
  return m;
}

ProgramRun run_captured(const std::vector<std::string>& argv, std::chrono::seconds limit) {
  ProgramRun run;
  std::string out_path = (fs::temp_directory_path() / "salespider-run-XXXXXX").string();
  const int fd = mkstemp(out_path.data());
  if (fd < 0) throw std::runtime_error(std::string("cannot create a temporary file: ") + std::strerror(errno));
  unlink(out_path.c_str());  // the open descriptor is all we need
  db::SpawnOptions options;
  options.argv = argv;
  options.as = db::RunAs{};
  options.output_fd = fd;
  pid_t pid = -1;
  try {
    pid = db::spawn(options);
  } catch (const std::exception& e) {
    close(fd);
    run.output = e.what();
    return run;
  }
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  for (;;) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      run.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  run.status = db::decode_wait_status(status);
  lseek(fd, 0, SEEK_SET);
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) run.output.append(buf, static_cast<std::size_t>(n));
  close(fd);
  return run;
}

Result<std::string> binary_version(const fs::path& binary) {
  const auto run = run_captured({fs::absolute(binary).string(), "--version"}, std::chrono::seconds(20));
  const std::string out = trim(run.output);
  if (run.timed_out) return refused(binary.string() + " --version did not finish within 20 s");
  if (run.status != 0 || out.empty() || out.find('\n') != std::string::npos) {
    return refused(binary.string() + " does not run on this machine (--version exited " +
                   std::to_string(run.status) + (out.empty() ? "" : ": " + out) + ")");
  }
  return out;
}

Result<Built> build(const BuildOptions& o) {
  if (!fs::is_regular_file(o.binary)) return refused(o.binary.string() + " is not a file");
  if (!fs::is_regular_file(o.www_dir / "index.html")) {
    return refused(o.www_dir.string() + " holds no index.html: --www is the till's build (build/wasm/dist)");
  }
  auto version = binary_version(o.binary);
  if (!version) return version.error();
  Built built;
  Manifest& m = built.manifest;
  m.version = *version;
  m.created_at = o.created_at;
  m.min_from_version = o.min_from_version;
  m.schema_migrations = o.schema_migrations;

  const fs::path out = fs::absolute(o.out);
  fs::create_directories(out.parent_path());
  DirGuard stage{make_temp_dir(fs::temp_directory_path(), "salespider-bundle-")};
  fs::copy_file(o.binary, stage.dir / "salespider");
  fs::permissions(stage.dir / "salespider", fs::perms(0755));
  m.files["salespider"] = describe_file(stage.dir / "salespider");
  // releases::release_id's rule, without hashing the binary twice.
  m.id = o.id.empty() ? m.version + "-" + m.files["salespider"].sha256.substr(0, 12) : o.id;
  if (!is_valid_id(m.id)) return refused("\"" + m.id + "\" is not a valid release id (letters, digits, . _ -)");
  auto staged = stage_www(o.www_dir, stage.dir, m);
  if (!staged) return staged.error();
  std::ofstream(stage.dir / "manifest.json") << to_json(m).dump(2) << '\n';

  const fs::path part = out.string() + ".part";
  // gzip -1: a third of -6's time (measured on the ~170 MB binary) for 9% more
  // bytes, which a USB stick does not mind.
  const auto tar = run_captured({tar_program(), "-cf", part.string(), "--use-compress-program=gzip -1",
                                 "--owner=0", "--group=0", "--numeric-owner",
                                 "--sort=name", "-C", stage.dir.string(), "manifest.json", "salespider", "www"},
                                std::chrono::seconds(600));
  if (tar.status != 0) {
    remove_quietly(part);
    return make_error(Errc::invalid_value, "tar failed: " + trim(tar.output));
  }
  built.sha256 = sha256_of(part);
  built.size = fs::file_size(part);
  fs::rename(part, out);
  built.checksum_file = out.string() + ".sha256";
  std::ofstream(built.checksum_file) << built.sha256 << "  " << out.filename().string() << '\n';
  return built;
}

Unpacked::Unpacked(Unpacked&& other) noexcept
    : dir_(std::move(other.dir_)), manifest_(std::move(other.manifest_)),
      checksum_file_checked_(other.checksum_file_checked_) {
  other.dir_.clear();
}

Unpacked::~Unpacked() {
  if (!dir_.empty()) remove_quietly(dir_);
}

Result<Unpacked> unpack(const fs::path& bundle, const fs::path& scratch) {
  if (!fs::is_regular_file(bundle)) return refused(bundle.string() + " is not a file");
  const fs::path sums = bundle.string() + ".sha256";
  const bool have_sums = fs::exists(sums);
  if (have_sums) {
    auto expected = read_checksum_file(sums);
    if (!expected) return expected.error();
    const auto actual = sha256_of(bundle);
    if (actual != *expected) {
      return refused(bundle.filename().string() + " does not match " + sums.filename().string() + " (sha256 " +
                     actual + ", expected " + *expected + "): the copy is damaged, copy it again");
    }
  }
  if (auto listed = check_listing(bundle); !listed) return listed.error();

  fs::create_directories(scratch);
  DirGuard dir{make_temp_dir(scratch, "salespider-update-")};
  const auto tar = run_captured({tar_program(), "-xzf", fs::absolute(bundle).string(), "-C", dir.dir.string(),
                                 "--no-same-owner", "--no-same-permissions"},
                                std::chrono::seconds(600));
  if (tar.status != 0) return refused("cannot extract the bundle: " + trim(tar.output));

  std::ifstream in(dir.dir / "manifest.json");
  if (!in) return refused("the bundle has no manifest.json");
  const auto json = nlohmann::json::parse(in, nullptr, false);
  auto manifest = manifest_from_json(json);
  if (!manifest) return manifest.error();
  if (auto checked = check_extracted(dir.dir, *manifest); !checked) return checked.error();
  for (const auto& [rel, entry] : manifest->files) fs::permissions(dir.dir / rel, fs::perms(entry.mode));

  Unpacked unpacked(dir.dir, std::move(*manifest), have_sums);
  dir.dir.clear();
  return unpacked;
}

}  // namespace salespider::service::bundles
