// Local schema migrations: a newer build opens an older build's data.
#include "store/migrations.hpp"
#include "store/mem_vfs.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

using namespace salespider::store;

namespace {

struct Db {
  std::unique_ptr<MemVfs> vfs;
  std::optional<Database> db;
};

Db open_db() {
  Db d;
  d.vfs = std::move(MemVfs::create()).value();
  d.db.emplace(std::move(Database::open("m.db", d.vfs->name())).value());
  return d;
}

std::int64_t user_version(Database& db) {
  return db.query_int("PRAGMA user_version").value().value_or(-1);
}

}  // namespace

TEST(Migrations, AnEmptyDatabaseReachesTheLatestVersion) {
  Db d = open_db();
  auto out = migrate(*d.db);
  ASSERT_TRUE(out.ok()) << out.error().context;
  EXPECT_EQ(out.value().from, 0);
  EXPECT_EQ(out.value().to, latest_schema_version());
  EXPECT_EQ(user_version(*d.db), latest_schema_version());
  for (const char* table : {"products", "barcodes", "categories", "tax_rates", "settings", "sync_state",
                            "sales", "ops_applied"}) {
    auto stmt = d.db->prepare("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name=?1");
    stmt.value().bind(1, table);
    ASSERT_TRUE(stmt.value().step().value());
    EXPECT_EQ(stmt.value().int64(0), 1) << table;
  }
}

TEST(Migrations, AnOlderDatabaseIsMigratedAndKeepsItsRows) {
  Db d = open_db();
  const std::vector<Migration> old_build{migrations().begin(), migrations().end()};
  ASSERT_TRUE(migrate(*d.db, old_build).ok());
  ASSERT_TRUE(
      d.db->exec(
              "INSERT INTO products(id, name, price_minor, currency) VALUES('p1', 'Rice 5kg', 550000, 'NGN');"
              "INSERT INTO sales(op_id, created_at, total_minor, currency, payload) VALUES('o1', 1, 100, "
              "'NGN', '{}');")
          .ok());

  std::vector<Migration> new_build = old_build;
  const int next = latest_schema_version() + 1;
  new_build.push_back({next,
                       "ALTER TABLE products ADD COLUMN shelf TEXT NOT NULL DEFAULT 'each';"
                       "CREATE INDEX products_by_shelf ON products(shelf);"});
  auto out = migrate(*d.db, new_build);
  ASSERT_TRUE(out.ok()) << out.error().context;
  EXPECT_EQ(out.value().from, latest_schema_version());
  EXPECT_EQ(out.value().to, next);
  auto unit = d.db->prepare("SELECT shelf, price_minor FROM products WHERE id='p1'");
  ASSERT_TRUE(unit.value().step().value());
  EXPECT_EQ(unit.value().text(0), "each");
  EXPECT_EQ(unit.value().int64(1), 550000);
  EXPECT_EQ(d.db->query_int("SELECT count(*) FROM sales").value(), 1);
}

TEST(Migrations, ADatabaseFromANewerBuildIsLeftUntouched) {
  Db d = open_db();
  ASSERT_TRUE(d.db->exec("CREATE TABLE future(x); PRAGMA user_version = 99;").ok());
  auto out = migrate(*d.db);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, StoreErrc::schema_too_new);
  EXPECT_EQ(user_version(*d.db), 99);
}

TEST(Migrations, AFailingStepLeavesThePreviousVersionIntact) {
  Db d = open_db();
  std::vector<Migration> steps{migrations().begin(), migrations().end()};
  steps.push_back({latest_schema_version() + 1, "CREATE TABLE fine(x); THIS IS NOT SQL;"});
  auto out = migrate(*d.db, steps);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(user_version(*d.db), latest_schema_version());
  EXPECT_EQ(d.db->query_int("SELECT count(*) FROM sqlite_schema WHERE name='fine'").value(), 0);
}

TEST(Migrations, AVersionTwoDatabaseGetsTheGlyphTableAndTheReceiptsTaxIdAndAddress) {
  Db d = open_db();
  const std::vector<Migration> v2{migrations().begin(), migrations().begin() + 2};
  ASSERT_TRUE(migrate(*d.db, v2).ok());
  ASSERT_TRUE(d.db->exec("INSERT INTO products(id, name, price_minor, currency, sku) VALUES('p1', 'Rice', 5, 'NGN', 'R1');"
                         "INSERT INTO store_settings(id, row_version, data) VALUES"
                         "('s1', 4, '{\"store_name\":\"Shop\",\"tax_id\":\"TIN-9\",\"address\":\"1 Main St\"}'),"
                         "('s2', 1, '{\"tax_id\":7}'), ('s3', 1, 'not json');")
                  .ok());
  const std::vector<Migration> v3{migrations().begin(), migrations().begin() + 3};
  auto out = migrate(*d.db, v3);
  ASSERT_TRUE(out.ok()) << out.error().context;
  EXPECT_EQ(out.value().from, 2);
  EXPECT_EQ(out.value().to, 3);
  EXPECT_EQ(user_version(*d.db), 3);
  auto p = d.db->prepare("SELECT name, sku, price_minor FROM products");
  ASSERT_TRUE(p.value().step().value());
  EXPECT_EQ(p.value().text(0), "Rice");
  EXPECT_EQ(p.value().text(1), "R1");
  EXPECT_EQ(p.value().int64(2), 5);
  auto s = d.db->prepare("SELECT id, tax_id, address, data FROM store_settings ORDER BY id");
  std::vector<std::string> rows;
  while (s.value().step().value())
    rows.push_back(s.value().text(0) + "|" + s.value().text(1) + "|" + s.value().text(2));
  EXPECT_EQ(rows, (std::vector<std::string>{"s1|TIN-9|1 Main St", "s2||", "s3||"}));
  EXPECT_EQ(d.db->query_int("SELECT count(*) FROM catalog_glyphs").value(), 0);
  // Version 2's name index (on lower(name)) is gone; the search index
  // (built by Store::open, catalog_search_test.cpp) takes its name.
  EXPECT_EQ(d.db->query_int("SELECT count(*) FROM sqlite_schema WHERE name = 'products_by_name'").value(), 0);
  EXPECT_EQ(d.db->query_int("SELECT count(*) FROM sqlite_schema WHERE name = 'products_by_sku'").value(), 1);
}

TEST(Migrations, AVersionThreeDatabaseKeepsItsSalesAndGainsTheirShiftAndTheLocalOps) {
  Db d = open_db();
  const std::vector<Migration> v3{migrations().begin(), migrations().begin() + 3};
  ASSERT_TRUE(migrate(*d.db, v3).ok());
  ASSERT_TRUE(d.db->exec("INSERT INTO sales(op_id, receipt_no, created_at, total_minor, currency, payload) VALUES"
                         "('o1', 'SP3-1', 5, 100, 'NGN', '{\"shift_id\":\"sh-1\"}'),"
                         "('o2', 'SP3-2', 6, 200, 'NGN', 'not json');")
                  .ok());
  auto out = migrate(*d.db);
  ASSERT_TRUE(out.ok()) << out.error().context;
  EXPECT_EQ(out.value().to, latest_schema_version());  // 4, then later steps
  auto s = d.db->prepare("SELECT op_id, coalesce(shift_id, '-') FROM sales ORDER BY op_id");
  std::vector<std::string> rows;
  while (s.value().step().value()) rows.push_back(s.value().text(0) + "|" + s.value().text(1));
  EXPECT_EQ(rows, (std::vector<std::string>{"o1|sh-1", "o2|-"}));
  EXPECT_EQ(d.db->query_int("SELECT count(*) FROM local_ops").value(), 0);
}
