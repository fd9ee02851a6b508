// Network printers through the server (docs/printers.md) over real HTTP and
// a real database, with a fake printer on a loopback port
// (fake_printer.hpp): the exact bytes arrive; two tills' jobs to one
// printer are sent one after the other, never at once; an unreachable
// printer and a stalled one answer their codes within bounds; only a
// configured printer is ever a target; who may do what; the printer
// fields' rules, stale writes and audit rows; the "no sale" drawer open,
// audited once per id; and `salespider printer` run as the binary.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli_test_support.hpp"
#include "fake_printer.hpp"
#include "service/printers.hpp"
#include "store_http_support.hpp"

namespace {

namespace sp = salespider;
using nlohmann::json;
using sp::test::FakePrinter;
using sp::test::StoreOverHttp;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

long long ms_since(SteadyClock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(SteadyClock::now() - t).count();
}

// Every byte value, then a counter, so any reordering or loss shows.
std::string pattern(std::size_t size, char tag) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>((i * 7 + static_cast<std::size_t>(tag)) & 0xFF);
  if (size > 0) s[0] = tag;
  return s;
}

class PrintersHttp : public ::testing::Test, public StoreOverHttp {
 protected:
  PrintersHttp() { owner_ = w_.add_user(sp::auth::Role::super_admin, "owner1"); }

  struct Answer {
    int status = 0;
    json body;
    std::string code() const { return body.contains("error") ? body["error"].value("code", "") : ""; }
  };
  static Answer of(const httplib::Result& r) {
    if (!r) return {};
    return {r->status, json::parse(r->body, nullptr, false)};
  }
  const httplib::Headers& owner() {
    if (owner_h_.empty()) owner_h_ = headers_of("owner1");
    return owner_h_;
  }
  const httplib::Headers& cashier() {
    if (cashier_h_.empty()) cashier_h_ = headers_of("cashier1");
    return cashier_h_;
  }

  Answer add(const json& body, const httplib::Headers* h = nullptr) {
    return of(client_->Post("/api/v1/printers", h ? *h : owner(), body.dump(), "application/json"));
  }
  // A printer at 127.0.0.1:port, its id.
  std::string add_printer(int port, const std::string& name = "Front counter", bool enabled = true) {
    auto a = add({{"name", name}, {"host", "127.0.0.1"}, {"port", port}, {"enabled", enabled}});
    EXPECT_EQ(a.status, 201) << a.body.dump();
    return a.body.value("id", "");
  }
  Answer print(const std::string& id, const std::string& bytes, const httplib::Headers* h = nullptr,
               const std::string& query = "") {
    return of(client_->Post(("/api/v1/printers/" + id + "/print" + query).c_str(), h ? *h : cashier(), bytes,
                            "application/octet-stream"));
  }
  void limits(milliseconds connect, milliseconds stall) {
    w_.services().printers().set_relay_limits(sp::service::RelayLimits{connect, stall});
  }

  sp::service::UserView owner_;
  httplib::Headers owner_h_, cashier_h_;
};

TEST_F(PrintersHttp, TheExactBytesReachThePrinterAndTheAnswerCountsThem) {
  FakePrinter printer;
  const auto id = add_printer(printer.port());
  const auto bytes = pattern(70'000, 'A');  // every byte value, NULs included
  auto a = print(id, bytes);
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["bytes"], bytes.size());
  ASSERT_TRUE(printer.wait_for_jobs(1, milliseconds(5000)));
  ASSERT_EQ(printer.jobs().size(), 1u);
  EXPECT_TRUE(printer.jobs()[0] == bytes) << "the printer got " << printer.jobs()[0].size() << " bytes";
}

