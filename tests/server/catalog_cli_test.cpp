// `salespider product|category|tax ...` run as an operator runs them, against
// a throw-away database (DATABASE_URL): machine output with --json, readable
// tables otherwise, prices as decimal text, and exit 2 on a bad argument,
// 1 on a refusal (a stale --row-version, a tax rate still in use).
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth_test_support.hpp"
#include "cli_test_support.hpp"
#include "common_pg.hpp"
#include "salespider/shared/currency.hpp"
#include "salespider_process.hpp"

namespace {

namespace sp = salespider;
using nlohmann::json;

class CatalogCli : public sp::test::CliTest {
 protected:
  CatalogCli() : CliTest("catalog-cli") {}
};

TEST_F(CatalogCli, AddsEditsShowsAndListsACatalogWithJsonAndTables) {
  auto vat = cli({"tax", "add", "VAT", "--kind", "standard", "--rate-ppm", "75000", "--json"});
  ASSERT_EQ(vat.rc, 0) << vat.out;
  EXPECT_EQ(vat.body()["code"], "VAT");
  ASSERT_EQ(cli({"category", "add", "Drinks"}).rc, 0);
  auto soft = cli({"category", "add", "Soft", "--parent", "Drinks", "--json"});
  ASSERT_EQ(soft.rc, 0) << soft.out;
  EXPECT_EQ(soft.body()["path"], "Drinks / Soft");

  auto milk = cli({"product", "add", "--name", "Milk 1 L", "--price", "1500.00", "--sku", "MILK-1", "--barcode",
                   "5000000000011", "--category", "Drinks / Soft", "--tax", "VAT", "--low-stock", "2", "--json"});
  ASSERT_EQ(milk.rc, 0) << milk.out;
  const auto added = milk.body();
  const auto currency = sp::find_currency(added["currency"].get<std::string>());
  ASSERT_TRUE(currency.ok());
  EXPECT_EQ(added["price_minor"], 1500 * currency->minor_per_major());
  EXPECT_EQ(added["category_name"], "Soft");
  EXPECT_EQ(added["tax_code"], "VAT");
  EXPECT_EQ(added["low_stock_milli"], 2000);

  // No --row-version: the edit applies to the product as it is now.
  auto edit = cli({"product", "edit", "MILK-1", "--price", "1600.00"});
  ASSERT_EQ(edit.rc, 0) << edit.out;
  EXPECT_NE(edit.out.find("changed Milk 1 L"), std::string::npos) << edit.out;
  auto show = cli({"product", "show", "5000000000011", "--json"});
  ASSERT_EQ(show.rc, 0) << show.out;
  ASSERT_EQ(show.body()["price_history"].size(), 2u);
  EXPECT_EQ(show.body()["price_history"][0]["price_minor"], 1600 * currency->minor_per_major());

  auto list = cli({"product", "list", "--q", "milk", "--json"});
  ASSERT_EQ(list.rc, 0) << list.out;
  EXPECT_EQ(list.body()["total"], 1);
  auto table = cli({"product", "list", "--category", "Drinks"});
  ASSERT_EQ(table.rc, 0) << table.out;
  EXPECT_NE(table.out.find("Milk 1 L"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("1,600.00"), std::string::npos) << table.out;
  auto taxes = cli({"tax", "list"});
  EXPECT_NE(taxes.out.find("7.5000%"), std::string::npos) << taxes.out;

  // The audit log says the CLI did it.
  EXPECT_EQ(world_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'product.update'"), "1");
}

TEST_F(CatalogCli, ABadArgumentExits2AndARefusalExits1) {
  auto price = cli({"product", "add", "--name", "X", "--price", "abc"});
  EXPECT_EQ(price.rc, 2) << price.out;
  EXPECT_NE(price.out.find("--price"), std::string::npos) << price.out;
  auto stock = cli({"product", "list", "--stock", "plenty"});
  EXPECT_EQ(stock.rc, 2) << stock.out;
  EXPECT_NE(stock.out.find("--stock"), std::string::npos) << stock.out;
  auto name = cli({"product", "add", "--name", "", "--price", "1.00"});
  EXPECT_EQ(name.rc, 2) << name.out;
  // A command line CLI11 itself refuses (an unknown option) is a usage error too.
  auto unknown = cli({"product", "list", "--colour", "red"});
  EXPECT_EQ(unknown.rc, 2) << unknown.out;
  EXPECT_NE(unknown.out.find("--colour"), std::string::npos) << unknown.out;
  EXPECT_EQ(world_.sql_value("SELECT count(*) FROM products"), "0");

  ASSERT_EQ(cli({"tax", "add", "VAT", "--kind", "standard", "--rate-ppm", "75000"}).rc, 0);
  ASSERT_EQ(cli({"product", "add", "--name", "Tea", "--price", "5.00", "--sku", "TEA", "--tax", "VAT"}).rc, 0);
  auto stale = cli({"product", "edit", "TEA", "--name", "Green tea", "--row-version", "99"});
  EXPECT_EQ(stale.rc, 1) << stale.out;
  EXPECT_NE(stale.out.find("someone else changed"), std::string::npos) << stale.out;
  auto used = cli({"tax", "delete", "VAT"});
  EXPECT_EQ(used.rc, 1) << used.out;
  EXPECT_NE(used.out.find("retire it instead"), std::string::npos) << used.out;
  auto missing = cli({"product", "show", "NOPE"});
  EXPECT_EQ(missing.rc, 1) << missing.out;
}

}  // namespace
