// Least privilege in PostgreSQL (docs/security.md "The database roles" and
// "Audit log"), attacked the way someone who got SQL through the server's
// own connection would: `salespider serve` runs as an operator runs it, with
// its embedded cluster, and the tests connect with exactly the role its pool
// uses (read from pg_stat_activity). That role must not be a superuser,
// must not reach the server's files or programs, must not rewrite, delete or
// forge audit rows, and must not create objects. The anchors the sealer
// writes are signed with a key the cluster's OS user cannot read, and a Z
// report carries the chain head as it was when the shift closed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <pqxx/pqxx>
#include <regex>
#include <sstream>
#include <thread>

#include "auth/crypto.hpp"
#include "common_pg.hpp"
#include "salespider_process.hpp"
#include "db/embedded_postgres.hpp"
#include "db/process.hpp"
#include "salespider/shared/shift_report.hpp"
#include "service/audit.hpp"
#include "store_http_support.hpp"
#include "support/secret_file.hpp"

namespace fs = std::filesystem;
namespace sp = salespider;
using nlohmann::json;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

using Salespider = sp::test::SalespiderProcess;

// `salespider serve` on its own embedded cluster, once for the program.
class ServedStore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testpg::TempDir("salespider-dbrole");
    data_ = dir_->path() / "data";
    server_ = new Salespider(dir_->path(), {"serve", "--port", "0", "--data-path", data_.string()});
    ASSERT_GT(server_->wait_listening(), 0) << server_->output();
  }
  static void TearDownTestSuite() {
    if (server_ != nullptr) server_->stop();  // SIGTERM: the server stops its PostgreSQL
    delete server_;
    server_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (server_ == nullptr || !fs::exists(data_ / "postgres" / "PG_VERSION")) GTEST_FAIL() << "serve did not start";
  }

  static sp::db::Layout layout() { return sp::db::describe_layout(data_); }
  static std::string superuser() { return sp::db::embedded_conninfo(layout(), "salespider"); }

  // The role the running server's pool connects as (its sealer keeps at
  // least one connection busy every second).
  static std::string server_role() {
    for (int i = 0; i < 150; ++i) {
      pqxx::connection c(superuser());
      pqxx::nontransaction tx(c);
      const auto r = tx.exec(
          "SELECT usename FROM pg_stat_activity WHERE datname = 'salespider' AND application_name = 'salespider' "
          "AND pid <> pg_backend_pid() AND usename IS NOT NULL LIMIT 1");
      if (!r.empty()) return r[0][0].as<std::string>();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("the server opened no database connection");
  }
  // Connected exactly as the server's pool is.
  static std::string as_server() { return sp::db::embedded_conninfo(layout(), "salespider", server_role()); }

  static bool refused(const std::string& conninfo, const std::vector<std::string>& statements) {
    pqxx::connection c(conninfo);
    pqxx::work tx(c);
    try {
      for (const auto& s : statements) tx.exec(s);
      tx.commit();
      return false;
    } catch (const pqxx::sql_error&) {
      return true;
    }
  }

  static std::vector<sp::service::Anchor> wait_for_anchors() {
    for (int i = 0; i < 100; ++i) {
      auto a = sp::service::read_anchors(data_ / "audit-anchor.jsonl");
      if (!a.empty()) return a;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return {};
  }
  static std::string public_key() {
    auto hex = read_file(data_ / "audit-anchor.pub");
    while (!hex.empty() && hex.back() == '\n') hex.pop_back();
    return sp::auth::from_hex(hex).value_or("");
  }

  static inline testpg::TempDir* dir_ = nullptr;
  static inline fs::path data_;
  static inline Salespider* server_ = nullptr;
};

TEST_F(ServedStore, TheServerConnectsAsARoleThatIsNotASuperuser) {
  const auto role = server_role();
  EXPECT_NE(role, "postgres");
  pqxx::connection c(as_server());
  pqxx::nontransaction tx(c);
  const auto r = tx.exec1(
      "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, "
      "pg_has_role(current_user, 'pg_write_server_files', 'MEMBER'), "
      "pg_has_role(current_user, 'pg_read_server_files', 'MEMBER'), "
      "pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER') "
      "FROM pg_roles WHERE rolname = current_user");
  for (int i = 0; i < 8; ++i) EXPECT_FALSE(r[i].as<bool>()) << "attribute " << i << " of role " << role;
}

TEST_F(ServedStore, TheServersRoleCannotWriteFilesReadFilesOrRunPrograms) {
  const auto conn = as_server();
  const fs::path target = dir_->path() / "copied-by-postgres";
  EXPECT_TRUE(refused(conn, {"COPY (SELECT 1) TO '" + target.string() + "'"}));
  EXPECT_FALSE(fs::exists(target));
  EXPECT_TRUE(refused(conn, {"CREATE TEMP TABLE loot (line text)", "COPY loot FROM PROGRAM 'id'"}));
  EXPECT_TRUE(refused(conn, {"COPY (SELECT 1) TO PROGRAM 'touch " + target.string() + "'"}));
  EXPECT_TRUE(refused(conn, {"SELECT pg_read_file('postgresql.conf')"}));
  EXPECT_TRUE(refused(conn, {"ALTER SYSTEM SET archive_command = 'id'"}));
}

TEST_F(ServedStore, TheServersRoleCannotRewriteDeleteOrTruncateTheAuditLog) {
  const auto conn = as_server();
  const auto before = [&] {
    pqxx::connection c(superuser());
    pqxx::nontransaction tx(c);
    return tx.exec1("SELECT count(*), min(id) FROM audit_log");
  }();
  ASSERT_GT(before[0].as<int>(), 0) << "serve audits the first owner's creation";
  const auto id = before[1].as<std::string>();
  // The append-only trigger alone stops an honest mistake; a superuser
  // switches it off first. The server's role must not be able to.
  EXPECT_TRUE(refused(conn, {"SET LOCAL session_replication_role = replica",
                             "UPDATE audit_log SET action = 'nothing.happened' WHERE id = " + id}));
  EXPECT_TRUE(refused(conn, {"UPDATE audit_log SET action = 'nothing.happened' WHERE id = " + id}));
  EXPECT_TRUE(refused(conn, {"SET LOCAL session_replication_role = replica", "DELETE FROM audit_log"}));
  EXPECT_TRUE(refused(conn, {"DELETE FROM audit_log WHERE id = " + id}));
  EXPECT_TRUE(refused(conn, {"TRUNCATE audit_log CASCADE"}));
  EXPECT_TRUE(refused(conn, {"ALTER TABLE audit_log DISABLE TRIGGER USER"}));
  pqxx::connection c(superuser());
  pqxx::nontransaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM audit_log WHERE id = " + id)[0].as<int>(), 1);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM audit_log WHERE action = 'nothing.happened'")[0].as<int>(), 0);
}

