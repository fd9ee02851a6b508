// What the store gained for sync: the receipt floor, held snapshots, a
// transaction helper, and local sales read from the real sale payload.
#include "sync_test_support.hpp"

#include "store/mem_vfs.hpp"
#include "store/migrations.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace salespider;
using namespace salespider::sync::testing;

TEST(StoreForSync, RaisingTheReceiptFloorSurvivesAReloadAndNeverLowersIt) {
  SyncRig rig(false);
  rig.record(1);
  ASSERT_TRUE(rig.store->raise_receipt_floor(40).ok());
  EXPECT_EQ(rig.store->next_receipt_sequence(), 41);
  ASSERT_TRUE(rig.store->raise_receipt_floor(7).ok());
  EXPECT_EQ(rig.store->next_receipt_sequence(), 41);
  ASSERT_TRUE(rig.store->flush().ok());
  rig.idb.complete_all(*rig.store);
  auto again = store::Store::open(rig.idb.reload_input(), rig.idb);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value()->next_receipt_sequence(), 41);
}

TEST(StoreForSync, HeldSnapshotsAreNotDueUntilReleasedAndThenAtOnce) {
  SyncRig rig(false);
  ASSERT_TRUE(rig.store->flush().ok());
  rig.idb.complete_all(*rig.store);
  rig.store->hold_snapshots(true);
  ASSERT_TRUE(rig.store->set_setting("k", "v").ok());
  for (int n = 1; n <= 25; ++n) rig.record(n);
  rig.clock.advance(10000);
  EXPECT_FALSE(rig.store->flush_due());
  rig.store->hold_snapshots(false);
  EXPECT_TRUE(rig.store->flush_due());
  ASSERT_TRUE(rig.store->flush().ok());
  rig.idb.complete_all(*rig.store);
  EXPECT_FALSE(rig.store->flush_due());
}

TEST(StoreForSync, AFailingTransactionLeavesNothingBehind) {
  SyncRig rig(false);
  auto s = rig.store->transaction([](store::Database& db) -> store::Status {
    if (auto w = db.exec("INSERT INTO settings(k, v) VALUES('a', 'b')"); !w) return w;
    return db.exec("INSERT INTO no_such_table VALUES(1)");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(rig.store->setting("a").value().has_value());
  EXPECT_TRUE(rig.store->db().in_autocommit());
}

TEST(StoreForSync, ARealSalePayloadFillsTheLocalSalesRow) {
  SyncRig rig(false);
  rig.record(1, R"({"currency":"NGN","discounts":[],"lines":[],"payments":[],"price_mode":"tax_inclusive",)"
                R"("receipt_number":"SP3-000001","total":155000})");
  rig.record(2, R"({"receipt_no":"TEST-000002","total_minor":900,"currency":"NGN"})");
  auto st = rig.store->db().prepare("SELECT receipt_no, total_minor, currency FROM sales ORDER BY receipt_seq");
  ASSERT_TRUE(st.value().step().value());
  EXPECT_EQ(st.value().text(0), "SP3-000001");
  EXPECT_EQ(st.value().int64(1), 155000);
  EXPECT_EQ(st.value().text(2), "NGN");
  ASSERT_TRUE(st.value().step().value());
  EXPECT_EQ(st.value().text(0), "TEST-000002");
  EXPECT_EQ(st.value().int64(1), 900);
}

TEST(StoreForSync, AVersionOneDatabaseKeepsItsCatalogAndSalesInTheLatestVersion) {
  auto vfs = std::move(store::MemVfs::create()).value();
  auto db = std::move(store::Database::open("v1.db", vfs->name())).value();
  const std::vector<store::Migration> v1{store::migrations().begin(), store::migrations().begin() + 1};
  ASSERT_TRUE(store::migrate(db, v1).ok());
  ASSERT_TRUE(db.exec("INSERT INTO products(id, name, price_minor, currency, row_version) "
                      "VALUES('p1', 'Rice 5kg', 550000, 'NGN', 3);"
                      "INSERT INTO tax_rates(id, name, rate_bp) VALUES('t1', 'VAT', 750);"
                      "INSERT INTO sales(op_id, created_at, total_minor, currency, payload) VALUES('o1', 1, 100, "
                      "'NGN', '{}');")
                  .ok());
  auto out = store::migrate(db);
  ASSERT_TRUE(out.ok()) << out.error().context;
  EXPECT_EQ(out.value().from, 1);
  EXPECT_EQ(out.value().to, store::latest_schema_version());
  auto st = db.prepare("SELECT name, price_minor, unit, is_active, track_stock, barcodes, row_version FROM products");
  ASSERT_TRUE(st.value().step().value());
  EXPECT_EQ(st.value().text(0), "Rice 5kg");
  EXPECT_EQ(st.value().int64(1), 550000);
  EXPECT_EQ(st.value().text(2), "each");
  EXPECT_EQ(st.value().int64(3), 1);
  EXPECT_EQ(st.value().text(5), "[]");
  EXPECT_EQ(st.value().int64(6), 3);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM sales").value(), 1);
  EXPECT_EQ(db.query_int("SELECT rate_bp FROM tax_rates").value(), 750);
  for (const char* table : {"stock_levels", "users", "revoked_grants", "store_settings", "tills"})
    EXPECT_EQ(db.query_int(std::string("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='") + table + "'")
                  .value(),
              1)
        << table;
}
