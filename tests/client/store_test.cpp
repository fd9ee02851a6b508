// The store end to end against an in-memory IndexedDB: ops are complete only
// after their transaction, snapshots carry only dirty pages, a reload replays
// the journal idempotently, a damaged image never costs an op, and receipt
// numbers are never reused.
#include "store/store.hpp"
#include "fake_backend.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace salespider::store;
using salespider::store::testing::FakeIndexedDb;

namespace {

struct Clock {
  std::int64_t now = 1'000'000;
};

OpenInput with_clock(OpenInput in, Clock& clock) {
  in.now_ms = [&clock] { return clock.now; };
  return in;
}

std::unique_ptr<Store> open_store(FakeIndexedDb& idb, Clock& clock, OpenInput in = {}) {
  auto s = Store::open(with_clock(std::move(in), clock), idb);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().context);
  return std::move(s).value();
}

std::unique_ptr<Store> reopen(FakeIndexedDb& idb, Clock& clock) {
  return open_store(idb, clock, idb.reload_input());
}

OpInput sale(int n, bool receipt = true) {
  OpInput op;
  op.op_id = "0190f3a0-0000-7000-8000-" + std::to_string(100000000000 + n);
  op.till_id = "till-1";
  op.kind = "sale";
  op.created_at = 1732540000000 + n;
  op.user_id = "user-1";
  op.payload = R"({"total_minor":)" + std::to_string(1000 * n) + R"(,"currency":"NGN"})";
  op.takes_receipt = receipt;
  return op;
}

std::vector<ProductRow> catalog(int n) {
  std::vector<ProductRow> rows;
  rows.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    rows.push_back(ProductRow{"prod-" + std::to_string(i),
                              "Product number " + std::to_string(i) + " (500 g pack)", 100 + i, "NGN", "vat",
                              1, false});
  return rows;
}

// Flushes and completes the snapshot; returns the pages it carried.
std::size_t snapshot(Store& store, FakeIndexedDb& idb) {
  auto id = store.flush();
  EXPECT_TRUE(id.ok());
  if (!id.ok() || id.value() == 0) return 0;
  const std::size_t pages = idb.front().snapshot->pages.size();
  idb.complete_next(store);
  return pages;
}

}  // namespace

TEST(Store, ANewTillStartsWithACreatedDatabaseAndFlushesItWhole) {
  FakeIndexedDb idb;
  Clock clock;
  auto store = open_store(idb, clock);
  EXPECT_EQ(store->report().origin, DbOrigin::created);
  EXPECT_EQ(store->report().schema_to, latest_schema_version());
  EXPECT_GT(snapshot(*store, idb), 0u);
  ASSERT_TRUE(idb.meta.has_value());
  EXPECT_EQ(idb.meta->page_count, idb.pages.size());
  EXPECT_EQ(idb.meta->schema_version, latest_schema_version());
}

TEST(Store, AnOpIsCompleteAndInTheDatabaseOnlyAfterItsTransactionCompleted) {
  FakeIndexedDb idb;
  Clock clock;
  auto store = open_store(idb, clock);
  int completions = 0;
  auto ticket = store->record_op(sale(1), [&](const Status& s, const JournalRecord& r) {
    EXPECT_TRUE(s.ok());
    EXPECT_EQ(r.receipt_seq, 1);
    ++completions;
  });
  ASSERT_TRUE(ticket.ok());
  ASSERT_EQ(idb.held(), 1u);
  EXPECT_TRUE(idb.front().strict);
  EXPECT_EQ(completions, 0);
  EXPECT_EQ(store->sales_count().value(), 0);
  EXPECT_TRUE(store->pending_ops().empty()) << "an op in flight is not recorded yet";

  idb.complete_next(*store);
  EXPECT_EQ(completions, 1);
  EXPECT_EQ(store->sales_count().value(), 1);
  ASSERT_EQ(store->pending_ops().size(), 1u);
  EXPECT_EQ(idb.journal.size(), 1u);
}

