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
