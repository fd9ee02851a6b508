// The server as a service where systemd does not run (this CI, containers):
// the real binary deploys itself (release layout, supervised background
// service), is healthy, survives a redeploy of the same release without a
// restart, comes back after kill -9, stops (pid files free) and starts again;
// logs, vacuum and db shell work against it; stop also stops a server
// started by hand; and the Makefile passes DATA only when given, so .env wins.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "salespider_process.hpp"
#include "service/service_control.hpp"

namespace fs = std::filesystem;
using salespider::test::SalespiderProcess;

namespace {

using salespider::test::spare_port;

int health_status(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(2);
  const auto res = client.Get("/api/v1/health");
  return res ? res->status : 0;
}

struct Ran {
  int code;
  std::string output;
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sp-svc-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    data_ = dir_ / "data";
    www_ = dir_ / "dist";
    fs::create_directories(www_);
    std::ofstream(www_ / "index.html") << "<html>till</html>";
    http_ = spare_port();
    https_ = spare_port();
    while (https_ == http_) https_ = spare_port();
    std::ofstream(dir_ / ".env") << "HOST_IP=127.0.0.1\nHTTP_PORT=" << http_ << "\nHTTPS_PORT=" << https_
                                 << "\nDATA_PATH=" << data_.string() << "\nLOG_LEVEL=info\n";
  }
  void TearDown() override {
    run({"stop"});
    // Should stop not have worked, end the supervisor this test started.
    if (const auto pid = salespider::service::control::supervisor_pid(data_)) kill(*pid, SIGKILL);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Ran run(std::vector<std::string> args, const std::string& input = {}) {
    SalespiderProcess p(dir_, std::move(args), {}, input);
    const int code = p.wait();
    return {code, p.output()};
  }

  int server_pid() {
    std::ifstream in(data_ / "salespider.pid");
    const auto j = nlohmann::json::parse(in, nullptr, false);
    return j.is_object() ? j.value("pid", 0) : 0;
  }

  fs::path dir_, data_, www_;
  int http_ = 0;
  int https_ = 0;
};

TEST_F(ServiceTest, DeployRunsASupervisedServiceThatRestartsCrashesAndStopsCleanly) {
  const auto deployed = run({"deploy", "--www", www_.string()});
  ASSERT_EQ(deployed.code, 0) << deployed.output;
  EXPECT_NE(deployed.output.find("supervised service"), std::string::npos) << deployed.output;
  EXPECT_NE(deployed.output.find("https://127.0.0.1:" + std::to_string(https_) + "/"), std::string::npos)
      << deployed.output;
  EXPECT_NE(deployed.output.find("http://127.0.0.1:" + std::to_string(http_) + "/setup"), std::string::npos)
      << deployed.output;
  EXPECT_EQ(health_status(http_), 200);
  EXPECT_TRUE(fs::is_symlink(data_ / "current"));
  EXPECT_TRUE(fs::exists(data_ / "supervisor.pid"));
  EXPECT_TRUE(fs::exists(data_ / "logs" / "supervisor.log"));
  const auto status = run({"status"});
  EXPECT_EQ(status.code, 0) << status.output;

  // The same release again: nothing restarts.
  const int first = server_pid();
  ASSERT_GT(first, 0);
  const auto again = run({"deploy", "--www", www_.string()});
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("not restarted"), std::string::npos) << again.output;
  EXPECT_EQ(server_pid(), first);

  const auto logs = run({"logs", "-n", "5"});
  EXPECT_EQ(logs.code, 0) << logs.output;
  EXPECT_EQ(std::count(logs.output.begin(), logs.output.end(), '\n'), 5) << logs.output;
  EXPECT_NE(logs.output.find("\"msg\""), std::string::npos) << logs.output;

  {
    SalespiderProcess follow(dir_, {"logs", "-f", "-n", "2"});
    bool printed = false;
    for (int i = 0; i < 100 && !printed; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const auto out = follow.output();
      printed = std::count(out.begin(), out.end(), '\n') >= 2;
    }
    EXPECT_TRUE(printed) << follow.output();
    follow.stop();
  }

  // make certs: a new server certificate for .env's DATA_PATH, same CA.
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  const auto ca = slurp(data_ / "tls" / "ca.crt");
  const auto server_cert = slurp(data_ / "tls" / "server.crt");
  ASSERT_FALSE(ca.empty());
  const auto renewed = run({"cert", "renew"});
  EXPECT_EQ(renewed.code, 0) << renewed.output;
  EXPECT_EQ(slurp(data_ / "tls" / "ca.crt"), ca);
  EXPECT_NE(slurp(data_ / "tls" / "server.crt"), server_cert);

  const auto vacuum_json = run({"vacuum", "--json"});
  EXPECT_EQ(vacuum_json.code, 0) << vacuum_json.output;
  EXPECT_TRUE(nlohmann::json::parse(vacuum_json.output, nullptr, false).contains("size_after_bytes"))
      << vacuum_json.output;
  const auto vacuum = run({"vacuum"});
  EXPECT_EQ(vacuum.code, 0) << vacuum.output;
  EXPECT_NE(vacuum.output.find("VACUUM (ANALYZE) done"), std::string::npos) << vacuum.output;

  const auto shell = run({"db", "shell"}, "SELECT 40 + 2 AS answer;\n");
  EXPECT_EQ(shell.code, 0) << shell.output;
  EXPECT_NE(shell.output.find("42"), std::string::npos) << shell.output;

