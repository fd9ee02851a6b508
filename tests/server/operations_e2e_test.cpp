// The operations commands together, as an operator runs them against a
// DEPLOYED service (the supervised background service, no systemd; the real
// binary, its embedded cluster in a temp DATA_PATH, spare ports, a posix
// pgBackRest repository under the temp dir set in .env):
//  - `restore --set LABEL --force --yes` while the service runs stops it,
//    restores, starts it again: healthy, a new server pid, and what was
//    recorded after the backup is gone;
//  - `update --from BUNDLE` with a repository configured (no --no-backup)
//    takes a backup first, then switches: one more backup set, release B
//    current and healthy.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <nlohmann/json.hpp>

#include "backup_test_support.hpp"
#include "service/releases.hpp"
#include "service/service_control.hpp"

namespace {

using salespider::test::spare_port;

using json = nlohmann::json;
using backup_test::eventually;
using backup_test::read_all;
namespace releases = salespider::service::releases;

// /api/v1/health on the plain HTTP port: its status and body.
std::pair<int, std::string> health(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(2);
  client.set_read_timeout(5);
  const auto res = client.Get("/api/v1/health");
  if (!res) return {0, ""};
  return {res->status, res->body};
}

bool healthy(int port) {
  const auto [status, body] = health(port);
  return status == 200 && json::parse(body, nullptr, false).value("status", "") == "ok";
}

// One deployed service for the suite (deploying and the first full backup
// are most of the time): the tests run against it in turn, each reading the
// state it starts from.
class OperationsEndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testpg::TempDir("sp-ops");
    data_ = dir_->path() / "data";
    repo_ = dir_->path() / "repo";
    www_ = dir_->path() / "www";
    fs::create_directories(www_);
    std::ofstream(www_ / "index.html") << "<!doctype html><title>till</title>\n";
    http_ = spare_port();
    https_ = spare_port();
    while (https_ == http_) https_ = spare_port();
    std::ofstream(dir_->path() / ".env") << "HOST_IP=127.0.0.1\nHTTP_PORT=" << http_ << "\nHTTPS_PORT=" << https_
                                         << "\nDATA_PATH=" << data_.string() << "\nLOG_LEVEL=warn\n"
                                         << "PGBACKREST_REPO1_TYPE=posix\nPGBACKREST_REPO1_PATH=" << repo_.string()
                                         << "\n";
    const auto ran = run({"deploy", "--www", www_.string()});
    deploy_output_ = ran.out;
    deployed_ = ran.rc == 0 && eventually([] { return healthy(http_); }, std::chrono::seconds(30));
  }
  static void TearDownTestSuite() {
    run({"stop"});
    // Should stop not have worked, end the supervisor this test started.
    if (const auto pid = salespider::service::control::supervisor_pid(data_)) kill(*pid, SIGKILL);
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(deployed_) << deploy_output_; }

  static backup_test::Ran run(std::vector<std::string> args) {
    Salespider p(dir_->path(), std::move(args));
    const int rc = p.wait();
    return {rc, p.output()};
  }

  static int server_pid() {
    const auto j = json::parse(read_all(data_ / "salespider.pid"), nullptr, false);
    return j.is_object() ? j.value("pid", 0) : 0;
  }

  // The backup sets `backup info --json` lists (a JSON document after any log
  // lines; exit 1 when there is none yet: that needs attention).
  static json backup_sets() {
    const auto ran = run({"backup", "info", "--json"});
    EXPECT_TRUE(ran.rc == 0 || (ran.rc == 1 && ran.out.find("\"count\": 0") != std::string::npos)) << ran.out;
    const auto start = ran.out.rfind("\n{\n") != std::string::npos ? ran.out.rfind("\n{\n") + 1 : ran.out.find('{');
    const auto doc = json::parse(start == std::string::npos ? "" : ran.out.substr(start), nullptr, false);
    EXPECT_TRUE(doc.is_object() && doc.contains("backups")) << ran.out;
    return doc.is_object() && doc.contains("backups") ? doc["backups"] : json::array();
  }

  static bool has_product(const std::string& sku) { return run({"product", "show", sku, "--json"}).rc == 0; }

  static inline testpg::TempDir* dir_ = nullptr;
  static inline fs::path data_, repo_, www_;
  static inline int http_ = 0, https_ = 0;
  static inline bool deployed_ = false;
  static inline std::string deploy_output_;
};

TEST_F(OperationsEndToEnd, RestoreStopsTheDeployedServiceRestoresAndStartsItAgain) {
  auto ran = run({"product", "add", "--name", "Before", "--sku", "BEFORE", "--price", "1.00"});
  ASSERT_EQ(ran.rc, 0) << ran.out;
  ran = run({"backup", "--type", "full"});
  ASSERT_EQ(ran.rc, 0) << ran.out;
  const auto sets = backup_sets();
  ASSERT_FALSE(sets.empty());
  const std::string label = sets.back().value("label", "");
  ASSERT_FALSE(label.empty()) << sets.dump();

  ran = run({"product", "add", "--name", "After", "--sku", "AFTER", "--price", "2.00"});
  ASSERT_EQ(ran.rc, 0) << ran.out;
  ASSERT_TRUE(has_product("AFTER"));
  const int before = server_pid();
  ASSERT_GT(before, 0);

  ran = run({"restore", "--set", label, "--force", "--yes"});
  ASSERT_EQ(ran.rc, 0) << ran.out;
  EXPECT_NE(ran.out.find("==> stopping the server"), std::string::npos) << ran.out;
  EXPECT_NE(ran.out.find("==> starting the server"), std::string::npos) << ran.out;
  EXPECT_TRUE(eventually([&] { return healthy(http_); }, std::chrono::seconds(30))) << ran.out;
  const int after = server_pid();
  EXPECT_GT(after, 0);
  EXPECT_NE(after, before) << "the server was restarted";
  EXPECT_TRUE(salespider::service::control::supervisor_pid(data_).has_value()) << "supervised again";
  EXPECT_TRUE(has_product("BEFORE"));
  EXPECT_FALSE(has_product("AFTER")) << "the product made after the backup set is gone";
}

// (Run alone, there is no backup yet: the pre-update incr becomes the first
// full: pgBackRest turns an incr with no full before it into a full.)
TEST_F(OperationsEndToEnd, UpdateTakesABackupFirstThenSwitches) {
  const std::size_t sets_before = backup_sets().size();
  const auto bundle = dir_->path() / "B.tar.gz";
  auto ran = run({"bundle", "--www", www_.string(), "--id", "B", "--out", bundle.string()});
  ASSERT_EQ(ran.rc, 0) << ran.out;
  const int before = server_pid();

  ran = run({"update", "--from", bundle.string(), "--yes"});
  ASSERT_EQ(ran.rc, 0) << ran.out;
  EXPECT_NE(ran.out.find("taking a backup before anything changes"), std::string::npos) << ran.out;
  const auto sets = backup_sets();
  EXPECT_EQ(sets.size(), sets_before + 1) << sets.dump();
  EXPECT_NE(ran.out.find("backup " + (sets.empty() ? std::string("?") : sets.back().value("label", "?")) + " taken"),
            std::string::npos)
      << ran.out;
  EXPECT_EQ(releases::current_id(data_), "B");
  EXPECT_TRUE(eventually([&] { return healthy(http_); }, std::chrono::seconds(30))) << ran.out;
  EXPECT_NE(server_pid(), before);
}

}  // namespace
