// The rules that live in the database: a few CHECKs, uniques and FKs that
// would let bad data in if they were dropped, plus the UTF-8 encoding and
// the change feed's transaction-id default. One migrated database per test.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "common_pg.hpp"
#include "db/migrations.hpp"
#include "db/pool.hpp"

namespace {

class Schema : public ::testing::Test {
 protected:
  void SetUp() override {
    salespider::db::Pool pool(db_.conninfo());
    salespider::db::migrate(pool);
    conn_ = std::make_unique<pqxx::connection>(db_.conninfo());
    pqxx::read_transaction tx(*conn_);
    store_ = tx.exec1("SELECT id FROM stores")[0].as<std::string>();
  }

  // Runs one statement in its own transaction; returns the SQLSTATE or "" on success.
  std::string try_exec(const std::string& sql) {
    try {
      pqxx::work tx(*conn_);
      tx.exec_params(sql, store_);
      tx.commit();
      return "";
    } catch (const pqxx::sql_error& e) {
      // libpqxx 6.4 leaves sqlstate() empty for some exception classes.
      return e.sqlstate().empty() ? std::string("error: ") + e.what() : e.sqlstate();
    }
  }

  testpg::TempDatabase db_;
  std::unique_ptr<pqxx::connection> conn_;
  std::string store_;
};

constexpr const char* kCheckViolation = "23514";
constexpr const char* kUniqueViolation = "23505";
constexpr const char* kForeignKeyViolation = "23503";

}  // namespace

TEST_F(Schema, TheDatabaseIsUtf8) {
  pqxx::read_transaction tx(*conn_);
  EXPECT_EQ(tx.exec1("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()")[0]
                .as<std::string>(),
            "UTF8");
}

TEST_F(Schema, PricesCannotBeNegativeAndCurrenciesAreIsoCodes) {
  EXPECT_EQ(try_exec("INSERT INTO products (store_id, name, price_minor, currency) VALUES ($1, 'Tea', 250, 'NGN')"), "");
  EXPECT_EQ(try_exec("INSERT INTO products (store_id, name, price_minor, currency) VALUES ($1, 'Tea', -1, 'NGN')"),
            kCheckViolation);
  EXPECT_EQ(try_exec("INSERT INTO products (store_id, name, price_minor, currency) VALUES ($1, 'Tea', 1, 'ngn')"),
            kCheckViolation);
}

TEST_F(Schema, ABarcodeNamesOneProductPerStoreButAProductHasSeveral) {
  ASSERT_EQ(try_exec("INSERT INTO products (id, store_id, name, price_minor, currency) VALUES "
                     "('11111111-1111-1111-1111-111111111111', $1, 'A', 1, 'USD'), "
                     "('22222222-2222-2222-2222-222222222222', $1, 'B', 1, 'USD')"),
            "");
  EXPECT_EQ(try_exec("INSERT INTO barcodes (store_id, barcode, product_id) VALUES "
                     "($1, '5000112637922', '11111111-1111-1111-1111-111111111111'), "
                     "($1, '5000112637939', '11111111-1111-1111-1111-111111111111')"),
            "");
  EXPECT_EQ(try_exec("INSERT INTO barcodes (store_id, barcode, product_id) VALUES "
                     "($1, '5000112637922', '22222222-2222-2222-2222-222222222222')"),
            kUniqueViolation);
  EXPECT_EQ(try_exec("INSERT INTO barcodes (store_id, barcode, product_id) VALUES "
                     "($1, '123', '33333333-3333-3333-3333-333333333333')"),
            kForeignKeyViolation);
}

TEST_F(Schema, UserEmailsAreUniqueWhateverTheirCase) {
  EXPECT_EQ(try_exec("INSERT INTO users (store_id, email, username, display_name, role) "
                     "VALUES ($1, 'Ada@Example.com', 'ada', 'Ada', 'cashier')"),
            "");
  EXPECT_EQ(try_exec("INSERT INTO users (store_id, email, username, display_name, role) "
                     "VALUES ($1, 'ada@example.com', 'ada2', 'Ada', 'cashier')"),
            kUniqueViolation);
  EXPECT_EQ(try_exec("INSERT INTO users (store_id, username, display_name, role) VALUES ($1, 'x', 'X', 'owner')"),
            kCheckViolation);
}

