// Push against a real PostgreSQL: every op is applied at most once, whatever
// the till replays, and one bad op never blocks the ops after it.
#include <gtest/gtest.h>

#include <thread>

#include "sync_fixture.hpp"

using salespider::OpKind;
using salespider::OpStatus;
using synctest::World;

namespace {

std::string state_of(World& w) {
  return std::to_string(w.count("SELECT count(*) FROM sales")) + "/" +
         std::to_string(w.count("SELECT count(*) FROM sale_lines")) + "/" +
         std::to_string(w.count("SELECT count(*) FROM payments")) + "/" +
         std::to_string(w.count("SELECT count(*) FROM stock_movements")) + "/" +
         std::to_string(w.count("SELECT coalesce(sum(on_hand_milli), 0) FROM stock_levels")) + "/" +
         std::to_string(w.count("SELECT count(*) FROM applied_ops")) + "/" +
         std::to_string(w.count("SELECT count(*) FROM audit_log")) + "/" +
         std::to_string(w.count("SELECT count(*) FROM change_feed"));
}

}  // namespace

TEST(Push, ASaleIsRecordedWithItsLinesPaymentsStockAndFeedRows) {
  World w;
  auto r = w.push(w.batch({w.receive(0, 10), w.receive(1, 10), w.receive(2, 10), w.sale(1, {{0, 2}, {1, 1}, {2, 3}})}));
  ASSERT_EQ(r.results.size(), 4u);
  for (const auto& x : r.results) EXPECT_EQ(x.status, OpStatus::applied) << x.message;
  EXPECT_EQ(r.results[3].message, "");
  EXPECT_EQ(w.count("SELECT count(*) FROM sale_lines"), 3);
  EXPECT_EQ(w.count("SELECT total_minor FROM sales"), 2 * 1000 + 2500 + 3 * 150);
  EXPECT_EQ(w.count("SELECT on_hand_milli FROM stock_levels WHERE product_id = '" + w.products[0].id + "'"), 8000);
  EXPECT_EQ(w.count("SELECT highest_receipt_seq FROM tills"), 1);
  EXPECT_EQ(w.count("SELECT count(*) FROM audit_log WHERE action = 'sale.recorded'"), 1);
  EXPECT_EQ(w.count("SELECT count(*) FROM change_feed WHERE entity = 'stock_level'"), 3);  // once per chunk
  EXPECT_EQ(w.count("SELECT count(*) FROM change_feed WHERE entity = 'till'"), 2);  // enrolment + receipt seq
}

TEST(Push, TheSameBatchPushedTwiceChangesNothingTheSecondTime) {
  World w;
  const auto batch = w.batch({w.receive(0, 5), w.receive(1, 5), w.sale(1, {{0, 1}}), w.sale(2, {{1, 2}})});
  const auto first = w.push(batch);
  for (const auto& r : first.results) ASSERT_EQ(r.status, OpStatus::applied) << r.message;
  const auto before = state_of(w);
  const auto second = w.push(batch);
  ASSERT_EQ(second.results.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(second.results[i].status, OpStatus::duplicate);
    EXPECT_EQ(second.results[i].op_id, batch.ops[i].op_id);
    EXPECT_EQ(second.results[i].message, "original: applied");
  }
  EXPECT_EQ(state_of(w), before);
}

TEST(Push, AReplayAfterALostResponseIsADuplicateEvenInsideALargerBatch) {
  World w;
  auto a = w.sale(1, {{0, 1}});
  auto b = w.sale(2, {{1, 1}});
  w.push(w.batch({a, b}));  // the till never saw this answer
  const auto before = state_of(w);
  auto c = w.sale(3, {{2, 1}});
  const auto replay = w.push(w.batch({a, b, c}));
  EXPECT_EQ(replay.results[0].status, OpStatus::duplicate);
  EXPECT_EQ(replay.results[1].status, OpStatus::duplicate);
  EXPECT_EQ(replay.results[2].status, OpStatus::applied);
  EXPECT_EQ(w.count("SELECT count(*) FROM sales"), 3);
  EXPECT_NE(state_of(w), before);
}

TEST(Push, TwoTabsPushingTheSameOpsAtOnceRecordThemOnce) {
  World w;
  std::vector<salespider::Op> ops;
  for (int i = 1; i <= 20; ++i) ops.push_back(w.sale(i, {{static_cast<std::size_t>(i % 3), 1}}));
  const auto batch = w.batch(ops);
  salespider::PushResponse r1, r2;
  std::thread t1([&] { r1 = w.push(batch); });
  std::thread t2([&] { r2 = w.push(batch); });
  t1.join();
  t2.join();
  EXPECT_EQ(w.count("SELECT count(*) FROM sales"), 20);
  EXPECT_EQ(w.count("SELECT count(*) FROM stock_movements"), 20);
  for (std::size_t i = 0; i < 20; ++i) {
    const int applied = (r1.results[i].status == OpStatus::applied) + (r2.results[i].status == OpStatus::applied);
    const int dup = (r1.results[i].status == OpStatus::duplicate) + (r2.results[i].status == OpStatus::duplicate);
    EXPECT_EQ(applied, 1) << i;
    EXPECT_EQ(dup, 1) << i;
  }
}

