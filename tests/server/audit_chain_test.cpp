// The audit chain: sealing in a commit-safe order without making writers
// wait, and detecting an edited, deleted or reordered row, a fully
// re-hashed chain and a cut tail (with the anchors kept outside PostgreSQL).
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <sstream>

#include "auth/crypto.hpp"
#include "auth_test_support.hpp"
#include "db/audit.hpp"
#include "http_test_support.hpp"

using salespider::auth::Role;
using salespider::test::AuthWorld;
using salespider::test::kGoodPassword;

namespace {

// Ten audited actions, sealed, with anchors in dir.
struct SealedWorld {
  salespider::test::TempDir dir{"audit"};
  AuthWorld w{dir.path()};
  SealedWorld() {
    w.add_user(Role::cashier, "ada");
    for (int i = 0; i < 8; ++i) (void)w.login("ada", i % 2 == 0 ? kGoodPassword : "wrong-password");
    const auto head = w.services().audit().seal_now();
    EXPECT_EQ(head.position, 9);
  }
  salespider::service::VerifyReport verify() { return w.services().audit().verify(); }
};

}  // namespace

TEST(AuditChain, AnUntouchedChainVerifiesAndTheHeadIsAnchoredOutsideTheDatabase) {
  SealedWorld s;
  const auto report = s.verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.checked, 9);
  EXPECT_EQ(report.anchors_checked, 1);
  const auto anchors = salespider::service::read_anchors(s.dir.path() / "audit-anchor.jsonl");
  ASSERT_EQ(anchors.size(), 1u);
  EXPECT_EQ(anchors.back().position, 9);
  EXPECT_EQ(anchors.back().hash_hex, salespider::auth::to_hex(report.head.hash));
}

TEST(AuditChain, TheDatabaseRefusesEditsAndDeletesOfAuditRows) {
  SealedWorld s;
  EXPECT_THROW(s.w.sql("UPDATE audit_log SET action = 'x.y' WHERE chain_pos = 3"), pqxx::sql_error);
  EXPECT_THROW(s.w.sql("DELETE FROM audit_log WHERE chain_pos = 3"), pqxx::sql_error);
  EXPECT_THROW(s.w.sql("UPDATE audit_log SET hash = hash WHERE chain_pos = 3"), pqxx::sql_error)
      << "a sealed row cannot be re-sealed";
}

TEST(AuditChain, AnEditedRowIsNamed) {
  SealedWorld s;
  const auto id = s.w.sql_value("SELECT id FROM audit_log WHERE chain_pos = 4");
  s.w.tamper("UPDATE audit_log SET detail = '{\"login\":\"someone-else\"}' WHERE chain_pos = 4");
  const auto report = s.verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_position, 4);
  EXPECT_EQ(std::to_string(*report.first_bad_id), id);
  EXPECT_NE(report.problem.find("changed"), std::string::npos) << report.problem;
}

TEST(AuditChain, ADeletedRowIsNamed) {
  SealedWorld s;
  s.w.tamper("DELETE FROM audit_log WHERE chain_pos = 5");
  const auto report = s.verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_position, 5);
  EXPECT_NE(report.problem.find("missing"), std::string::npos) << report.problem;
}

TEST(AuditChain, ReorderedRowsAreNamed) {
  SealedWorld s;
  s.w.tamper("UPDATE audit_log SET chain_pos = 1000000 WHERE chain_pos = 6");
  s.w.tamper("UPDATE audit_log SET chain_pos = 6 WHERE chain_pos = 7");
  s.w.tamper("UPDATE audit_log SET chain_pos = 7 WHERE chain_pos = 1000000");
  const auto report = s.verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_position, 6) << report.problem;
}

