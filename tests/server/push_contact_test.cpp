// What a push writes besides its ops, now that it rides in the ops' own
// transaction: the till's contact (last push, its report, acked_until) and
// its highest receipt sequence. Each test would fail if the contact were
// written only by a chunk that does not commit the push's last op, if a
// report PostgreSQL refuses could roll the ops back, or if the receipt
// sequence were raised only together with stock levels.
// Not here: the contact's fields as a manager reads them (sync_attention_test)
// and back-dating judged against acked_until (clock_skew_test).
#include <gtest/gtest.h>

#include "sync_fixture.hpp"

using salespider::OpKind;
using salespider::OpStatus;
using synctest::World;

namespace svc = salespider::service::sync;

namespace {

svc::PushContext context_with(const std::string& app_version) {
  svc::PushContext ctx;
  ctx.now_ms = synctest::wall_ms();
  ctx.report.outbox_depth = 0;
  ctx.report.app_version = app_version;
  return ctx;
}

}  // namespace

TEST(PushContact, IsRecordedWithThePushWhoseLastOpWasRedoneAlone) {
  World w;
  // The last op is one PostgreSQL refuses: the chunk rolls back and its
  // ops are redone one per transaction; the contact goes in with the last.
  w.refuse_receipt("T1-000002");
  svc::PushService push(*w.pool, synctest::trusting_grants());
  const auto r = push.push(w.till, w.batch({w.sale(1, {{0, 1}}), w.sale(2, {{0, 1}})}), context_with("9.9.9"));
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.results[0].status, OpStatus::applied);
  EXPECT_EQ(r.results[1].code, "storage_error");
  EXPECT_EQ(w.count("SELECT count(*) FROM till_sync_status WHERE last_push_at IS NOT NULL AND acked_until IS NOT NULL"
                    " AND app_version = '9.9.9'"),
            1);
}

TEST(PushContact, AnAppVersionPostgreSQLWouldRefuseLosesNoOp) {
  World w;
  svc::PushService push(*w.pool, synctest::trusting_grants());
  // Not UTF-8: a text column refuses it. It is left out of the report.
  const auto r = push.push(w.till, w.batch({w.sale(1, {{0, 1}})}), context_with("1.0\xff"));
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].status, OpStatus::applied) << r.results[0].message;
  EXPECT_EQ(w.count("SELECT count(*) FROM sales"), 1);
  EXPECT_EQ(w.count("SELECT count(*) FROM till_sync_status WHERE last_push_at IS NOT NULL AND app_version IS NULL"),
            1);
}

TEST(PushContact, APushWithNoOpsStillRecordsTheContact) {
  World w;
  svc::PushService push(*w.pool, synctest::trusting_grants());
  const auto r = push.push(w.till, w.batch({}), context_with("2.0"));
  EXPECT_TRUE(r.results.empty());
  EXPECT_EQ(w.count("SELECT count(*) FROM till_sync_status WHERE last_push_at IS NOT NULL AND app_version = '2.0'"),
            1);
}

TEST(PushContact, TheReceiptSequenceRisesForSalesThatMoveNoStock) {
  World w;
  {
    pqxx::connection c(w.db.conninfo());
    pqxx::work tx(c);
    tx.exec0("UPDATE products SET track_stock = false");
    tx.commit();
  }
  const auto r = w.push(w.batch({w.sale(1, {{0, 1}}), w.sale(2, {{1, 1}})}));
  for (const auto& x : r.results) EXPECT_EQ(x.status, OpStatus::applied) << x.message;
  EXPECT_EQ(w.count("SELECT count(*) FROM stock_movements"), 0);
  EXPECT_EQ(w.count("SELECT highest_receipt_seq FROM tills"), 2);
}

TEST(PushContact, TheReceiptSequenceRisesWithTheStockLevelsAndNeverFalls) {
  World w;
  w.push(w.batch({w.sale(5, {{0, 1}})}));
  EXPECT_EQ(w.count("SELECT highest_receipt_seq FROM tills"), 5);
  // A later push of an older receipt moves stock but not the sequence back.
  w.push(w.batch({w.sale(3, {{1, 1}})}));
  EXPECT_EQ(w.count("SELECT highest_receipt_seq FROM tills"), 5);
  EXPECT_EQ(w.count("SELECT count(*) FROM stock_movements"), 2);
}
