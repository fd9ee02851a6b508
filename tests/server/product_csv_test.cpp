// The product CSV without a database: the reader (quoting, BOM, encodings,
// limits), the writer's formula guard, and analyse() against a catalog
// snapshot built here (outcomes, per-cell errors, duplicates, matching).
#include <gtest/gtest.h>

#include <string>

#include "service/csv.hpp"
#include "service/product_csv.hpp"

namespace csv = salespider::service::csv;
namespace pc = salespider::service::product_csv;
using salespider::db::product_csv::ExistingProduct;
using salespider::db::product_csv::Snapshot;

namespace {

const std::string kHeader = "id,sku,name,barcodes,category,price,cost,tax_code,unit,track_stock,low_stock,active,description\n";

Snapshot catalog() {
  Snapshot s;
  s.currency = "NGN";
  ExistingProduct milk;
  milk.id = "0190a1b2-0000-7000-8000-000000000001";
  milk.sku = "MILK-1L";
  milk.name = "Milk 1 L";
  milk.barcodes = {"5000000000011"};
  milk.price_minor = 150000;
  milk.tax_rate_id = "0190a1b2-0000-7000-8000-0000000000aa";
  s.products.push_back(milk);
  s.categories.push_back({"0190a1b2-0000-7000-8000-0000000000c1", std::nullopt, "Drinks", false});
  s.tax_rates.push_back({"0190a1b2-0000-7000-8000-0000000000aa", "VAT", true});
  return s;
}

const pc::CellError* error_in(const pc::RowReport& row, const std::string& column) {
  for (const auto& e : row.errors)
    if (e.column == column) return &e;
  return nullptr;
}

}  // namespace

TEST(CsvReader, ReadsQuotedFieldsEscapedQuotesAndLineBreaksInsideQuotes) {
  const auto t = csv::read_csv("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nlast,,\n");
  ASSERT_TRUE(t.errors.empty());
  ASSERT_EQ(t.records.size(), 3u);
  EXPECT_EQ(t.records[1].fields, (std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ(t.records[2].line, 4u) << "the line break inside quotes counts";
  EXPECT_EQ(t.records[2].fields, (std::vector<std::string>{"last", "", ""}));
}

TEST(CsvReader, AnUnclosedQuoteNamesTheLineItStartsOn) {
  const auto t = csv::read_csv("a,b\n1,\"open\n2,3\n");
  ASSERT_EQ(t.errors.size(), 1u);
  EXPECT_EQ(t.errors[0].line, 2u);
  EXPECT_NE(t.errors[0].message.find("never closed"), std::string::npos);
}

TEST(CsvReader, AByteOrderMarkIsDropped) {
  EXPECT_EQ(csv::strip_bom("\xEF\xBB\xBFname"), "name");
  EXPECT_EQ(csv::strip_bom("name"), "name");
}

TEST(CsvReader, InvalidUtf8IsReportedWithItsLineAndLatin1IsRecognised) {
  const auto errors = csv::check_encoding("name,price\nCaf\xE9 au lait,1.00\nTea,2.00\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 2u);
  EXPECT_NE(errors[0].message.find("Latin-1"), std::string::npos) << errors[0].message;
}

TEST(CsvReader, BinaryJunkIsCalledNotText) {
  std::string junk;
  for (std::uint32_t i = 0; i < 4096; ++i) junk += static_cast<char>((i * 7919U) % 256U);
  const auto errors = csv::check_encoding(junk);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors[0].message.find("not text"), std::string::npos) << errors[0].message;
  EXPECT_LE(errors.size(), csv::kMaxReportedLines + 1);
}

TEST(CsvWriter, QuotesWhenNeededAndGuardsFormulasReversibly) {
  EXPECT_EQ(csv::field("plain"), "plain");
  EXPECT_EQ(csv::field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv::field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv::field("=SUM(A1)"), "'=SUM(A1)");
  EXPECT_EQ(csv::field("@cmd"), "'@cmd");
  for (const std::string s : {"=1+1", "-5", "'=x", "''+y", "'plain", "+"}) {
    EXPECT_EQ(csv::unguard(csv::field(s)), s) << s;
  }
}

TEST(ProductCsv, ANewRowIsCreatedAndAnIdenticalRowIsUnchanged) {
  const auto a = pc::analyse(kHeader +
                                 ",TEA-1,Green tea,,Drinks > Tea,850.50,,VAT,each,yes,2,yes,\n"
                                 ",MILK-1L,Milk 1 L,5000000000011,,1500.00,,VAT,each,yes,,yes,\n",
                             catalog());
  ASSERT_TRUE(a.ok()) << (a.rows.empty() || a.rows[0].errors.empty() ? "" : a.rows[0].errors[0].message);
  ASSERT_EQ(a.rows.size(), 2u);
  EXPECT_EQ(a.rows[0].outcome, pc::Outcome::created);
  EXPECT_EQ(a.rows[1].outcome, pc::Outcome::unchanged);
  EXPECT_EQ(a.summary.categories_created, 1u) << "Tea under the existing Drinks";
  ASSERT_EQ(a.plan.creates.size(), 1u);
  EXPECT_EQ(a.plan.creates[0].price_minor, 85050);
  EXPECT_EQ(a.plan.creates[0].low_stock_milli, 2000);
}

TEST(ProductCsv, AChangedPriceIsAnUpdateWithAPriceChange) {
  const auto a = pc::analyse(kHeader + ",MILK-1L,Milk 1 L,5000000000011,,1600.00,,VAT,each,yes,,yes,\n", catalog());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a.rows[0].outcome, pc::Outcome::updated);
  ASSERT_EQ(a.plan.updates.size(), 1u);
  EXPECT_TRUE(a.plan.updates[0].price_changed);
  EXPECT_FALSE(a.plan.updates[0].barcodes_changed);
}

TEST(ProductCsv, ACommaDecimalPriceIsAnErrorThatSaysUseAPoint) {
  const auto a = pc::analyse("sku,name,price\nX1,Bread,\"1500,00\"\n", catalog());
  ASSERT_FALSE(a.ok());
  const auto* e = error_in(a.rows[0], "price");
  ASSERT_NE(e, nullptr);
  EXPECT_NE(e->message.find("point"), std::string::npos) << e->message;
  EXPECT_EQ(a.rows[0].line, 2u);
}

TEST(ProductCsv, MissingRequiredColumnsAreOneClearError) {
  const auto a = pc::analyse("sku,barcodes\nX1,123\n", catalog());
  ASSERT_EQ(a.rows.size(), 1u);
  ASSERT_EQ(a.rows[0].errors.size(), 1u);
  EXPECT_NE(a.rows[0].errors[0].message.find("missing columns: name, price"), std::string::npos)
      << a.rows[0].errors[0].message;
}

TEST(ProductCsv, UnknownColumnsAreNamed) {
  const auto a = pc::analyse("name,price,colour\nBread,1.00,red\n", catalog());
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.rows[0].errors[0].message.find("'colour'"), std::string::npos);
}

