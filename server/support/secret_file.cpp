// See secret_file.hpp.
#include "support/secret_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace salespider::support {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
  throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

// Closes the descriptor on every path out of write_file_atomically.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content, FileMode mode) {
  const mode_t bits = mode == FileMode::secret ? 0600 : 0644;
  const auto tmp = path.string() + ".tmp";
  ::unlink(tmp.c_str());
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, bits));
  if (fd.get() < 0) fail("cannot create", tmp);
  // The umask may have taken bits away from a public file; never adds any.
  if (::fchmod(fd.get(), bits) != 0) fail("cannot set permissions of", tmp);
  std::size_t done = 0;
  while (done < content.size()) {
    const auto n = ::write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write", tmp);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) fail("cannot sync", tmp);
  if (::close(fd.release()) != 0) fail("cannot close", tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail("cannot rename onto", path);
  // Make the rename itself durable.
  Fd dir(::open(path.parent_path().empty() ? "." : path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
}

void ensure_private_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
  if (::chmod(dir.c_str(), 0700) != 0) fail("cannot set permissions of", dir);
}

namespace {

std::string octal(unsigned bits) {
  char out[8];
  std::snprintf(out, sizeof out, "%04o", bits);
  return out;
}

bool is_real_directory(const std::filesystem::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

void tighten_files_in(const std::filesystem::path& dir, bool only_keys, std::vector<std::string>& report) {
  if (!is_real_directory(dir)) return;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.is_symlink()) continue;
    if (only_keys && entry.path().extension() != ".key") continue;
    if (auto fixed = tighten_mode(entry.path(), 0600)) report.push_back(std::move(*fixed));
  }
}

}  // namespace

std::optional<std::string> tighten_mode(const std::filesystem::path& path, unsigned allowed) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) return std::nullopt;
  const unsigned bits = st.st_mode & 07777;
  if ((bits & ~allowed & 077) == 0) return std::nullopt;
  const unsigned wanted = bits & ~(077 & ~allowed);
  if (::chmod(path.c_str(), wanted) != 0) {
    return path.string() + " is mode " + octal(bits) + " and could not be made " + octal(wanted) + ": " +
           std::strerror(errno);
  }
  return path.string() + " was mode " + octal(bits) + "; it is now " + octal(wanted);
}

std::vector<std::string> secure_data_path(const std::filesystem::path& data_path,
                                          std::optional<gid_t> traverse_group) {
  namespace fs = std::filesystem;
  std::vector<std::string> report;
  const bool existed = fs::exists(data_path);
  const bool logs_existed = fs::exists(data_path / "logs");
  std::error_code ec;
  fs::create_directories(data_path / "logs", ec);
  if (ec) throw std::runtime_error("cannot create " + (data_path / "logs").string() + ": " + ec.message());

  struct stat cluster {};
  if (!traverse_group && ::lstat((data_path / "postgres").c_str(), &cluster) == 0 && S_ISDIR(cluster.st_mode) &&
      cluster.st_uid != ::geteuid()) {
    traverse_group = cluster.st_gid;
  }
  const unsigned allowed = traverse_group ? 0710 : 0700;
  if (auto fixed = tighten_mode(data_path, allowed); fixed && existed) report.push_back(std::move(*fixed));
  struct stat top {};
  if (traverse_group && ::stat(data_path.c_str(), &top) == 0 &&
      (top.st_gid != *traverse_group || (top.st_mode & 0777) != 0710)) {
    // Opening group search is what lets PostgreSQL reach its cluster; it is
    // not a finding. Failing to (not our directory) is one.
    if (::chown(data_path.c_str(), static_cast<uid_t>(-1), *traverse_group) != 0 ||
        ::chmod(data_path.c_str(), 0710) != 0) {
      report.push_back(data_path.string() + " could not be made 0710 for the database's group " +
                       std::to_string(*traverse_group) + ": " + std::strerror(errno));
    }
  }
  for (const char* sub : {"logs", "tls", "keys"}) {
    const auto dir = data_path / sub;
    if (!is_real_directory(dir)) continue;
    if (auto fixed = tighten_mode(dir, 0700); fixed && (logs_existed || std::string(sub) != "logs")) {
      report.push_back(std::move(*fixed));
    }
  }
  tighten_files_in(data_path, false, report);
  tighten_files_in(data_path / "logs", false, report);
  tighten_files_in(data_path / "keys", false, report);
  tighten_files_in(data_path / "tls", true, report);
  return report;
}

unsigned permission_bits(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail("cannot stat", path);
  return static_cast<unsigned>(st.st_mode & 07777);
}

}  // namespace salespider::support
