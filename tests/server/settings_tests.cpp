// The store settings over real HTTP and a real database (GET and PATCH
// /api/v1/settings): every writable field's happy path and a bad value each,
// a stale row_version, the currency rule (changeable with its product
// rescale until the first sale, refused after), who may write, the audit
// row, the pull feed; and `salespider settings show|set` run as the binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cli_test_support.hpp"
#include "common_pg.hpp"
#include "salespider/shared/i18n.hpp"
#include "salespider_process.hpp"
#include "store_http_support.hpp"

namespace {

namespace sp = salespider;
using nlohmann::json;
using sp::test::StoreOverHttp;

// A 1x1 PNG and the start of a JPEG, as data: URLs.
const std::string kPng =
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const std::string kJpeg = "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQ==";

class SettingsHttp : public ::testing::Test, public StoreOverHttp {
 protected:
  SettingsHttp() { owner_ = w_.add_user(sp::auth::Role::super_admin, "owner1"); }

  struct Answer {
    int status = 0;
    json body;
  };

  Answer call(const std::string& method, const json& body, const httplib::Headers& h) {
    auto r = method == "GET" ? client_->Get("/api/v1/settings", h)
                             : client_->Patch("/api/v1/settings", h, body.dump(), "application/json");
    EXPECT_TRUE(r) << method;
    if (!r) return {};
    return {r->status, json::parse(r->body, nullptr, false)};
  }
  const httplib::Headers& owner() {
    if (owner_h_.empty()) owner_h_ = headers_of("owner1");
    return owner_h_;
  }
  json current() { return call("GET", {}, owner()).body; }
  // PATCH with the row_version as it is now.
  Answer patch(json fields, const httplib::Headers* h = nullptr) {
    fields["row_version"] = current()["row_version"];
    return call("PATCH", fields, h ? *h : owner());
  }

  sp::service::UserView owner_;
  httplib::Headers owner_h_;
};

TEST_F(SettingsHttp, EveryoneSignedInReadsTheSettingsAndANewStoreIsNotSetUp) {
  auto a = call("GET", {}, headers_of("cashier1"));
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["currency"], currency_);
  EXPECT_EQ(a.body["currency_locked"], false);
  EXPECT_EQ(a.body["setup_completed"], false);
  EXPECT_EQ(a.body["language"], "en");
  EXPECT_EQ(a.body["time_format"], "24h");
  EXPECT_EQ(a.body["sell_only_in_shift"], false);
  EXPECT_TRUE(a.body["logo"].is_null());
  EXPECT_TRUE(a.body["tender_names"].is_object());
}

TEST_F(SettingsHttp, EveryWritableFieldIsSavedAndReadBack) {
  const auto vat = w_.sql_value("SELECT id FROM tax_rates WHERE code = 'VAT'");
  const json fields{{"store_name", "Mama Put"},
                    {"address", "12 Allen Avenue\nIkeja"},
                    {"phone", "+234 800 000 0000"},
                    {"tax_id", "TIN-123"},
                    {"logo", kPng},
                    {"price_mode", "tax_exclusive"},
                    {"default_tax_rate_id", vat},
                    {"enabled_tenders", {"cash", "card", "voucher"}},
                    {"tender_names", {{"card", "POS"}, {"voucher", "Gift card"}}},
                    {"cash_rounding_minor", 5},
                    {"receipt_header", "Welcome"},
                    {"receipt_footer", "Thank you"},
                    {"time_zone", "Africa/Lagos"},
                    {"date_format", "DD.MM.YYYY"},
                    {"time_format", "12h"},
                    {"language", sp::i18n::languages().back()},
                    {"sell_only_in_shift", true},
                    {"offline_grant_hours", 48},
                    {"login_max_failures", 7},
                    {"login_max_failures_per_address", 30},
                    {"login_window_minutes", 20},
                    {"login_lockout_minutes", 90},
                    {"setup_completed", true}};
  auto a = patch(fields);
  ASSERT_EQ(a.status, 200) << a.body.dump();
  const auto now = current();
  for (const auto& [k, v] : fields.items()) EXPECT_EQ(now[k], v) << k;
  // A JPEG is a logo too, and null removes it.
  EXPECT_EQ(patch({{"logo", kJpeg}}).status, 200);
  ASSERT_EQ(patch({{"logo", nullptr}, {"default_tax_rate_id", nullptr}}).status, 200);
  EXPECT_TRUE(current()["logo"].is_null());
  EXPECT_TRUE(current()["default_tax_rate_id"].is_null());
}

