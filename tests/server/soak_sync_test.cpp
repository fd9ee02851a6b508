// A randomised soak, bounded to a few seconds: tills pushing sales (some
// replaying batches), catalog writers (some rolling back) and several
// pullers at once. Every puller must end with exactly the committed feed
// rows, each once, and a till replica equal to the database.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "db/feed.hpp"
#include "sync_fixture.hpp"

using synctest::World;
namespace svc = salespider::service::sync;

TEST(Soak, ConcurrentPushersWritersAndPullersSeeEveryCommittedRowOnce) {
  World w(24);
  constexpr int kTills = 4;
  constexpr int kPullers = 3;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  std::vector<salespider::auth::TillPrincipal> tills;
  for (int t = 0; t < kTills; ++t) {
    salespider::auth::TillPrincipal p = w.till;
    p.till_code = "S" + std::to_string(t);
    p.till_id = salespider::db::catalog::add_till(*w.pool, w.store.id, "Soak " + std::to_string(t), p.till_code);
    tills.push_back(p);
  }
  // The pullers read as a till that pushes nothing.
  const auto reader = w.till;

  std::atomic<bool> writing{true};
  std::atomic<int> applied{0};
  std::mutex ids_mutex;
  std::vector<std::thread> threads;
  for (int t = 0; t < kTills; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      svc::PushService service(*w.pool, synctest::trusting_grants());
      std::int64_t seq = 0;
      while (std::chrono::steady_clock::now() < deadline) {
        std::vector<salespider::Op> ops;
        const int n = 1 + static_cast<int>(rng() % 8);
        for (int i = 0; i < n; ++i) {
          std::lock_guard lock(ids_mutex);
          w.till = tills[static_cast<std::size_t>(t)];
          ops.push_back(w.sale(++seq, {{rng() % 3, 1 + static_cast<std::int64_t>(rng() % 3)}, {rng() % 3, 1}}));
          ops.back().till_id = tills[static_cast<std::size_t>(t)].till_id;
          w.till = reader;
        }
        salespider::PushBatch b;
        b.till_id = tills[static_cast<std::size_t>(t)].till_id;
        b.ops = ops;
        svc::PushContext ctx;
        ctx.now_ms = synctest::wall_ms();
        for (const auto& r : service.push(tills[static_cast<std::size_t>(t)], b, ctx).results)
          applied += r.status == salespider::OpStatus::applied;
        if (rng() % 4 == 0) {  // a lost answer: the same batch again
          for (const auto& r : service.push(tills[static_cast<std::size_t>(t)], b, ctx).results)
            EXPECT_EQ(r.status, salespider::OpStatus::duplicate);
        }
      }
    });
  }
  for (int k = 0; k < 2; ++k) {
    threads.emplace_back([&, k] {
      std::mt19937 rng(100u + static_cast<unsigned>(k));
      pqxx::connection c(w.db.conninfo());
      int n = 0;
      while (std::chrono::steady_clock::now() < deadline) {
        pqxx::work tx(c);
        tx.exec_params("INSERT INTO categories (store_id, name) VALUES ($1, $2)", w.store.id,
                       "c" + std::to_string(k) + "-" + std::to_string(n++));
        tx.exec_params("UPDATE products SET price_minor = price_minor + 1 WHERE id = $1",
                       w.products[rng() % 3].id);
        if (rng() % 3 == 0) {
          tx.abort();
        } else {
          tx.commit();
        }
      }
    });
  }
  std::vector<std::vector<std::int64_t>> seen(kPullers);
  std::vector<std::thread> pullers;
  for (int p = 0; p < kPullers; ++p) {
    pullers.emplace_back([&, p] {
      salespider::db::FeedPosition pos;
      const int limit = 5 + p * 20;
      for (;;) {
        const bool done_writing = !writing.load();
        auto page = salespider::db::read_feed(*w.pool, w.store.id, reader.till_id, pos, limit);
        for (const auto& r : page.rows) seen[static_cast<std::size_t>(p)].push_back(r.seq);
        pos = page.last;
        if (done_writing && page.rows.empty() && page.remaining == 0) return;
      }
    });
  }
  for (auto& t : threads) t.join();
  writing = false;
  for (auto& t : pullers) t.join();

  pqxx::connection c(w.db.conninfo());
  pqxx::read_transaction tx(c);
  std::vector<std::int64_t> committed;
  for (const auto& row : tx.exec_params(
           "SELECT seq FROM change_feed WHERE audience_till_id IS NULL OR audience_till_id = $1 ORDER BY seq",
           reader.till_id))
    committed.push_back(row[0].as<std::int64_t>());
  ASSERT_GT(committed.size(), 100u);
  for (int p = 0; p < kPullers; ++p) {
    auto got = seen[static_cast<std::size_t>(p)];
    std::sort(got.begin(), got.end());
    EXPECT_EQ(std::adjacent_find(got.begin(), got.end()), got.end()) << "puller " << p << " got a row twice";
    EXPECT_EQ(got, committed) << "puller " << p;
  }
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM sales")[0].as<int>(), applied.load());
  // The ledger and the levels agree.
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM stock_levels l WHERE on_hand_milli <> "
                     "(SELECT sum(quantity_milli) FROM stock_movements m WHERE m.product_id = l.product_id)")[0]
                .as<int>(),
            0);

  // A till that bootstraps now and one that pulled all along agree with the database.
  svc::PullService pull(*w.pool);
  synctest::TillReplica fresh;
  fresh.sync(pull, reader, 50);
  for (const auto& row : tx.exec_params(
           "SELECT entity, id::text, row_version, data::text FROM sync_rows WHERE store_id = $1 "
           "AND (audience_till_id IS NULL OR audience_till_id = $2)",
           w.store.id, reader.till_id)) {
    auto got = fresh.get(row[0].as<std::string>(), row[1].as<std::string>());
    ASSERT_TRUE(got.has_value()) << row[0].as<std::string>() << " " << row[1].as<std::string>();
    EXPECT_EQ(got->version, row[2].as<std::int64_t>());
    EXPECT_EQ(got->data, row[3].as<std::string>());
  }
}
