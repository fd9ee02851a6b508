// The pull feed never skips a row committed late (../shared/design/sync-feed.md):
// three connections, explicit BEGIN/COMMIT from one thread, no sleeps. The
// naive "seq > cursor" feed fails the first test.
#include <gtest/gtest.h>

#include <set>

#include "db/feed.hpp"
#include "sync_fixture.hpp"

using synctest::TillReplica;
using synctest::World;
namespace svc = salespider::service::sync;

namespace {

class LateCommit : public ::testing::Test {
 protected:
  void SetUp() override {
    pull_ = std::make_unique<svc::PullService>(*w_.pool);
    replica_.sync(*pull_, w_.till);  // bootstrap: the cursor is now on the feed
    a_ = std::make_unique<pqxx::connection>(w_.db.conninfo());
    b_ = std::make_unique<pqxx::connection>(w_.db.conninfo());
  }

  std::string add_category(pqxx::work& tx, const std::string& name) {
    return tx.exec_params1("INSERT INTO categories (store_id, name) VALUES ($1, $2) RETURNING id", w_.store.id, name)[0]
        .as<std::string>();
  }

  // One pull of at most `limit` rows; returns the category ids it carried.
  std::vector<std::string> pull_categories(int limit = 100) {
    auto page = pull_->pull(w_.till, replica_.cursor, limit);
    EXPECT_TRUE(page.ok());
    std::vector<std::string> ids;
    for (const auto& c : page->changes)
      if (c.entity == "category") ids.push_back(c.id);
    replica_.apply(*page);
    return ids;
  }

  World w_;
  std::unique_ptr<svc::PullService> pull_;
  TillReplica replica_;
  std::unique_ptr<pqxx::connection> a_, b_;
};

}  // namespace

TEST_F(LateCommit, ARowCommittedAfterALaterOneIsStillDeliveredExactlyOnce) {
  pqxx::work ta(*a_);
  const auto a1 = add_category(ta, "a1");  // A holds the older transaction id, still open
  pqxx::work tb(*b_);
  const auto b1 = add_category(tb, "b1");
  tb.commit();
  auto first = pull_categories();
  ta.commit();
  auto second = pull_categories();
  std::multiset<std::string> all(first.begin(), first.end());
  all.insert(second.begin(), second.end());
  EXPECT_EQ(all, (std::multiset<std::string>{a1, b1}));
  EXPECT_TRUE(pull_categories().empty());
}

TEST_F(LateCommit, ARolledBackTransactionDoesNotStallTheFeed) {
  pqxx::work ta(*a_);
  add_category(ta, "a1");
  pqxx::work tb(*b_);
  const auto b1 = add_category(tb, "b1");
  tb.commit();
  auto first = pull_categories();
  ta.abort();
  auto second = pull_categories();
  std::multiset<std::string> all(first.begin(), first.end());
  all.insert(second.begin(), second.end());
  EXPECT_EQ(all, (std::multiset<std::string>{b1}));
}

TEST_F(LateCommit, PagingOneRowAtATimeAcrossALateCommitSkipsNothing) {
  pqxx::work ta(*a_);
  const auto a1 = add_category(ta, "a1");
  pqxx::work tb(*b_);
  const auto b1 = add_category(tb, "b1");
  const auto b2 = add_category(tb, "b2");
  tb.commit();
  std::multiset<std::string> all;
  for (const auto& id : pull_categories(1)) all.insert(id);
  ta.commit();
  for (int i = 0; i < 10; ++i)
    for (const auto& id : pull_categories(1)) all.insert(id);
  EXPECT_EQ(all, (std::multiset<std::string>{a1, b1, b2}));
}

TEST_F(LateCommit, TheSameStockRowUpdatedByTwoTransactionsEndsAtTheDatabasesValue) {
  const auto& p = w_.products[0].id;
  pqxx::work ta(*a_);
  add_category(ta, "takes an older xid");
  pqxx::work tb(*b_);
  tb.exec_params("SELECT apply_stock_deltas($1, ARRAY[$2::uuid], ARRAY[5000::bigint])", w_.store.id, p);
  tb.commit();
  pull_categories();
  // A updates the row after B committed: a newer version under an older xid.
  ta.exec_params("SELECT apply_stock_deltas($1, ARRAY[$2::uuid], ARRAY[3000::bigint])", w_.store.id, p);
  ta.commit();
  replica_.sync(*pull_, w_.till, 1);
  auto row = replica_.get("stock_level", p);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->data, R"({"on_hand_milli": 8000})");
  EXPECT_EQ(row->version, w_.count("SELECT row_version FROM stock_levels"));
}

TEST_F(LateCommit, ANewTillBootstrapsInPagesWithOnlyTheLatestVersionOfEachRow) {
  for (int i = 0; i < 5; ++i) salespider::db::catalog::set_price(*w_.pool, w_.products[1].id, 2500 + i, synctest::wall_ms());
  TillReplica fresh;
  std::size_t pages = 0, product_rows = 0;
  for (;;) {
    auto page = pull_->pull(w_.till, fresh.cursor, 2);
    ASSERT_TRUE(page.ok());
    ++pages;
    for (const auto& c : page->changes) product_rows += c.entity == "product";
    fresh.apply(*page);
    if (fresh.cursor.rfind("f1.", 0) == 0) break;
  }
  EXPECT_GT(pages, 3u);
  EXPECT_EQ(product_rows, 3u);  // three products, each once, at the latest version
  auto p = fresh.get("product", w_.products[1].id);
  ASSERT_TRUE(p.has_value());
  EXPECT_NE(p->data.find(R"("price_minor": 2504)"), std::string::npos) << p->data;
  EXPECT_NE(p->data.find(R"("barcodes": ["2000000000001"])"), std::string::npos) << p->data;
  EXPECT_TRUE(fresh.get("till", w_.till.till_id).has_value());
  EXPECT_TRUE(fresh.get("settings", w_.store.id).has_value());
}

TEST_F(LateCommit, DeletesAndDisabledUsersArriveAsTombstones) {
  {
    pqxx::work tx(*a_);
    tx.exec_params0("UPDATE users SET status = 'disabled' WHERE id = $1", w_.cashier);
    tx.exec_params0("UPDATE products SET deleted_at = now() WHERE id = $1", w_.products[2].id);
    tx.commit();
  }
  ASSERT_TRUE(replica_.get("user", w_.cashier).has_value());
  replica_.sync(*pull_, w_.till);
  EXPECT_FALSE(replica_.get("user", w_.cashier).has_value());
  EXPECT_FALSE(replica_.get("product", w_.products[2].id).has_value());
  EXPECT_TRUE(replica_.get("product", w_.products[1].id).has_value());
}

TEST_F(LateCommit, ACursorThisServerDidNotMakeIsRefused) {
  EXPECT_EQ(pull_->pull(w_.till, "f1.abc.1", 10).code(), salespider::Errc::invalid_value);
  EXPECT_EQ(pull_->pull(w_.till, "garbage", 10).code(), salespider::Errc::invalid_value);
  EXPECT_EQ(pull_->pull(w_.till, "", 0).code(), salespider::Errc::out_of_range);
  EXPECT_EQ(pull_->pull(w_.till, "", 1001).code(), salespider::Errc::out_of_range);
}
