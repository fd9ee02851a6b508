// One cart, one sale (docs/reliability.md "One cart, one sale"): the
// reducer hands out one accepted-effect token per recording it allows, the
// effects act only on a token they have not consumed (state::EffectInbox,
// as the TillController does), every op is recorded under the id fixed when
// its cart or dialog started, and the store refuses that id a second time.
// Also: a local migration that fails leaves the till able to sell.
//
// The "till" below is the controller's recording path without the browser:
// reduce, take the token, record under its op id, issue the next op id.
// What it deliberately does not do is build real payloads (shared/ has its
// own tests); the journal's contents are what is checked.
#include "fake_backend.hpp"
#include "state/app_state.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace salespider {
namespace {

using state::AppState;
using state::EffectKind;
using store::testing::FakeIndexedDb;

const char* kind_of(EffectKind k) {
  switch (k) {
    case EffectKind::sale:
      return "sale";
    case EffectKind::void_sale:
      return "void_sale";
    case EffectKind::refund:
      return "refund";
    case EffectKind::shift_open:
      return "shift_open";
    case EffectKind::cash_movement:
      return "cash_movement";
    case EffectKind::shift_close:
      return "shift_close";
    case EffectKind::none:
      break;
  }
  return "none";
}

std::string uuid(int n) {
  return "0190a000-0000-7000-8000-" + std::to_string(100000000000 + n);
}

struct Till {
  FakeIndexedDb idb;
  std::unique_ptr<store::Store> store;
  AppState s;
  state::EffectInbox inbox;
  int next_id = 1;
  std::vector<store::StoreErrc> refusals;
  std::vector<state::Command> answers;  // what the controller applies once an op is durable

  Till() { open(store::OpenInput{}); }

  void open(store::OpenInput in) {
    store.reset();
    auto opened = store::Store::open(std::move(in), idb);
    ASSERT_TRUE(opened.ok()) << opened.error().context;
    store = std::move(opened).value();
  }
  void reload() { open(idb.reload_input()); }

  // One command as App::apply + TillController::handle see it.
  void send(const state::Command& c) {
    s = state::reduce(std::move(s), c);
    if (std::optional<state::AcceptedEffect> token = inbox.take(s)) record(*token);
    if (s.next_op_id.empty()) s = state::reduce(std::move(s), state::OpIdIssued{uuid(next_id++)});
  }

  void record(const state::AcceptedEffect& token) {
    store::OpInput op;
    op.op_id = token.op_id.empty() ? uuid(next_id++) : token.op_id;
    op.till_id = "till-1";
    op.kind = kind_of(token.kind);
    op.created_at = 1732540000000;
    op.user_id = s.user ? s.user->id : "";
    op.payload = token.kind == EffectKind::sale ? R"({"receipt_number":"SP3-000001","total":1000})" : "{}";
    op.takes_receipt = token.kind == EffectKind::sale;
    const state::Command answer = answer_for(token);
    auto ticket = store->record_op(std::move(op), [this, answer](const store::Status& ok, const store::JournalRecord&) {
      if (ok) answers.push_back(answer);
    });
    if (!ticket) refusals.push_back(ticket.error().code);
  }

  state::Command answer_for(const state::AcceptedEffect& token) const {
    switch (token.kind) {
      case EffectKind::sale:
        return state::SaleRecorded{state::Completed{}};
      case EffectKind::void_sale:
        return state::ParkedVoided{s.voiding ? s.voiding->sale_id : std::string(), ""};
      case EffectKind::refund:
        return state::RefundRecorded{""};
      case EffectKind::shift_open:
        return state::ShiftOpFinished{"", state::ShiftInfo{token.op_id, 1, 5000, "Ada", ""}, "Shift open."};
      case EffectKind::cash_movement:
        return state::ShiftOpFinished{"", s.shift, "Cash out recorded."};
      case EffectKind::shift_close:
      case EffectKind::none:
        break;
    }
    return state::ShiftOpFinished{"", std::nullopt, "Shift closed."};
  }

  // Every write reaches IndexedDB (the ops become durable) and the till
  // hears of it.
  void commit() {
    idb.complete_all(*store);
    std::vector<state::Command> heard = std::move(answers);
    answers.clear();
    for (const state::Command& c : heard) send(c);
  }