TEST_F(PrintersHttp, TwoTillsPrintingAtOnceAreSentOneAfterTheOtherNeverInterleaved) {
  FakePrinter printer(2048);  // a small buffer: a job cannot finish while the printer is not reading
  const auto id = add_printer(printer.port());
  const auto first = pattern(300'000, 'A'), second = pattern(300'000, 'B');
  printer.hold();
  Answer a, b;
  auto second_headers = headers_of("manager1");
  std::thread one([&] { a = print(id, first); });
  for (int i = 0; i < 500 && printer.accepted() < 1; ++i) std::this_thread::sleep_for(milliseconds(10));
  ASSERT_EQ(printer.accepted(), 1);
  std::thread two([&] {
    httplib::Client c("127.0.0.1", server_->http_port());
    c.set_read_timeout(30, 0);
    b = of(c.Post(("/api/v1/printers/" + id + "/print").c_str(), second_headers, second, "application/octet-stream"));
  });
  // The second job waits for the first: no second connection while the
  // first is still being printed.
  std::this_thread::sleep_for(milliseconds(400));
  EXPECT_EQ(printer.accepted(), 1) << "a second connection was opened while the first job was unfinished";
  printer.release();
  one.join();
  two.join();
  ASSERT_EQ(a.status, 200) << a.body.dump();
  ASSERT_EQ(b.status, 200) << b.body.dump();
  ASSERT_TRUE(printer.wait_for_jobs(2, milliseconds(5000)));
  const auto jobs = printer.jobs();
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_TRUE(jobs[0] == first) << "first connection: " << jobs[0].size() << " bytes starting with " << jobs[0][0];
  EXPECT_TRUE(jobs[1] == second) << "second connection: " << jobs[1].size() << " bytes starting with " << jobs[1][0];
}

TEST_F(PrintersHttp, AnUnreachablePrinterIsAnsweredQuickly) {
  const auto id = add_printer(sp::test::closed_port());
  const auto started = SteadyClock::now();
  auto a = print(id, "\x1b@hello\n");
  EXPECT_EQ(a.status, 502) << a.body.dump();
  EXPECT_EQ(a.code(), "printer_unreachable");
  EXPECT_LT(ms_since(started), 2000);
  // The message names the printer, never the socket error.
  EXPECT_NE(a.body["error"]["message"].get<std::string>().find("Front counter"), std::string::npos);
}

TEST_F(PrintersHttp, APrinterThatNeverAnswersTheConnectionTimesOutAsUnreachable) {
  // A listener whose queue is full and that never accepts: the kernel drops
  // further connection attempts, as an absent host on the LAN would.
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 0), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    const int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    ::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(c);
  }
  std::this_thread::sleep_for(milliseconds(100));
  limits(milliseconds(400), milliseconds(1000));
  const auto id = add_printer(ntohs(addr.sin_port));
  const auto started = SteadyClock::now();
  auto a = print(id, "\x1b@hello\n");
  const auto took = ms_since(started);
  EXPECT_EQ(a.status, 502) << a.body.dump();
  EXPECT_EQ(a.code(), "printer_unreachable");
  EXPECT_GE(took, 350);
  EXPECT_LT(took, 2000);
  for (int c : fillers) ::close(c);
  ::close(fd);
}

TEST_F(PrintersHttp, APrinterThatStopsReadingIsAPrinterTimeoutWithinTheStallLimit) {
  FakePrinter printer(2048);
  printer.hold();  // accepts, never reads: out of paper
  limits(milliseconds(3000), milliseconds(600));
  const auto id = add_printer(printer.port());
  const auto started = SteadyClock::now();
  auto a = print(id, pattern(sp::service::kMaxPrintBytes, 'S'));
  const auto took = ms_since(started);
  EXPECT_EQ(a.status, 504) << a.body.dump();
  EXPECT_EQ(a.code(), "printer_timeout");
  EXPECT_GE(took, 550);
  EXPECT_LT(took, 4000);
  printer.release();
}

TEST_F(PrintersHttp, OnlyAConfiguredEnabledPrinterIsATarget) {
  FakePrinter elsewhere;
  // No printer with this id: nothing is sent anywhere.
  auto a = print("0b7e8f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b", "x");
  EXPECT_EQ(a.status, 404);
  EXPECT_EQ(a.code(), "not_found");
  // A request cannot name a host or port of its own.
  FakePrinter configured;
  const auto id = add_printer(configured.port());
  a = print(id, "x", nullptr, "?host=127.0.0.1&port=" + std::to_string(elsewhere.port()));
  EXPECT_EQ(a.status, 400) << a.body.dump();
  EXPECT_EQ(a.body["error"]["field"], "host");
  // Switched off: refused with its own code.
  const auto off = add_printer(elsewhere.port(), "Back office", false);
  a = print(off, "x");
  EXPECT_EQ(a.status, 409);
  EXPECT_EQ(a.code(), "printer_disabled");
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(elsewhere.accepted(), 0);
  EXPECT_EQ(configured.accepted(), 0);
}

