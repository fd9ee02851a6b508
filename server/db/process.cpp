// See process.hpp.
#include "db/process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "db/errors.hpp"

namespace salespider::db {
namespace {

// In the child, after fork: only async-signal-safe calls from here on.
[[noreturn]] void exec_child(const SpawnOptions& o, char* const* argv, char* const* envp, int devnull) {
  // Our signal mask (serve blocks SIGINT/SIGTERM to sigwait them) and ignored
  // signals survive exec: give the child the defaults or it cannot be stopped.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2}) sigaction(sig, &dfl, nullptr);
  if (o.new_session) setsid();
  const int out = o.output_fd >= 0 ? o.output_fd : devnull;
  if (devnull >= 0) dup2(devnull, STDIN_FILENO);
  if (out >= 0) {
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
  }
  // The server's listening sockets and files must not leak into postgres.
  if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0) {
    for (int fd = 3; fd < 4096; ++fd) close(fd);
  }
  if (o.as.switch_user) {
    const gid_t gid = o.as.gid;
    if (setgroups(1, &gid) != 0 || setgid(o.as.gid) != 0 || setuid(o.as.uid) != 0) _exit(126);
  }
  // Set after setuid: changing credentials clears the parent-death signal.
  if (o.parent_death_signal != 0) prctl(PR_SET_PDEATHSIG, o.parent_death_signal);
  if (chdir(o.cwd.c_str()) != 0 && chdir("/") != 0) _exit(126);
  execve(argv[0], argv, envp);
  _exit(127);
}

}  // namespace

RunAs postgres_identity() {
  RunAs as;
  if (geteuid() != 0) {
    as.uid = geteuid();
    as.gid = getegid();
    const passwd* pw = getpwuid(as.uid);
    as.name = pw ? pw->pw_name : std::to_string(as.uid);
    return as;
  }
  // getpwnam is not thread-safe; getpwnam_r is.
  passwd pw{};
  passwd* found = nullptr;
  std::vector<char> buf(16384);
  if (getpwnam_r("postgres", &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
    throw EmbeddedError(
        "running as root, the embedded PostgreSQL must run as the `postgres` system user, which does not exist "
        "(install the postgresql package, or set DATABASE_URL to use another PostgreSQL server)");
  }
  as.switch_user = true;
  as.uid = pw.pw_uid;
  as.gid = pw.pw_gid;
  as.name = "postgres";
  return as;
}

pid_t spawn(const SpawnOptions& o) {
  std::vector<std::string> args = o.argv;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // A fixed, small environment: the child must not depend on ours (LC_ALL,
  // PGDATA, PGHOST... would change what initdb and postgres do).
  std::vector<std::string> env{"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C"};
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  const int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

  const pid_t pid = fork();
  if (pid == 0) exec_child(o, argv.data(), envp.data(), devnull);
  const int fork_errno = errno;
  if (devnull >= 0) close(devnull);
  if (pid < 0) throw EmbeddedError(std::string("cannot start ") + o.argv.at(0) + ": " + std::strerror(fork_errno));
  return pid;
}

int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

int run(const SpawnOptions& o) {
  const pid_t pid = spawn(o);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 255;
  }
  return decode_wait_status(status);
}

bool can_access_as(const RunAs& as, const std::filesystem::path& path, int mode) {
  if (!as.switch_user) return access(path.c_str(), mode) == 0;
  const std::string p = path.string();
  const pid_t pid = fork();
  if (pid == 0) {
    const gid_t gid = as.gid;
    if (setgroups(1, &gid) != 0 || setgid(as.gid) != 0 || setuid(as.uid) != 0) _exit(2);
    _exit(access(p.c_str(), mode) == 0 ? 0 : 1);
  }
  if (pid < 0) return false;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return false;
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void give_to(const RunAs& as, const std::filesystem::path& path) {
  if (!as.switch_user) return;
  if (lchown(path.c_str(), as.uid, as.gid) != 0) {
    throw EmbeddedError("cannot give " + path.string() + " to the " + as.name + " user: " + std::strerror(errno));
  }
}

}  // namespace salespider::db
