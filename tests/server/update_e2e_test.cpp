// `salespider update --from FILE` against a deployed service (the supervised
// background service; the real binary, a throw-away database of the test
// cluster, spare ports): release A is deployed, bundle B (the same binary
// under another id, other till files) becomes current and healthy, serving
// B's till (its shell.json, which tills poll to find a new app); B again is a no-op; bundle C, whose binary answers --version but
// cannot start, is rolled back to B, which is healthy again; so is bundle D,
// whose binary "starts" but never answers the health check. Without a
// deployed service an update only installs and switches the release.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common_pg.hpp"
#include "salespider_process.hpp"
#include "service/releases.hpp"
#include "service/status.hpp"

namespace fs = std::filesystem;

namespace {

using salespider::test::spare_port;

using Salespider = salespider::test::SalespiderProcess;
namespace releases = salespider::service::releases;

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

struct Answer {
  int status = 0;
  std::string body;
};

// GET path from the server running on `data` (over HTTPS, its own CA not checked).
Answer get(const fs::path& data, const std::string& path) {
  const auto server = salespider::service::running_server(data);
  if (!server) return {};
  httplib::SSLClient client("127.0.0.1", server->https_port);
  client.enable_server_certificate_verification(false);
  auto res = client.Get(path);
  if (!res) return {};
  return {res->status, res->body};
}

class UpdateEndToEnd : public ::testing::Test {
 protected:
  // Bundles are made once per program and only when a test asks for one
  // (ctest runs the health-check test on its own, without the big bundle B).
  static void SetUpTestSuite() {
    shared_ = new testpg::TempDir("salespider-upd");
    const auto& d = shared_->path();
    write(d / "www-b" / "index.html", "<!doctype html><title>till</title><p>release B</p>\n");
    // What a till's page asks to learn of a new app (www/app.js): another build, another version.
    write(d / "www-b" / "shell.json", R"({"format":"salespider-shell","version":"bbbbbbbbbbbbbbbb","files":[]})");
    const std::string version = "#!/bin/sh\nif [ \"$1\" = --version ]; then exec " + Salespider::binary() + " --version; fi\n";
    write(d / "cannot-start" / "salespider", version + "echo this release cannot start; exit 1\n");
    write(d / "starts-nothing" / "salespider", version + "echo pretending to start; exit 0\n");
    for (const char* fake : {"cannot-start", "starts-nothing"}) fs::permissions(d / fake / "salespider", fs::perms(0755));
  }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
    built_.clear();
  }
  // B: the real binary; C: a binary that cannot start; D: one whose start
  // succeeds but no server answers.
  static fs::path bundle_file(const std::string& name) {
    const auto file = shared_->path() / (name + ".tar.gz");
    if (built_.count(name)) return file;
    const auto& d = shared_->path();
    std::vector<std::string> args{"bundle", "--www", (d / "www-b").string(), "--id", name, "--out", file.string()};
    if (name == "C") args.insert(args.end(), {"--binary", (d / "cannot-start" / "salespider").string()});
    if (name == "D") args.insert(args.end(), {"--binary", (d / "starts-nothing" / "salespider").string()});
    Salespider p(d, args);
    EXPECT_EQ(p.wait(), 0) << p.output();
    built_.insert(name);
    return file;
  }

  UpdateEndToEnd() : dir_("salespider-upd-run") {
    write(dir_.path() / "www-a" / "index.html", "<!doctype html><title>till</title><p>release A</p>\n");
    write(dir_.path() / "www-a" / "shell.json", R"({"format":"salespider-shell","version":"aaaaaaaaaaaaaaaa","files":[]})");
    write(dir_.path() / ".env", "DATA_PATH=" + data().string() + "\nDATABASE_URL=" +
                                    testpg::url_for(database_.name()) + "\nHTTP_PORT=" +
                                    std::to_string(spare_port()) + "\nHTTPS_PORT=" + std::to_string(spare_port()) +
                                    "\nLOG_LEVEL=warn\n");
  }
  ~UpdateEndToEnd() override {
    Salespider stop(dir_.path(), {"stop"});
    stop.wait();
  }
  void SetUp() override {
    if (testpg::url_for(database_.name()).empty()) GTEST_SKIP() << "needs the embedded test cluster";
  }