TEST_F(PrintersHttp, ABodyThatIsNotAPrintJobIsRefusedBeforeAnyConnection) {
  FakePrinter printer;
  const auto id = add_printer(printer.port());
  auto big = print(id, std::string(sp::service::kMaxPrintBytes + 1, 'x'));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.code(), "payload_too_large");
  EXPECT_EQ(print(id, "").status, 400);
  auto json_body = of(client_->Post(("/api/v1/printers/" + id + "/print").c_str(), cashier(), "{}", "application/json"));
  EXPECT_EQ(json_body.status, 415);
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(printer.accepted(), 0);
}

TEST_F(PrintersHttp, ACashierListsAndPrintsButOnlyTheOwnerConfiguresPrinters) {
  FakePrinter printer;
  const auto id = add_printer(printer.port());
  auto list = of(client_->Get("/api/v1/printers", cashier()));
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body["printers"].size(), 1u);
  EXPECT_EQ(list.body["printers"][0]["host"], "127.0.0.1");
  EXPECT_EQ(list.body["printers"][0]["paper_mm"], 80);
  EXPECT_EQ(print(id, "\x1b@").status, 200);

  auto a = add({{"name", "Mine"}, {"host", "10.0.0.9"}}, &cashier());
  EXPECT_EQ(a.status, 403);
  auto manager = manager_headers();
  EXPECT_EQ(add({{"name", "Mine"}, {"host", "10.0.0.9"}}, &manager).status, 403);
  const auto v = list.body["printers"][0]["row_version"].get<std::int64_t>();
  EXPECT_EQ(of(client_->Delete(("/api/v1/printers/" + id + "?row_version=" + std::to_string(v)).c_str(), cashier()))
                .status,
            403);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM printers"), "1");
}

TEST_F(PrintersHttp, PrinterFieldsAreCheckedAndEachProblemNamesItsField) {
  struct Case {
    json body;
    int status;
    const char* field;
  };
  const std::vector<Case> cases{
      {{{"name", "A"}, {"host", "http://10.0.0.5"}}, 422, "host"},
      {{{"name", "A"}, {"host", "10.0.0.5/print"}}, 422, "host"},
      {{{"name", "A"}, {"host", "10.0.0.5:9100"}}, 422, "host"},
      {{{"name", "A"}, {"host", "192.168.1.300"}}, 422, "host"},
      {{{"name", "A"}, {"host", "bad..name"}}, 422, "host"},
      {{{"name", "A"}, {"host", "-printer"}}, 422, "host"},
      {{{"name", "A"}, {"host", "user@printer"}}, 422, "host"},
      {{{"name", "A"}, {"host", std::string(254, 'a')}}, 422, "host"},
      {{{"name", "A"}, {"host", ""}}, 422, "host"},
      {{{"name", "A"}, {"host", "10.0.0.5"}, {"port", 0}}, 422, "port"},
      {{{"name", "A"}, {"host", "10.0.0.5"}, {"port", 65536}}, 422, "port"},
      {{{"name", "A"}, {"host", "10.0.0.5"}, {"port", "9100"}}, 400, "port"},
      {{{"name", "A"}, {"host", "10.0.0.5"}, {"paper_mm", 57}}, 422, "paper_mm"},
      {{{"name", "A"}, {"host", "10.0.0.5"}, {"code_page", "utf8"}}, 422, "code_page"},
      {{{"name", "  "}, {"host", "10.0.0.5"}}, 422, "name"},
      {{{"name", std::string(61, 'n')}, {"host", "10.0.0.5"}}, 422, "name"},
      {{{"host", "10.0.0.5"}}, 400, "name"},
      {{{"name", "A"}, {"host", "10.0.0.5"}, {"colour", "red"}}, 400, "colour"},
  };
  for (const auto& c : cases) {
    auto a = add(c.body);
    EXPECT_EQ(a.status, c.status) << c.body.dump() << " -> " << a.body.dump();
    EXPECT_EQ(a.body["error"].value("field", ""), c.field) << c.body.dump();
  }
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM printers"), "0") << "nothing half-applied";

  // Accepted forms: IPv4, IPv6 (brackets dropped), a LAN name (lower-cased).
  auto v4 = add({{"name", "Bar"}, {"host", "192.168.1.50"}, {"paper_mm", 58}, {"code_page", "cp858"}});
  EXPECT_EQ(v4.status, 201) << v4.body.dump();
  EXPECT_EQ(v4.body["port"], 9100);
  auto v6 = add({{"name", "Kitchen"}, {"host", "[fe80::1]"}});
  EXPECT_EQ(v6.status, 201) << v6.body.dump();
  EXPECT_EQ(v6.body["host"], "fe80::1");
  auto named = add({{"name", "Office"}, {"host", "EPSON-TM20.local"}, {"port", 9101}});
  EXPECT_EQ(named.status, 201) << named.body.dump();
  EXPECT_EQ(named.body["host"], "epson-tm20.local");
  // Names are unique whatever the case.
  auto twin = add({{"name", "bar"}, {"host", "192.168.1.51"}});
  EXPECT_EQ(twin.status, 409);
  EXPECT_EQ(twin.body["error"]["field"], "name");
}