TEST_F(Schema, ReceiptSequencesAreUniquePerTillAndOpsApplyOnce) {
  const std::string setup =
      "WITH u AS (INSERT INTO users (id, store_id, username, display_name, role) VALUES "
      "('aaaaaaaa-0000-0000-0000-000000000001', $1, 'c', 'C', 'cashier') RETURNING id) "
      "INSERT INTO tills (id, store_id, name, code) VALUES ('bbbbbbbb-0000-0000-0000-000000000001', $1, 'Till 1', 'T1')";
  ASSERT_EQ(try_exec(setup), "");
  const auto sale = [](const std::string& id, int seq, const std::string& op) {
    return "INSERT INTO sales (id, store_id, till_id, receipt_seq, receipt_number, user_id, price_mode, currency, "
           "subtotal_minor, tax_minor, total_minor, paid_minor, occurred_at, op_id) VALUES ('" +
           id + "', $1, 'bbbbbbbb-0000-0000-0000-000000000001', " + std::to_string(seq) + ", 'T1-" +
           std::to_string(seq) + "', 'aaaaaaaa-0000-0000-0000-000000000001', 'tax_inclusive', 'USD', 100, 0, 100, 100, now(), '" +
           op + "')";
  };
  EXPECT_EQ(try_exec(sale("cccccccc-0000-0000-0000-000000000001", 1, "dddddddd-0000-0000-0000-000000000001")), "");
  EXPECT_EQ(try_exec(sale("cccccccc-0000-0000-0000-000000000002", 1, "dddddddd-0000-0000-0000-000000000002")),
            kUniqueViolation);
  EXPECT_EQ(try_exec("INSERT INTO applied_ops (op_id, store_id, till_id, kind, status, occurred_at) VALUES "
                     "('dddddddd-0000-0000-0000-000000000001', $1, 'bbbbbbbb-0000-0000-0000-000000000001', 'sale', "
                     "'applied', now())"),
            "");
  EXPECT_EQ(try_exec("INSERT INTO applied_ops (op_id, store_id, till_id, kind, status, occurred_at) VALUES "
                     "('dddddddd-0000-0000-0000-000000000001', $1, 'bbbbbbbb-0000-0000-0000-000000000001', 'sale', "
                     "'applied', now())"),
            kUniqueViolation);
}

TEST_F(Schema, StockMovementsFollowTheSignRules) {
  ASSERT_EQ(try_exec("INSERT INTO products (id, store_id, name, price_minor, currency) VALUES "
                     "('11111111-1111-1111-1111-111111111111', $1, 'A', 1, 'USD')"),
            "");
  const std::string p = "'11111111-1111-1111-1111-111111111111'";
  EXPECT_EQ(try_exec("INSERT INTO stock_movements (store_id, product_id, kind, quantity_milli) VALUES ($1, " + p +
                     ", 'receive', 5000)"),
            "");
  EXPECT_EQ(try_exec("INSERT INTO stock_movements (store_id, product_id, kind, quantity_milli) VALUES ($1, " + p +
                     ", 'receive', -5000)"),
            kCheckViolation);
  EXPECT_EQ(try_exec("INSERT INTO stock_movements (store_id, product_id, kind, quantity_milli) VALUES ($1, " + p +
                     ", 'write_off', -1000)"),
            kCheckViolation)
      << "a write-off needs a reason";
  EXPECT_EQ(try_exec("INSERT INTO stock_movements (store_id, product_id, kind, quantity_milli, reason) VALUES ($1, " +
                     p + ", 'write_off', -1000, 'damaged')"),
            "");
}

TEST_F(Schema, TheAuditLogIsAppendOnly) {
  ASSERT_EQ(try_exec("INSERT INTO audit_log (store_id, action) VALUES ($1, 'user.login')"), "");
  EXPECT_NE(try_exec("UPDATE audit_log SET action = 'user.logout' WHERE store_id = $1").find("append-only"),
            std::string::npos);
  EXPECT_NE(try_exec("DELETE FROM audit_log WHERE store_id = $1").find("append-only"), std::string::npos);
  pqxx::read_transaction tx(*conn_);
  EXPECT_EQ(tx.exec1("SELECT action FROM audit_log")[0].as<std::string>(), "user.login");
}

TEST_F(Schema, ChangeFeedRowsCarryTheirTransactionId) {
  pqxx::work tx(*conn_);
  const auto xid = tx.exec1("SELECT pg_current_xact_id()::text")[0].as<std::string>();
  tx.exec_params("INSERT INTO change_feed (store_id, entity, entity_id, row_version) VALUES ($1, 'product', gen_random_uuid(), 1)",
                 store_);
  EXPECT_EQ(tx.exec1("SELECT txid::text FROM change_feed")[0].as<std::string>(), xid);
  tx.abort();
}
