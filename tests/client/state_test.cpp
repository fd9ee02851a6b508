// The till's reducer: what a cashier's taps do to the state, and what it refuses.
#include "state/app_state.hpp"

#include <gtest/gtest.h>

namespace salespider::state {
namespace {

ProductSnapshot rice() {
  ProductSnapshot p;
  p.id = "p-rice";
  p.name = "Rice 1kg";
  p.unit_price = 250;
  p.tax = TaxRate{"VAT", TaxKind::standard, 75000};
  p.currency = "NGN";
  return p;
}

AppState signed_in() {
  AppState s;
  s.till.enrolled = true;
  s.till.code = "SP3";
  s.user = User{};
  s.user->id = "u1";
  s.screen = Screen::Till;
  s.shift = ShiftInfo{"0190a000-0000-7000-8000-0000000000ff", 0, 0, "Ada", ""};
  return s;
}

TEST(TillState, OpenTillLeadsANewBrowserToEnrolment) {
  AppState s = reduce(AppState{}, OpenTill{});
  EXPECT_EQ(s.screen, Screen::Enrol);
  EXPECT_EQ(s.tills_opened, 1);
  s = reduce(std::move(s), OpenTill{});
  EXPECT_EQ(s.tills_opened, 1) << "a second tap while open counts once";
}

TEST(TillState, OpenTillLeadsAnEnrolledTillToSignInThenToSelling) {
  AppState s;
  s.till.enrolled = true;
  s = reduce(std::move(s), OpenTill{});
  EXPECT_EQ(s.screen, Screen::Login);
  s = reduce(std::move(s), SubmitLogin{"ada", "secret"});
  EXPECT_TRUE(s.busy);
  User u;
  u.id = "u1";
  s = reduce(std::move(s), LoginFinished{u, ""});
  EXPECT_FALSE(s.busy);
  EXPECT_EQ(s.screen, Screen::Till);
}

TEST(TillState, ARefusedSignInSaysWhyAndStaysOnTheScreen) {
  AppState s;
  s.till.enrolled = true;
  s.screen = Screen::Login;
  s = reduce(std::move(s), SubmitLogin{"ada", "wrong"});
  s = reduce(std::move(s), LoginFinished{std::nullopt, "Wrong password or PIN."});
  EXPECT_EQ(s.screen, Screen::Login);
  ASSERT_TRUE(s.message);
  EXPECT_EQ(s.message->kind, MessageKind::error);
  EXPECT_FALSE(s.user);
}

TEST(TillState, AReadOnlyTabSubmitsNothing) {
  AppState s;
  s.storage.read_only = true;
  s = reduce(std::move(s), SubmitEnrol{"m", "p", "Till", ""});
  EXPECT_FALSE(s.busy) << "the controller acts only on accepted submissions";
  ASSERT_TRUE(s.message);
}

TEST(TillState, TheSameProductAgainIsOneMoreOfIt) {
  AppState s = signed_in();
  s = reduce(std::move(s), ProductFound{rice()});
  s = reduce(std::move(s), ProductFound{rice()});
  ASSERT_EQ(s.cart.lines.size(), 1u);
  EXPECT_EQ(s.cart.lines[0].quantity.thousandths, 2000);
  ASSERT_TRUE(s.cart.sale);
  EXPECT_EQ(s.cart.sale->totals.total, 500);
  EXPECT_EQ(cash_due(s), 500);
}

TEST(TillState, QuantityToZeroRemovesTheLine) {
  AppState s = reduce(signed_in(), ProductFound{rice()});
  s = reduce(std::move(s), ChangeQuantity{0, -1});
  EXPECT_TRUE(s.cart.lines.empty());
  EXPECT_FALSE(s.cart.sale);
  s = reduce(std::move(s), ChangeQuantity{5, 1});  // no such line: ignored
  EXPECT_TRUE(s.cart.lines.empty());
}

TEST(TillState, AProductInAnotherCurrencyIsNotAdded) {
  AppState s = signed_in();
  ProductSnapshot p = rice();
  p.currency = "USD";
  s = reduce(std::move(s), ProductFound{p});
  EXPECT_TRUE(s.cart.lines.empty());
  ASSERT_TRUE(s.message);
}

TEST(TillState, AnUnknownBarcodeAddsNothingAndSaysSo) {
  AppState s = reduce(signed_in(), ProductNotFound{"123", ""});
  EXPECT_TRUE(s.cart.lines.empty());
  ASSERT_TRUE(s.message);
  EXPECT_NE(s.message->text.find("123"), std::string::npos);
}

TEST(TillState, CashBelowTheTotalIsRefusedBeforeRecording) {
  AppState s = reduce(signed_in(), ProductFound{rice()});
  s = reduce(std::move(s), StartPayment{});
  EXPECT_EQ(s.screen, Screen::Pay);
  s = reduce(std::move(s), CompleteSale{100});
  EXPECT_FALSE(s.busy);
  ASSERT_TRUE(s.message);
  s = reduce(std::move(s), CompleteSale{250});
  EXPECT_TRUE(s.busy);
}

TEST(TillState, ARecordedSaleEmptiesTheCartAndShowsTheReceipt) {
  AppState s = reduce(signed_in(), ProductFound{rice()});
  s = reduce(std::move(s), CompleteSale{1000});
  Completed c;
  c.receipt_number = "SP3-000001";
  c.change = 750;
  s = reduce(std::move(s), SaleRecorded{c});
  EXPECT_FALSE(s.busy);
  EXPECT_TRUE(s.cart.lines.empty());
  ASSERT_TRUE(s.completed);
  EXPECT_EQ(s.last_receipt_number, "SP3-000001");
  s = reduce(std::move(s), NewSale{});
  EXPECT_FALSE(s.completed);
}

TEST(TillState, AFailedRecordingKeepsTheCart) {
  AppState s = reduce(signed_in(), ProductFound{rice()});
  s = reduce(std::move(s), StartPayment{});
  s = reduce(std::move(s), CompleteSale{250});
  s = reduce(std::move(s), SaleFailed{"quota"});
  EXPECT_FALSE(s.busy);
  EXPECT_EQ(s.cart.lines.size(), 1u);
  EXPECT_EQ(s.screen, Screen::Pay);
}

TEST(TillState, SignOutAndResetAreRefusedWhileOpsArePending) {
  AppState s = signed_in();
  s.storage.pending_ops = 3;
  s = reduce(std::move(s), SignOut{});
  EXPECT_TRUE(s.user) << "still signed in";
  ASSERT_TRUE(s.message);
  EXPECT_NE(s.message->text.find("3 sales"), std::string::npos);
  s = reduce(std::move(s), ResetLocalData{});
  EXPECT_FALSE(s.busy) << "the controller is not asked to wipe anything";
  s.storage.pending_ops = 0;
  s = reduce(std::move(s), ResetLocalData{});
  EXPECT_TRUE(s.busy);
}

TEST(TillState, SignOutWithNothingPendingLeadsToSignIn) {
  AppState s = reduce(signed_in(), SignOut{});
  EXPECT_FALSE(s.user);
  EXPECT_EQ(s.screen, Screen::Login);
}

TEST(TillState, SwitchingCashierKeepsTheCartAndTheOutbox) {
  AppState s = reduce(signed_in(), ProductFound{rice()});
  s.storage.pending_ops = 2;
  s = reduce(std::move(s), SwitchCashier{});
  EXPECT_FALSE(s.user);
  EXPECT_EQ(s.screen, Screen::Login);
  EXPECT_EQ(s.cart.lines.size(), 1u);
}

}  // namespace
}  // namespace salespider::state
