// The server's restore epoch on the till (sync/restore_epoch.hpp): a change
// re-queues the acked ops the journal kept and restarts the pull from an
// empty cursor, forgetting row versions and, after the new bootstrap, the
// rows the restored server no longer has; the same epoch, or a first one,
// changes nothing.
#include "sync_test_support.hpp"

#include "sync/restore_epoch.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace salespider;
using namespace salespider::sync;
using namespace salespider::sync::testing;

namespace {

const std::string kPush = "/api/v1/sync/push";
const std::string kPull = "/api/v1/sync/pull";
const std::string kEpochA = "0190f3a0-aaaa-4000-8000-000000000001";
const std::string kEpochB = "0190f3a0-bbbb-4000-8000-000000000002";

std::string epoch_page(std::vector<Change> changes, std::string cursor, const std::string& epoch) {
  PullPage page;
  page.changes = std::move(changes);
  page.next_cursor = std::move(cursor);
  page.epoch = epoch;
  auto text = encode_pull_page(page);
  EXPECT_TRUE(text.ok());
  return text.ok() ? text.value() : std::string();
}

std::string applied_answer(const HttpRequest& push) {
  auto batch = decode_push_batch(push.body);
  EXPECT_TRUE(batch.ok());
  std::vector<OpResult> results;
  for (const Op& op : batch->ops) results.push_back(OpResult{op.op_id, OpStatus::applied, "", ""});
  return push_answer(results);
}

std::vector<std::string> pushed_ids(const HttpRequest& push) {
  std::vector<std::string> ids;
  auto batch = decode_push_batch(push.body);
  EXPECT_TRUE(batch.ok());
  for (const Op& op : batch->ops) ids.push_back(op.op_id);
  return ids;
}

// A till that bootstrapped under epoch A (products 1 at version 5 and 2 at
// version 1), then recorded ops 1 and 2 and had them acknowledged.
struct AckedUnderEpochA : SyncRig {
  AckedUnderEpochA() {
    tick();
    http.answer(kPull, 200,
                epoch_page({upsert("product", product_id(1), 5, product_data("Rice", 500)),
                            upsert("product", product_id(2), 1, product_data("Beans", 300))},
                           "f1.100.0", kEpochA));
    tick();
    http.answer(kPull, 200, epoch_page({}, "f1.100.0", kEpochA));
    tick();
    record(1);
    record(2);
    engine->poke();
    tick();
    const HttpRequest* push = http.find(kPush);
    EXPECT_NE(push, nullptr);
    if (push != nullptr) http.answer(kPush, 200, applied_answer(*push));
    for (int guard = 0; guard < 10 && http.answer(kPull, 200, epoch_page({}, "f1.120.0", kEpochA)); ++guard) tick();
    tick();
  }
  std::string stored_epoch() { return store->setting(kRestoreEpochSetting).value().value_or(""); }
  std::int64_t price(int n) {
    return count(("SELECT price_minor FROM products WHERE deleted = 0 AND id = '" + product_id(n) + "'").c_str());
  }
};

}  // namespace

