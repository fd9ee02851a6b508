// Pull never skips for good (issue 23): a pulled change the till cannot
// apply yet — an entity a newer server sends ("gift_card" here), a row of
// the wrong shape — is kept in deferred_changes while the cursor moves on
// and the rest of the page applies; the kept changes are tried again when
// the applier learns the entity or the app version changes at start.
// Deliberately not here: the server side of the feed (tests/server) and the
// manager's status-bar line (tests/browser).
#include "sync_test_support.hpp"

#include "store/catalog.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace salespider;
using namespace salespider::sync;
using namespace salespider::sync::testing;

namespace {

const std::string kPull = "/api/v1/sync/pull";
const std::string kGiftCard = "0190f3a0-5555-4000-8000-000000000001";

struct Kept : SyncRig {
  Kept() {
    tick();
    http.answer(kPull, 200, empty_page("f1.100.0"));
    tick();
  }

  // The till starts again (same store) running app `version`.
  void restart(const std::string& version) {
    engine = std::make_unique<SyncEngine>(*store, http, clock.clock(), version);
    engine->set_identity(TillIdentity{kTillId, "SP3", "spt_secret"});
  }

  // What a build that knows gift cards would do with one: here, a setting.
  void learn_gift_cards() {
    engine->learn_entity("gift_card", [](const Change& c, store::Database& db, std::string&) -> store::Result<ApplyOutcome> {
      auto put = db.prepare("INSERT INTO settings(k, v) VALUES('gift_card:' || ?1, ?2)");
      if (!put) return put.error();
      if (auto s = put.value().bind(1, c.id).bind(2, c.data).run(); !s) return s.error();
      return ApplyOutcome::applied;
    });
  }

  // One round whose pull brings `changes` and then nothing.
  void pull_round(std::vector<Change> changes, const std::string& next) {
    clock.advance(15000);
    tick();
    http.answer(kPull, 200, page_body(std::move(changes), next, 0));
    finish_pull(next);
  }

  std::int64_t tries(const std::string& entity) {
    return count(("SELECT tries FROM deferred_changes WHERE entity = '" + entity + "'").c_str());
  }
};

const char* kMalformed = R"({"name":"Bad","price_minor":"12","currency":"NGN"})";

}  // namespace

TEST(PullKeepsChanges, AnUnknownEntityAndAMalformedRowAreKeptWhileTheCursorMovesOnAndTheGoodRowsApply) {
  Kept rig;
  rig.pull_round({upsert("gift_card", kGiftCard, 5, R"({"balance_minor":500})"),
                  upsert("product", product_id(1), 1, kMalformed),
                  upsert("product", product_id(2), 1, product_data("Tea", 90))},
                 "f1.103.0");
  EXPECT_EQ(rig.cursor(), "f1.103.0");
  EXPECT_EQ(store::product_count(rig.store->db()).value(), 1);
  EXPECT_EQ(rig.engine->status().failures, 0);
  EXPECT_EQ(rig.engine->status().deferred_changes, 2);
  EXPECT_EQ(rig.count("SELECT count(*) FROM deferred_changes WHERE entity = 'gift_card' AND reason = "
                      "'unknown_entity' AND row_version = 5 AND cursor = 'f1.100.0' AND data LIKE '%balance_minor%'"),
            1);
  EXPECT_EQ(rig.count("SELECT count(*) FROM deferred_changes WHERE entity = 'product' AND reason = 'invalid' "
                      "AND why LIKE '%price_minor%'"),
            1);
}

TEST(PullKeepsChanges, AnApplierThatLearnsTheEntityAppliesTheKeptChangesOnTheNextStart) {
  Kept rig;
  rig.pull_round({upsert("gift_card", kGiftCard, 5, R"({"balance_minor":500})"),
                  upsert("product", product_id(1), 1, kMalformed)},
                 "f1.102.0");
  ASSERT_EQ(rig.count("SELECT count(*) FROM deferred_changes"), 2);

  rig.restart("0.1.0-test");  // same build, but it now knows gift cards
  rig.learn_gift_cards();
  rig.finish_pull("f1.102.0");
  EXPECT_EQ(rig.count(("SELECT count(*) FROM settings WHERE k = 'gift_card:" + kGiftCard +
                       "' AND v = '{\"balance_minor\":500}'")
                          .c_str()),
            1);
  EXPECT_EQ(rig.count("SELECT count(*) FROM deferred_changes WHERE entity = 'gift_card'"), 0);
  // The malformed row is still malformed: kept, tried once more, counted.
  EXPECT_EQ(rig.tries("product"), 2);
  EXPECT_EQ(rig.engine->status().deferred_changes, 1);
  EXPECT_EQ(rig.cursor(), "f1.102.0");
}

TEST(PullKeepsChanges, KeptChangesAreTriedAgainAfterAnUpgradeAndNotOnAnOrdinaryStart) {
  Kept rig;
  rig.pull_round({upsert("product", product_id(1), 1, kMalformed)}, "f1.101.0");
  ASSERT_EQ(rig.tries("product"), 1);

  rig.restart("0.1.0-test");
  rig.finish_pull("f1.101.0");
  EXPECT_EQ(rig.tries("product"), 1);
  EXPECT_EQ(rig.engine->status().deferred_changes, 1);

  rig.restart("0.2.0-test");
  rig.finish_pull("f1.101.0");
  EXPECT_EQ(rig.tries("product"), 2);
}

TEST(PullKeepsChanges, ANewerGoodVersionOfAKeptChangeReplacesIt) {
  Kept rig;
  rig.pull_round({upsert("product", product_id(1), 1, kMalformed)}, "f1.101.0");
  ASSERT_EQ(rig.engine->status().deferred_changes, 1);
  rig.pull_round({upsert("product", product_id(1), 2, product_data("Soap", 120))}, "f1.102.0");
  EXPECT_EQ(rig.count("SELECT count(*) FROM deferred_changes"), 0);
  EXPECT_EQ(rig.engine->status().deferred_changes, 0);
  EXPECT_EQ(store::product_count(rig.store->db()).value(), 1);
}
