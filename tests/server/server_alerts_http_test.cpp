// The server's alerts and LAN addresses as an operator and a manager meet
// them, with the real binary and its embedded PostgreSQL:
//   * a backup repository that cannot be written (PGBACKREST_REPO1_PATH is a
//     file): after pg_switch_wal, GET /api/v1/server/alerts shows
//     archive_failing to a manager (in the request's language), 403 to a
//     cashier; `salespider status --json` reports it and exits 1; the server
//     log has the warning once;
//   * DOMAIN that does not resolve here and HOST_IP set: the HTTP->HTTPS
//     redirect and the /setup QR code use HOST_IP, /setup shows both
//     addresses and the hosts-file line.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <regex>
#include <thread>

#include "common_pg.hpp"
#include "salespider_process.hpp"

namespace fs = std::filesystem;
using Salespider = salespider::test::SalespiderProcess;

namespace {

// The alert with `code` in a list of them, or null.
nlohmann::json find_alert(const nlohmann::json& alerts, const std::string& code) {
  for (const auto& a : alerts) {
    if (a.value("code", "") == code) return a;
  }
  return nullptr;
}

constexpr const char* kPassword = "Alerts-test-passw0rd!";

void add_user(const fs::path& dir, const fs::path& data, const std::string& email, const std::string& role,
              const std::vector<std::string>& env) {
  Salespider add(dir, {"user", "add", "--data-path", data.string(), "--email", email, "--role", role,
                       "--password-stdin"},
                 env, std::string(kPassword) + "\n");
  ASSERT_EQ(add.wait(), 0) << add.output();
}

std::string login(int port, const std::string& email) {
  httplib::Client c("127.0.0.1", port);
  auto res = c.Post("/api/v1/auth/login", nlohmann::json{{"login", email}, {"password", kPassword}}.dump(),
                    "application/json");
  if (!res || res->status != 200) return "";
  return nlohmann::json::parse(res->body).value("token", "");
}

httplib::Result alerts(int port, const std::string& token, const std::string& lang = "en") {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(20, 0);
  return c.Get("/api/v1/server/alerts", {{"Authorization", "Bearer " + token}, {"Accept-Language", lang}});
}

// A non-loopback IPv4 address of this machine, "" when there is none.
std::string lan_address() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "";
  std::string found;
  for (auto* i = list; i != nullptr && found.empty(); i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET) continue;
    char buf[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, buf, sizeof buf);
    if (std::string(buf).rfind("127.", 0) != 0) found = buf;
  }
  freeifaddrs(list);
  return found;
}

int https_port_of(const std::string& log) {
  std::smatch m;
  if (!std::regex_search(log, m, std::regex("\"msg\":\"listening\".*\"https_port\":([0-9]+)"))) return -1;
  return std::stoi(m[1]);
}

}  // namespace