TEST(RestoreEpoch, AChangedEpochRequeuesTheKeptAckedOpsAndRestartsThePullFromTheStart) {
  AckedUnderEpochA rig;
  ASSERT_TRUE(rig.store->pending_ops().empty());
  ASSERT_EQ(rig.cursor(), "f1.120.0");
  ASSERT_EQ(rig.stored_epoch(), kEpochA);

  rig.engine->sync_now();
  rig.tick();
  // The restored server answers the old cursor under a new epoch: that page
  // is not applied (its cursor meant something else before the restore).
  rig.http.answer(kPull, 200,
                  epoch_page({upsert("product", product_id(1), 9, product_data("Rice", 999))}, "f1.130.0", kEpochB));
  rig.tick();
  EXPECT_EQ(rig.price(1), 500);
  EXPECT_EQ(rig.stored_epoch(), kEpochB);
  EXPECT_EQ(rig.cursor(), "");
  ASSERT_EQ(rig.store->pending_ops().size(), 2u);
  EXPECT_EQ(rig.engine->status().requeued_after_restore, 2);
  EXPECT_TRUE(rig.engine->status().bootstrapping);

  // Both ops go up again, and the pull starts over with an empty cursor.
  const HttpRequest* push = rig.http.find(kPush);
  ASSERT_NE(push, nullptr);
  EXPECT_EQ(pushed_ids(*push), (std::vector<std::string>{op_id(1), op_id(2)}));
  const HttpRequest* pull = rig.http.find(kPull);
  ASSERT_NE(pull, nullptr);
  EXPECT_EQ(pull->url, "/api/v1/sync/pull?protocol_version=1&cursor=&limit=1000");
  rig.http.answer(kPush, 200,
                  push_answer({OpResult{op_id(1), OpStatus::duplicate, "", "original: applied"},
                               OpResult{op_id(2), OpStatus::applied, "", ""}}));
  EXPECT_TRUE(rig.store->pending_ops().empty());

  // The restored server has product 1 at an older version (the till held 5)
  // and no product 2 at all.
  rig.http.answer(kPull, 200,
                  epoch_page({upsert("product", product_id(1), 3, product_data("Rice", 450))}, "f1.90.0", kEpochB));
  rig.tick();
  rig.http.answer(kPull, 200, epoch_page({}, "f1.90.0", kEpochB));
  rig.tick();
  EXPECT_FALSE(rig.engine->status().bootstrapping);
  EXPECT_EQ(rig.price(1), 450) << "the restored server's row wins although its version is lower";
  EXPECT_EQ(rig.price(2), -1) << "a row the restored server does not have is gone";
  EXPECT_EQ(rig.cursor(), "f1.90.0");
  EXPECT_EQ(rig.count("SELECT count(*) FROM settings WHERE k = 'sync_epoch_sweep'"), 0);
}

TEST(RestoreEpoch, TheSameEpochChangesNothing) {
  AckedUnderEpochA rig;
  rig.engine->sync_now();
  rig.tick();
  rig.http.answer(kPull, 200,
                  epoch_page({upsert("product", product_id(1), 6, product_data("Rice", 550))}, "f1.130.0", kEpochA));
  rig.tick();
  rig.http.answer(kPull, 200, epoch_page({}, "f1.130.0", kEpochA));
  rig.tick();
  EXPECT_TRUE(rig.store->pending_ops().empty());
  EXPECT_EQ(rig.http.find(kPush), nullptr);
  EXPECT_EQ(rig.cursor(), "f1.130.0");
  EXPECT_EQ(rig.price(1), 550);
  EXPECT_EQ(rig.price(2), 300);
  EXPECT_EQ(rig.engine->status().restore_epoch_changes, 0);
}

TEST(RestoreEpoch, TheFirstEpochATillSeesIsOnlyStored) {
  SyncRig rig;
  rig.tick();
  rig.http.answer(kPull, 200, empty_page("f1.100.0"));  // a server without epochs
  rig.tick();
  rig.record(1);
  rig.engine->poke();
  rig.tick();
  rig.http.answer(kPush, 200, applied_answer(*rig.http.find(kPush)));
  rig.finish_pull("f1.110.0");
  ASSERT_TRUE(rig.store->pending_ops().empty());
  EXPECT_EQ(rig.store->setting(kRestoreEpochSetting).value(), std::nullopt);

  // The server is updated to one with epochs: nothing to re-push.
  rig.engine->sync_now();
  rig.tick();
  rig.http.answer(kPull, 200, epoch_page({}, "f1.120.0", kEpochA));
  rig.tick();
  EXPECT_TRUE(rig.store->pending_ops().empty());
  EXPECT_EQ(rig.http.find(kPush), nullptr);
  EXPECT_EQ(rig.cursor(), "f1.120.0");
  EXPECT_EQ(rig.store->setting(kRestoreEpochSetting).value().value_or(""), kEpochA);
}
