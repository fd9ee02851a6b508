// Migrations against a real PostgreSQL: applied once, re-runs are no-ops,
// concurrent runs apply each migration once (advisory lock), a failing
// migration leaves nothing behind, an edited or unknown migration stops
// startup, and `?schema=` puts the tables in that schema.
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <thread>

#include "common_pg.hpp"
#include "db/errors.hpp"
#include "db/migrations.hpp"
#include "db/pool.hpp"

using salespider::db::embedded_migrations;
using salespider::db::migrate;
using salespider::db::Migration;
using salespider::db::MigrationError;
using salespider::db::MigrationState;
using salespider::db::Pool;

namespace {

int count(const std::string& conninfo, const std::string& sql) {
  pqxx::connection c(conninfo);
  pqxx::read_transaction tx(c);
  return tx.exec1(sql)[0].as<int>();
}

const std::string kChecksumA(64, 'a');
const std::string kChecksumB(64, 'b');

}  // namespace

TEST(Migrations, ApplyOnceAndReRunningIsANoOp) {
  testpg::TempDatabase db;
  Pool pool(db.conninfo());
  const auto first = migrate(pool);
  EXPECT_EQ(first.applied_now.size(), embedded_migrations().size());
  EXPECT_GE(embedded_migrations().size(), 1u);
  const auto second = migrate(pool);
  EXPECT_TRUE(second.applied_now.empty());
  EXPECT_EQ(count(db.conninfo(), "SELECT count(*) FROM schema_migrations"), static_cast<int>(embedded_migrations().size()));
  EXPECT_EQ(count(db.conninfo(), "SELECT count(*) FROM stores"), 1) << "the one store is created once";
  for (const auto& s : salespider::db::migration_status(pool)) EXPECT_EQ(s.state, MigrationState::applied);
}

TEST(Migrations, ConcurrentRunsApplyEachMigrationOnce) {
  testpg::TempDatabase db;
  Pool pool(db.conninfo(), {4, std::chrono::milliseconds(10000), {}});
  std::vector<std::thread> runners;
  std::atomic<int> applied{0};
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    runners.emplace_back([&] {
      try {
        applied += static_cast<int>(migrate(pool).applied_now.size());
      } catch (const std::exception&) {
        ++failures;
      }
    });
  }
  for (auto& t : runners) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(applied.load(), static_cast<int>(embedded_migrations().size()));
  EXPECT_EQ(count(db.conninfo(), "SELECT count(*) FROM stores"), 1);
}

TEST(Migrations, AFailingMigrationIsRolledBackWithItsRow) {
  testpg::TempDatabase db;
  Pool pool(db.conninfo());
  const std::vector<Migration> ms{{1, "good", "CREATE TABLE good (id int)", kChecksumA},
                                  {2, "bad", "CREATE TABLE half (id int); SELECT no_such_function()", kChecksumB}};
  EXPECT_THROW(migrate(pool, ms), MigrationError);
  EXPECT_EQ(count(db.conninfo(), "SELECT count(*) FROM schema_migrations"), 1);
  EXPECT_EQ(count(db.conninfo(), "SELECT count(*) FROM pg_tables WHERE tablename = 'half'"), 0);
  EXPECT_EQ(count(db.conninfo(), "SELECT count(*) FROM pg_tables WHERE tablename = 'good'"), 1);
}

TEST(Migrations, AnEditedMigrationStopsStartup) {
  testpg::TempDatabase db;
  Pool pool(db.conninfo());
  migrate(pool, {{1, "one", "CREATE TABLE one (id int)", kChecksumA}});
  try {
    migrate(pool, {{1, "one", "CREATE TABLE one (id bigint)", kChecksumB}});
    FAIL() << "a changed checksum must be an error";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("changed after it was applied"), std::string::npos) << e.what();
  }
  EXPECT_EQ(salespider::db::migration_status(pool, {{1, "one", "", kChecksumB}}).at(0).state, MigrationState::changed);
}

TEST(Migrations, ADatabaseFromANewerBinaryIsRefused) {
  testpg::TempDatabase db;
  Pool pool(db.conninfo());
  migrate(pool, {{1, "one", "SELECT 1", kChecksumA}, {2, "two", "SELECT 2", kChecksumB}});
  try {
    migrate(pool, {{1, "one", "SELECT 1", kChecksumA}});
    FAIL() << "an unknown applied migration must be an error";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("does not know"), std::string::npos) << e.what();
  }
}

TEST(Migrations, SchemaFromTheUrlIsCreatedAndUsed) {
  testpg::TempDatabase db;
  // What the guide's `?schema=` becomes after translation (config::libpq_conninfo).
  Pool pool(db.conninfo() + " options='-csearch_path=shop'");
  migrate(pool, embedded_migrations(), "shop");
  EXPECT_EQ(count(db.conninfo(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'shop' AND tablename = 'sales'"), 1);
  EXPECT_EQ(count(db.conninfo(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'sales'"), 0);
}