  std::size_t ops(const std::string& kind) const {
    std::size_t n = 0;
    for (const store::JournalRecord* r : store->journal().in_order())
      if (r->kind == kind) ++n;
    return n;
  }
};

state::ProductSnapshot rice() {
  state::ProductSnapshot p;
  p.id = "p1";
  p.name = "Rice";
  p.unit_price = 1000;
  p.tax = TaxRate{"VAT", TaxKind::standard, 75000};
  p.currency = "NGN";
  return p;
}

void sign_in(AppState& s) {
  s.till.enrolled = true;
  s.till.code = "SP3";
  s.user = state::User{};
  s.user->id = "u-cashier";
  s.user->display_name = "Ada";
  s.user->role = "cashier";
  s.user->permissions = {"sell", "shift", "cash_in_out", "refund", "void_sale", "view_own_sales"};
  s.screen = state::Screen::Till;
  s.drafts_restored = true;
  s.shift = state::ShiftInfo{uuid(900), 0, 0, "Ada", ""};
}

// A signed-in cashier with one line in the cart and its sale id.
void cart_with_rice(Till& t, const std::string& sale_id) {
  sign_in(t.s);
  t.send(state::AddProduct{rice()});
  t.send(state::SaleIdIssued{sale_id});
}

// A sale of 3 x 1000 paid cash, as the history's detail holds it.
state::SaleDetail sold() {
  state::SaleDetail d;
  d.sale_op_id = uuid(800);
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

TEST(OneCartOneSale, TheSameCartCompletedTwiceInOneFrameIsOneJournalOpUnderTheCartsSaleId) {
  Till t;
  cart_with_rice(t, uuid(500));
  // F4 twice (or a click and Enter) before the first one was recorded.
  t.send(state::CompleteSale{5000});
  t.send(state::CompleteSale{5000});
  t.send(state::AddPayment{Payment{TenderKind::cash, 5000, ""}});
  t.commit();
  EXPECT_EQ(t.ops("sale"), 1u);
  ASSERT_NE(t.store->journal().find(uuid(500)), nullptr) << "the sale's op id is the cart's sale id";
  EXPECT_TRUE(t.refusals.empty()) << "the second command never got as far as the store";
}

TEST(OneCartOneSale, TheStoreRefusesASecondOpWithTheSameIdEvenAfterTheJournalPrunedIt) {
  Till t;
  store::OpenInput in;
  in.retention.max_records = 0;  // acked ops leave the journal at the next snapshot
  t.open(std::move(in));
  cart_with_rice(t, uuid(501));
  t.send(state::CompleteSale{5000});
  t.commit();
  t.send(state::NewSale{});
  t.send(state::AddProduct{rice()});
  t.send(state::SaleIdIssued{uuid(502)});
  t.send(state::CompleteSale{5000});
  t.commit();
  ASSERT_TRUE(t.store->mark_acked({uuid(501), uuid(502)}).ok());
  t.commit();
  ASSERT_TRUE(t.store->flush().ok());
  t.commit();
  ASSERT_EQ(t.store->journal().find(uuid(501)), nullptr) << "pruned: only the database remembers it now";

  store::OpInput again;
  again.op_id = uuid(501);
  again.kind = "sale";
  again.payload = "{}";
  auto refused = t.store->record_op(again, nullptr);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, store::StoreErrc::duplicate_op);
  EXPECT_NE(refused.error().context.find("already recorded"), std::string::npos) << refused.error().context;
  EXPECT_TRUE(t.store->has_op(uuid(501)));
  EXPECT_FALSE(t.store->has_op(uuid(599)));
}

TEST(OneCartOneSale, ARestoredCartWhoseSaleIsInTheJournalIsClearedAndNeverPaidAgain) {
  Till t;
  cart_with_rice(t, uuid(503));
  t.send(state::CompleteSale{5000});
  // The journal committed; the tab died before the app heard of it, so
  // the drafts still hold the cart.
  const state::CartState saved_cart = t.s.cart;
  t.idb.complete_all(*t.store);
  t.answers.clear();
  t.reload();

  AppState fresh;
  t.s = fresh;
  t.send(state::DraftsRestored{saved_cart, {}});
  sign_in(t.s);
  ASSERT_EQ(t.s.cart.sale_id, uuid(503));
  // TillController::start -> Selling::settle_restored_cart.
  ASSERT_TRUE(t.store->has_op(t.s.cart.sale_id));
  t.send(state::CartAlreadyRecorded{t.s.cart.sale_id, t.store->recorded_receipt(t.s.cart.sale_id)});
  EXPECT_TRUE(t.s.cart.lines.empty());
  ASSERT_TRUE(t.s.message);
  EXPECT_NE(t.s.message->text.find("already been recorded (receipt SP3-000001)"), std::string::npos)
      << t.s.message->text;

  t.send(state::CompleteSale{5000});
  t.commit();
  EXPECT_EQ(t.ops("sale"), 1u);
  EXPECT_TRUE(t.refusals.empty());
}

TEST(OneCartOneSale, ARestoredCartPaidAgainAnywayIsRefusedByTheStoreAndCleared) {
  // Belt and braces: even if the start-up check were skipped, the second
  // recording of the same cart is refused, not a second sale.
  Till t;
  cart_with_rice(t, uuid(504));
  t.send(state::CompleteSale{5000});
  const state::CartState saved_cart = t.s.cart;
  t.idb.complete_all(*t.store);
  t.answers.clear();
  t.reload();
  t.s = AppState{};
  t.send(state::DraftsRestored{saved_cart, {}});
  sign_in(t.s);
  t.send(state::CompleteSale{5000});
  t.commit();
  EXPECT_EQ(t.ops("sale"), 1u);
  ASSERT_EQ(t.refusals.size(), 1u);
  EXPECT_EQ(t.refusals[0], store::StoreErrc::duplicate_op);
}

TEST(OneCartOneSale, ACartRestoredWithoutASaleIdTakesOneAndKeepsIt) {
  Till t;
  state::CartState old;  // drafts from a build that had no sale id yet
  old.lines.push_back(CartLine{});
  old.lines[0].product_id = "p1";
  old.lines[0].name = "Rice";
  old.lines[0].unit_price = 1000;
  old.lines[0].quantity = Quantity::units(1);
  old.lines[0].tax = TaxRate{"VAT", TaxKind::standard, 75000};
  t.send(state::DraftsRestored{old, {}});
  sign_in(t.s);
  ASSERT_TRUE(t.s.cart.sale_id.empty());
  t.send(state::CompleteSale{5000});
  ASSERT_FALSE(t.s.cart.sale_id.empty()) << "the reserved id became the cart's sale id";
  const std::string id = t.s.cart.sale_id;
  t.send(state::CompleteSale{5000});
  t.commit();
  EXPECT_EQ(t.ops("sale"), 1u);
  EXPECT_NE(t.store->journal().find(id), nullptr);
}

TEST(OneCartOneSale, ACommandTheReducerIgnoredRecordsNothing) {
  Till t;
  cart_with_rice(t, uuid(505));
  t.s.shift.reset();  // this till sells only within a shift
  t.send(state::CompleteSale{5000});
  t.send(state::SubmitCashMovement{CashMovementKind::pay_out, 500, "taxi"});  // no shift
  t.send(state::SubmitCloseShift{0, ""});                                      // no shift
  t.send(state::StartRefund{});                                                // nothing open
  t.send(state::SubmitRefund{"damaged"});
  t.commit();
  EXPECT_EQ(t.store->journal().size(), 0u);
}

TEST(OneCartOneSale, TwoShiftOpensTwoCashMovementsAndTwoClosesAreOneOpEach) {
  Till t;
  sign_in(t.s);
  t.s.shift.reset();
  t.send(state::OpenShiftScreen{});
  t.send(state::SubmitOpenShift{5000});
  t.send(state::SubmitOpenShift{5000});
  t.commit();
  ASSERT_TRUE(t.s.shift);
  t.send(state::SubmitCashMovement{CashMovementKind::pay_out, 500, "taxi"});
  t.send(state::SubmitCashMovement{CashMovementKind::pay_out, 500, "taxi"});
  t.commit();
  t.send(state::SubmitCloseShift{4500, ""});
  t.send(state::SubmitCloseShift{4500, ""});
  t.commit();
  EXPECT_EQ(t.ops("shift_open"), 1u);
  EXPECT_EQ(t.ops("cash_movement"), 1u);
  EXPECT_EQ(t.ops("shift_close"), 1u);
  EXPECT_FALSE(t.s.shift);
  EXPECT_TRUE(t.refusals.empty());
}

TEST(OneCartOneSale, ARefundKeepsTheIdItGotWhenTheDraftStartedAndIsRecordedOnce) {
  Till t;
  sign_in(t.s);
  t.s.sale_detail = sold();
  t.send(state::DismissMessage{});  // the controller has issued the next op id
  const std::string reserved = t.s.next_op_id;
  ASSERT_FALSE(reserved.empty());
  t.send(state::StartRefund{});
  ASSERT_TRUE(t.s.refund);
  EXPECT_EQ(t.s.refund->op_id, reserved);
  t.send(state::SetRefundQuantity{0, Quantity::units(1)});
  t.send(state::SubmitRefund{"damaged"});
  t.send(state::SubmitRefund{"damaged"});
  t.commit();
  EXPECT_EQ(t.ops("refund"), 1u);
  EXPECT_NE(t.store->journal().find(reserved), nullptr);
}

TEST(OneCartOneSale, AParkedSaleVoidedTwiceIsOneVoid) {
  Till t;
  cart_with_rice(t, uuid(506));
  t.send(state::ParkSale{});
  t.send(state::VoidParked{uuid(506), "customer left"});
  t.send(state::VoidParked{uuid(506), "customer left"});
  t.commit();
  EXPECT_EQ(t.ops("void_sale"), 1u);
}

// --- a local migration that fails ------------------------------------------------

TEST(LocalMigrationFails, TheTillFallsBackToAFreshImageKeepsItsOutboxAndSellsOn) {
  Till t;
  cart_with_rice(t, uuid(510));
  t.send(state::CompleteSale{5000});
  t.commit();
  ASSERT_TRUE(t.store->flush().ok());
  t.commit();
  ASSERT_EQ(t.store->pending_ops().size(), 1u);
  const AppState kept = t.s;

  store::OpenInput in = t.idb.reload_input();
  in.fail_migration = true;  // the automation hook: the next migration fails
  t.open(std::move(in));
  t.s = kept;
  EXPECT_EQ(t.store->report().origin, store::DbOrigin::recovered);
  EXPECT_NE(t.store->report().damage.find("upgrading the database failed"), std::string::npos)
      << t.store->report().damage;
  ASSERT_EQ(t.store->pending_ops().size(), 1u) << "the old op is still in the outbox";
  EXPECT_EQ(t.store->pending_ops()[0].op_id, uuid(510));
  EXPECT_EQ(t.store->sales_count().value(), 1) << "the history is refilled from the journal";

  t.send(state::NewSale{});
  t.send(state::AddProduct{rice()});
  t.send(state::SaleIdIssued{uuid(511)});
  t.send(state::CompleteSale{5000});
  t.commit();
  EXPECT_EQ(t.store->pending_ops().size(), 2u) << "the till still sells";
  EXPECT_EQ(t.store->next_receipt_sequence(), 3) << "no receipt number handed out twice";
}

TEST(LocalMigrationFails, AStepThatFailsOnTheOldDataIsRetriedOnAFreshImage) {
  Till t;
  ASSERT_TRUE(t.store->set_setting("a", "same").ok());
  ASSERT_TRUE(t.store->set_setting("b", "same").ok());
  ASSERT_TRUE(t.store->flush().ok());
  t.commit();
  // A later build's step that the old rows violate.
  std::vector<store::Migration> steps(store::migrations().begin(), store::migrations().end());
  steps.push_back(store::Migration{store::latest_schema_version() + 1,
                                   "CREATE UNIQUE INDEX settings_value_unique ON settings(v);"});
  store::OpenInput in = t.idb.reload_input();
  in.migrations = steps;
  t.open(std::move(in));
  EXPECT_EQ(t.store->report().origin, store::DbOrigin::recovered);
  EXPECT_EQ(t.store->report().schema_to, store::latest_schema_version() + 1);
}

TEST(LocalMigrationFails, TheTillSaysWhatHappenedOnce) {
  AppState s;
  state::StorageStatus st;
  st.opened = true;
  st.db = "recovered";
  st.db_damage = "upgrading the database failed: x";
  s = state::reduce(std::move(s), state::StorageChanged{st});
  ASSERT_TRUE(s.message);
  EXPECT_NE(s.message->text.find("a fresh one was started"), std::string::npos) << s.message->text;
  EXPECT_NE(s.message->text.find("upgrading the database failed"), std::string::npos);
  s = state::reduce(std::move(s), state::DismissMessage{});
  s = state::reduce(std::move(s), state::StorageChanged{st});
  EXPECT_FALSE(s.message) << "said once, not at every storage update";
}

}  // namespace
}  // namespace salespider