TEST_F(PrintersHttp, EditsNeedTheRowVersionReadAndAreAuditedInTheirTransaction) {
  auto a = add({{"name", "Bar"}, {"host", "192.168.1.50"}});
  ASSERT_EQ(a.status, 201);
  const auto id = a.body["id"].get<std::string>();
  const auto v1 = a.body["row_version"].get<std::int64_t>();
  auto put = [&](const json& body) {
    return of(client_->Put(("/api/v1/printers/" + id).c_str(), owner(), body.dump(), "application/json"));
  };
  auto edited = put({{"row_version", v1}, {"name", "Bar"}, {"host", "192.168.1.60"}, {"enabled", false}});
  ASSERT_EQ(edited.status, 200) << edited.body.dump();
  EXPECT_EQ(edited.body["host"], "192.168.1.60");
  EXPECT_EQ(edited.body["enabled"], false);
  EXPECT_GT(edited.body["row_version"].get<std::int64_t>(), v1);
  // The same stale version again: 409 with the row as it is now.
  auto stale = put({{"row_version", v1}, {"name", "Bar"}, {"host", "192.168.1.70"}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.body["error"]["current"]["host"], "192.168.1.60");
  EXPECT_EQ(put({{"name", "Bar"}, {"host", "192.168.1.70"}}).status, 400) << "row_version is required";
  auto del_stale = of(client_->Delete(("/api/v1/printers/" + id + "?row_version=" + std::to_string(v1)).c_str(), owner()));
  EXPECT_EQ(del_stale.status, 409);
  const auto v2 = edited.body["row_version"].get<std::int64_t>();
  auto del = of(client_->Delete(("/api/v1/printers/" + id + "?row_version=" + std::to_string(v2)).c_str(), owner()));
  EXPECT_EQ(del.status, 200) << del.body.dump();
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM printers"), "0");
  EXPECT_EQ(w_.sql_value("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE entity = 'printer'"),
            "printer.create,printer.update,printer.delete");
  EXPECT_EQ(w_.sql_value("SELECT detail->'before'->>'host' FROM audit_log WHERE action = 'printer.update'"),
            "192.168.1.50");
  EXPECT_EQ(w_.sql_value("SELECT actor_user_id::text FROM audit_log WHERE action = 'printer.delete'"), owner_.id);
}

TEST_F(PrintersHttp, ANoSaleDrawerOpenNeedsThePermissionAndIsAuditedOnce) {
  const std::string id = new_id();
  const json body{{"id", id}, {"reason", "change for the bakery"}};
  auto cashier_try = of(client_->Post("/api/v1/drawer/no-sale", cashier(), body.dump(), "application/json"));
  EXPECT_EQ(cashier_try.status, 403);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM drawer_opens"), "0");

  // A manager signed in on the till.
  auto login = w_.login("manager1", sp::test::kGoodPassword, till_.till);
  ASSERT_TRUE(login.ok());
  const httplib::Headers on_till{{"Authorization", "Bearer " + login->token}};
  auto first = of(client_->Post("/api/v1/drawer/no-sale", on_till, body.dump(), "application/json"));
  ASSERT_EQ(first.status, 201) << first.body.dump();
  EXPECT_EQ(first.body["till_id"], till_.till.till_id);
  EXPECT_EQ(first.body["user_id"], manager_.id);
  EXPECT_EQ(first.body["duplicate"], false);
  // The till retries (the answer was lost): recorded once.
  auto again = of(client_->Post("/api/v1/drawer/no-sale", on_till, body.dump(), "application/json"));
  EXPECT_EQ(again.status, 200) << again.body.dump();
  EXPECT_EQ(again.body["duplicate"], true);
  EXPECT_EQ(again.body["opened_at"], first.body["opened_at"]);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM drawer_opens"), "1");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'drawer.no_sale'"), "1");
  EXPECT_EQ(w_.sql_value("SELECT actor_user_id::text || ' ' || actor_till_id::text || ' ' || (detail->>'reason')"
                         " FROM audit_log WHERE action = 'drawer.no_sale'"),
            manager_.id + " " + till_.till.till_id + " change for the bakery");

  // Someone else reusing that id is a conflict, not a silent success.
  auto owner_reuse = of(client_->Post("/api/v1/drawer/no-sale", owner(), body.dump(), "application/json"));
  EXPECT_EQ(owner_reuse.status, 409);
  // Bad bodies.
  EXPECT_EQ(of(client_->Post("/api/v1/drawer/no-sale", on_till, R"({"id":"nope"})", "application/json")).status, 400);
  EXPECT_EQ(of(client_->Post("/api/v1/drawer/no-sale", on_till, R"({"reason":"x"})", "application/json")).status, 400);
  const json long_reason{{"id", new_id()}, {"reason", std::string(201, 'r')}};
  EXPECT_EQ(of(client_->Post("/api/v1/drawer/no-sale", on_till, long_reason.dump(), "application/json")).status, 422);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM drawer_opens"), "1");
}