  fs::path data() const { return dir_.path() / "data"; }

  struct Run {
    int rc = -1;
    std::string out;
  };
  Run cli(std::vector<std::string> args) {
    Salespider p(dir_.path(), std::move(args));
    const int rc = p.wait();
    return {rc, p.output()};
  }
  Run update(const std::string& name, std::vector<std::string> more = {}) {
    std::vector<std::string> args{"update", "--from", bundle_file(name).string(), "--no-backup", "--yes"};
    args.insert(args.end(), more.begin(), more.end());
    return cli(args);
  }
  Run deploy_a() { return cli({"deploy", "--no-systemd", "--www", (dir_.path() / "www-a").string()}); }

  static inline testpg::TempDir* shared_ = nullptr;
  static inline std::set<std::string> built_;
  testpg::TempDatabase database_;
  testpg::TempDir dir_;
};

TEST_F(UpdateEndToEnd, TheServiceMovesToTheNewReleaseAndABrokenReleaseIsRolledBack) {
  auto run = deploy_a();
  ASSERT_EQ(run.rc, 0) << run.out;
  const auto a = releases::current_id(data());
  ASSERT_TRUE(a.has_value());
  EXPECT_NE(get(data(), "/").body.find("release A"), std::string::npos);
  EXPECT_NE(get(data(), "/shell.json").body.find("aaaaaaaaaaaaaaaa"), std::string::npos);

  run = update("B");
  ASSERT_EQ(run.rc, 0) << run.out;
  EXPECT_EQ(releases::current_id(data()), "B");
  EXPECT_EQ(releases::previous_id(data()), *a);
  EXPECT_EQ(get(data(), "/api/v1/health").status, 200);
  EXPECT_NE(get(data(), "/").body.find("release B"), std::string::npos) << "the service serves B's till files";
  EXPECT_NE(get(data(), "/shell.json").body.find("bbbbbbbbbbbbbbbb"), std::string::npos)
      << "tills asking for shell.json see B's version";

  run = update("B");
  EXPECT_EQ(run.rc, 0) << run.out;
  EXPECT_NE(run.out.find("already the current one: nothing to do"), std::string::npos) << run.out;

  run = update("C");
  EXPECT_EQ(run.rc, 1) << run.out;
  EXPECT_NE(run.out.find("C did not start"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("rolled back"), std::string::npos) << run.out;
  EXPECT_EQ(releases::current_id(data()), "B");
  EXPECT_EQ(get(data(), "/api/v1/health").status, 200) << "B serves again";
  EXPECT_TRUE(fs::exists(data() / "releases" / "C")) << "the failed release is kept for a look";
}

// (With bundle D, whose binary cannot serve: nothing is started.)
TEST_F(UpdateEndToEnd, WithoutADeployedServiceAnUpdateOnlyInstallsAndSwitches) {
  const auto run = update("D");
  ASSERT_EQ(run.rc, 0) << run.out;
  EXPECT_EQ(releases::current_id(data()), "D");
  EXPECT_NE(run.out.find("the next `salespider start` runs it"), std::string::npos) << run.out;
  EXPECT_FALSE(salespider::service::running_server(data()).has_value());
}

// The new release starts "successfully" but nothing answers /api/v1/health:
// the health check fails and the previous release serves again.
TEST_F(UpdateEndToEnd, AReleaseThatFailsItsHealthCheckIsRolledBack) {
  auto run = deploy_a();
  ASSERT_EQ(run.rc, 0) << run.out;
  const auto a = releases::current_id(data());
  ASSERT_TRUE(a.has_value());

  run = update("D", {"--health-timeout", "3"});
  EXPECT_EQ(run.rc, 1) << run.out;
  EXPECT_NE(run.out.find("D is not healthy: no server is running (waited 3 s)"), std::string::npos) << run.out;
  EXPECT_EQ(releases::current_id(data()), *a);
  EXPECT_EQ(get(data(), "/api/v1/health").status, 200) << "A serves again";
  EXPECT_NE(get(data(), "/").body.find("release A"), std::string::npos);
}

}  // namespace