TEST_F(ServedStore, AForgedAuditInsertGetsTheDatabasesTimeTransactionAndNoSeal) {
  pqxx::connection c(as_server());
  pqxx::work tx(c);
  const auto mine = tx.exec1("SELECT pg_current_xact_id()::text, now()");
  const auto r = tx.exec1(
      "INSERT INTO audit_log (store_id, occurred_at, txid, chain_pos, prev_hash, hash, action, detail) "
      "VALUES ((SELECT id FROM stores LIMIT 1), '2001-01-01T00:00:00Z', '3', 999999, "
      "decode(repeat('ab', 32), 'hex'), decode(repeat('cd', 32), 'hex'), 'attack.backdated', '{}') "
      "RETURNING txid::text, occurred_at = now(), chain_pos IS NULL AND prev_hash IS NULL AND hash IS NULL");
  EXPECT_EQ(r[0].as<std::string>(), mine[0].as<std::string>()) << "txid is the writer's own transaction";
  EXPECT_TRUE(r[1].as<bool>()) << "occurred_at is the database's clock";
  EXPECT_TRUE(r[2].as<bool>()) << "a writer cannot pre-seal a row";
  tx.commit();
  // Sealing is only possible in chain order, even for the server's role.
  EXPECT_TRUE(refused(as_server(), {"SELECT audit_seal_row(id, 999999, decode(repeat('ab', 32), 'hex'), "
                                    "decode(repeat('cd', 32), 'hex')) FROM audit_log WHERE chain_pos IS NULL"}));
}

TEST_F(ServedStore, TheServersRoleCannotCreateObjects) {
  const auto conn = as_server();
  EXPECT_TRUE(refused(conn, {"CREATE TABLE public.backdoor (x int)"}));
  EXPECT_TRUE(refused(conn, {"CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE sql AS 'SELECT 0::timestamptz'"}));
  EXPECT_TRUE(refused(conn, {"CREATE SCHEMA backdoor"}));
  EXPECT_TRUE(refused(conn, {"CREATE ROLE backdoor SUPERUSER LOGIN"}));
}

