// CliTest: runs `salespider <args>` as an operator would, against the
// throw-away database of an AuthWorld (owner, manager and cashier seeded), and
// hands back its exit code and output. Skipped without the embedded test
// cluster, whose postgresql:// URL the binary needs.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "auth_test_support.hpp"
#include "common_pg.hpp"
#include "salespider_process.hpp"

namespace salespider::test {

class CliTest : public ::testing::Test {
 protected:
  explicit CliTest(const char* dir_name) : dir_{dir_name}, world_{dir_.path()} {}

  void SetUp() override {
    auto name = world_.conninfo().substr(world_.conninfo().find("dbname=") + 7);
    name.erase(std::remove(name.begin(), name.end(), '\''), name.end());
    url_ = testpg::url_for(name);
    if (url_.empty()) GTEST_SKIP() << "needs the embedded test cluster (a postgresql:// URL)";
  }

  struct Run {
    int rc = -1;
    std::string out;
    nlohmann::json body() const { return nlohmann::json::parse(out, nullptr, false); }
  };

  Run cli(std::vector<std::string> args) {
    args.insert(args.end(), {"--data-path", dir_.path().string(), "--database-url", url_});
    SalespiderProcess p(dir_.path(), std::move(args));
    const int rc = p.wait();
    return {rc, p.output()};
  }

  testpg::TempDir dir_;
  AuthWorld world_;
  std::string url_;
};

}  // namespace salespider::test
