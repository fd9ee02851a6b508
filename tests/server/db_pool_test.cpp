// The connection pool against a real server: a lease is exclusive, waiting
// is bounded, a connection killed under us is replaced, and the health probe
// reports the database.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "common_pg.hpp"
#include "db/database.hpp"
#include "db/errors.hpp"
#include "db/pool.hpp"
#include "service/health.hpp"

using salespider::db::Pool;
using salespider::db::PoolOptions;

TEST(Pool, WaitingForAConnectionIsBoundedAndThenUnavailable) {
  testpg::TempDatabase db;
  Pool pool(db.conninfo(), PoolOptions{1, std::chrono::milliseconds(200), {}});
  auto held = pool.acquire();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(pool.acquire(), salespider::db::Unavailable);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
}

TEST(Pool, AReturnedConnectionIsReusedAndOnConnectRunsOncePerConnection) {
  testpg::TempDatabase db;
  int connects = 0;
  Pool pool(db.conninfo(), PoolOptions{2, std::chrono::milliseconds(1000), [&](pqxx::connection& c) {
                                         ++connects;
                                         c.prepare("one", "SELECT 1");
                                       }});
  int backend = 0;
  {
    auto lease = pool.acquire();
    pqxx::nontransaction tx(*lease);
    backend = tx.exec1("SELECT pg_backend_pid()")[0].as<int>();
    EXPECT_EQ(tx.exec_prepared1("one")[0].as<int>(), 1);
  }
  auto lease = pool.acquire();
  pqxx::nontransaction tx(*lease);
  EXPECT_EQ(tx.exec1("SELECT pg_backend_pid()")[0].as<int>(), backend);
  EXPECT_EQ(connects, 1);
}

TEST(Pool, AConnectionKilledUnderUsIsReplaced) {
  testpg::TempDatabase db;
  Pool pool(db.conninfo(), PoolOptions{1, std::chrono::milliseconds(1000), {}});
  int victim = 0;
  {
    auto lease = pool.acquire();
    pqxx::nontransaction tx(*lease);
    victim = tx.exec1("SELECT pg_backend_pid()")[0].as<int>();
  }
  {
    pqxx::connection admin(testpg::admin_conninfo());
    pqxx::nontransaction tx(admin);
    tx.exec_params("SELECT pg_terminate_backend($1)", victim);
  }
  const int now = pool.with_connection([](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return tx.exec1("SELECT pg_backend_pid()")[0].as<int>();
  });
  EXPECT_NE(now, victim);
}

TEST(Health, ReportsTheDatabaseUpAndDownWithoutSqlText) {
  testpg::TempDatabase db;
  {
    salespider::db::Database database(db.conninfo(), 2);
    salespider::service::set_database_probe(salespider::service::make_database_probe(database, nullptr, [] { return true; }));
    auto health = salespider::service::current_health();
    EXPECT_EQ(health.database.state, "up");
    EXPECT_TRUE(health.ok());
    salespider::service::set_database_probe({});
  }
  salespider::db::Database nowhere("host=/nonexistent-dir port=5432 user=postgres dbname=x connect_timeout=2", 1);
  salespider::service::set_database_probe(salespider::service::make_database_probe(nowhere, nullptr, [] { return true; }));
  const auto health = salespider::service::current_health();
  salespider::service::set_database_probe({});
  EXPECT_EQ(health.database.state, "down");
  EXPECT_FALSE(health.ok());
  EXPECT_EQ(health.database.detail.find("nonexistent"), std::string::npos) << "driver text leaked: " << health.database.detail;
}
