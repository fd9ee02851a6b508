// See pgbackrest.hpp.
#include "db/pgbackrest.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "config/config.hpp"
#include "db/errors.hpp"

namespace fs = std::filesystem;

namespace salespider::db::pgbackrest {
namespace {

// Our defaults, unless .env sets them (docs/operations.md "Backups").
struct Default {
  const char* option;
  const char* value;
};
constexpr Default kDefaults[] = {
    {"repo1-retention-full", "4"},  // with the weekly full schedule: four weeks
    {"repo1-retention-diff", "7"},
    // When the repository is unreachable or full, pgBackRest reports WAL past
    // this as archived and drops it, so pg_wal cannot fill the disk (PITR is
    // broken until the next backup, which is what `status` reports).
    {"archive-push-queue-max", "2GiB"},
    {"start-fast", "y"},
    {"process-max", "1"},
    {"compress-type", "zst"},  // Debian's 2.45 is built with libzstd
};

void make_owned_dir(const fs::path& dir, const RunAs& as, fs::perms mode) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw EmbeddedError("cannot create " + dir.string() + ": " + ec.message());
  fs::permissions(dir, mode, ec);
  if (ec) throw EmbeddedError("cannot set the mode of " + dir.string() + ": " + ec.message());
  give_to(as, dir);
}

// Written under a temporary name already 0600 and owned by `as`, then
// renamed: archive-push (run by PostgreSQL at any moment) sees the old file
// or the new one, never a half or an unreadable one.
void write_owned_secret(const fs::path& path, const std::string& content, const RunAs& as) {
  const auto tmp = path.string() + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw EmbeddedError("cannot write " + tmp + ": " + std::strerror(errno));
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  if (ok && as.switch_user) ok = ::fchown(fd, as.uid, as.gid) == 0;
  ok = ok && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw EmbeddedError("cannot write " + path.string() + ": " + std::strerror(ok ? errno : saved));
  }
}

std::string find_pgbackrest() {
  for (const char* dir : {"/usr/local/bin", "/usr/bin", "/bin"}) {
    const auto p = fs::path(dir) / "pgbackrest";
    if (::access(p.c_str(), X_OK) == 0) return p.string();
  }
  return "";
}

}  // namespace

std::string Settings::cipher_pass() const {
  auto it = options.find("repo1-cipher-pass");
  return it == options.end() ? "" : it->second;
}

Settings settings_from(const config::Config& config) {
  Settings s;
  s.stanza = config.pgbackrest_stanza.empty() ? kDefaultStanza : config.pgbackrest_stanza;
  s.repo1_type = config.pgbackrest_repo1_type;
  s.repo1_path = config.pgbackrest_repo1_path;
  s.options = config.pgbackrest_options;
  return s;
}

Paths paths_for(const Layout& layout) {
  Paths p;
  // DATA_PATH/pgbackrest normally (cluster_dir = DATA_PATH/postgres); next
  // to a relocated cluster, where its user can reach it.
  p.dir = layout.cluster_dir.parent_path() / "pgbackrest";
  p.config_file = p.dir / "pgbackrest.conf";
  p.log_dir = p.dir / "log";
  p.lock_dir = p.dir / "lock";
  p.spool_dir = p.dir / "spool";
  return p;
}