TEST(ServerAlerts, AFailingArchiveIsShownToAManagerAndToStatusButNotToACashier) {
  testpg::TempDir dir("sp-alerts");
  const auto data = dir.path() / "data";
  const auto repo = dir.path() / "repo";
  std::ofstream(repo) << "a file where the repository directory should be\n";
  const std::vector<std::string> env{"PGBACKREST_REPO1_TYPE=posix", "PGBACKREST_REPO1_PATH=" + repo.string()};
  Salespider server(dir.path(), {"serve", "--port", "0", "--https-port", "0", "--data-path", data.string()}, env);
  const int port = server.wait_listening();
  ASSERT_GT(port, 0) << server.output();

  add_user(dir.path(), data, "manager@alerts.test", "manager", env);
  add_user(dir.path(), data, "cashier@alerts.test", "cashier", env);
  const auto manager = login(port, "manager@alerts.test");
  const auto cashier = login(port, "cashier@alerts.test");
  ASSERT_FALSE(manager.empty());
  ASSERT_FALSE(cashier.empty());

  {
    pqxx::connection c("host=" + (data / "postgres").string() + " user=postgres dbname=salespider");
    pqxx::nontransaction tx(c);
    tx.exec0("CREATE TABLE IF NOT EXISTS alerts_test_wal (x int)");
    tx.exec("SELECT pg_switch_wal()");
  }

  nlohmann::json answer;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = alerts(port, manager, "fr");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    answer = nlohmann::json::parse(res->body);
    if (!find_alert(answer["alerts"], "archive_failing").is_null()) break;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  const auto alert = find_alert(answer["alerts"], "archive_failing");
  ASSERT_FALSE(alert.is_null()) << answer.dump();
  EXPECT_EQ(answer["alerts"][0]["code"], "archive_failing") << "archiving comes first";
  EXPECT_FALSE(alert.value("since", "").empty());
  EXPECT_FALSE(alert.value("detail", "").empty());
  auto english = alerts(port, manager, "en");
  ASSERT_TRUE(english);
  const auto en_message =
      find_alert(nlohmann::json::parse(english->body)["alerts"], "archive_failing").value("message", "");
  EXPECT_NE(en_message.find("Backups are failing"), std::string::npos) << en_message;
  EXPECT_NE(alert.value("message", ""), en_message) << "the message is in the request's language";

  auto refused = alerts(port, cashier);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);

  Salespider status(dir.path(), {"status", "--data-path", data.string(), "--json"}, env);
  EXPECT_EQ(status.wait(), 1) << status.output();
  const auto report = nlohmann::json::parse(status.output(), nullptr, false);
  ASSERT_TRUE(report.is_object()) << status.output();
  EXPECT_EQ(report["archive"]["failing"], true) << status.output();
  EXPECT_EQ(report["archive"]["archiving_to_repo"], true) << status.output();
  EXPECT_GE(report["archive"]["ready_count"].get<int>(), 1) << status.output();
  EXPECT_FALSE(find_alert(report["alerts"], "archive_failing").is_null()) << status.output();
  EXPECT_EQ(report["backups"]["configured"], true) << status.output();
  EXPECT_EQ(report["services"]["serve_pid"].is_number(), true) << status.output();
  EXPECT_GT(report["data"]["used_bytes"].get<std::int64_t>(), 0) << status.output();
  EXPECT_GT(report["data"]["free_bytes"].get<std::int64_t>(), 0) << status.output();
  EXPECT_EQ(report["backup_repo"]["path"], repo.string()) << status.output();
  EXPECT_GT(report["database"]["size_bytes"].get<std::int64_t>(), 0) << status.output();
  EXPECT_EQ(report["certificate"]["present"], true) << status.output();
  EXPECT_EQ(report["tills"]["known"], true) << status.output();
  ASSERT_FALSE(report["urls"].empty()) << status.output();
  EXPECT_EQ(report["urls"][0].get<std::string>().rfind("https://", 0), 0u) << status.output();

  Salespider text(dir.path(), {"status", "--data-path", data.string()}, env);
  EXPECT_EQ(text.wait(), 1);
  EXPECT_NE(text.output().find("archive:     to pgBackRest, FAILING"), std::string::npos) << text.output();

  EXPECT_EQ(server.stop(), 0);
  std::ifstream log(data / "logs" / "salespider.log");
  std::stringstream lines;
  lines << log.rdbuf();
  const auto all = lines.str();
  const auto first = all.find("\"msg\":\"server alert: archive_failing\"");
  ASSERT_NE(first, std::string::npos) << all;
  EXPECT_EQ(all.find("\"msg\":\"server alert: archive_failing\"", first + 1), std::string::npos)
      << "a new alert is logged once";
}

TEST(LanDefaults, WhenTheDomainDoesNotResolveHereRedirectsAndTheQrCodeUseHostIp) {
  const auto ip = lan_address();
  if (ip.empty()) GTEST_SKIP() << "this machine has no LAN address";
  testpg::TempDir dir("sp-lan");
  const auto data = dir.path() / "data";
  Salespider server(dir.path(),
                    {"serve", "--host", "0.0.0.0", "--port", "0", "--https-port", "0", "--data-path", data.string()},
                    {"DOMAIN=till.nothing-here.invalid", "HOST_IP=" + ip});
  const int port = server.wait_listening();
  ASSERT_GT(port, 0) << server.output();
  const int https_port = https_port_of(server.output());
  ASSERT_GT(https_port, 0) << server.output();
  const auto by_ip = "https://" + ip + ":" + std::to_string(https_port) + "/";

  httplib::Client lan(ip, port);  // a LAN client: loopback ones are not redirected
  auto res = lan.Get("/sales?x=1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 307);
  EXPECT_EQ(res->get_header_value("Location"), by_ip + "sales?x=1");

  auto setup = lan.Get("/setup");
  ASSERT_TRUE(setup);
  ASSERT_EQ(setup->status, 200);
  EXPECT_NE(setup->body.find("aria-label=\"QR code of " + by_ip + "\""), std::string::npos) << setup->body;
  EXPECT_NE(setup->body.find("https://till.nothing-here.invalid:" + std::to_string(https_port) + "/"),
            std::string::npos)
      << "both addresses are shown";
  EXPECT_NE(setup->body.find(ip + "  till.nothing-here.invalid"), std::string::npos) << "the hosts-file line";
  EXPECT_EQ(server.stop(), 0);
}
