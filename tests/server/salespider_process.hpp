// One `salespider` process as an operator runs it, for the tests that drive
// the binary itself (serve, cert, user ...): a clean environment (none of the
// developer's DATABASE_URL & co, only what the test passes), an optional
// stdin, stdout and stderr together in a file. The binary is SALESPIDER_BIN,
// else the SALESPIDER_BIN_DEFAULT the test program was compiled with.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace salespider::test {

class SalespiderProcess {
 public:
  // Starts `salespider args...` in `cwd`, with `env` (PATH is added) and
  // `input` on stdin (empty: nothing, at once at its end).
  SalespiderProcess(const std::filesystem::path& cwd, std::vector<std::string> args,
                    std::vector<std::string> env = {}, const std::string& input = {})
      : out_(cwd / ("out-" + std::to_string(counter_) + ".txt")) {
    const std::filesystem::path in_path = cwd / ("in-" + std::to_string(counter_++) + ".txt");
    std::ofstream(in_path) << input;
    args.insert(args.begin(), binary());
    env.push_back("PATH=/usr/local/bin:/usr/bin:/bin");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    const int in = open(in_path.c_str(), O_RDONLY);
    const int out = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_ = fork();
    if (pid_ == 0) {
      if (chdir(cwd.c_str()) != 0) _exit(126);
      dup2(in, 0);
      dup2(out, 1);
      dup2(out, 2);
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    close(in);
    close(out);
  }
  SalespiderProcess(const SalespiderProcess&) = delete;
  SalespiderProcess& operator=(const SalespiderProcess&) = delete;
  ~SalespiderProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  static std::string binary() {
    if (const char* bin = std::getenv("SALESPIDER_BIN")) return bin;
#ifdef SALESPIDER_BIN_DEFAULT
    return SALESPIDER_BIN_DEFAULT;
#else
    return "salespider";
#endif
  }

  // The HTTP port from the "listening" log line, or -1 if it exited first or
  // `limit` passed.
  int wait_listening(std::chrono::seconds limit = std::chrono::seconds(60)) {
    const std::regex re("\"msg\":\"listening\".*\"port\":([0-9]+)");
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      std::smatch m;
      const std::string text = output();
      if (std::regex_search(text, m, re)) return std::stoi(m[1]);
      if (exited()) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return -1;
  }
  // SIGTERM, then its exit code. (Never kill(-1): that signals every process.)
  int stop() {
    if (pid_ > 0) kill(pid_, SIGTERM);
    return wait();
  }
  // Its pid while it runs (-1 once waited for).
  pid_t pid() const { return pid_; }
  // SIGKILL, as a crash or an OOM kill would: nothing of it runs its exit path.
  int kill_hard() {
    if (pid_ > 0) kill(pid_, SIGKILL);
    return wait();
  }
  // Its exit code (128 + the signal if one ended it).
  int wait() {
    if (pid_ > 0) {
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
      code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    return code_;
  }
  // What it printed so far, stdout and stderr together.
  std::string output() const {
    std::ifstream in(out_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  bool exited() {
    if (pid_ <= 0) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return true;
    }
    return false;
  }
  static inline int counter_ = 0;
  std::filesystem::path out_;
  pid_t pid_ = -1;
  int code_ = -1;  // the exit code once it ended
};

// A loopback port free right now, for a server that must be told its ports
// in .env (deploy, start): bound to port 0, read back, closed.
inline int spare_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace salespider::test
