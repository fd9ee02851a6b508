// The server's re-checks: each flag raised by an op crafted to need it, and
// a flagged op is still applied (money already taken is never refused).
#include <gtest/gtest.h>

#include "sync_fixture.hpp"

using salespider::OpStatus;
using synctest::World;

namespace {

// The flag kinds recorded for one op, sorted.
std::string flags_of(World& w, const std::string& op_id) {
  pqxx::connection c(w.db.conninfo());
  pqxx::read_transaction tx(c);
  return tx.exec_params1("SELECT coalesce(string_agg(DISTINCT kind, ',' ORDER BY kind), '') FROM op_flags WHERE op_id = $1",
                         op_id)[0]
      .as<std::string>();
}

std::string sale_flags(World& w, const std::string& sale_id) {
  pqxx::connection c(w.db.conninfo());
  pqxx::read_transaction tx(c);
  return tx.exec_params1("SELECT array_to_string(flags, ',') FROM sales WHERE id = $1", sale_id)[0].as<std::string>();
}

}  // namespace

TEST(Flags, AnOrdinarySaleRaisesNone) {
  World w;
  auto sale = w.sale(1, {{0, 1}});
  w.push(w.batch({w.receive(0, 5), sale}));
  EXPECT_EQ(flags_of(w, sale.op_id), "");
  EXPECT_EQ(sale_flags(w, sale.op_id), "");
}

TEST(Flags, APriceOtherThanTheOneInForceIsAnOverride) {
  World w;
  auto sale = w.sale(1, {{0, 1, 800}});
  const auto r = w.push(w.batch({w.receive(0, 5), sale}));
  EXPECT_EQ(r.results[1].status, OpStatus::applied);
  EXPECT_EQ(r.results[1].message, "flagged: price_override");
  EXPECT_EQ(flags_of(w, sale.op_id), "price_override");
  EXPECT_EQ(sale_flags(w, sale.op_id), "price_override");
}

TEST(Flags, TheOldPriceIsNotAnOverrideForASaleMadeBeforeThePriceChanged) {
  World w;
  const auto before = synctest::wall_ms() - 60'000;
  salespider::db::catalog::set_price(*w.pool, w.products[0].id, 1200, synctest::wall_ms() - 1000);
  auto old_sale = w.sale(1, {{0, 1, 1000}}, 0, before);
  auto new_sale = w.sale(2, {{0, 1, 1000}});
  w.push(w.batch({w.receive(0, 5), old_sale, new_sale}));
  EXPECT_EQ(flags_of(w, old_sale.op_id), "");
  EXPECT_EQ(flags_of(w, new_sale.op_id), "price_override");
}

TEST(Flags, ADiscountAboveTheRolesLimitIsFlagged) {
  World w;
  auto small = w.sale(1, {{1, 1, -1, {{salespider::DiscountKind::percent, 1000}}}});
  auto large = w.sale(2, {{1, 1, -1, {{salespider::DiscountKind::percent, 2500}}}});
  w.push(w.batch({w.receive(1, 5), small, large}), synctest::trusting_grants(1000));
  EXPECT_EQ(flags_of(w, small.op_id), "");
  EXPECT_EQ(flags_of(w, large.op_id), "discount_over_limit");
}

TEST(Flags, SellingMoreThanIsOnHandIsAnOversellAndTheSaleIsStillRecorded) {
  World w;
  auto first = w.sale(1, {{2, 2}});
  auto second = w.sale(2, {{2, 2}});
  const auto r = w.push(w.batch({w.receive(2, 3), first, second}));
  EXPECT_EQ(r.results[2].status, OpStatus::applied);
  EXPECT_EQ(r.results[2].message, "flagged: oversold");
  EXPECT_EQ(flags_of(w, first.op_id), "");
  EXPECT_EQ(flags_of(w, second.op_id), "oversold");
  EXPECT_EQ(sale_flags(w, second.op_id), "oversold");
  EXPECT_EQ(w.count("SELECT count(*) FROM sales"), 2);
}

TEST(Flags, TotalsThatDoNotAddUpAreAnArithmeticMismatch) {
  World w;
  auto sale = w.sale(1, {{0, 1}}, +7);
  w.push(w.batch({w.receive(0, 5), sale}));
  EXPECT_EQ(flags_of(w, sale.op_id), "total_mismatch");
  // The server's figure is what is recorded.
  EXPECT_EQ(w.count("SELECT total_minor FROM sales"), 1000);
}

// A wrong clock is not a problem with the op: the server corrects op
// times by the skew it measured (X-Till-Time) and keeps the skew on the
// till's health. An op dated ahead of the till's own clock is flagged.
TEST(Flags, ATillClockFarFromTheServersIsNoFlagButAnOpDatedAheadOfItIs) {
  World w;
  salespider::service::sync::PushService service(*w.pool, synctest::trusting_grants());
  salespider::service::sync::PushContext ctx;
  ctx.now_ms = synctest::wall_ms();
  ctx.till_clock_ms = ctx.now_ms - 3 * 3600 * 1000;  // three hours slow
  auto sale = w.sale(1, {{0, 1}}, 0, *ctx.till_clock_ms);
  service.push(w.till, w.batch({w.receive(0, 5), sale}), ctx);
  EXPECT_EQ(flags_of(w, sale.op_id), "");
  // Stamped now by a till three hours slow: three hours ahead of its clock.
  auto ahead = w.sale(2, {{0, 1}}, 0, ctx.now_ms);
  service.push(w.till, w.batch({ahead}), ctx);
  EXPECT_EQ(flags_of(w, ahead.op_id), "future_dated");
  // The server keeps its own arrival time next to the till's clock.
  EXPECT_EQ(w.count("SELECT count(*) FROM applied_ops WHERE occurred_at < received_at - interval '1 hour'"), 1);
}

TEST(Flags, ASecondSaleWithTheSameReceiptNumberIsRecordedAndFlagged) {
  World w;
  auto first = w.sale(7, {{0, 1}});
  auto second = w.sale(7, {{1, 1}});
  const auto r = w.push(w.batch({w.receive(0, 5), w.receive(1, 5), first, second}));
  EXPECT_EQ(r.results[3].status, OpStatus::applied);
  EXPECT_EQ(flags_of(w, first.op_id), "");
  EXPECT_EQ(flags_of(w, second.op_id), "receipt_collision");
  EXPECT_EQ(w.count("SELECT count(*) FROM sales WHERE receipt_number = 'T1-000007'"), 2);
  EXPECT_EQ(w.count("SELECT count(*) FROM sales WHERE receipt_collision"), 1);
}

TEST(Flags, GrantProblemsAndAnotherUsersGrantAreFlagged) {
  World w;
  auto sale = w.sale(1, {{0, 1}});
  sale.grant = "some.grant";
  const std::string manager = w.manager;
  w.push(w.batch({w.receive(0, 5), sale}), [manager](const salespider::service::sync::GrantQuery& q) {
    salespider::service::sync::GrantVerdict v;
    v.max_discount_bp = 1000;
    if (!q.grant.empty()) {
      v.user_id = manager;
      v.problems = {"expired"};
    }
    return v;
  });
  EXPECT_EQ(flags_of(w, sale.op_id), "grant_problem,needs_approval,user_mismatch");  // and no authority
}
