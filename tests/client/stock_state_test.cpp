// The Back office's stock screens in the reducer: a count's variances, their
// value and totals; who may change stock; "Apply count" turning each line
// into one count movement with what was counted and the till's expected
// delta; receive, adjust and write-off movements; the count surviving a
// reload through its JSON; the CSV screen's Import waiting for a clean check.
#include "state/app_state.hpp"

#include <salespider/shared/payloads.hpp>

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
  s.screen = Screen::BackOffice;
  s.drafts_restored = true;
  return s;
}

AppState manager() {
  return person("manager", {"sell", "adjust_stock", "manage_products", "export_data"});
}

AppState cashier() {
  return person("cashier", {"sell", "shift"});
}

StockProduct product(std::string id, std::int64_t price, std::optional<std::int64_t> on_hand,
                     UnitKind unit = UnitKind::each) {
  StockProduct p;
  p.id = std::move(id);
  p.name = "Product " + p.id;
  p.sku = "SKU-" + p.id;
  p.price_minor = price;
  p.unit = unit;
  p.track_stock = true;
  p.on_hand_milli = on_hand;
  return p;
}

// A manager on the count screen with a count whose id is issued.
AppState counting() {
  AppState s = reduce(manager(), OpenStockCount{});
  s = reduce(std::move(s), StartStockCount{});
  return reduce(std::move(s), StockCountIdIssued{"0190a000-0000-7000-8000-0000000000c1"});
}

