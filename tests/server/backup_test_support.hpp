// What the backup tests share: a DATA_PATH with a posix repository and the
// .env an operator would write, running the binary against them, reading
// files. Header-only, for backup_test.cpp and backup_cli_test.cpp.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common_pg.hpp"
#include "salespider_process.hpp"

namespace fs = std::filesystem;
using Salespider = salespider::test::SalespiderProcess;

namespace backup_test {

inline constexpr const char* kPass = "tr0ub4dor-backup-pass";

struct Site {
  fs::path root, data, repo, env;
};

// A DATA_PATH and a posix repository under one temporary directory, and the
// .env an operator would write.
inline Site make_site(const testpg::TempDir& dir, const std::string& extra_env = "") {
  Site s{dir.path(), dir.path() / "data", dir.path() / "repo", dir.path() / ".env"};
  std::ofstream(s.env) << "PGBACKREST_REPO1_TYPE=posix\nPGBACKREST_REPO1_PATH=" << s.repo.string()
                       << "\nPGBACKREST_REPO1_CIPHER_PASS=" << kPass << "\n"
                       << extra_env;
  return s;
}

struct Ran {
  int rc;
  std::string out;
};

inline Ran run(const Site& s, std::vector<std::string> args) {
  args.insert(args.end(), {"--data-path", s.data.string(), "--env-file", s.env.string()});
  Salespider p(s.root, std::move(args));
  const int rc = p.wait();
  return {rc, p.output()};
}

inline std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::string all_logs(const fs::path& dir) {
  std::string text;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file()) text += read_all(e.path());
  }
  return text;
}

template <class Pred>
bool eventually(Pred pred, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return pred();
}

}  // namespace backup_test