TEST_F(SettingsHttp, ABadValueOfEachFieldIsRefusedNamingTheField) {
  const std::string png_bytes_as_jpeg = "data:image/jpeg;base64," + kPng.substr(kPng.find(',') + 1);
  const std::string big_png = "data:image/png;base64,iVBORw0KGgo" + std::string(88000, 'A');
  const std::vector<std::pair<std::string, json>> bad{
      {"store_name", ""},
      {"currency", "XYZ"},
      {"address", std::string(501, 'a')},
      {"phone", "123\t456"},
      {"tax_id", std::string(65, '1')},
      {"logo", "data:image/gif;base64,R0lGODlh"},
      {"logo", png_bytes_as_jpeg},
      {"logo", big_png},
      {"logo", "data:image/png;base64,not base64!"},
      {"price_mode", "gross"},
      {"default_tax_rate_id", "00000000-0000-4000-8000-000000000000"},
      {"enabled_tenders", json::array()},
      {"enabled_tenders", {"cash", "cheque"}},
      {"tender_names", {{"card", std::string(41, 'x')}}},
      {"tender_names", {{"cheque", "Cheque"}}},
      {"cash_rounding_minor", -1},
      {"receipt_header", std::string(2001, 'h')},
      {"receipt_footer", "bell\a"},
      {"time_zone", "Mars/Olympus"},
      {"date_format", "D/M/Y"},
      {"time_format", "13h"},
      {"language", "xx"},
      {"offline_grant_hours", 0},
      {"login_max_failures", 101},
      {"login_max_failures_per_address", 10001},
      {"login_window_minutes", 1441},
      {"login_lockout_minutes", 0},
  };
  const auto before = current();
  for (const auto& [field, value] : bad) {
    auto a = patch({{field, value}});
    EXPECT_EQ(a.status, 422) << field << " " << a.body.dump().substr(0, 200);
    EXPECT_EQ(a.body["error"]["field"], field) << a.body.dump().substr(0, 200);
  }
  // Wrong types and unknown fields are 400, naming them.
  auto typed = patch({{"sell_only_in_shift", "yes"}});
  EXPECT_EQ(typed.status, 400);
  EXPECT_EQ(typed.body["error"]["field"], "sell_only_in_shift");
  auto unknown = patch({{"currency_locked", false}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body["error"]["field"], "currency_locked");
  EXPECT_EQ(current()["row_version"], before["row_version"]) << "nothing half-applied";
}

TEST_F(SettingsHttp, AStaleRowVersionIsAConflictCarryingTheCurrentSettings) {
  const auto read = current();
  ASSERT_EQ(patch({{"receipt_footer", "first"}}).status, 200);
  auto a = call("PATCH", {{"row_version", read["row_version"]}, {"receipt_footer", "second"}}, owner());
  EXPECT_EQ(a.status, 409) << a.body.dump();
  EXPECT_EQ(a.body["error"]["current"]["receipt_footer"], "first") << a.body.dump();
  EXPECT_EQ(current()["receipt_footer"], "first");
}

TEST_F(SettingsHttp, ANewStoreChangesItsCurrencyAndEveryPriceKeepsWhatAPersonSees) {
  ASSERT_EQ(currency_, "USD");
  const auto store = sp::db::catalog::store(w_.pool());
  sp::db::catalog::NewProduct p;
  p.name = "Half";
  p.price_minor = 1550;  // 15.50 USD -> 16 JPY, half away from zero
  p.currency = "USD";
  p.price_from_ms = 1'600'000'000'000;
  const auto half = sp::db::catalog::add_product(w_.pool(), store.id, p);
  const auto cursor = [&] {
    std::string c;
    for (int i = 0; i < 50; ++i) {
      auto r = client_->Get("/api/v1/sync/pull?protocol_version=1&limit=500&cursor=" + c, till_headers());
      auto page = sp::decode_pull_page(r->body);
      c = page->next_cursor;
      if (page->changes.empty() && page->remaining == 0) break;
    }
    return c;
  }();

  auto a = patch({{"currency", "JPY"}, {"time_zone", "Asia/Tokyo"}});
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["currency"], "JPY");
  EXPECT_EQ(w_.sql_value("SELECT currency FROM stores"), "JPY");
  EXPECT_EQ(w_.sql_value("SELECT price_minor || ' ' || currency FROM products WHERE id = '" + product_ + "'"),
            "10 JPY");
  EXPECT_EQ(w_.sql_value("SELECT price_minor || ' ' || currency FROM products WHERE id = '" + half + "'"), "16 JPY");

  // The tills are told: the feed's settings row carries the change.
  auto r = client_->Get("/api/v1/sync/pull?protocol_version=1&limit=500&cursor=" + cursor, till_headers());
  auto page = sp::decode_pull_page(r->body);
  ASSERT_TRUE(page.ok());
  bool seen = false;
  for (const auto& c : page->changes) {
    if (c.entity != "settings") continue;
    const auto data = json::parse(c.data);
    EXPECT_EQ(data["currency"], "JPY");
    EXPECT_EQ(data["time_zone"], "Asia/Tokyo");
    EXPECT_TRUE(data.contains("tender_names") && data.contains("sell_only_in_shift") && data.contains("logo"));
    EXPECT_FALSE(data.contains("currency_locked") || data.contains("setup_completed"));
    seen = true;
  }
  EXPECT_TRUE(seen);
}