TEST(StockState, ACountLineShowsVarianceAndItsValueAtThePrice) {
  AppState s = counting();
  s = reduce(std::move(s), PickStockProduct{product("a", 1250, 10'000)});
  s = reduce(std::move(s), SetCountedQuantity{0, 7'000});
  const StockCountLine& line = s.stock.count->lines[0];
  EXPECT_EQ(line.expected_milli, 10'000);
  EXPECT_EQ(variance_milli(line), -3'000);
  EXPECT_EQ(variance_value_minor(line), -3'750);
}

TEST(StockState, AWeighedVarianceIsValuedRoundedHalfAwayFromZero) {
  StockCountLine line;
  line.product = product("w", 999, 1'000, UnitKind::weighed);
  line.expected_milli = 1'000;
  line.counted_milli = 1'500;  // +0.5 kg at 9.99 = 4.995 -> 5.00
  EXPECT_EQ(variance_value_minor(line), 500);
  line.counted_milli = 500;
  EXPECT_EQ(variance_value_minor(line), -500);
}

TEST(StockState, TotalsAddUpEveryCountedLine) {
  AppState s = counting();
  s = reduce(std::move(s), PickStockProduct{product("a", 1000, 10'000)});
  s = reduce(std::move(s), PickStockProduct{product("b", 200, 5'000)});
  s = reduce(std::move(s), PickStockProduct{product("c", 50, std::nullopt)});
  s = reduce(std::move(s), SetCountedQuantity{0, 12'000});  // +2 x 1000
  s = reduce(std::move(s), SetCountedQuantity{1, 4'000});   // -1 x 200
  const CountTotals t = count_totals(*s.stock.count);
  EXPECT_EQ(t.lines, 3);
  EXPECT_EQ(t.counted, 2);
  EXPECT_EQ(t.expected_milli, 15'000);  // no level yet counts as 0
  EXPECT_EQ(t.variance_milli, 1'000);
  EXPECT_EQ(t.variance_value_minor, 1'800);
}

TEST(StockState, TheSameProductTwiceStaysOneLine) {
  AppState s = counting();
  s = reduce(std::move(s), PickStockProduct{product("a", 1000, 1'000)});
  s = reduce(std::move(s), PickStockProduct{product("a", 1000, 1'000)});
  EXPECT_EQ(s.stock.count->lines.size(), 1u);
}

TEST(StockState, AFractionOfAProductSoldByThePieceIsRefused) {
  AppState s = counting();
  s = reduce(std::move(s), PickStockProduct{product("a", 1000, 1'000)});
  s = reduce(std::move(s), SetCountedQuantity{0, 1'500});
  EXPECT_FALSE(s.stock.count->lines[0].counted_milli.has_value());
  ASSERT_TRUE(s.message);
  EXPECT_EQ(s.message->kind, MessageKind::error);
}

TEST(StockState, ACashierIsRefusedTheStockScreensAndEveryStockOperation) {
  AppState s = reduce(cashier(), OpenStock{});
  EXPECT_EQ(s.screen, Screen::BackOffice);
  ASSERT_TRUE(s.message);
  EXPECT_NE(s.message->text.find("adjust_stock"), std::string::npos);
  s = reduce(std::move(s), OpenStockCount{});
  EXPECT_EQ(s.screen, Screen::BackOffice);
  // Even when a command reaches the reducer some other way.
  s.stock.product = product("a", 1000, 1'000);
  s = reduce(std::move(s), SubmitStockOp{StockOpKind::receive, 5'000, std::nullopt, std::nullopt, ""});
  EXPECT_FALSE(s.stock.recording);
  EXPECT_FALSE(s.stock.pending);
  s = reduce(std::move(s), StartStockCount{});
  EXPECT_FALSE(s.stock.count);
}

TEST(StockState, ApplyMakesOneCountMovementPerLineWithCountedAndDelta) {
  AppState s = counting();
  s = reduce(std::move(s), PickStockProduct{product("a", 1000, 10'000)});
  s = reduce(std::move(s), PickStockProduct{product("b", 200, 5'000)});
  s = reduce(std::move(s), SetCountedQuantity{0, 12'000});
  s = reduce(std::move(s), SetCountedQuantity{1, 5'000});
  s = reduce(std::move(s), ApplyStockCount{});
  ASSERT_TRUE(s.stock.count);
  EXPECT_TRUE(s.stock.count->applying);
  EXPECT_EQ(s.stock.count->awaiting, 2);
  const StockCount& c = *s.stock.count;
  std::vector<StockMovement> ops;
  for (const StockCountLine& l : c.lines) ops.push_back(count_movement(c, l).value());
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].kind, StockMovementKind::count);
  EXPECT_EQ(ops[0].product_id, "a");
  EXPECT_EQ(ops[0].counted_thousandths, 12'000);
  EXPECT_EQ(ops[0].delta_thousandths, 2'000);
  EXPECT_EQ(ops[1].counted_thousandths, 5'000);
  EXPECT_EQ(ops[1].delta_thousandths, 0);
  EXPECT_EQ(ops[0].count_id, c.count_id);
  EXPECT_EQ(ops[1].count_id, c.count_id);
  // What goes into the journal reads back the same.
  EXPECT_EQ(decode_stock_movement_payload(encode_stock_movement_payload(ops[0]).value()).value(), ops[0]);

  const std::string id = c.count_id;  // `c` goes with the state moved into reduce()
  s = reduce(std::move(s), CountLineRecorded{id, 0, ""});
  ASSERT_TRUE(s.stock.count);
  s = reduce(std::move(s), CountLineRecorded{id, 1, ""});
  EXPECT_FALSE(s.stock.count);  // all recorded: the count is done
  ASSERT_TRUE(s.message);
  EXPECT_NE(s.message->text.find("2 movements"), std::string::npos);
}

TEST(StockState, ApplyWaitsUntilEveryLineIsCounted) {
  AppState s = counting();
  s = reduce(std::move(s), PickStockProduct{product("a", 1000, 10'000)});
  s = reduce(std::move(s), ApplyStockCount{});
  EXPECT_FALSE(s.stock.count->applying);
  ASSERT_TRUE(s.message);
  EXPECT_EQ(s.message->kind, MessageKind::error);
}

TEST(StockState, ALineThatFailedIsTheOnlyOneApplyRecordsAgain) {
  AppState s = counting();
  s = reduce(std::move(s), PickStockProduct{product("a", 1000, 10'000)});
  s = reduce(std::move(s), PickStockProduct{product("b", 200, 5'000)});
  s = reduce(std::move(s), SetCountedQuantity{0, 9'000});
  s = reduce(std::move(s), SetCountedQuantity{1, 6'000});
  s = reduce(std::move(s), ApplyStockCount{});
  const std::string id = s.stock.count->count_id;
  s = reduce(std::move(s), CountLineRecorded{id, 0, ""});
  s = reduce(std::move(s), CountLineRecorded{id, 1, "quota exceeded"});
  ASSERT_TRUE(s.stock.count);
  EXPECT_FALSE(s.stock.count->applying);
  EXPECT_TRUE(s.stock.count->lines[0].recorded);
  EXPECT_FALSE(s.stock.count->lines[1].recorded);
  s = reduce(std::move(s), ApplyStockCount{});
  EXPECT_EQ(s.stock.count->awaiting, 1);  // only line 2 goes again
  // An applied line can no longer change.
  s = reduce(std::move(s), CountLineRecorded{id, 1, ""});
  EXPECT_FALSE(s.stock.count);
}

TEST(StockState, TheCountInProgressSurvivesAReloadAndCanBeDiscarded) {
  AppState s = counting();
  s = reduce(std::move(s), PickStockProduct{product("a", 1000, 10'000)});
  s = reduce(std::move(s), SetCountedQuantity{0, 8'000});
  const std::optional<StockCount> back = decode_stock_count(encode_stock_count(*s.stock.count));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->count_id, s.stock.count->count_id);
  ASSERT_EQ(back->lines.size(), 1u);
  EXPECT_EQ(back->lines[0].product.id, "a");
  EXPECT_EQ(back->lines[0].expected_milli, 10'000);
  EXPECT_EQ(back->lines[0].counted_milli, 8'000);
  EXPECT_FALSE(decode_stock_count("{\"version\":1,\"lines\":[{\"product\":{}}]}"));

  AppState reloaded = reduce(counting(), DiscardStockCount{});
  reloaded = reduce(std::move(reloaded), StockCountRestored{back});
  ASSERT_TRUE(reloaded.stock.count);
  EXPECT_EQ(reloaded.stock.count->lines[0].counted_milli, 8'000);
  reloaded = reduce(std::move(reloaded), DiscardStockCount{});
  EXPECT_FALSE(reloaded.stock.count);
}

TEST(StockState, ReceiveAdjustAndWriteOffBecomeTheirMovements) {
  const StockProduct p = product("a", 1000, 1'000);
  StockMovement in = stock_movement_of({StockOpKind::receive, 6'000, 450, std::nullopt, "from Dangote"}, p).value();
  EXPECT_EQ(in.kind, StockMovementKind::receive);
  EXPECT_EQ(in.delta_thousandths, 6'000);
  EXPECT_EQ(in.unit_cost_minor, 450);
  StockMovement adj = stock_movement_of({StockOpKind::adjust, -2'000, std::nullopt, std::nullopt, "found broken"}, p).value();
  EXPECT_EQ(adj.kind, StockMovementKind::adjust);
  EXPECT_EQ(adj.delta_thousandths, -2'000);
  StockMovement off =
      stock_movement_of({StockOpKind::write_off, 3'000, std::nullopt, WriteOffReason::expired, ""}, p).value();
  EXPECT_EQ(off.delta_thousandths, -3'000);
  EXPECT_EQ(off.reason, WriteOffReason::expired);
  // A write-off needs its reason, an adjustment its why, a piece product whole units.
  EXPECT_FALSE(stock_movement_of({StockOpKind::write_off, 3'000, std::nullopt, std::nullopt, ""}, p));
  EXPECT_FALSE(stock_movement_of({StockOpKind::adjust, 1'000, std::nullopt, std::nullopt, ""}, p));
  EXPECT_FALSE(stock_movement_of({StockOpKind::receive, 1'500, std::nullopt, std::nullopt, ""}, p));
}

TEST(StockState, AnAcceptedOperationWaitsForTheJournalOnce) {
  AppState s = reduce(manager(), OpenStock{});
  s = reduce(std::move(s), PickStockProduct{product("a", 1000, 1'000)});
  s = reduce(std::move(s), SubmitStockOp{StockOpKind::receive, 5'000, std::nullopt, std::nullopt, ""});
  EXPECT_TRUE(s.stock.recording);
  EXPECT_EQ(s.stock.submit_seq, 1);
  s = reduce(std::move(s), SubmitStockOp{StockOpKind::receive, 5'000, std::nullopt, std::nullopt, ""});
  EXPECT_EQ(s.stock.submit_seq, 1);  // a second tap while recording is not a second op
  s = reduce(std::move(s), StockOpRecorded{"", "Received 5 × Product a."});
  EXPECT_FALSE(s.stock.recording);
  EXPECT_EQ(s.stock.done, "Received 5 × Product a.");
}

TEST(StockState, ImportIsRefusedUntilACheckFoundNoErrors) {
  AppState s = reduce(manager(), OpenCsv{});
  EXPECT_EQ(s.screen, Screen::Csv);
  s = reduce(std::move(s), CsvFileChosen{"products.csv", "sku,name,price\n", ""});
  s = reduce(std::move(s), ImportCsv{});
  EXPECT_FALSE(s.stock.csv.importing);
  s = reduce(std::move(s), CheckCsv{});
  EXPECT_TRUE(s.stock.csv.checking);
  CsvCheck bad;
  bad.errors = 1;
  bad.error_rows.push_back(CsvRowError{3, "X1", "Soap", "price", "not a number"});
  s = reduce(std::move(s), CsvAnswered{true, bad, ""});
  s = reduce(std::move(s), ImportCsv{});
  EXPECT_FALSE(s.stock.csv.importing);
  CsvCheck clean;
  clean.created = 2;
  s = reduce(std::move(s), CheckCsv{});
  s = reduce(std::move(s), CsvAnswered{true, clean, ""});
  s = reduce(std::move(s), ImportCsv{});
  EXPECT_TRUE(s.stock.csv.importing);
}

}  // namespace
}  // namespace salespider::state
