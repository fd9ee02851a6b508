// The rest of the day in the reducer: a till that sells only within a shift,
// shift ops waiting for the journal, refunds (partial, beyond what remains,
// by someone without permission) and the managers' list.
#include "state/app_state.hpp"

#include <gtest/gtest.h>

namespace salespider::state {
namespace {

AppState person(std::string role, std::vector<std::string> permissions) {
  AppState s;
  s.till.enrolled = true;
  s.till.code = "SP3";
  s.user = User{};
  s.user->id = "u-" + role;
  s.user->display_name = role;
  s.user->role = role;
  s.user->permissions = std::move(permissions);
  s.screen = Screen::Till;
  s.drafts_restored = true;
  return s;
}

AppState cashier() {
  return person("cashier", {"sell", "discount", "shift", "cash_in_out", "view_own_sales"});
}

ProductSnapshot item(std::int64_t price) {
  ProductSnapshot p;
  p.id = "p1";
  p.name = "Rice";
  p.unit_price = price;
  p.tax = TaxRate{"VAT", TaxKind::standard, 75000};
  p.currency = "NGN";
  return p;
}

// A sale of 3 x 1000 paid cash, as the history's detail holds it.
SaleDetail sold() {
  SaleDetail d;
  d.sale_op_id = "0190a000-0000-7000-8000-000000000010";
  d.receipt_number = "SP3-000001";
  Cart cart;
  cart.currency = find_currency("NGN").value();
  CartLine line;
  line.product_id = "p1";
  line.name = "Rice";
  line.unit_price = 1000;
  line.quantity = Quantity::units(3);
  line.tax = TaxRate{"VAT", TaxKind::standard, 75000};
  cart.lines.push_back(line);
  d.sale = compute_sale(cart).value();
  const Payment cash{TenderKind::cash, 3000, ""};
  d.settlement = settle(d.sale.totals.total, std::span<const Payment>(&cash, 1), TenderSettings{}).value();
  d.ledger = RefundLedger::for_sale(d.sale);
  d.payload.cart = cart;
  d.payload.payments = {cash};
  return d;
}

TEST(DayState, ATillThatNeedsAShiftRefusesPaymentWithoutOne) {
  AppState s = reduce(cashier(), AddProduct{item(1000)});
  ASSERT_TRUE(s.cart.sale);
  s = reduce(std::move(s), StartPayment{});
  EXPECT_EQ(s.screen, Screen::Till);
  ASSERT_TRUE(s.message);
  EXPECT_NE(s.message->text.find("No shift is open"), std::string::npos);
  s = reduce(std::move(s), CompleteSale{1000});
  EXPECT_FALSE(s.busy);

  s.shift_required = false;
  s = reduce(std::move(s), CompleteSale{1000});
  EXPECT_TRUE(s.busy) << "configurable: without the requirement the sale goes through";
}

TEST(DayState, OpeningAShiftWaitsForTheJournalAndThenAllowsSelling) {
  AppState s = reduce(cashier(), OpenShiftScreen{});
  EXPECT_EQ(s.screen, Screen::Shift);
  s = reduce(std::move(s), SubmitOpenShift{5000});
  EXPECT_TRUE(s.busy);
  EXPECT_FALSE(s.shift);
  s = reduce(std::move(s), ShiftOpFinished{"", ShiftInfo{"sh-1", 1, 5000, "cashier", ""}, "Shift open"});
  ASSERT_TRUE(s.shift);
  EXPECT_FALSE(s.busy);
  s = reduce(std::move(s), SubmitOpenShift{5000});
  EXPECT_FALSE(s.busy) << "one shift at a time";
}

TEST(DayState, CashOutNeedsAnAmountAReasonAndAShift) {
  AppState s = reduce(cashier(), SubmitCashMovement{CashMovementKind::pay_out, 500, "taxi"});
  EXPECT_FALSE(s.busy);
  s.shift = ShiftInfo{"sh-1", 1, 5000, "cashier", ""};
  s = reduce(std::move(s), SubmitCashMovement{CashMovementKind::pay_out, 0, "taxi"});
  EXPECT_FALSE(s.busy);
  s = reduce(std::move(s), SubmitCashMovement{CashMovementKind::pay_out, 500, ""});
  EXPECT_FALSE(s.busy);
  s = reduce(std::move(s), SubmitCashMovement{CashMovementKind::pay_out, 500, "taxi"});
  EXPECT_TRUE(s.busy);
}

TEST(DayState, ClosingIsRefusedWhileASaleIsInProgress) {
  AppState s = cashier();
  s.shift = ShiftInfo{"sh-1", 1, 5000, "cashier", ""};
  s = reduce(std::move(s), AddProduct{item(1000)});
  s = reduce(std::move(s), SubmitCloseShift{5000, ""});
  EXPECT_FALSE(s.busy);
  ASSERT_TRUE(s.message);
}

TEST(DayState, APartialRefundIsComputedFromTheSaleAndItsEarlierRefunds) {
  AppState s = cashier();
  s.sale_detail = sold();
  s = reduce(std::move(s), StartRefund{});
  ASSERT_EQ(s.screen, Screen::Refund);
  s = reduce(std::move(s), SetRefundQuantity{0, Quantity::units(2)});
  ASSERT_TRUE(s.refund->computed) << s.refund->error;
  EXPECT_EQ(s.refund->computed->total, 2000);
  EXPECT_EQ(s.refund->computed->tenders[0], 2000);
}

TEST(DayState, ARefundLargerThanWhatRemainsIsImpossible) {
  AppState s = cashier();
  s.sale_detail = sold();
  // Two of the three were refunded before.
  s.sale_detail->ledger.quantity[0] = Quantity::units(2);
  s = reduce(std::move(s), StartRefund{});
  s = reduce(std::move(s), SetRefundQuantity{0, Quantity::units(2)});
  EXPECT_FALSE(s.refund->computed);
  EXPECT_FALSE(s.refund->error.empty());
  s = reduce(std::move(s), SubmitRefund{"damaged"});
  EXPECT_FALSE(s.busy);
  EXPECT_FALSE(s.approval);
}

TEST(DayState, ACashierWithoutPermissionNeedsAManagerToRefund) {
  AppState s = cashier();
  s.sale_detail = sold();
  s = reduce(std::move(s), StartRefund{});
  s = reduce(std::move(s), SetRefundQuantity{0, Quantity::units(1)});
  s = reduce(std::move(s), SubmitRefund{"damaged"});
  ASSERT_TRUE(s.approval);
  EXPECT_FALSE(s.busy);
  Approver cashier2;
  cashier2.user_id = "u-other";
  cashier2.display_name = "Other";
  cashier2.permissions = {"sell"};
  s = reduce(std::move(s), SubmitApproval{"other", "1111"});
  s = reduce(std::move(s), ApprovalFinished{cashier2, ""});
  EXPECT_FALSE(s.busy) << "the approver must hold the refund permission";
  Approver m;
  m.user_id = "u-manager";
  m.display_name = "Mo";
  m.permissions = {"refund", "void_sale"};
  s = reduce(std::move(s), SubmitApproval{"mo", "1234"});
  s = reduce(std::move(s), ApprovalFinished{m, ""});
  EXPECT_TRUE(s.busy);
  ASSERT_TRUE(s.refund->approver);
  EXPECT_EQ(s.refund->approver->user_id, "u-manager");
  s = reduce(std::move(s), RefundRecorded{""});
  EXPECT_FALSE(s.refund);
  EXPECT_EQ(s.screen, Screen::History);
}

TEST(DayState, RefundTendersMustAddUpToTheRefund) {
  AppState s = person("manager", {"refund"});
  s.sale_detail = sold();
  s = reduce(std::move(s), StartRefund{});
  s = reduce(std::move(s), SetRefundQuantity{0, Quantity::units(1)});
  s = reduce(std::move(s), SetRefundTenders{{Payment{TenderKind::cash, 400, ""}, Payment{TenderKind::card, 500, ""}}});
  EXPECT_FALSE(s.refund->computed);
  EXPECT_NE(s.refund->error.find("add up"), std::string::npos);
  s = reduce(std::move(s), SetRefundTenders{{Payment{TenderKind::cash, 400, ""}, Payment{TenderKind::card, 600, ""}}});
  EXPECT_TRUE(s.refund->computed);
  s = reduce(std::move(s), SubmitRefund{"changed mind"});
  EXPECT_TRUE(s.busy) << "a manager refunds without approval";
}

TEST(DayState, OnlyManagersSeeTheAttentionList) {
  AppState s = reduce(cashier(), OpenAttention{});
  EXPECT_NE(s.screen, Screen::Attention);
  s = reduce(person("manager", {"resolve_attention"}), OpenAttention{});
  EXPECT_EQ(s.screen, Screen::Attention);
  EXPECT_EQ(reduce(s, Back{}).screen, Screen::Till) << "opened from the till, Back goes back there";
}

TEST(DayState, TheAttentionListOpenedFromTheHubGoesBackToIt) {
  AppState s = person("manager", {"resolve_attention"});
  s.screen = Screen::BackOffice;
  s = reduce(std::move(s), OpenAttention{});
  ASSERT_EQ(s.screen, Screen::Attention);
  EXPECT_EQ(reduce(s, Back{}).screen, Screen::BackOffice);
}

TEST(DayState, StaleHistoryPagesAreIgnored) {
  AppState s = reduce(cashier(), OpenHistory{HistoryFilter{false, "SP3", "", "", "", false, "", ""}});
  s = reduce(std::move(s), HistoryLoaded{HistoryFilter{false, "other", "", "", "", false, "", ""}, {HistoryItem{}}, "", 1, 1, false, "", 0, {}, {}});
  EXPECT_TRUE(s.history.items.empty());
  EXPECT_TRUE(s.history.loading);
  s = reduce(std::move(s), HistoryLoaded{HistoryFilter{false, "SP3", "", "", "", false, "", ""}, {HistoryItem{}}, "", 1, 1, false, "", 0, {}, {}});
  EXPECT_EQ(s.history.items.size(), 1u);
  EXPECT_FALSE(s.history.loading);
}

}  // namespace
}  // namespace salespider::state
