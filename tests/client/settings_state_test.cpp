// The store settings in the till: the Settings screen's reducer (only the
// owner opens it; a stale save keeps both versions; Keep mine saves over the
// newer row), a time in the store's date and time format, a tender's own
// name, and "sell only within a shift" refusing payment without one.
#include "state/app_state.hpp"

#include <gtest/gtest.h>

namespace salespider::state {
namespace {

AppState person(std::string role, std::vector<std::string> permissions) {
  AppState s;
  s.till.enrolled = true;
  s.user = User{};
  s.user->id = "u-" + role;
  s.user->role = role;
  s.user->permissions = std::move(permissions);
  s.screen = Screen::BackOffice;
  s.drafts_restored = true;
  return s;
}

AppState owner() { return person("super_admin", {"sell", "manage_settings", "manage_products"}); }

StoreSettings read_settings(std::int64_t version) {
  StoreSettings s;
  s.store_name = "Mama Put";
  s.currency = "NGN";
  s.row_version = version;
  return s;
}

TEST(SettingsState, OnlyTheOwnerOpensTheSettings) {
  AppState m = reduce(person("manager", {"sell", "manage_products"}), OpenSettings{});
  EXPECT_EQ(m.screen, Screen::BackOffice);
  ASSERT_TRUE(m.message);
  AppState o = reduce(owner(), OpenSettings{});
  EXPECT_EQ(o.screen, Screen::Settings);
  EXPECT_TRUE(o.settings.loading);
  o = reduce(std::move(o), Back{});
  EXPECT_EQ(o.screen, Screen::BackOffice);
}

TEST(SettingsState, AStaleSaveKeepsBothVersionsAndKeepMineSavesOverTheNewerRow) {
  AppState s = reduce(owner(), OpenSettings{});
  s = reduce(std::move(s), SettingsLoaded{read_settings(3), {}, "", false});
  StoreSettings mine = s.settings.draft;
  mine.phone = "0800";
  s = reduce(std::move(s), SaveSettings{mine});
  EXPECT_TRUE(s.busy);
  StoreSettings theirs = read_settings(5);
  theirs.phone = "0900";
  s = reduce(std::move(s), SettingsSaved{std::nullopt, "changed", "row_version", theirs});
  EXPECT_FALSE(s.busy);
  ASSERT_TRUE(s.settings.conflict);
  EXPECT_EQ(s.settings.conflict->phone, "0900");
  EXPECT_EQ(s.settings.draft.phone, "0800");
  s = reduce(std::move(s), SettingsKeepMine{mine});
  EXPECT_TRUE(s.busy);
  EXPECT_EQ(s.settings.draft.row_version, 5);
  EXPECT_EQ(s.settings.server->row_version, 5);
  EXPECT_FALSE(s.settings.conflict);
}

TEST(SettingsState, AFieldTheServerRefusedIsNamedAndNothingElseChanges) {
  AppState s = reduce(owner(), OpenSettings{});
  s = reduce(std::move(s), SettingsLoaded{read_settings(3), {}, "", false});
  s = reduce(std::move(s), SaveSettings{s.settings.draft});
  s = reduce(std::move(s), SettingsSaved{std::nullopt, "not a time zone name", "time_zone", std::nullopt});
  EXPECT_EQ(s.settings.error_field, "time_zone");
  EXPECT_FALSE(s.settings.conflict);
  EXPECT_EQ(s.settings.server->row_version, 3);
}

TEST(SettingsState, OfflineTheScreenIsReadOnly) {
  AppState s = reduce(owner(), OpenSettings{});
  s = reduce(std::move(s), SettingsLoaded{read_settings(0), {}, "", true});
  EXPECT_TRUE(s.settings.offline);
  s = reduce(std::move(s), SaveSettings{s.settings.draft});
  EXPECT_FALSE(s.busy);
}

TEST(SettingsState, ATimeIsShownInTheStoresDateAndTimeFormat) {
  EXPECT_EQ(format_store_time("2026-12-06 14:05", "DD/MM/YYYY", "24h"), "06/12/2026 14:05");
  EXPECT_EQ(format_store_time("2026-12-06 14:05", "MM/DD/YYYY", "12h"), "12/06/2026 2:05 PM");
  EXPECT_EQ(format_store_time("2026-12-06 00:30", "DD.MM.YYYY", "12h"), "06.12.2026 12:30 AM");
  EXPECT_EQ(format_store_time("2026-12-06 12:00", "YYYY-MM-DD", "12h"), "2026-12-06 12:00 PM");
  EXPECT_EQ(format_store_time("not a time", "DD/MM/YYYY", "24h"), "not a time");
}

TEST(SettingsState, ATenderHasTheStoresNameForItElseItsOwn) {
  StoreInfo store;
  store.tender_names[static_cast<std::size_t>(TenderKind::card)] = "POS";
  EXPECT_EQ(tender_name(store, TenderKind::card), "POS");
  EXPECT_EQ(tender_name(store, TenderKind::voucher), "Voucher");
}

TEST(SettingsState, AStoreThatSellsOnlyWithinAShiftRefusesPaymentWithoutOne) {
  AppState s = person("cashier", {"sell"});
  s.screen = Screen::Till;
  s.shift_required = false;  // this till's own option says no
  s.store.sell_only_in_shift = true;
  Cart cart;
  cart.currency = *find_currency("NGN");
  CartLine line;
  line.product_id = "p";
  line.name = "Rice";
  line.unit_price = 1000;
  line.quantity = Quantity{1000};
  line.tax = TaxRate{"VAT", TaxKind::standard, 75000};
  cart.lines.push_back(line);
  s.cart.sale = compute_sale(cart).value();
  s = reduce(std::move(s), StartPayment{});
  EXPECT_EQ(s.screen, Screen::Till);
  ASSERT_TRUE(s.message);
  EXPECT_NE(s.message->text.find("only within a shift"), std::string::npos);
  s.store.sell_only_in_shift = false;
  s.message.reset();
  s = reduce(std::move(s), StartPayment{});
  EXPECT_EQ(s.screen, Screen::Pay);
}

}  // namespace
}  // namespace salespider::state