TEST(PrinterTestPage, StartsWithInitialiseFillsThePaperWidthAndEndsWithACut) {
  sp::service::PrinterRow p;
  p.name = "Café";
  p.host = "10.0.0.5";
  p.port = 9100;
  p.paper_mm = 58;
  p.code_page = "cp858";
  const auto page = sp::service::printer_test_page(p);
  EXPECT_EQ(page.substr(0, 2), "\x1b@");
  EXPECT_EQ(page.substr(page.size() - 4), std::string("\x1dVB\x00", 4));
  EXPECT_NE(page.find("Printer: Caf?\n"), std::string::npos) << "non-ASCII becomes one '?' per character";
  EXPECT_NE(page.find("\n12345678901234567890123456789012\n"), std::string::npos) << "32 columns on 58 mm";
}

// ---------------------------------------------------------------- CLI

class PrinterCli : public sp::test::CliTest {
 protected:
  PrinterCli() : CliTest("printer-cli") {}
};

TEST_F(PrinterCli, AddsListsTestsAndRemovesAPrinter) {
  FakePrinter printer;
  auto added = cli({"printer", "add", "Front", "127.0.0.1", "--port", std::to_string(printer.port()), "--paper", "58",
                    "--json"});
  ASSERT_EQ(added.rc, 0) << added.out;
  EXPECT_EQ(added.body()["paper_mm"], 58);
  EXPECT_EQ(cli({"printer", "add", "Other", "http://10.0.0.5"}).rc, 2);
  EXPECT_EQ(cli({"printer", "add", "front", "10.0.0.5"}).rc, 1) << "name taken";

  auto listed = cli({"printer", "list", "--json"});
  ASSERT_EQ(listed.rc, 0) << listed.out;
  ASSERT_EQ(listed.body()["printers"].size(), 1u);

  auto tested = cli({"printer", "test", "Front"});
  ASSERT_EQ(tested.rc, 0) << tested.out;
  ASSERT_TRUE(printer.wait_for_jobs(1, milliseconds(5000)));
  const auto job = printer.jobs().at(0);
  EXPECT_EQ(job.substr(0, 2), "\x1b@");
  EXPECT_EQ(job.substr(job.size() - 4), std::string("\x1dVB\x00", 4));

  EXPECT_EQ(cli({"printer", "test", "Nowhere"}).rc, 1);
  auto removed = cli({"printer", "remove", "Front"});
  EXPECT_EQ(removed.rc, 0) << removed.out;
  EXPECT_EQ(world_.sql_value("SELECT count(*) FROM printers"), "0");
  EXPECT_EQ(world_.sql_value("SELECT count(*) FROM audit_log WHERE action LIKE 'printer.%'"), "2");

  // An unreachable printer: exit 1 and a pointer to the troubleshooting notes.
  ASSERT_EQ(cli({"printer", "add", "Gone", "127.0.0.1", "--port", std::to_string(sp::test::closed_port())}).rc, 0);
  auto failed = cli({"printer", "test", "Gone"});
  EXPECT_EQ(failed.rc, 1);
  EXPECT_NE(failed.out.find("cannot be reached"), std::string::npos) << failed.out;
}

}  // namespace