TEST(Push, APoisonOpInTheMiddleIsRejectedStoredAndDoesNotBlockTheRest) {
  World w;
  auto good1 = w.sale(1, {{0, 1}});
  auto poison = w.op(OpKind::sale, R"({"receipt_number":"T1-000002","lines":"not a list"})");
  auto good2 = w.sale(3, {{1, 1}});
  const auto r = w.push(w.batch({good1, poison, good2}));
  ASSERT_EQ(r.results.size(), 3u);
  EXPECT_EQ(r.results[0].status, OpStatus::applied);
  EXPECT_EQ(r.results[1].status, OpStatus::rejected);
  EXPECT_FALSE(r.results[1].code.empty());
  EXPECT_EQ(r.results[2].status, OpStatus::applied);
  EXPECT_EQ(w.count("SELECT count(*) FROM applied_ops WHERE status = 'rejected' AND payload IS NOT NULL"), 1);
  // A rejection is an acknowledgement: replaying it is a duplicate of the rejection.
  const auto again = w.push(w.batch({poison}));
  EXPECT_EQ(again.results[0].status, OpStatus::duplicate);
  EXPECT_NE(again.results[0].message.find("original: rejected"), std::string::npos);
}

TEST(Push, AnOpTheDatabaseRefusesIsStoredAsRejectedAndTheChunkStillCommits) {
  World w;
  w.refuse_receipt("T1-000002");  // a poison only PostgreSQL sees
  const auto r = w.push(w.batch({w.sale(1, {{0, 1}}), w.sale(2, {{0, 1}}), w.sale(3, {{0, 1}})}));
  EXPECT_EQ(r.results[0].status, OpStatus::applied);
  EXPECT_EQ(r.results[1].status, OpStatus::rejected);
  EXPECT_EQ(r.results[1].code, "storage_error");
  EXPECT_EQ(r.results[2].status, OpStatus::applied);
  EXPECT_EQ(w.count("SELECT count(*) FROM sales"), 2);
  EXPECT_EQ(w.count("SELECT count(*) FROM stock_movements"), 2);
  EXPECT_EQ(w.count("SELECT count(*) FROM applied_ops WHERE status = 'rejected'"), 1);
}

TEST(Push, AnOpTheDecoderRefusesIsStillStoredForAManager) {
  World w;
  auto good = w.sale(1, {{0, 1}});
  const std::string bad_id = "01890a5d-ac96-774b-bcce-b302099a8057";
  auto text = *salespider::encode_push_batch(w.batch({good}));
  // Splice in an op with an unknown kind: the envelope decoder refuses it.
  const std::string bad_op = R"({"op_id":")" + bad_id + R"(","till_id":")" + w.till.till_id +
                             R"(","kind":"teleport","created_at":1,"user_id":")" + w.cashier +
                             R"(","grant":"","payload":{}})";
  text.insert(text.find("[") + 1, bad_op + ",");
  auto batch = salespider::decode_push_batch(text);
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->rejected.size(), 1u);
  salespider::service::sync::PushService service(*w.pool, synctest::trusting_grants());
  salespider::service::sync::PushContext ctx;
  ctx.now_ms = synctest::wall_ms();
  const auto r = service.push(w.till, *batch, ctx, text);
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.results[0].op_id, bad_id);
  EXPECT_EQ(r.results[0].status, OpStatus::rejected);
  EXPECT_EQ(r.results[0].code, "unknown_op_kind");
  EXPECT_EQ(r.results[1].status, OpStatus::applied);
  EXPECT_EQ(w.count("SELECT count(*) FROM applied_ops WHERE kind = 'unknown' AND payload::text LIKE '%teleport%'"), 1);
}

TEST(Push, OneOpPerTransactionGivesTheSameResultsAsChunks) {
  World w;
  salespider::service::sync::SyncOptions one;
  one.chunk_ops = 1;
  const auto r = w.push(w.batch({w.receive(2, 3), w.sale(1, {{2, 2}}), w.sale(2, {{2, 2}})}), synctest::trusting_grants(),
                        one);
  for (const auto& x : r.results) EXPECT_EQ(x.status, OpStatus::applied);
  EXPECT_EQ(w.count("SELECT on_hand_milli FROM stock_levels"), -1000);
  EXPECT_EQ(w.count("SELECT count(*) FROM op_flags WHERE kind = 'oversold'"), 1);
}