TEST(Store, AnAbortedJournalWriteFailsTheOpAndLeavesNoTrace) {
  FakeIndexedDb idb;
  Clock clock;
  auto store = open_store(idb, clock);
  bool failed = false;
  ASSERT_TRUE(
      store->record_op(sale(1), [&](const Status& s, const JournalRecord&) { failed = !s.ok(); }).ok());
  idb.complete_next(*store, false);
  EXPECT_TRUE(failed);
  EXPECT_EQ(store->sales_count().value(), 0);
  EXPECT_EQ(store->journal().size(), 0u);
  // The number is burnt for this session, never reused.
  EXPECT_EQ(store->next_receipt_sequence(), 2);
}

TEST(Store, ADuplicateOrMalformedOpIsRefused) {
  FakeIndexedDb idb;
  Clock clock;
  auto store = open_store(idb, clock);
  ASSERT_TRUE(store->record_op(sale(1), nullptr).ok());
  EXPECT_EQ(store->record_op(sale(1), nullptr).error().code, StoreErrc::duplicate_op);
  OpInput bad = sale(2);
  bad.payload = "[]";
  EXPECT_EQ(store->record_op(bad, nullptr).error().code, StoreErrc::invalid_op);
}

TEST(Store, AReloadWithoutASnapshotReplaysTheJournalAndNeverReusesAReceiptNumber) {
  FakeIndexedDb idb;
  Clock clock;
  {
    auto store = open_store(idb, clock);
    ASSERT_TRUE(store->record_op(sale(1), nullptr).ok());
    ASSERT_TRUE(store->record_op(sale(2), nullptr).ok());
    idb.complete_all(*store);
    // The tab dies before any snapshot.
  }
  auto store = reopen(idb, clock);
  EXPECT_EQ(store->report().origin, DbOrigin::created);
  EXPECT_EQ(store->report().replayed, 2u);
  EXPECT_EQ(store->sales_count().value(), 2);
  EXPECT_EQ(store->pending_ops().size(), 2u);
  EXPECT_EQ(store->next_receipt_sequence(), 3);
  auto t = store->record_op(sale(3), nullptr);
  EXPECT_EQ(t.value().receipt_seq, 3);
  EXPECT_EQ(t.value().local_seq, 3);
}

TEST(Store, ReplayIsIdempotent) {
  FakeIndexedDb idb;
  Clock clock;
  {
    auto store = open_store(idb, clock);
    ASSERT_TRUE(store->record_op(sale(1), nullptr).ok());
    idb.complete_all(*store);
    snapshot(*store, idb);
    ASSERT_EQ(idb.meta->journal_hwm, 1);
  }
  auto covered = reopen(idb, clock);
  EXPECT_EQ(covered->report().origin, DbOrigin::restored);
  EXPECT_EQ(covered->report().replayed, 0u);
  covered.reset();

  // Pretend the snapshot did not say it covered the op: replaying it again
  // must not add a second sale.
  OpenInput in = idb.reload_input();
  in.image->meta.journal_hwm = 0;
  auto again = open_store(idb, clock, std::move(in));
  EXPECT_EQ(again->report().replayed, 0u);
  EXPECT_EQ(again->sales_count().value(), 1);
}

TEST(Store, ASnapshotAfterASaleCarriesOnlyDirtyPagesWhateverTheCatalogSize) {
  FakeIndexedDb idb;
  Clock clock;
  auto store = open_store(idb, clock);
  ASSERT_TRUE(store->upsert_products(catalog(20000)).ok());
  const std::size_t full = snapshot(*store, idb);
  EXPECT_GT(full, 400u);

  const std::size_t before = idb.bytes_written;
  ASSERT_TRUE(store->record_op(sale(1), nullptr).ok());
  idb.complete_next(*store);
  const std::size_t journal_bytes = idb.bytes_written - before;
  const std::size_t pages = snapshot(*store, idb);
  EXPECT_LT(journal_bytes, 1024u);
  EXPECT_GE(pages, 1u);
  EXPECT_LE(pages, 6u) << "one sale must not rewrite the catalog";
}

