// `salespider serve` as an operator runs it, as a child process: with zero
// configuration it creates and supervises its own PostgreSQL in DATA_PATH
// (also when run as root) and a restart keeps the data; with the offline
// guide's example .env it works as written; a malformed value stops startup
// naming the variable.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <regex>
#include <sstream>
#include <thread>

#include "common_pg.hpp"
#include "salespider_process.hpp"

namespace fs = std::filesystem;

namespace {

using Salespider = salespider::test::SalespiderProcess;

nlohmann::json health(int port, int* status = nullptr) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(20, 0);
  auto res = client.Get("/api/v1/health");
  if (!res) return {};
  if (status) *status = res->status;
  return nlohmann::json::parse(res->body, nullptr, false);
}

}  // namespace

TEST(Serve, ZeroConfigurationRunsItsOwnPostgresAndARestartKeepsTheData) {
  testpg::TempDir dir("salespider-serve");
  const auto data = dir.path() / "data";
  {
    Salespider server(dir.path(), {"serve", "--port", "0", "--data-path", data.string()});
    const int port = server.wait_listening();
    ASSERT_GT(port, 0) << server.output();
    int status = 0;
    const auto h = health(port, &status);
    EXPECT_EQ(status, 200) << h.dump();
    EXPECT_EQ(h["database"]["state"], "up") << h.dump();
    EXPECT_TRUE(fs::exists(data / "postgres" / "PG_VERSION"));
    EXPECT_TRUE(fs::exists(data / "logs" / "salespider.log"));

    Salespider status_cmd(dir.path(), {"status", "--data-path", data.string(), "--json"});
    EXPECT_EQ(status_cmd.wait(), 0) << status_cmd.output();
    const auto report = nlohmann::json::parse(status_cmd.output(), nullptr, false);
    EXPECT_EQ(report["server"]["running"], true) << status_cmd.output();
    EXPECT_EQ(report["database"]["reachable"], true) << status_cmd.output();

    pqxx::connection c("host=" + (data / "postgres").string() + " user=postgres dbname=salespider");
    pqxx::work tx(c);
    tx.exec0("UPDATE stores SET name = 'Kept across restarts'");
    tx.commit();
    EXPECT_EQ(server.stop(), 0) << server.output();
  }
  EXPECT_FALSE(fs::exists(data / "postgres" / "postmaster.pid")) << "postgres must stop with the server";
  EXPECT_FALSE(fs::exists(data / "salespider.pid"));

  Salespider again(dir.path(), {"serve", "--port", "0", "--data-path", data.string()});
  const int port = again.wait_listening();
  ASSERT_GT(port, 0) << again.output();
  EXPECT_EQ(health(port)["database"]["state"], "up");
  EXPECT_NE(again.output().find("\"applied_now\":0"), std::string::npos) << "migrations re-run are no-ops";
  EXPECT_EQ(again.output().find("creating the database cluster"), std::string::npos) << "no second initdb";
  {
    pqxx::connection c("host=" + (data / "postgres").string() + " user=postgres dbname=salespider");
    pqxx::read_transaction tx(c);
    EXPECT_EQ(tx.exec1("SELECT name FROM stores")[0].as<std::string>(), "Kept across restarts");
  }
  EXPECT_EQ(again.stop(), 0) << again.output();
}

TEST(Serve, TheGuidesExampleEnvWorksAsWrittenWithItsDatabaseUrl) {
  testpg::TempDatabase db;
  const auto url = testpg::url_for(db.name());
  if (url.empty()) GTEST_SKIP() << "needs the embedded test cluster";
  testpg::TempDir dir("salespider-serve");
  fs::copy_file(SALESPIDER_TEST_FIXTURES "/guide.env", dir.path() / ".env");
  // The guide's own DATABASE_URL names a docker host, `postgres`: the
  // environment (which wins over .env) points it at the test server, still
  // with the guide's `?schema=public`.
  Salespider server(dir.path(), {"serve", "--port", "0", "--host", "127.0.0.1", "--data-path", "data"},
                    {"DATABASE_URL=" + url + "&schema=public"});
  const int port = server.wait_listening();
  ASSERT_GT(port, 0) << server.output();
  int status = 0;
  const auto h = health(port, &status);
  EXPECT_EQ(status, 200) << h.dump() << server.output();
  EXPECT_EQ(h["database"]["state"], "up");
  EXPECT_FALSE(fs::exists(dir.path() / "data" / "postgres")) << "no embedded cluster with DATABASE_URL";
  // The one warning: the guide's URL names the superuser `postgres`, which
  // is said loudly (docs/security.md "The database roles").
  const auto out = server.output();
  const auto warn = out.find("\"level\":\"warn\"");
  ASSERT_NE(warn, std::string::npos) << out;
  EXPECT_NE(out.find("PostgreSQL SUPERUSER", warn), std::string::npos) << out;
  EXPECT_EQ(out.find("\"level\":\"warn\"", warn + 1), std::string::npos) << out;
  pqxx::connection c(db.conninfo());
  pqxx::read_transaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'stores'")[0].as<int>(), 1);
  tx.abort();
  EXPECT_EQ(server.stop(), 0) << server.output();
}

TEST(Serve, WithTheGuidesEnvVerbatimTheServerRunsAndReportsTheDatabaseDown) {
  testpg::TempDir dir("salespider-serve");
  fs::copy_file(SALESPIDER_TEST_FIXTURES "/guide.env", dir.path() / ".env");
  Salespider server(dir.path(), {"serve", "--port", "0", "--host", "127.0.0.1", "--data-path", "data"});
  const int port = server.wait_listening(std::chrono::seconds(90));
  ASSERT_GT(port, 0) << server.output();
  int status = 0;
  const auto h = health(port, &status);
  EXPECT_EQ(status, 503) << h.dump();
  EXPECT_EQ(h["database"]["state"], "down") << h.dump();
  EXPECT_EQ(server.output().find("YourPassword"), std::string::npos) << "the password must not be logged";
  EXPECT_EQ(server.stop(), 0) << server.output();
}

TEST(Serve, AMalformedValueStopsStartupNamingTheVariable) {
  testpg::TempDir dir("salespider-serve");
  Salespider server(dir.path(), {"serve", "--data-path", "data"}, {"HTTPS_PORT=443x"});
  EXPECT_EQ(server.wait(), 2);
  const auto out = server.output();
  EXPECT_NE(out.find("HTTPS_PORT=\"443x\" (from the environment)"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir.path() / "data" / "postgres")) << "nothing is started on a configuration error";
}