TEST_F(ServedStore, AnchorsAreSignedAndFailWhenAByteChanges) {
  const auto anchors = wait_for_anchors();
  ASSERT_FALSE(anchors.empty()) << "the sealer writes an anchor once the first owner's row is sealed";
  const auto key = public_key();
  ASSERT_EQ(key.size(), 32u) << "DATA_PATH/audit-anchor.pub holds the public key";
  for (const auto& a : anchors) {
    EXPECT_TRUE(sp::service::anchor_signature_ok(a, key)) << a.position;
    auto changed = a;
    changed.hash_hex[5] = changed.hash_hex[5] == '0' ? '1' : '0';
    EXPECT_FALSE(sp::service::anchor_signature_ok(changed, key));
    changed = a;
    changed.position += 1;
    EXPECT_FALSE(sp::service::anchor_signature_ok(changed, key));
    changed = a;
    changed.at[changed.at.size() - 2] ^= 1;
    EXPECT_FALSE(sp::service::anchor_signature_ok(changed, key));
  }

  // Off the box: the export holds the same anchors and the public key.
  const auto out = dir_->path() / "offsite";
  Salespider exporter(dir_->path(), {"audit", "anchors", "--data-path", data_.string(), "--export", out.string()});
  ASSERT_EQ(exporter.wait(), 0) << exporter.output();
  EXPECT_EQ(read_file(out / "audit-anchor.pub"), read_file(data_ / "audit-anchor.pub"));
  const auto copied = sp::service::read_anchors(out / "audit-anchor.jsonl");
  ASSERT_GE(copied.size(), anchors.size());
  EXPECT_TRUE(sp::service::anchor_signature_ok(copied.front(), key));

  // `audit verify` trusts the signed anchors and refuses an altered one.
  Salespider verify(dir_->path(), {"audit", "verify", "--data-path", data_.string(), "--anchor-file",
                                   (out / "audit-anchor.jsonl").string()});
  EXPECT_EQ(verify.wait(), 0) << verify.output();
  auto lines = read_file(out / "audit-anchor.jsonl");
  const auto at = lines.find("\"hash\":\"") + 8;
  lines[at] = lines[at] == 'a' ? 'b' : 'a';
  std::ofstream(out / "altered.jsonl", std::ios::binary) << lines;
  Salespider altered(dir_->path(), {"audit", "verify", "--data-path", data_.string(), "--anchor-file",
                                    (out / "altered.jsonl").string()});
  EXPECT_EQ(altered.wait(), 1) << altered.output();
  EXPECT_NE(altered.output().find("not signed"), std::string::npos) << altered.output();
}

TEST_F(ServedStore, TheAnchorKeyIsPrivateAndTheClustersUserCannotReadIt) {
  const auto key = data_ / "keys" / "audit-anchor.key";
  ASSERT_TRUE(fs::exists(key));
  EXPECT_EQ(sp::support::permission_bits(key) & 0077, 0u);
  EXPECT_EQ(sp::support::permission_bits(key.parent_path()) & 0077, 0u);
  if (geteuid() != 0) {
    GTEST_SKIP() << "not root: the cluster runs as this same user, so the check that the postgres user "
                    "cannot read the key does not apply";
  }
  const auto postgres = sp::db::postgres_identity();
  EXPECT_FALSE(sp::db::can_access_as(postgres, key, R_OK)) << "the postgres OS user can read " << key;
  EXPECT_FALSE(sp::db::can_access_as(postgres, key.parent_path(), X_OK));
}

// The Z report, on the test cluster with the services as the app role.
class ZReport : public ::testing::Test, protected sp::test::StoreOverHttp {};

TEST_F(ZReport, CarriesTheChainHeadAsItWasWhenTheShiftClosed) {
  const std::string shift = new_id();
  const auto usd = *sp::find_currency(currency_);
  push({op(sp::OpKind::shift_open, *sp::encode_shift_open_payload({shift, usd, 10'000}))});
  auto& audit = w_.services().audit();
  const auto at_close = audit.seal_now();
  ASSERT_GT(at_close.position, 0);
  push({op(sp::OpKind::shift_close, *sp::encode_shift_close_payload({shift, 10'000, ""}))});
  w_.add_user(sp::auth::Role::cashier, "later1");  // more rows after the close
  const auto later = audit.seal_now();
  ASSERT_GT(later.position, at_close.position);

  auto r = client_->Get(("/api/v1/shifts/" + shift + "/report").c_str(), manager_headers());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const auto z = json::parse(r->body);
  EXPECT_EQ(z["report"]["kind"], "Z");
  EXPECT_EQ(z["audit_head"]["position"], at_close.position) << z.dump(2);
  EXPECT_EQ(z["audit_head"]["hash"], sp::auth::to_hex(at_close.hash));
}

}  // namespace