TEST(Store, AFlushIsDueAfterEnoughOpsOrAfterTheDelay) {
  FakeIndexedDb idb;
  Clock clock;
  OpenInput in;
  in.policy = FlushPolicy{3, 5000};
  auto store = open_store(idb, clock, std::move(in));
  snapshot(*store, idb);
  EXPECT_FALSE(store->flush_due());
  for (int i = 1; i <= 2; ++i) {
    ASSERT_TRUE(store->record_op(sale(i), nullptr).ok());
    idb.complete_next(*store);
  }
  EXPECT_FALSE(store->flush_due());
  clock.now += 5000;
  EXPECT_TRUE(store->flush_due()) << "the delay since the first change has passed";
  clock.now -= 5000;
  ASSERT_TRUE(store->record_op(sale(3), nullptr).ok());
  idb.complete_next(*store);
  EXPECT_TRUE(store->flush_due()) << "three ops since the last snapshot";
  snapshot(*store, idb);
  EXPECT_FALSE(store->flush_due());
}

TEST(Store, AFailedSnapshotWritesItsPagesAgainNextTime) {
  FakeIndexedDb idb;
  Clock clock;
  auto store = open_store(idb, clock);
  snapshot(*store, idb);
  ASSERT_TRUE(store->record_op(sale(1), nullptr).ok());
  idb.complete_next(*store);
  ASSERT_NE(store->flush().value(), 0u);
  const std::size_t pages = idb.front().snapshot->pages.size();
  idb.complete_next(*store, false);
  EXPECT_EQ(store->stats().snapshot_failures, 1u);
  EXPECT_EQ(idb.meta->journal_hwm, 0);
  EXPECT_EQ(snapshot(*store, idb), pages);
  EXPECT_EQ(idb.meta->journal_hwm, 1);
  auto reloaded = reopen(idb, clock);
  EXPECT_EQ(reloaded->report().origin, DbOrigin::restored);
  EXPECT_EQ(reloaded->sales_count().value(), 1);
}

// IndexedDB reads a snapshot's pages after flush() returned (a big one over
// several tasks) while the till goes on selling: what it stores is the
// database as it was at the flush, not pages torn between two states.
TEST(Store, ASnapshotHoldsTheDatabaseAsItWasAtTheFlushWhateverHappensMeanwhile) {
  FakeIndexedDb idb;
  Clock clock;
  auto store = open_store(idb, clock);
  ASSERT_TRUE(store->upsert_products(catalog(2000)).ok());
  ASSERT_NE(store->flush().value(), 0u);  // held: not read yet
  ASSERT_TRUE(store->upsert_products(catalog(3000)).ok());
  ASSERT_TRUE(store->record_op(sale(1), nullptr).ok());
  idb.complete_next(*store);  // the snapshot, read now
  idb.complete_next(*store);  // the sale's journal record
  EXPECT_EQ(store->sales_count().value(), 1);

  idb.journal.clear();  // the snapshot alone
  auto reloaded = reopen(idb, clock);
  EXPECT_EQ(reloaded->report().origin, DbOrigin::restored) << reloaded->report().damage;
  EXPECT_EQ(reloaded->sales_count().value(), 0);
  Database& db = reloaded->db();
  auto count = db.prepare("SELECT count(*) FROM products");
  ASSERT_TRUE(count.ok());
  ASSERT_TRUE(count.value().step().value());
  EXPECT_EQ(count.value().int64(0), 2000);
}

TEST(Store, ADamagedImageGivesAFreshDatabaseRebuiltFromTheUntouchedJournal) {
  FakeIndexedDb idb;
  Clock clock;
  {
    auto store = open_store(idb, clock);
    ASSERT_TRUE(store->upsert_products(catalog(50)).ok());
    ASSERT_TRUE(store->record_op(sale(1), nullptr).ok());
    ASSERT_TRUE(store->record_op(sale(2), nullptr).ok());
    idb.complete_all(*store);
    snapshot(*store, idb);
  }
  const auto journal_before = idb.journal;
  for (auto& [index, page] : idb.pages) std::fill(page.begin(), page.end(), std::uint8_t{0x5A});

  auto store = reopen(idb, clock);
  EXPECT_EQ(store->report().origin, DbOrigin::recovered);
  EXPECT_FALSE(store->report().damage.empty());
  EXPECT_EQ(store->product_count().value(), 0) << "the catalog is re-pulled later";
  EXPECT_EQ(store->sales_count().value(), 2) << "sales come back from the journal";
  EXPECT_EQ(store->next_receipt_sequence(), 3);
  EXPECT_EQ(idb.journal, journal_before);
  ASSERT_NE(store->flush().value(), 0u);
  EXPECT_TRUE(idb.front().snapshot->replace_all);
  idb.complete_next(*store);
  EXPECT_EQ(reopen(idb, clock)->report().origin, DbOrigin::restored);
}