bool is_secret_option(const std::string& name) {
  for (const char* word : {"pass", "key", "secret", "token"}) {
    if (name.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string render_config(const Settings& s, const Layout& layout) {
  const auto paths = paths_for(layout);
  std::map<std::string, std::string> global = s.options;
  for (const auto& d : kDefaults) global.emplace(d.option, d.value);
  if (s.encrypted()) global.emplace("repo1-cipher-type", "aes-256-cbc");
  global["repo1-type"] = s.repo1_type;
  if (!s.repo1_path.empty()) global["repo1-path"] = s.repo1_path;
  global["log-path"] = paths.log_dir.string();
  global["lock-path"] = paths.lock_dir.string();
  global["spool-path"] = paths.spool_dir.string();

  std::ostringstream out;
  out << "# Written by salespider at each start and before each backup command:\n"
         "# change .env (PGBACKREST_* variables), not this file.\n\n"
         "[global]\n";
  for (const auto& [name, value] : global) out << name << '=' << value << '\n';
  out << "\n[" << s.stanza << "]\n"
      << "pg1-path=" << layout.cluster_dir.string() << '\n'
      << "pg1-socket-path=" << layout.socket_dir.string() << '\n'
      << "pg1-port=" << kEmbeddedPort << '\n';
  return out.str();
}

void write_config(const Settings& settings, const Layout& layout, const RunAs& as) {
  const auto paths = paths_for(layout);
  const auto owner_only = fs::perms::owner_all;
  make_owned_dir(paths.dir, as, owner_only);
  make_owned_dir(paths.log_dir, as, owner_only);
  make_owned_dir(paths.lock_dir, as, owner_only);
  make_owned_dir(paths.spool_dir, as, owner_only);
  write_owned_secret(paths.config_file, render_config(settings, layout), as);
}

std::optional<std::string> ensure_repo(const Settings& settings, const RunAs& as) {
  if (settings.repo1_type != "posix" || settings.repo1_path.empty()) return std::nullopt;
  const fs::path repo = settings.repo1_path;
  std::error_code ec;
  const auto st = fs::symlink_status(repo, ec);
  if (!ec && fs::exists(st) && !fs::is_directory(fs::status(repo, ec))) {
    return "the backup repository " + repo.string() + " (PGBACKREST_REPO1_PATH) exists but is not a directory";
  }
  if (!fs::exists(st)) {
    fs::create_directories(repo, ec);
    if (ec) return "cannot create the backup repository " + repo.string() + ": " + ec.message();
    fs::permissions(repo, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec, ec);
    if (ec) return "cannot set the mode of " + repo.string() + ": " + ec.message();
  }
  struct stat info {};
  if (::stat(repo.c_str(), &info) == 0 && as.switch_user && info.st_uid != as.uid) {
    // The repository is the cluster user's: archive-push writes into it.
    if (::chown(repo.c_str(), as.uid, as.gid) != 0) {
      return "cannot give " + repo.string() + " to the " + as.name + " user: " + std::strerror(errno);
    }
  }
  if (!can_access_as(as, repo, R_OK | W_OK | X_OK)) {
    return "the " + as.name + " user cannot write to the backup repository " + repo.string() +
           " (check the permissions of it and of its parent directories)";
  }
  return std::nullopt;
}

RunAs cluster_owner(const Layout& layout) {
  RunAs as = postgres_identity();
  if (!as.switch_user) return as;
  struct stat st {};
  if (::stat(layout.cluster_dir.c_str(), &st) != 0 || st.st_uid == 0 || st.st_uid == as.uid) return as;
  passwd pw{};
  passwd* found = nullptr;
  std::vector<char> buf(16384);
  as.uid = st.st_uid;
  as.gid = st.st_gid;
  as.name = getpwuid_r(st.st_uid, &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr
                ? std::string(pw.pw_name)
                : "uid " + std::to_string(st.st_uid);
  return as;
}

Outcome run(const Settings& settings, const Layout& layout, const RunAs& as, const std::vector<std::string>& args) {
  Outcome out;
  const auto program = find_pgbackrest();
  if (program.empty()) {
    out.exit_code = 127;
    out.output = "ERROR: pgbackrest is not installed (apt install pgbackrest)";
    return out;
  }
  std::vector<std::string> argv{program, "--config=" + paths_for(layout).config_file.string(),
                                "--stanza=" + settings.stanza};
  argv.insert(argv.end(), args.begin(), args.end());
  // An unnamed file the child writes through an inherited descriptor: the
  // cluster's user needs no access to any of our directories.
  std::FILE* capture = std::tmpfile();
  if (capture == nullptr) throw EmbeddedError(std::string("cannot create a temporary file: ") + std::strerror(errno));
  SpawnOptions so;
  so.argv = std::move(argv);
  so.as = as;
  so.output_fd = ::fileno(capture);
  so.cwd = "/";
  out.exit_code = db::run(so);
  std::rewind(capture);
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, capture)) > 0) out.output.append(buf, n);
  std::fclose(capture);
  return out;
}

Outcome stanza_create(const Settings& settings, const Layout& layout, const RunAs& as) {
  return run(settings, layout, as, {"stanza-create"});
}

std::string error_lines(const std::string& output) {
  std::istringstream in(output);
  std::string result;
  for (std::string line; std::getline(in, line);) {
    if (line.find("ERROR:") != std::string::npos || line.find("WARN:") != std::string::npos) {
      result += (result.empty() ? "" : "\n") + line;
    }
  }
  if (result.empty()) {
    result = output;
    while (!result.empty() && (result.back() == '\n' || result.back() == ' ')) result.pop_back();
  }
  return result;
}

}  // namespace salespider::db::pgbackrest