TEST(ProductCsv, ADuplicateSkuOrBarcodeNamesTheEarlierLine) {
  const auto a = pc::analyse("sku,name,price,barcodes\nB1,Bread,1.00,111\nb1,Bun,2.00,222\nC1,Cake,3.00,111\n",
                             catalog());
  ASSERT_EQ(a.rows.size(), 3u);
  EXPECT_EQ(a.rows[0].outcome, pc::Outcome::created);
  const auto* sku = error_in(a.rows[1], "sku");
  ASSERT_NE(sku, nullptr);
  EXPECT_NE(sku->message.find("line 2"), std::string::npos) << sku->message;
  const auto* barcode = error_in(a.rows[2], "barcodes");
  ASSERT_NE(barcode, nullptr);
  EXPECT_NE(barcode->message.find("line 2"), std::string::npos) << barcode->message;
  EXPECT_EQ(a.summary.errors, 2u);
}

TEST(ProductCsv, ABarcodeOfAnotherProductNamesIt) {
  const auto a = pc::analyse("sku,name,price,barcodes\nB1,Bread,1.00,5000000000011\n", catalog());
  const auto* e = error_in(a.rows[0], "barcodes");
  ASSERT_NE(e, nullptr);
  EXPECT_NE(e->message.find("Milk 1 L"), std::string::npos) << e->message;
}

TEST(ProductCsv, AnUnknownTaxCodeIsAnError) {
  const auto a = pc::analyse("name,price,tax_code\nBread,1.00,GST\n", catalog());
  const auto* e = error_in(a.rows[0], "tax_code");
  ASSERT_NE(e, nullptr);
  EXPECT_NE(e->message.find("GST"), std::string::npos);
}

TEST(ProductCsv, RowsAreMatchedByIdThenSkuThenFirstBarcode) {
  const auto by_barcode = pc::analyse("name,price,barcodes\nMilk 1 L,1500.00,5000000000011\n", catalog());
  ASSERT_TRUE(by_barcode.ok());
  EXPECT_EQ(by_barcode.rows[0].outcome, pc::Outcome::unchanged);
  const auto by_id =
      pc::analyse("id,name,price\n0190a1b2-0000-7000-8000-000000000001,Milk one litre,1500.00\n", catalog());
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id.rows[0].outcome, pc::Outcome::updated);
  const auto unknown_id = pc::analyse("id,name,price\n0190a1b2-0000-7000-8000-000000000999,X,1.00\n", catalog());
  EXPECT_NE(error_in(unknown_id.rows[0], "id"), nullptr);
}

TEST(ProductCsv, AWrongFieldCountIsAnErrorOnItsLine) {
  const auto a = pc::analyse("name,price\nBread,1.00,extra\n", catalog());
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.rows[0].line, 2u);
}

TEST(ProductCsv, JunkIsRefusedWithoutARowBeingPlanned) {
  std::string junk;
  for (std::uint32_t i = 0; i < 200000; ++i) junk += static_cast<char>((i * 104729U) % 256U);
  const auto a = pc::analyse(junk, catalog());
  EXPECT_FALSE(a.ok());
  EXPECT_TRUE(a.plan.creates.empty());
  EXPECT_LE(a.rows.size(), csv::kMaxReportedLines + 1);
}

TEST(ProductCsv, AFileOverTheLimitIsRefused) {
  const std::string big(csv::kMaxFileBytes + 1, 'a');
  const auto a = pc::analyse(big, catalog());
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.rows[0].errors[0].message.find("MiB"), std::string::npos);
}