TEST_F(SettingsHttp, TheCurrencyIsLockedOnceTheStoreHasSold) {
  auto pushed = push({sale(1, 1000)});
  ASSERT_EQ(pushed.results.size(), 1u);
  EXPECT_EQ(current()["currency_locked"], true);
  auto a = patch({{"currency", "EUR"}});
  EXPECT_EQ(a.status, 409) << a.body.dump();
  EXPECT_EQ(a.body["error"]["field"], "currency");
  EXPECT_EQ(w_.sql_value("SELECT currency FROM stores"), "USD");
  // Sending the same currency is no change, so not refused.
  EXPECT_EQ(patch({{"currency", "USD"}, {"phone", "123"}}).status, 200);
}

TEST_F(SettingsHttp, OnlyTheOwnerChangesSettings) {
  const auto manager = manager_headers();
  EXPECT_EQ(patch({{"phone", "1"}}, &manager).status, 403);
  auto cashier = headers_of("cashier1");
  EXPECT_EQ(patch({{"phone", "1"}}, &cashier).status, 403);
  EXPECT_EQ(current()["phone"], "");
}

TEST_F(SettingsHttp, AChangeIsAuditedWithItsOldAndNewValues) {
  ASSERT_EQ(patch({{"receipt_header", "Hello"}, {"logo", kPng}}).status, 200);
  const auto detail = json::parse(
      w_.sql_value("SELECT detail::text FROM audit_log WHERE action = 'settings.update' ORDER BY id DESC LIMIT 1"));
  EXPECT_EQ(detail["changed"]["receipt_header"]["old"], "");
  EXPECT_EQ(detail["changed"]["receipt_header"]["new"], "Hello");
  EXPECT_TRUE(detail["changed"]["logo"]["old"].is_null());
  EXPECT_NE(detail["changed"]["logo"]["new"].get<std::string>().find("image/png"), std::string::npos);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'settings.update' AND actor_user_id = '" +
                         owner_.id + "'"),
            "1");
}

// ---------------------------------------------------------------- CLI

class SettingsCli : public sp::test::CliTest {
 protected:
  SettingsCli() : CliTest("settings-cli") {}
};

TEST_F(SettingsCli, ShowsAndSetsSettingsWithJsonAndExitCodes) {
  auto shown = cli({"settings", "show", "--json"});
  ASSERT_EQ(shown.rc, 0) << shown.out;
  EXPECT_EQ(shown.body()["currency"], "USD");
  auto table = cli({"settings", "show"});
  ASSERT_EQ(table.rc, 0);
  EXPECT_NE(table.out.find("time_zone"), std::string::npos) << table.out;

  auto set = cli({"settings", "set", "currency=EUR", "time_zone=Europe/Paris", "sell_only_in_shift=yes",
                  "enabled_tenders=cash,voucher", "tender_names.voucher=Bon", "cash_rounding_minor=5", "--json"});
  ASSERT_EQ(set.rc, 0) << set.out;
  const auto after = set.body();
  EXPECT_EQ(after["currency"], "EUR");
  EXPECT_EQ(after["time_zone"], "Europe/Paris");
  EXPECT_EQ(after["sell_only_in_shift"], true);
  EXPECT_EQ(after["enabled_tenders"], json({"cash", "voucher"}));
  EXPECT_EQ(after["tender_names"]["voucher"], "Bon");
  EXPECT_EQ(world_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'settings.update'"), "1");

  EXPECT_EQ(cli({"settings", "set", "colour=blue"}).rc, 2);
  EXPECT_EQ(cli({"settings", "set", "time_zone=Nowhere/Atall"}).rc, 2);
  EXPECT_EQ(cli({"settings", "set", "login_max_failures=many"}).rc, 2);
  EXPECT_EQ(cli({"settings", "set", "phone"}).rc, 2);

  // A sale locks the currency: refused, exit 1.
  world_.add_user(sp::auth::Role::cashier, "cashier1");
  world_.add_till("Front");
  world_.sql_value(
      "INSERT INTO sales (id, store_id, till_id, receipt_seq, receipt_number, user_id, price_mode, currency,"
      " subtotal_minor, tax_minor, total_minor, paid_minor, occurred_at, op_id)"
      " SELECT gen_random_uuid(), s.id, t.id, 1, t.code || '-1', u.id, 'tax_inclusive', 'EUR', 0, 0, 0, 0, now(),"
      " gen_random_uuid() FROM stores s, (SELECT id FROM users LIMIT 1) u, (SELECT id, code FROM tills LIMIT 1) t"
      " RETURNING 1");
  EXPECT_EQ(cli({"settings", "set", "currency=GBP"}).rc, 1);
}

}  // namespace
