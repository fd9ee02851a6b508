// Needs attention: rejected and flagged ops are listed for a manager, and
// every resolution (resolve, dismiss, retry) is audited. Till health comes
// from the tills' own reports.
#include <gtest/gtest.h>

#include "service/sync_attention.hpp"
#include "sync_fixture.hpp"

using salespider::OpKind;
using salespider::OpStatus;
using synctest::World;
namespace svc = salespider::service::sync;

namespace {

salespider::auth::Actor manager_actor(const World& w) {
  salespider::auth::Actor a;
  a.user_id = w.manager;
  a.via = "cli";
  return a;
}

}  // namespace

TEST(Attention, RejectedAndFlaggedOpsAreListedUntilResolved) {
  World w;
  auto poison = w.op(OpKind::sale, R"({"nope":1})");
  auto flagged = w.sale(1, {{0, 1, 1}});  // price override (and oversold)
  auto fine = w.sale(2, {{1, 1}});
  w.push(w.batch({w.receive(1, 5), poison, flagged, fine}));
  svc::PushService push(*w.pool, synctest::trusting_grants());
  svc::AttentionService attention(*w.pool, push);
  auto open = attention.list(w.store.id, {});
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 2u);
  auto rejected = attention.list(w.store.id, {"rejected", "", "", 10});
  ASSERT_EQ(rejected->size(), 1u);
  EXPECT_EQ((*rejected)[0].op_id, poison.op_id);
  EXPECT_EQ((*rejected)[0].till_code, "T1");

  auto shown = attention.show(w.store.id, flagged.op_id);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->flag_rows.size(), 2u);
  EXPECT_FALSE(shown->payload.empty());

  ASSERT_TRUE(attention.close(w.store.id, poison.op_id, "dismissed", "test op from training", manager_actor(w)).ok());
  ASSERT_TRUE(attention.close(w.store.id, flagged.op_id, "resolved", "price agreed", manager_actor(w)).ok());
  EXPECT_TRUE(attention.list(w.store.id, {})->empty());
  EXPECT_EQ(attention.close(w.store.id, fine.op_id, "resolved", "", manager_actor(w)).error().problem,
            salespider::service::Problem::conflict);
  EXPECT_EQ(attention.show(w.store.id, w.new_id()).error().problem, salespider::service::Problem::not_found);
  EXPECT_EQ(w.count("SELECT count(*) FROM audit_log WHERE action IN ('op.dismissed', 'op.resolved') AND actor_user_id = '" +
                    w.manager + "'"),
            2);
}

TEST(Attention, ARetryThatStillFailsKeepsTheOpRejectedWithTheNewReasonAndIsAudited) {
  World w;
  salespider::RefundPayload p;
  p.sale_op_id = w.new_id();
  p.lines.push_back({0, salespider::Quantity{1000}});
  p.reason = "x";
  p.total = 1;
  auto refund = w.op(OpKind::refund, *salespider::encode_refund_payload(p));
  w.push(w.batch({refund}));
  svc::PushService push(*w.pool, synctest::trusting_grants());
  svc::AttentionService attention(*w.pool, push);
  auto r = attention.retry(w.store.id, refund.op_id, manager_actor(w), synctest::wall_ms());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, OpStatus::rejected);
  EXPECT_EQ(r->code, "unknown_sale");
  EXPECT_EQ(w.count("SELECT count(*) FROM audit_log WHERE action = 'op.retried'"), 1);
  // Dismissed ops cannot be retried.
  ASSERT_TRUE(attention.close(w.store.id, refund.op_id, "dismissed", "", manager_actor(w)).ok());
  EXPECT_EQ(attention.retry(w.store.id, refund.op_id, manager_actor(w), synctest::wall_ms()).error().problem,
            salespider::service::Problem::conflict);
}

TEST(Attention, TillHealthShowsLastPushPullAndWhatTheTillReported) {
  World w;
  svc::PushService push(*w.pool, synctest::trusting_grants());
  svc::PushContext ctx;
  ctx.now_ms = synctest::wall_ms();
  ctx.report.outbox_depth = 7;
  ctx.report.oldest_op_age_ms = 120000;
  ctx.report.app_version = "1.2.3";
  ctx.report.clock_skew_ms = -4000;
  push.push(w.till, w.batch({w.sale(1, {{0, 1}})}), ctx);
  svc::AttentionService attention(*w.pool, push);
  auto health = attention.till_health(w.store.id);
  ASSERT_EQ(health.size(), 1u);
  EXPECT_FALSE(health[0].last_push_at.empty());
  EXPECT_TRUE(health[0].last_pull_at.empty());
  EXPECT_EQ(health[0].outbox_depth, 7);
  EXPECT_EQ(health[0].oldest_op_age_ms, 120000);
  EXPECT_EQ(health[0].app_version, "1.2.3");
  EXPECT_EQ(health[0].clock_skew_ms, -4000);
  EXPECT_EQ(health[0].highest_receipt_seq, 1);
  EXPECT_EQ(health[0].open_attention, 1);  // the sale oversold
  svc::PullService pull(*w.pool);
  ASSERT_TRUE(pull.pull(w.till, "", 10).ok());
  EXPECT_FALSE(attention.till_health(w.store.id)[0].last_pull_at.empty());
}

TEST(Attention, AnIdleTillsRepeatedPullsWriteItsContactOnlyWhenWhatItReportsChanged) {
  World w;
  svc::PullService pull(*w.pool);
  salespider::db::TillReport report;
  report.outbox_depth = 0;
  report.app_version = "1.2.3";
  auto reported_at_ms = [&] {
    return w.count("SELECT (extract(epoch FROM reported_at) * 1000000)::bigint FROM till_sync_status WHERE till_id = '" +
                   w.till.till_id + "'");
  };
  ASSERT_TRUE(pull.pull(w.till, "", 10, report).ok());
  const std::int64_t first = reported_at_ms();
  EXPECT_GT(first, 0) << "the first pull is recorded";
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(pull.pull(w.till, "", 10, report).ok());
  EXPECT_EQ(reported_at_ms(), first) << "the same report again: no write (no commit, no fsync) per empty pull";
  report.outbox_depth = 3;
  ASSERT_TRUE(pull.pull(w.till, "", 10, report).ok());
  EXPECT_GT(reported_at_ms(), first) << "a changed outbox is written at once";
  svc::PushService push(*w.pool, synctest::trusting_grants());
  svc::AttentionService attention(*w.pool, push);
  EXPECT_EQ(attention.till_health(w.store.id)[0].outbox_depth, 3);
}
