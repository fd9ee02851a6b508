// Journal records: their JSON form (what IndexedDB and the export file hold)
// and which records a snapshot may prune.
#include "store/journal.hpp"

#include <gtest/gtest.h>

using namespace salespider::store;

namespace {

JournalRecord record(std::string id, std::int64_t local_seq, OpState state = OpState::pending,
                     std::int64_t receipt = 0) {
  JournalRecord r;
  r.op_id = std::move(id);
  r.till_id = "0190f3a0-0000-7000-8000-000000000001";
  r.kind = "sale";
  r.created_at = 1732540000000;
  r.user_id = "0190f3a0-0000-7000-8000-000000000002";
  r.payload = R"({"currency":"NGN","total_minor":150000})";
  r.local_seq = local_seq;
  r.receipt_seq = receipt;
  r.state = state;
  return r;
}

}  // namespace

TEST(JournalRecord, RoundTripsThroughItsJsonForm) {
  JournalRecord r = record("0190f3a0-1111-7000-8000-00000000000a", 7, OpState::rejected, 12);
  r.reason = "price_mismatch";
  r.grant = "grant-token";
  const std::string json = encode_record(r);
  EXPECT_NE(json.find(R"("payload":{"currency":"NGN","total_minor":150000})"), std::string::npos) << json;
  auto back = decode_record(json);
  ASSERT_TRUE(back.ok()) << back.error().context;
  EXPECT_EQ(back.value(), r);
}

TEST(JournalRecord, PayloadsAreStoredCanonically) {
  auto p = canonical_payload(R"({ "b": 1, "a": {"z": true, "y": null} })");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value(), R"({"a":{"y":null,"z":true},"b":1})");
  EXPECT_EQ(canonical_payload("[1,2]").error().code, StoreErrc::invalid_op);
  EXPECT_EQ(canonical_payload("{broken").error().code, StoreErrc::invalid_op);
}

TEST(JournalRecord, AnUnknownStateOrMissingFieldIsRefused) {
  std::string json = encode_record(record("x", 1));
  std::string bad_state = json;
  bad_state.replace(bad_state.find("\"pending\""), 9, "\"lost\"");
  EXPECT_FALSE(decode_record(bad_state).ok());
  EXPECT_FALSE(decode_record(R"({"v":1,"op_id":"x"})").ok());
  EXPECT_FALSE(decode_record("not json").ok());
}

TEST(JournalRecord, AJournalWithSomeBadRecordsKeepsTheGoodOnes) {
  const std::string arr =
      "[" + encode_record(record("a", 1)) + R"(,{"v":1},42,)" + encode_record(record("b", 2)) + "]";
  DecodedJournal j = decode_journal(arr);
  ASSERT_EQ(j.records.size(), 2u);
  EXPECT_EQ(j.records[0].op_id, "a");
  EXPECT_EQ(j.records[1].op_id, "b");
  EXPECT_EQ(j.unreadable.size(), 2u);
}

TEST(Journal, OnlyAckedCoveredRecordsArePrunableAndNeverTheHighestReceipt) {
  Journal j;
  j.add(record("acked-covered", 1, OpState::acked, 1));
  j.add(record("pending-covered", 2, OpState::pending, 2));
  j.add(record("rejected-covered", 3, OpState::rejected));
  j.add(record("acked-receipt-holder", 4, OpState::acked, 3));
  j.add(record("acked-not-covered", 5, OpState::acked));
  const JournalRetention none{0, 0};
  EXPECT_EQ(j.prunable(4, 1732540000000, none), (std::vector<std::string>{"acked-covered"}));
  EXPECT_EQ(j.max_receipt_seq(), 3);
  EXPECT_EQ(j.max_local_seq(), 5);
  EXPECT_EQ(j.with_state(OpState::pending).size(), 1u);
}

namespace {

JournalRecord acked_at(int n, std::int64_t created_at) {
  JournalRecord r = record("op-" + std::to_string(100 + n), n, OpState::acked);
  r.created_at = created_at;
  return r;
}

}  // namespace

TEST(Journal, AckedRecordsStayForTheRetentionWindowThenGo) {
  const std::int64_t day = 24LL * 60 * 60 * 1000;
  const std::int64_t now = 1732540000000;
  Journal j;
  j.add(acked_at(1, now - 15 * day));  // older than 14 days
  j.add(acked_at(2, now - 13 * day));
  j.add(acked_at(3, now - 1 * day));
  const JournalRetention two_weeks;  // the default: 14 days, 5000 records
  EXPECT_EQ(j.prunable(3, now, two_weeks), (std::vector<std::string>{"op-101"}));
  // A day later the second one is out of the window too.
  EXPECT_EQ(j.prunable(3, now + 2 * day, two_weeks), (std::vector<std::string>{"op-101", "op-102"}));
}

TEST(Journal, AtMostTheRetentionCountOfAckedRecordsIsKeptTheNewestFirst) {
  const std::int64_t now = 1732540000000;
  Journal j;
  for (int n = 1; n <= 10; ++n) j.add(acked_at(n, now - 1000));
  JournalRetention bounded;
  bounded.max_records = 3;
  std::vector<std::string> expected;
  for (int n = 1; n <= 7; ++n) expected.push_back("op-" + std::to_string(100 + n));
  EXPECT_EQ(j.prunable(10, now, bounded), expected);
  // Acked records a snapshot does not cover yet are never pruned, kept or not.
  EXPECT_EQ(j.prunable(5, now, bounded).size(), 5u);
}

TEST(Journal, RequeueingMakesEveryAckedRecordPendingAndLeavesRejectedOnesAlone) {
  Journal j;
  j.add(record("b-acked", 2, OpState::acked));
  j.add(record("a-acked", 1, OpState::acked));
  j.add(record("rejected", 3, OpState::rejected));
  j.add(record("pending", 4, OpState::pending));
  const auto requeued = j.requeue_acked();
  ASSERT_EQ(requeued.size(), 2u);
  EXPECT_EQ(requeued[0]->op_id, "a-acked");
  EXPECT_EQ(requeued[1]->op_id, "b-acked");
  EXPECT_EQ(j.with_state(OpState::pending).size(), 3u);
  EXPECT_EQ(j.find("rejected")->state, OpState::rejected);
}
