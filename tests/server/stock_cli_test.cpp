// `salespider stock` run as the binary, as an operator does, against a
// throw-away database (DATABASE_URL): a receipt moves stock and is audited,
// `stock value --json` prints the exact sums, a bad argument is exit 2.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "common_pg.hpp"
#include "db/catalog.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "salespider_process.hpp"

namespace fs = std::filesystem;
namespace sp = salespider;

namespace {

class StockCli : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testpg::url_for(db_.name());
    if (url_.empty()) GTEST_SKIP() << "needs the embedded test cluster";
    sp::db::Database owner(db_.conninfo(), 1);
    sp::db::migrate(owner.pool());
    const auto store = sp::db::catalog::store(owner.pool());
    sp::db::catalog::NewProduct p;
    p.name = "Beans 500 g";
    p.sku = "BEANS-500";
    p.price_minor = 1500;
    p.currency = store.currency;
    p.barcodes = {"4006381333931"};
    p.price_from_ms = 1'600'000'000'000;
    product_ = sp::db::catalog::add_product(owner.pool(), store.id, p);
  }

  // Exit code and output of `salespider args...`.
  std::pair<int, std::string> run(std::vector<std::string> args) {
    sp::test::SalespiderProcess p(dir_.path(), std::move(args), {"DATABASE_URL=" + url_});
    const int rc = p.wait();
    return {rc, p.output()};
  }

  static nlohmann::json json_of(const std::string& output) {
    // Warnings come first, one JSON line each; the report is the last object.
    const auto start = output.find("\n{\n");
    return nlohmann::json::parse(start == std::string::npos ? output : output.substr(start + 1), nullptr, false);
  }

  std::string sql_value(const std::string& query) {
    pqxx::connection c(db_.conninfo());
    pqxx::nontransaction tx(c);
    return tx.exec1(query)[0].as<std::string>();
  }

  testpg::TempDatabase db_;
  testpg::TempDir dir_{"salespider-stock-cli"};
  std::string url_;
  std::string product_;
};

TEST_F(StockCli, AReceiptByBarcodeMovesStockKeepsItsCostAndIsAudited) {
  const auto [rc, out] = run({"stock", "receive", "--product", "4006381333931", "--quantity", "12", "--cost", "9.50",
                              "--note", "Acme delivery 778", "--json"});
  ASSERT_EQ(rc, 0) << out;
  const auto j = json_of(out);
  EXPECT_EQ(j["on_hand_milli"], 12000) << out;
  EXPECT_EQ(sql_value("SELECT on_hand_milli FROM stock_levels WHERE product_id = '" + product_ + "'"), "12000");
  EXPECT_EQ(sql_value("SELECT unit_cost_minor || ' ' || note FROM stock_movements"), "950 Acme delivery 778");
  EXPECT_EQ(sql_value("SELECT coalesce(cost_minor::text, 'none') FROM products"), "none");
  EXPECT_EQ(sql_value("SELECT count(*) FROM audit_log WHERE action = 'stock.receive' AND entity_id = '" + product_ +
                      "'"),
            "1");
  // A count by SKU: 10 on the shelf where the ledger says 12.
  const auto [count_rc, count_out] = run({"stock", "count", "--product", "beans-500", "--quantity", "10", "--json"});
  ASSERT_EQ(count_rc, 0) << count_out;
  EXPECT_EQ(json_of(count_out)["quantity_milli"], -2000) << count_out;
  EXPECT_EQ(json_of(count_out)["on_hand_milli"], 10000) << count_out;
}

TEST_F(StockCli, ValueAsJsonPrintsTheSumsAsDecimalText) {
  ASSERT_EQ(run({"stock", "receive", "--product", "BEANS-500", "--quantity", "2"}).first, 0);
  const auto [rc, out] = run({"stock", "value", "--json"});
  ASSERT_EQ(rc, 0) << out;
  const auto j = json_of(out);
  EXPECT_EQ(j["at_price_minor"], "3000") << out;
  EXPECT_EQ(j["at_cost_minor"], "0") << out;
  EXPECT_EQ(j["products_without_cost"], 1) << out;
}

TEST_F(StockCli, ABadArgumentIsExitTwoNamingItAndWritesNothing) {
  const auto [rc, out] = run({"stock", "receive", "--product", "BEANS-500", "--quantity", "lots"});
  EXPECT_EQ(rc, 2) << out;
  EXPECT_NE(out.find("--quantity"), std::string::npos) << out;
  const auto [neg_rc, neg_out] = run({"stock", "receive", "--product", "BEANS-500", "--quantity=-3"});
  EXPECT_EQ(neg_rc, 2) << neg_out;
  EXPECT_NE(neg_out.find("quantity"), std::string::npos) << neg_out;
  const auto [why_rc, why_out] = run({"stock", "write-off", "--product", "BEANS-500", "--quantity", "1", "--reason", "bored"});
  EXPECT_EQ(why_rc, 2) << why_out;
  EXPECT_NE(why_out.find("reason"), std::string::npos) << why_out;
  EXPECT_EQ(sql_value("SELECT count(*) FROM stock_movements"), "0");
}

}  // namespace