  // A crash: the supervisor brings the server back.
  ASSERT_EQ(kill(first, SIGKILL), 0);
  bool back = false;
  for (int i = 0; i < 240 && !back; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    const int now = server_pid();
    back = now > 0 && now != first && health_status(http_) == 200;
  }
  EXPECT_TRUE(back) << "the server did not come back after kill -9";

  const auto stopped = run({"stop"});
  EXPECT_EQ(stopped.code, 0) << stopped.output;
  EXPECT_NE(stopped.output.find("stopped the supervisor"), std::string::npos) << stopped.output;
  EXPECT_FALSE(fs::exists(data_ / "salespider.pid"));
  EXPECT_FALSE(fs::exists(data_ / "supervisor.pid"));
  EXPECT_EQ(health_status(http_), 0);
  EXPECT_EQ(run({"status"}).code, 1);

  const auto started = run({"start"});
  EXPECT_EQ(started.code, 0) << started.output;
  EXPECT_EQ(health_status(http_), 200);

  const auto restarted = run({"restart"});
  EXPECT_EQ(restarted.code, 0) << restarted.output;
  EXPECT_EQ(health_status(http_), 200);
}

TEST_F(ServiceTest, StopAlsoStopsAServerStartedByHand) {
  SalespiderProcess serve(dir_, {"serve", "--www", www_.string()});
  ASSERT_GT(serve.wait_listening(std::chrono::seconds(120)), 0) << serve.output();
  const auto stopped = run({"stop"});
  EXPECT_EQ(stopped.code, 0) << stopped.output;
  EXPECT_NE(stopped.output.find("stopped the server"), std::string::npos) << stopped.output;
  EXPECT_EQ(serve.wait(), 0) << serve.output();
  EXPECT_FALSE(fs::exists(data_ / "salespider.pid"));

  const auto nothing = run({"stop"});
  EXPECT_EQ(nothing.code, 0) << nothing.output;
  EXPECT_NE(nothing.output.find("nothing was running"), std::string::npos) << nothing.output;

  const auto not_deployed = run({"start"});
  EXPECT_EQ(not_deployed.code, 1);
  EXPECT_NE(not_deployed.output.find("salespider deploy"), std::string::npos) << not_deployed.output;
}

// What a container runs: the release installed, then the supervisor as the
// main process (in the foreground), stopped by the container's SIGTERM.
TEST_F(ServiceTest, DeployInTheForegroundIsTheSupervisorItself) {
  SalespiderProcess fg(dir_, {"deploy", "--foreground", "--host", "127.0.0.1", "--www", www_.string()});
  bool healthy = false;
  for (int i = 0; i < 480 && !healthy; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    healthy = health_status(http_) == 200;
  }
  ASSERT_TRUE(healthy) << fg.output();
  EXPECT_TRUE(salespider::service::control::supervisor_pid(data_).has_value());
  EXPECT_EQ(fg.stop(), 0) << fg.output();
  EXPECT_FALSE(fs::exists(data_ / "salespider.pid"));
  EXPECT_FALSE(fs::exists(data_ / "supervisor.pid"));
  EXPECT_NE(fg.output().find("supervisor stopped"), std::string::npos) << fg.output();
}

// `make status` in a directory with a .env uses the .env's DATA_PATH; DATA=
// on make's command line wins; the Makefile itself passes nothing else.
TEST_F(ServiceTest, TheMakefileLetsDotEnvWinUnlessDataIsGiven) {
  // The environment must not carry a DATA_PATH of its own (it beats .env).
  const std::string make = "cd " + dir_.string() + " && env -u DATA_PATH -u SALESPIDER_ENV_FILE make "
                           "--no-print-directory -f " SALESPIDER_SOURCE_DIR "/Makefile BIN=" +
                           SalespiderProcess::binary();
  auto capture = [](const std::string& cmd) {
    std::string out;
    if (FILE* p = popen((cmd + " 2>&1").c_str(), "r")) {
      char buf[4096];
      while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
      const int rc = pclose(p);
      return std::make_pair(WEXITSTATUS(rc), out);
    }
    return std::make_pair(-1, out);
  };
  const auto dry = capture(make + " -n status");
  EXPECT_EQ(dry.second.find("--data-path"), std::string::npos) << dry.second;
  const auto given = capture(make + " -n status DATA=/srv/elsewhere");
  EXPECT_NE(given.second.find("status --data-path /srv/elsewhere"), std::string::npos) << given.second;
  const auto run_line = capture(make + " -n run");
  EXPECT_EQ(run_line.second.find("--port"), std::string::npos) << run_line.second;
  EXPECT_EQ(run_line.second.find("--host"), std::string::npos) << run_line.second;

  // For real: nothing runs there yet, and status names .env's DATA_PATH.
  const auto real = capture(make + " status");
  EXPECT_NE(real.first, 0) << real.second;  // status: exit 1, so make fails
  EXPECT_NE(real.second.find(data_.string()), std::string::npos) << real.second;

  const auto help = capture(make + " help");
  for (const char* target : {"deploy", "start", "stop", "restart", "status", "logs", "backup", "backup-info",
                             "backup-check", "restore", "restore-pitr", "restore-set", "bundle", "update", "vacuum",
                             "certs", "db-shell", "db-migrate", "db-status", "run", "test", "bench"}) {
    EXPECT_NE(help.second.find(std::string("make ") + target + " "), std::string::npos) << target;
  }
}

}  // namespace
