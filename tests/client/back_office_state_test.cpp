// The back office in the reducer: who may open it, the product editor's
// checks before anything is sent, and a stale save that keeps both the
// person's draft and the row as it is now on the server.
#include "state/app_state.hpp"

#include <gtest/gtest.h>

namespace salespider::state {
namespace {

AppState person(std::string role, std::vector<std::string> permissions) {
  AppState s;
  s.till.enrolled = true;
  s.user = User{};
  s.user->id = "u-" + role;
  s.user->display_name = role;
  s.user->role = role;
  s.user->permissions = std::move(permissions);
  s.screen = Screen::Till;
  s.store.known = true;
  s.store.currency = "NGN";
  return s;
}

AppState cashier() {
  return person("cashier", {"sell", "discount", "shift", "cash_in_out", "view_own_sales"});
}

AppState manager() {
  return person("manager", {"sell", "manage_products", "manage_prices", "adjust_stock"});
}

CatalogProduct milk(std::int64_t row_version, std::int64_t price) {
  CatalogProduct p;
  p.id = "p-milk";
  p.name = "Milk 1 L";
  p.barcodes = {"5000000000011"};
  p.price_minor = price;
  p.currency = "NGN";
  p.row_version = row_version;
  return p;
}

// A manager with the editor open on Milk 1 L at row_version 3.
AppState editing_milk() {
  AppState s = reduce(manager(), OpenBackOffice{});
  s = reduce(s, OpenProducts{});
  s = reduce(s, OpenProduct{"p-milk"});
  return reduce(s, ProductLoaded{milk(3, 150000), {}, ""});
}

TEST(BackOfficeState, ACashierCannotOpenTheBackOffice) {
  AppState s = reduce(cashier(), OpenBackOffice{});
  EXPECT_EQ(s.screen, Screen::Till);
  ASSERT_TRUE(s.message.has_value());
  EXPECT_EQ(s.message->kind, MessageKind::error);
  EXPECT_FALSE(may_open_back_office(s));
  // Nor its screens, by command, from anywhere.
  s = reduce(s, OpenProducts{});
  s = reduce(s, OpenTaxRates{});
  s = reduce(s, OpenProduct{""});
  EXPECT_EQ(s.screen, Screen::Till);
}

TEST(BackOfficeState, AManagerOpensTheHubAndBackLeadsHome) {
  AppState s = reduce(manager(), OpenBackOffice{});
  EXPECT_EQ(s.screen, Screen::BackOffice);
  s = reduce(s, OpenProducts{});
  EXPECT_EQ(s.screen, Screen::Products);
  EXPECT_TRUE(s.back_office.list.loading);
  s = reduce(s, Back{});
  EXPECT_EQ(s.screen, Screen::BackOffice);
  s = reduce(s, Back{});
  EXPECT_EQ(s.screen, Screen::Till);
}

TEST(BackOfficeState, SomeoneWhoOnlyCountsStockSeesTheHubButNotTheCatalog) {
  AppState s = reduce(person("stock", {"sell", "adjust_stock"}), OpenBackOffice{});
  EXPECT_EQ(s.screen, Screen::BackOffice);
  s = reduce(s, OpenProducts{});
  EXPECT_EQ(s.screen, Screen::BackOffice);
}

TEST(BackOfficeState, AStaleSaveKeepsBothVersions) {
  AppState s = editing_milk();
  ProductDraft mine = s.back_office.editing->draft;
  mine.price = "1600.00";
  s = reduce(s, SaveProduct{mine});
  ASSERT_TRUE(s.busy);
  // Someone else saved version 4 meanwhile, with another name.
  CatalogProduct now = milk(4, 155000);
  now.name = "Milk 1 L (fresh)";
  s = reduce(s, ProductSaved{std::nullopt, "the product was changed meanwhile", "row_version", now});
  EXPECT_FALSE(s.busy);
  const ProductEditor& e = *s.back_office.editing;
  ASSERT_TRUE(e.conflict.has_value());
  EXPECT_EQ(e.conflict->name, "Milk 1 L (fresh)");
  EXPECT_EQ(e.conflict->row_version, 4);
  EXPECT_EQ(e.draft.price, "1600.00");  // what was typed stays
  EXPECT_EQ(e.draft.name, "Milk 1 L");

  // Keep mine: the same draft again, over the version now on the server.
  AppState kept = reduce(s, KeepMine{});
  EXPECT_TRUE(kept.busy);
  EXPECT_EQ(kept.back_office.editing->draft.row_version, 4);
  EXPECT_EQ(kept.back_office.editing->draft.price, "1600.00");
  EXPECT_FALSE(kept.back_office.editing->conflict.has_value());

  // Use theirs: the form shows the server's row.
  AppState theirs = reduce(s, UseTheirs{});
  EXPECT_FALSE(theirs.busy);
  EXPECT_EQ(theirs.back_office.editing->draft.name, "Milk 1 L (fresh)");
  EXPECT_EQ(theirs.back_office.editing->draft.price, "1550.00");
  EXPECT_GT(theirs.back_office.editing->generation, s.back_office.editing->generation);
}

TEST(BackOfficeState, TheFormRefusesABadBarcodeBeforeSending) {
  AppState s = editing_milk();
  ProductDraft d = s.back_office.editing->draft;
  d.barcodes.push_back("12 34");  // a space: not a barcode
  s = reduce(s, SaveProduct{d});
  EXPECT_FALSE(s.busy);
  const ProductEditor& e = *s.back_office.editing;
  EXPECT_EQ(e.error_field, "barcodes");
  EXPECT_NE(e.error.find("barcode"), std::string::npos) << e.error;
  // The rule's own words, as the server would say them.
  EXPECT_EQ(e.error, validate_barcodes(d.barcodes).error().context);
}

TEST(BackOfficeState, TheFormRefusesAPriceThatIsNotAnAmount) {
  AppState s = editing_milk();
  ProductDraft d = s.back_office.editing->draft;
  d.price = "12.345";  // the naira has two decimals
  s = reduce(s, SaveProduct{d});
  EXPECT_FALSE(s.busy);
  EXPECT_EQ(s.back_office.editing->error_field, "price_minor");
}

TEST(BackOfficeState, APassingDraftBecomesTheFieldsSent) {
  ProductDraft d;
  d.name = "Rice 5 kg";
  d.barcodes = {"111", "222"};
  d.price = "7,500.50";
  d.cost = "";
  d.low_stock = "2";
  Result<ProductFields> f = check_product(d, "NGN");
  ASSERT_TRUE(f) << f.error().context;
  EXPECT_EQ(f.value().price_minor, 750050);
  EXPECT_FALSE(f.value().cost_minor.has_value());
  EXPECT_EQ(f.value().low_stock_milli, 2000);
  EXPECT_EQ(f.value().barcodes.size(), 2u);
}

TEST(BackOfficeState, AnOlderListAnswerDoesNotReplaceTheNewerQuery) {
  AppState s = reduce(reduce(manager(), OpenBackOffice{}), OpenProducts{});
  ProductFilter milk_query;
  milk_query.text = "milk";
  s = reduce(s, QueryProducts{milk_query});
  s = reduce(s, ProductsLoaded{ProductFilter{}, {milk(1, 100)}, 1, "", false});  // the first, empty query
  EXPECT_TRUE(s.back_office.list.loading);
  EXPECT_TRUE(s.back_office.list.products.empty());
  s = reduce(s, ProductsLoaded{milk_query, {milk(1, 100)}, 1, "", false});
  EXPECT_FALSE(s.back_office.list.loading);
  EXPECT_EQ(s.back_office.list.products.size(), 1u);
}

TEST(BackOfficeState, TaxRatePercentagesReadAndPrint) {
  EXPECT_EQ(parse_percent_ppm("7.5"), 75000);
  EXPECT_EQ(parse_percent_ppm("0"), 0);
  EXPECT_EQ(parse_percent_ppm("100"), 1000000);
  EXPECT_FALSE(parse_percent_ppm("100.5"));
  EXPECT_FALSE(parse_percent_ppm("7.12345"));
  EXPECT_FALSE(parse_percent_ppm("abc"));
  EXPECT_EQ(ppm_percent_text(75000), "7.5%");
  EXPECT_EQ(ppm_percent_text(125), "0.0125%");
}

}  // namespace
}  // namespace salespider::state