TEST(Store, AMissingPageIsDamageToo) {
  FakeIndexedDb idb;
  Clock clock;
  {
    auto store = open_store(idb, clock);
    ASSERT_TRUE(store->upsert_products(catalog(200)).ok());
    snapshot(*store, idb);
  }
  idb.pages.erase(std::prev(idb.pages.end()));
  EXPECT_EQ(reopen(idb, clock)->report().origin, DbOrigin::recovered);
}

TEST(Store, AnImageFromANewerBuildIsNeverOverwritten) {
  FakeIndexedDb idb;
  Clock clock;
  {
    auto store = open_store(idb, clock);
    ASSERT_TRUE(store->db().exec("PRAGMA user_version = 99").ok());
    snapshot(*store, idb);
  }
  const auto pages_before = idb.pages;
  auto store = reopen(idb, clock);
  EXPECT_EQ(store->report().origin, DbOrigin::too_new);
  EXPECT_FALSE(store->persists_snapshots());
  ASSERT_TRUE(store->record_op(sale(1), nullptr).ok()) << "the journal still records";
  idb.complete_all(*store);
  EXPECT_EQ(store->flush().value(), 0u);
  EXPECT_EQ(idb.pages, pages_before);
}

TEST(Store, AnOlderBuildsImageIsMigratedOnOpen) {
  FakeIndexedDb idb;
  Clock clock;
  const std::vector<Migration> old_build{migrations().begin(), migrations().end()};
  {
    OpenInput in;
    in.migrations = old_build;
    auto store = open_store(idb, clock, std::move(in));
    ASSERT_TRUE(store->record_op(sale(1), nullptr).ok());
    idb.complete_all(*store);
    snapshot(*store, idb);
  }
  std::vector<Migration> new_build = old_build;
  new_build.push_back({latest_schema_version() + 1, "ALTER TABLE sales ADD COLUMN cashier_name TEXT;"});
  OpenInput in = idb.reload_input();
  in.migrations = new_build;
  auto store = open_store(idb, clock, std::move(in));
  EXPECT_EQ(store->report().origin, DbOrigin::restored);
  EXPECT_EQ(store->report().schema_from, latest_schema_version());
  EXPECT_EQ(store->report().schema_to, latest_schema_version() + 1);
  EXPECT_EQ(store->sales_count().value(), 1);
  snapshot(*store, idb);
  EXPECT_EQ(idb.meta->schema_version, latest_schema_version() + 1);
}

TEST(Store, AckedOpsArePrunedOnlyBySnapshotsThatCoverThem) {
  FakeIndexedDb idb;
  Clock clock;
  OpenInput in;
  in.retention = JournalRetention{0, 0};  // nothing kept for a restored server
  auto store = open_store(idb, clock, std::move(in));
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(store->record_op(sale(i), nullptr).ok());
  idb.complete_all(*store);
  std::vector<std::string> ids;
  for (const JournalRecord& r : store->pending_ops()) ids.push_back(r.op_id);
  ASSERT_TRUE(store->mark_acked(ids).ok());
  ASSERT_TRUE(store->mark_rejected(ids[0], "price_mismatch").ok());
  idb.complete_all(*store);
  EXPECT_TRUE(store->pending_ops().empty());
  EXPECT_EQ(store->rejected_ops().size(), 1u);

  ASSERT_NE(store->flush().value(), 0u);
  // Op 2 goes; op 3 holds the highest receipt number; op 1 needs a manager.
  EXPECT_EQ(idb.front().journal_deletes, (std::vector<std::string>{ids[1]}));
  idb.complete_next(*store);
  EXPECT_EQ(idb.journal.size(), 2u);
  EXPECT_EQ(store->journal().size(), 2u);

  auto reloaded = reopen(idb, clock);
  EXPECT_EQ(reloaded->sales_count().value(), 3) << "acked sales stay in the local history";
  EXPECT_EQ(reloaded->next_receipt_sequence(), 4);
}