TEST(AuditChain, AFullyReHashedChainIsCaughtByTheAnchor) {
  SealedWorld s;
  // The attacker edits row 3 and recomputes every hash from there with our
  // own algorithm: the chain is consistent again, only the anchor disagrees.
  s.w.tamper("UPDATE audit_log SET detail = '{\"login\":\"rewritten\"}' WHERE chain_pos = 3");
  auto& pool = s.w.pool();
  auto rows = salespider::db::sealed_audit_rows(pool, 0, 100);
  std::string prev(32, '\0');
  for (auto& row : rows) {
    const auto hash = salespider::service::audit_row_hash(row, *row.chain_pos, prev);
    s.w.tamper("UPDATE audit_log SET prev_hash = decode('" + salespider::auth::to_hex(prev) +
               "', 'hex'), hash = decode('" + salespider::auth::to_hex(hash) +
               "', 'hex') WHERE id = " + std::to_string(row.id));
    prev = hash;
  }
  const auto without_anchor = s.w.services().audit().verify({});
  EXPECT_TRUE(without_anchor.ok) << "internally consistent: only an outside anchor can tell";
  const auto report = s.verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_position, 9);
  EXPECT_NE(report.problem.find("anchor"), std::string::npos) << report.problem;
}

TEST(AuditChain, ACutTailIsCaughtByTheAnchor) {
  SealedWorld s;
  s.w.tamper("DELETE FROM audit_log WHERE chain_pos >= 8");
  const auto report = s.verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.head.position, 7);
  EXPECT_EQ(report.first_bad_position, 8);
  EXPECT_NE(report.problem.find("cut"), std::string::npos) << report.problem;
}

TEST(AuditChain, ARowCommittedLateByAnOlderTransactionIsSealedAfterItNotSkipped) {
  AuthWorld w;
  // T1 takes a transaction id first and stays open with an audit row.
  pqxx::connection c1(w.conninfo());
  pqxx::work t1(c1);
  t1.exec("SELECT pg_current_xact_id()");
  salespider::db::AuditEntry e;
  e.store_id = w.store();
  e.action = "test.late";
  salespider::db::append_audit(t1, e);
  // T2 (younger) writes and commits.
  w.add_user(Role::cashier, "ada");
  const auto sealed_while_open = w.services().audit().seal_now();
  EXPECT_EQ(sealed_while_open.position, 0) << "nothing above the oldest open transaction is sealed";
  t1.commit();
  const auto head = w.services().audit().seal_now();
  EXPECT_EQ(head.position, 2);
  EXPECT_EQ(w.sql_value("SELECT action FROM audit_log WHERE chain_pos = 1"), "test.late")
      << "chained in transaction order";
  EXPECT_TRUE(w.services().audit().verify({}).ok);
}

TEST(AuditExport, TheCsvHoldsEveryMatchingRowAndNeutralisesFormulas) {
  AuthWorld w;
  w.add_user(Role::cashier, "ada");
  for (int i = 0; i < 1205; ++i) {
    salespider::db::AuditEntry e;
    e.store_id = w.store();
    e.action = "test.bulk";
    e.detail = {{"note", "=HYPERLINK(\"x\")"}};
    salespider::db::append_audit_now(w.pool(), e);
  }
  salespider::db::AuditFilter f;
  f.action_prefix = "test.";
  std::ostringstream out;
  EXPECT_EQ(w.services().audit().export_csv(w.store(), f, out), 1205) << "never cut at a page size";
  EXPECT_EQ(out.str().find(",=HYPERLINK"), std::string::npos);
}

TEST(AuditChain, RowsAreChainedInNumericTransactionOrderAcrossADigitBoundary) {
  // Transaction ids compared as text put 1000 before 999: burn ids up to just
  // below the next power of ten, then write rows on both sides of it.
  AuthWorld w;
  pqxx::connection c(w.conninfo());
  pqxx::nontransaction tx(c);
  auto current = [&] { return tx.exec1("SELECT pg_current_xact_id()::text::bigint")[0].as<std::int64_t>(); };
  std::int64_t next_power = 10;
  for (auto x = current(); next_power <= x;) next_power *= 10;
  ASSERT_LT(next_power - current(), 200000) << "the test cluster is too far from a boundary";
  while (current() < next_power - 3) {
  }
  for (int i = 0; i < 5; ++i) {
    salespider::db::AuditEntry e;
    e.store_id = w.store();
    e.action = "test.order";
    e.detail = {{"i", i}};
    salespider::db::append_audit_now(w.pool(), e);
  }
  w.services().audit().seal_now();
  EXPECT_EQ(w.sql_value("SELECT string_agg(detail->>'i', ',' ORDER BY chain_pos) FROM audit_log"),
            "0,1,2,3,4");
  EXPECT_TRUE(w.services().audit().verify({}).ok);
}
