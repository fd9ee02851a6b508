// The demo store: realistic, deterministic, recorded through the push path,
// and only ever into an empty store.
#include <gtest/gtest.h>

#include "service/sync_demo.hpp"
#include "sync_fixture.hpp"

namespace {

struct Empty {
  Empty() {
    pool = std::make_unique<salespider::db::Pool>(db.conninfo());
    salespider::db::migrate(*pool);
  }
  std::int64_t count(const std::string& sql) {
    pqxx::connection c(db.conninfo());
    pqxx::read_transaction tx(c);
    return tx.exec1(sql)[0].as<std::int64_t>();
  }
  std::string fingerprint() {
    pqxx::connection c(db.conninfo());
    pqxx::read_transaction tx(c);
    return tx.exec1("SELECT md5(string_agg(id::text || receipt_number || total_minor::text, ',' ORDER BY id)) FROM sales")[0]
        .as<std::string>();
  }
  testpg::TempDatabase db;
  std::unique_ptr<salespider::db::Pool> pool;
};

salespider::service::sync::DemoOptions small() {
  salespider::service::sync::DemoOptions o;
  o.products = 30;
  o.sales = 300;
  o.days = 21;
  o.seed = 7;
  o.now_ms = 1'760'000'000'000;  // a fixed "today"
  return o;
}

}  // namespace

TEST(Demo, FillsAnEmptyStoreThroughThePushPath) {
  Empty store;
  auto report = salespider::service::sync::seed_demo(*store.pool, small());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->products, 30);
  EXPECT_EQ(report->rejected, 0);
  EXPECT_GE(report->sales, 290);
  EXPECT_EQ(store.count("SELECT count(*) FROM sales"), report->sales);
  EXPECT_EQ(store.count("SELECT count(*) FROM refunds"), report->refunds);
  EXPECT_EQ(store.count("SELECT count(DISTINCT role) FROM users"), 3);
  EXPECT_EQ(store.count("SELECT count(*) FROM shifts WHERE status = 'closed'"), report->shifts);
  EXPECT_EQ(store.count("SELECT count(*) FROM applied_ops WHERE status = 'applied'"),
            store.count("SELECT count(*) FROM applied_ops"));
  EXPECT_EQ(store.count("SELECT count(*) FROM barcodes"), 30);
  // Weekends are busier than Mondays (the weekly rhythm).
  EXPECT_GT(store.count("SELECT count(*) FROM sales WHERE extract(dow FROM occurred_at) = 6"),
            store.count("SELECT count(*) FROM sales WHERE extract(dow FROM occurred_at) = 1"));
  // Refusing a second seed: the store is no longer empty.
  auto again = salespider::service::sync::seed_demo(*store.pool, small());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().problem, salespider::service::Problem::conflict);
}

TEST(Demo, TheSameSeedGivesTheSameStore) {
  Empty a, b;
  ASSERT_TRUE(salespider::service::sync::seed_demo(*a.pool, small()).ok());
  ASSERT_TRUE(salespider::service::sync::seed_demo(*b.pool, small()).ok());
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
}