TEST(Store, AckedOpsStayWithinTheRetentionAndAreRequeuedWhenAskedStrictly) {
  FakeIndexedDb idb;
  Clock clock;
  OpenInput in;
  in.retention.max_records = 2;
  in.wall_ms = [] { return std::int64_t{1732540000000} + 60'000; };  // a minute after the sales
  auto store = open_store(idb, clock, std::move(in));
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(store->record_op(sale(i, false), nullptr).ok());
  idb.complete_all(*store);
  std::vector<std::string> ids;
  for (const JournalRecord& r : store->pending_ops()) ids.push_back(r.op_id);
  ASSERT_TRUE(store->mark_acked(ids).ok());
  idb.complete_all(*store);
  ASSERT_NE(store->flush().value(), 0u);
  // The three oldest go; the two newest stay, within the bound.
  EXPECT_EQ(idb.front().journal_deletes, (std::vector<std::string>{ids[0], ids[1], ids[2]}));
  idb.complete_next(*store);
  EXPECT_EQ(store->journal().size(), 2u);

  auto requeued = store->requeue_acked_ops();
  ASSERT_TRUE(requeued.ok());
  EXPECT_EQ(requeued.value(), 2u);
  ASSERT_EQ(store->pending_ops().size(), 2u);
  EXPECT_EQ(store->pending_ops()[0].op_id, ids[3]);
  EXPECT_TRUE(idb.front().strict) << "the re-queue must not be lost behind the new epoch";
  idb.complete_all(*store);
  auto reloaded = reopen(idb, clock);
  EXPECT_EQ(reloaded->pending_ops().size(), 2u) << "pending again after a reload too";
}

TEST(Store, AReadOnlyTabWritesNothing) {
  FakeIndexedDb idb;
  Clock clock;
  OpenInput in;
  in.read_only = true;
  auto store = open_store(idb, clock, std::move(in));
  EXPECT_EQ(store->record_op(sale(1), nullptr).error().code, StoreErrc::read_only);
  EXPECT_EQ(store->upsert_products(catalog(1)).error().code, StoreErrc::read_only);
  EXPECT_EQ(store->flush().value(), 0u);
  EXPECT_EQ(idb.held(), 0u);
}

// The sale's wait is one strict transaction holding its one record and
// nothing else (no snapshot pages, no pruning, no other op), and the answer
// tells the till that someone waits on the screen for it: the platform
// draws a frame at once then (main.cpp), not for a snapshot's answer.
TEST(Store, AnOpsTransactionHoldsOnlyItsRecordAndItsAnswerSaysAnOpWasRecorded) {
  FakeIndexedDb idb;
  Clock clock;
  auto store = open_store(idb, clock);
  ASSERT_GT(snapshot(*store, idb), 0u);
  EXPECT_FALSE(idb.last_answered_op) << "a snapshot's answer is not an op's";

  ASSERT_TRUE(store->record_op(sale(1), [](const Status&, const JournalRecord&) {}).ok());
  ASSERT_EQ(idb.held(), 1u);
  EXPECT_TRUE(idb.front().strict);
  EXPECT_EQ(idb.front().journal_puts.size(), 1u);
  EXPECT_TRUE(idb.front().journal_deletes.empty());
  EXPECT_FALSE(idb.front().snapshot.has_value());
  idb.complete_next(*store);
  EXPECT_TRUE(idb.last_answered_op);

  ASSERT_TRUE(store->record_op(sale(2), [](const Status&, const JournalRecord&) {}).ok());
  idb.complete_next(*store, false);
  EXPECT_TRUE(idb.last_answered_op) << "a refused recording is an answer the cashier waits for too";
}
