// The selling reducer: discounts and their limit, a manager's approval,
// parked sales, split tender with change and cash rounding, weighed lines,
// and the drafts record that brings the cart back after a reload.
#include "state/app_state.hpp"
#include "state/drafts.hpp"

#include <gtest/gtest.h>

namespace salespider::state {
namespace {

ProductSnapshot product(std::string id, std::int64_t price, UnitKind unit = UnitKind::each) {
  ProductSnapshot p;
  p.id = std::move(id);
  p.name = "Product " + p.id;
  p.unit_price = price;
  p.unit = unit;
  p.tax = TaxRate{"VAT", TaxKind::standard, 75000};
  p.currency = "NGN";
  return p;
}

AppState cashier() {
  AppState s;
  s.till.enrolled = true;
  s.till.code = "SP3";
  s.user = User{};
  s.user->id = "u-cashier";
  s.user->display_name = "Ada";
  s.user->role = "cashier";
  s.user->permissions = {"sell", "discount"};
  s.user->max_discount_percent = 10;
  s.screen = Screen::Till;
  s.drafts_restored = true;
  s.shift = ShiftInfo{"0190a000-0000-7000-8000-0000000000ff", 0, 0, "Ada", ""};
  return s;
}

AppState with_cart(std::int64_t price = 10000) {
  AppState s = reduce(cashier(), AddProduct{product("a", price)});
  return reduce(std::move(s), SaleIdIssued{"0190a000-0000-7000-8000-000000000001"});
}

Approver manager(std::int64_t percent = 50) {
  Approver a;
  a.user_id = "u-manager";
  a.display_name = "Bola";
  a.grant = "grant-token";
  a.max_discount_percent = percent;
  a.permissions = {"sell", "discount", "void_sale", "refund"};
  return a;
}

TEST(SellingState, ADiscountWithinTheCashiersLimitApplies) {
  AppState s = reduce(with_cart(), SetLineDiscount{0, Discount{DiscountKind::percent, 1000}});
  EXPECT_FALSE(s.approval);
  ASSERT_TRUE(s.cart.sale);
  EXPECT_EQ(s.cart.sale->totals.line_discounts, 1000);
  EXPECT_EQ(s.cart.sale->totals.total, 9000);
}

TEST(SellingState, ADiscountBeyondTheLimitWaitsForAManager) {
  AppState s = reduce(with_cart(), SetLineDiscount{0, Discount{DiscountKind::percent, 2000}});
  ASSERT_TRUE(s.approval);
  EXPECT_NE(s.approval->reason.find("beyond your limit of 10%"), std::string::npos) << s.approval->reason;
  ASSERT_TRUE(s.cart.sale);
  EXPECT_EQ(s.cart.sale->totals.line_discounts, 0) << "nothing applied before the approval";

  s = reduce(std::move(s), SubmitApproval{"bola", "1234"});
  EXPECT_TRUE(s.busy);
  s = reduce(std::move(s), ApprovalFinished{manager(), ""});
  EXPECT_FALSE(s.busy);
  EXPECT_FALSE(s.approval);
  ASSERT_TRUE(s.cart.approver);
  EXPECT_EQ(s.cart.approver->user_id, "u-manager");
  EXPECT_EQ(s.cart.sale->totals.line_discounts, 2000);
}

TEST(SellingState, AFixedDiscountCountsAgainstTheSameLimit) {
  AppState s = reduce(with_cart(10000), SetLineDiscount{0, Discount{DiscountKind::fixed, 1500}});
  EXPECT_TRUE(s.approval) << "15% of the line as a fixed amount is beyond 10%";
}

TEST(SellingState, AManagersApprovalIsBoundByTheManagersOwnLimit) {
  AppState s = reduce(with_cart(), SetCartDiscount{Discount{DiscountKind::percent, 6000}});
  ASSERT_TRUE(s.approval);
  s = reduce(std::move(s), SubmitApproval{"bola", "1234"});
  s = reduce(std::move(s), ApprovalFinished{manager(50), ""});
  EXPECT_TRUE(s.approval) << "still waiting: 60% is beyond the manager's 50%";
  ASSERT_TRUE(s.message);
  EXPECT_EQ(s.message->kind, MessageKind::error);
  EXPECT_EQ(s.cart.sale->totals.cart_discounts, 0);
}

TEST(SellingState, ARefusedApprovalChangesNothing) {
  AppState s = reduce(with_cart(), SetLineDiscount{0, Discount{DiscountKind::percent, 2000}});
  s = reduce(std::move(s), SubmitApproval{"bola", "0000"});
  s = reduce(std::move(s), ApprovalFinished{std::nullopt, "Wrong password or PIN."});
  EXPECT_TRUE(s.approval);
  EXPECT_FALSE(s.cart.approver);
  EXPECT_EQ(s.cart.sale->totals.line_discounts, 0);
  s = reduce(std::move(s), CancelApproval{});
  EXPECT_FALSE(s.approval);
}

TEST(SellingState, SomeoneWithoutTheDiscountPermissionCannotGiveOne) {
  AppState s = with_cart();
  s.user->permissions = {"sell"};
  s = reduce(std::move(s), SetLineDiscount{0, Discount{DiscountKind::percent, 500}});
  EXPECT_FALSE(s.approval);
  ASSERT_TRUE(s.message);
  EXPECT_EQ(s.cart.sale->totals.line_discounts, 0);
}

TEST(SellingState, ParkingEmptiesTheCartAndResumingBringsItBack) {
  AppState s = with_cart();
  s = reduce(std::move(s), SetQuantity{0, Quantity::units(3)});
  s = reduce(std::move(s), ParkSale{});
  EXPECT_TRUE(s.cart.lines.empty());
  ASSERT_EQ(s.parked.size(), 1u);
  EXPECT_EQ(s.parked[0].total, 30000);
  const std::string id = s.parked[0].sale_id;
  EXPECT_FALSE(id.empty());

  s = reduce(std::move(s), AddProduct{product("b", 500)});
  s = reduce(std::move(s), SaleIdIssued{"0190a000-0000-7000-8000-000000000002"});
  s = reduce(std::move(s), ResumeParked{id});
  ASSERT_EQ(s.cart.lines.size(), 1u);
  EXPECT_EQ(s.cart.lines[0].product_id, "a");
  EXPECT_EQ(s.cart.sale_id, id);
  ASSERT_EQ(s.parked.size(), 1u) << "the cart in progress took the resumed one's place";
  EXPECT_EQ(s.parked[0].lines[0].product_id, "b");
}

TEST(SellingState, AParkedSaleIsVoidedOnlyWithAReasonAndBySomeoneAllowedTo) {
  AppState s = reduce(with_cart(), ParkSale{});
  const std::string id = s.parked[0].sale_id;
  s = reduce(std::move(s), VoidParked{id, ""});
  EXPECT_FALSE(s.voiding);
  s = reduce(std::move(s), VoidParked{id, "customer left"});
  ASSERT_TRUE(s.approval) << "a cashier may not void: a manager approves";
  EXPECT_FALSE(s.voiding);
  s = reduce(std::move(s), SubmitApproval{"bola", "1234"});
  s = reduce(std::move(s), ApprovalFinished{manager(), ""});
  ASSERT_TRUE(s.voiding);
  EXPECT_EQ(s.voiding->reason, "customer left");
  ASSERT_TRUE(s.voiding->approver);
  EXPECT_TRUE(s.busy);
  s = reduce(std::move(s), ParkedVoided{id, ""});
  EXPECT_TRUE(s.parked.empty());
  EXPECT_FALSE(s.busy);
}

TEST(SellingState, AVoidThatCouldNotBeStoredKeepsTheSaleParked) {
  AppState s = reduce(with_cart(), ParkSale{});
  s.user->permissions.push_back("void_sale");
  const std::string id = s.parked[0].sale_id;
  s = reduce(std::move(s), VoidParked{id, "mistake"});
  ASSERT_TRUE(s.voiding);
  s = reduce(std::move(s), ParkedVoided{id, "disk full"});
  EXPECT_EQ(s.parked.size(), 1u);
}

TEST(SellingState, SplitTenderCardThenCashGivesChangeFromCashOnly) {
  AppState s = reduce(with_cart(10000), StartPayment{});
  ASSERT_EQ(s.screen, Screen::Pay);
  s = reduce(std::move(s), AddPayment{Payment{TenderKind::card, 4000, ""}});
  EXPECT_FALSE(s.busy);
  EXPECT_EQ(remaining_due(s), 6000);
  EXPECT_EQ(cash_due(s), 6000);
  s = reduce(std::move(s), CompleteSale{10000});
  EXPECT_TRUE(s.busy) << "covered: the controller records the sale";
  ASSERT_TRUE(s.pay.settlement);
  EXPECT_TRUE(s.pay.settlement->complete);
  EXPECT_EQ(s.pay.settlement->change, 4000);
  EXPECT_EQ(s.pay.payments.size(), 2u);
}

TEST(SellingState, ACardCannotPayMoreThanWhatIsLeft) {
  AppState s = reduce(with_cart(10000), StartPayment{});
  s = reduce(std::move(s), AddPayment{Payment{TenderKind::card, 12000, ""}});
  EXPECT_TRUE(s.pay.payments.empty());
  EXPECT_NE(s.pay.error.find("Only cash gives change"), std::string::npos) << s.pay.error;
}

TEST(SellingState, ADisabledTenderIsRefused) {
  AppState s = with_cart(10000);
  s.store.tenders[static_cast<std::size_t>(TenderKind::mobile_money)] = false;
  s = reduce(std::move(s), StartPayment{});
  s = reduce(std::move(s), AddPayment{Payment{TenderKind::mobile_money, 1000, ""}});
  EXPECT_TRUE(s.pay.payments.empty());
  EXPECT_FALSE(s.pay.error.empty());
}

TEST(SellingState, CashRoundingRoundsWhatCashPays) {
  AppState s = cashier();
  s.store.cash_rounding_minor = 500;
  s = reduce(std::move(s), AddProduct{product("a", 10230)});
  EXPECT_EQ(cash_due(s), 10000);
  s = reduce(std::move(s), StartPayment{});
  s = reduce(std::move(s), CompleteSale{cash_due(s)});
  ASSERT_TRUE(s.pay.settlement);
  EXPECT_EQ(s.pay.settlement->rounding, -230);
}

TEST(SellingState, AWeighedProductOpensItsLineForTheWeight) {
  AppState s = reduce(cashier(), AddProduct{product("w", 2000, UnitKind::weighed)});
  EXPECT_EQ(s.cart.selected, 0);
  s = reduce(std::move(s), SetQuantity{0, Quantity{455}});
  ASSERT_TRUE(s.cart.sale);
  EXPECT_EQ(s.cart.sale->lines[0].gross, 910);
  s = reduce(std::move(s), AddProduct{product("w", 2000, UnitKind::weighed)});
  EXPECT_EQ(s.cart.lines.size(), 2u) << "two weighings are two lines";
}

TEST(SellingState, AFractionalQuantityOfACountedProductIsRefused) {
  AppState s = reduce(with_cart(), SetQuantity{0, Quantity{1500}});
  ASSERT_TRUE(s.message);
  EXPECT_EQ(s.message->kind, MessageKind::error);
  EXPECT_EQ(s.cart.lines[0].quantity, Quantity::units(1));
}

TEST(SellingState, SigningOutParksTheCartInsteadOfDroppingIt) {
  AppState s = reduce(with_cart(), SignOut{});
  EXPECT_FALSE(s.user);
  EXPECT_TRUE(s.cart.lines.empty());
  EXPECT_EQ(s.parked.size(), 1u);
}

TEST(SellingState, StaleSearchResultsAreIgnored) {
  AppState s = reduce(cashier(), Search{"ric", ""});
  s = reduce(std::move(s), Search{"rice", ""});
  s = reduce(std::move(s), SearchResults{"ric", "", {product("old", 1)}, false, false, ""});
  EXPECT_TRUE(s.browse.products.empty());
  s = reduce(std::move(s), SearchResults{"rice", "", {product("new", 1)}, true, false, ""});
  ASSERT_EQ(s.browse.products.size(), 1u);
  EXPECT_TRUE(s.browse.more);
  s = reduce(std::move(s), SearchResults{"rice", "", {product("next", 1)}, false, true, ""});
  EXPECT_EQ(s.browse.products.size(), 2u);
}

TEST(SellingState, AFailedSearchIsAnErrorNotAnEmptyMatch) {
  AppState s = reduce(cashier(), Search{"rice", ""});
  const SearchResults failed{"rice", "", {}, false, false, "Searching the products on this till failed: disk I/O error"};
  s = reduce(std::move(s), failed);
  EXPECT_TRUE(s.browse.products.empty());
  EXPECT_EQ(s.browse.error, failed.error);
  s = reduce(std::move(s), Search{"rice ", ""});
  s = reduce(std::move(s), SearchResults{"rice ", "", {product("rice", 1)}, false, false, ""});
  EXPECT_TRUE(s.browse.error.empty()) << "the next answer clears it";
  EXPECT_EQ(s.browse.products.size(), 1u);
}

TEST(Drafts, TheCartAndParkedSalesSurviveARoundTrip) {
  AppState s = reduce(with_cart(), SetLineDiscount{0, Discount{DiscountKind::percent, 2000}});
  s = reduce(std::move(s), ApprovalFinished{manager(), ""});
  s = reduce(std::move(s), AddProduct{product("w", 2000, UnitKind::weighed)});
  s = reduce(std::move(s), SetQuantity{1, Quantity{1250}});
  AppState parked = reduce(with_cart(777), ParkSale{});
  const std::string json = encode_drafts(s.cart, parked.parked);
  std::string error;
  Drafts d = decode_drafts(json, error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(d.cart.sale_id, s.cart.sale_id);
  EXPECT_EQ(d.cart.lines, s.cart.lines);
  ASSERT_TRUE(d.cart.approver);
  EXPECT_EQ(d.cart.approver->user_id, "u-manager");
  ASSERT_EQ(d.parked.size(), 1u);
  EXPECT_EQ(d.parked[0].lines, parked.parked[0].lines);
  EXPECT_EQ(d.parked[0].total, 777 + 0);

  AppState fresh = cashier();
  fresh.drafts_restored = false;
  fresh = reduce(std::move(fresh), DraftsRestored{d.cart, d.parked});
  ASSERT_TRUE(fresh.cart.sale);
  EXPECT_EQ(fresh.cart.sale->totals.total, s.cart.sale->totals.total);
  EXPECT_EQ(fresh.parked.size(), 1u);
}

TEST(Drafts, ADamagedRecordRestoresNothingAndSaysSo) {
  for (const char* bad : {"{", "[]", R"({"version":2})", R"({"version":1,"cart":{"lines":[{"product_id":"x"}]}})",
                          R"({"version":1,"cart":{"lines":[{"product_id":"x","unit":"each","unit_price":1,"quantity":1500,"tax":{"code":"V","kind":"standard","rate_ppm":0}}]}})"}) {
    std::string error;
    Drafts d = decode_drafts(bad, error);
    EXPECT_FALSE(error.empty()) << bad;
    EXPECT_TRUE(d.cart.lines.empty()) << bad;
  }
  std::string error;
  EXPECT_TRUE(decode_drafts("", error).cart.lines.empty());
  EXPECT_EQ(error, "");
}

}  // namespace
}  // namespace salespider::state