TEST(Push, ARefundGivesMoneyBackRestocksAndCannotExceedTheSale) {
  World w;
  auto sale = w.sale(1, {{0, 3}});
  salespider::RefundPayload p;
  p.sale_op_id = sale.op_id;
  p.lines.push_back({0, salespider::Quantity{2000}});
  p.reason = "damaged";
  p.total = 2000;
  auto refund = w.op(OpKind::refund, *salespider::encode_refund_payload(p));
  p.lines[0].quantity = salespider::Quantity{2000};
  auto too_much = w.op(OpKind::refund, *salespider::encode_refund_payload(p));
  const auto r = w.push(w.batch({sale, refund, too_much}));
  EXPECT_EQ(r.results[0].status, OpStatus::applied);
  EXPECT_EQ(r.results[1].status, OpStatus::applied) << r.results[1].code << " " << r.results[1].message;
  EXPECT_EQ(r.results[2].status, OpStatus::rejected);
  EXPECT_EQ(r.results[2].code, "refund_exceeds_remaining");
  EXPECT_EQ(w.count("SELECT total_minor FROM refunds"), 2000);
  EXPECT_EQ(w.count("SELECT on_hand_milli FROM stock_levels"), -1000);
}

TEST(Push, ARefundOfASaleNotYetSyncedIsRejectedAndARetryAppliesItLater) {
  World w;
  auto sale = w.sale(1, {{1, 1}});
  salespider::RefundPayload p;
  p.sale_op_id = sale.op_id;
  p.lines.push_back({0, salespider::Quantity{1000}});
  p.reason = "changed mind";
  p.total = 2500;
  auto refund = w.op(OpKind::refund, *salespider::encode_refund_payload(p));
  auto r = w.push(w.batch({refund}));
  EXPECT_EQ(r.results[0].code, "unknown_sale");
  w.push(w.batch({sale}));
  salespider::service::sync::PushService service(*w.pool, synctest::trusting_grants());
  const auto retried = service.retry(w.store.id, refund.op_id, w.manager, synctest::wall_ms());
  EXPECT_EQ(retried.status, OpStatus::applied) << retried.code << " " << retried.message;
  EXPECT_EQ(w.count("SELECT count(*) FROM refunds"), 1);
  EXPECT_EQ(w.count("SELECT count(*) FROM applied_ops WHERE retried_by IS NOT NULL AND status = 'applied'"), 1);
}

TEST(Push, ShiftsAndCashMovementsGiveTheExpectedCashAtClose) {
  World w;
  const std::string shift = w.new_id();
  auto open = w.op(OpKind::shift_open,
                   R"({"shift_id":")" + shift + R"(","currency":"USD","opening_float":5000})");
  auto sale = w.sale(1, {{0, 2}});
  auto pay_out = w.op(OpKind::cash_movement, R"({"shift_id":")" + shift +
                                                 R"(","kind":"pay_out","amount":300,"currency":"USD","reason":"bread"})");
  auto close = w.op(OpKind::shift_close, R"({"shift_id":")" + shift + R"(","counted_cash":6700,"note":""})");
  const auto r = w.push(w.batch({open, sale, pay_out, close}));
  for (const auto& x : r.results) EXPECT_EQ(x.status, OpStatus::applied) << x.code << " " << x.message;
  EXPECT_EQ(w.count("SELECT expected_cash_minor FROM shifts"), 5000 + 2000 - 300);
  EXPECT_EQ(w.count("SELECT count(*) FROM sales WHERE shift_id IS NOT NULL"), 1);
  // Closing twice is refused (and stored).
  auto again = w.op(OpKind::shift_close, R"({"shift_id":")" + shift + R"(","counted_cash":1,"note":""})");
  EXPECT_EQ(w.push(w.batch({again})).results[0].code, "conflict");
}

TEST(Push, AnUnknownUserIsRejectedAndAVoidOfACompletedSaleIsRefused) {
  World w;
  auto stranger = w.sale(1, {{0, 1}});
  stranger.user_id = "01890a5d-ac96-774b-bcce-b302099a8099";
  auto sale = w.sale(2, {{0, 1}});
  auto void_op = w.op(OpKind::void_sale, R"({"sale_id":")" + sale.op_id + R"(","reason":"oops"})");
  auto void_open = w.op(OpKind::void_sale, R"({"sale_id":")" + w.new_id() + R"(","reason":"customer left"})");
  const auto r = w.push(w.batch({stranger, sale, void_op, void_open}));
  EXPECT_EQ(r.results[0].code, "unknown_user");
  EXPECT_EQ(r.results[1].status, OpStatus::applied);
  EXPECT_EQ(r.results[2].code, "cannot_void");
  EXPECT_EQ(r.results[3].status, OpStatus::applied);
  EXPECT_EQ(w.count("SELECT count(*) FROM audit_log WHERE action = 'sale.voided'"), 1);
}
