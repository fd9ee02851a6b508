// The product CSV over real HTTP (and the CLI): a dry run reports and writes
// nothing, an import with one bad row writes nothing, a good one reaches the
// tills' pull feed, junk is refused, export -> import changes nothing, and
// only the right roles and content types get in. Checked in the database.
#include <fstream>
#include <sstream>

#include "common_pg.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "salespider_process.hpp"
#include "store_http_support.hpp"

#include <pqxx/pqxx>

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kExample = std::string(SALESPIDER_SOURCE_DIR) + "/docs/examples/products.csv";

class ProductCsvHttp : public ::testing::Test, protected salespider::test::StoreOverHttp {
 protected:
  httplib::Result import(const std::string& body, const std::string& query, const std::string& type = "text/csv") {
    return client_->Post("/api/v1/products/import?" + query, manager_headers(), body, type.c_str());
  }
  nlohmann::json import_json(const std::string& body, const std::string& query, int expected_status) {
    auto r = import(body, query);
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, expected_status) << r->body.substr(0, 2000);
    return nlohmann::json::parse(r->body, nullptr, false);
  }
  std::string products() { return w_.sql_value("SELECT count(*) FROM products"); }
  std::string categories() { return w_.sql_value("SELECT count(*) FROM categories"); }
  // Every product change a till would pull from the start of the feed.
  std::string pulled_products() {
    std::string cursor;
    std::string all;
    for (int i = 0; i < 100; ++i) {
      auto r = client_->Get("/api/v1/sync/pull?protocol_version=1&limit=500&cursor=" + cursor, till_headers());
      EXPECT_EQ(r->status, 200) << r->body;
      auto page = salespider::decode_pull_page(r->body);
      EXPECT_TRUE(page.ok());
      if (!page.ok()) break;
      for (const auto& c : page->changes)
        if (c.entity == "product") all += c.data + "\n";
      cursor = page->next_cursor;
      if (page->changes.empty() && page->remaining == 0) break;
    }
    return all;
  }
};

}  // namespace

TEST_F(ProductCsvHttp, ADryRunListsEveryRowsOutcomeAndWritesNothing) {
  const auto body = import_json(read_file(kExample), "dry_run=1", 200);
  EXPECT_EQ(body["dry_run"], true);
  EXPECT_EQ(body["applied"], false);
  EXPECT_EQ(body["summary"]["created"], 15) << body.dump();
  EXPECT_EQ(body["summary"]["errors"], 0) << body.dump();
  EXPECT_GE(body["summary"]["categories_created"], 10);
  ASSERT_EQ(body["rows"].size(), 15u);
  EXPECT_EQ(body["rows"][0]["line"], 2);
  EXPECT_EQ(body["rows"][0]["outcome"], "created");
  EXPECT_EQ(body["rows"][0]["sku"], "MILK-1L");
  EXPECT_EQ(products(), "1") << "only the fixture's Rice";
  EXPECT_EQ(categories(), "0");
}

TEST_F(ProductCsvHttp, AnImportWithOneBadRowIsRefusedAndWritesNothing) {
  const auto file = read_file(kExample) + ",BAD-1,Bad price,,,\"1500,00\",,,each,yes,,yes,\n";
  const auto body = import_json(file, "dry_run=0", 422);
  EXPECT_EQ(body["applied"], false);
  EXPECT_EQ(body["summary"]["errors"], 1);
  bool found = false;
  for (const auto& row : body["rows"]) {
    if (row["outcome"] != "error") continue;
    found = true;
    EXPECT_EQ(row["line"], 17);
    EXPECT_EQ(row["errors"][0]["column"], "price");
    EXPECT_NE(row["errors"][0]["message"].get<std::string>().find("point"), std::string::npos);
  }
  EXPECT_TRUE(found) << body.dump();
  EXPECT_EQ(products(), "1");
  EXPECT_EQ(categories(), "0");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'product.import'"), "0");
}

TEST_F(ProductCsvHttp, AnAppliedImportWritesTheRowsAuditsThemAndReachesTheTills) {
  const auto body = import_json(read_file(kExample), "dry_run=0", 200);
  EXPECT_EQ(body["applied"], true);
  EXPECT_EQ(products(), "16");
  EXPECT_EQ(w_.sql_value("SELECT unit || ' ' || price_minor FROM products WHERE sku = 'CHEESE-CHED'"), "weighed 1280");
  EXPECT_EQ(w_.sql_value("SELECT string_agg(barcode, ' ' ORDER BY barcode) FROM barcodes b JOIN products p"
                         " ON p.id = b.product_id WHERE p.sku = 'MILK-500'"),
            "5012345678917 5012345678924");
  EXPECT_EQ(w_.sql_value("SELECT c.name || ' < ' || parent.name FROM products p JOIN categories c ON c.id ="
                         " p.category_id JOIN categories parent ON parent.id = c.parent_id WHERE p.sku = 'MILK-1L'"),
            "Milk < Dairy");
  EXPECT_EQ(w_.sql_value("SELECT description FROM products WHERE sku = 'WATER-1500'"), "The \"family\" pack");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM price_history h JOIN products p ON p.id = h.product_id"
                         " WHERE p.sku IS DISTINCT FROM 'RICE-1KG'"),
            "15");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'product.import'"), "1");
  EXPECT_EQ(w_.sql_value("SELECT detail->>'file_sha256' FROM audit_log WHERE action = 'product.import'"),
            body["file_sha256"].get<std::string>());
  const auto feed = pulled_products();
  EXPECT_NE(feed.find("Fresh milk 1 L"), std::string::npos);
  EXPECT_NE(feed.find("5012345678924"), std::string::npos) << "barcodes travel with the product";

  // A changed price: updated, a price_history row, and the tills see it.
  auto file = read_file(kExample);
  file.replace(file.find("1.45,0.98"), 9, "1.55,0.98");
  const auto again = import_json(file, "dry_run=0", 200);
  EXPECT_EQ(again["summary"]["updated"], 1) << again.dump();
  EXPECT_EQ(again["summary"]["unchanged"], 14);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM price_history h JOIN products p ON p.id = h.product_id"
                         " WHERE p.sku = 'MILK-1L'"),
            "2");
  EXPECT_NE(pulled_products().find("\"price_minor\":155"), std::string::npos);
}

TEST_F(ProductCsvHttp, TenMegabytesOfJunkGetAClearErrorAndChangeNothing) {
  std::string junk(10 * 1024 * 1024, '\0');
  std::uint64_t x = 88172645463325252ULL;
  for (auto& c : junk) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x & 0xFF);
  }
  const auto body = import_json(junk, "dry_run=0", 422);
  ASSERT_TRUE(body.is_object());
  ASSERT_FALSE(body["rows"].empty());
  EXPECT_NE(body["rows"][0]["errors"][0]["message"].get<std::string>().find("UTF-8"), std::string::npos)
      << body["rows"][0].dump();
  EXPECT_EQ(products(), "1");

  // The big body is this route's alone: another route keeps the server's limit.
  auto other = client_->Post("/api/v1/auth/login", std::string(2 * 1024 * 1024, ' '), "application/json");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 413);
}

TEST_F(ProductCsvHttp, AnExportImportedAgainIsUnchangedRowForRow) {
  import_json(read_file(kExample), "dry_run=0", 200);
  auto exported = client_->Get("/api/v1/products/export.csv?archived=all", manager_headers());
  ASSERT_TRUE(exported);
  ASSERT_EQ(exported->status, 200) << exported->body;
  EXPECT_EQ(exported->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(exported->body.rfind("id,sku,name,barcodes,category,price,cost,tax_code,unit,track_stock,low_stock,active,"
                                 "description\r\n",
                                 0),
            0u);
  EXPECT_NE(exported->body.find("\"Brown loaf, sliced\""), std::string::npos);
  EXPECT_NE(exported->body.find("Dairy > Cheese,12.80,8.40,VAT,weighed,yes,0.5,yes"), std::string::npos)
      << exported->body;
  const auto body = import_json(exported->body, "dry_run=1", 200);
  EXPECT_EQ(body["summary"]["unchanged"], 16) << body.dump();
  EXPECT_EQ(body["summary"]["created"], 0);
  EXPECT_EQ(body["summary"]["updated"], 0);
  EXPECT_EQ(body["summary"]["errors"], 0);

  // A browser takes br: the export is gzipped by httplib, never brotli 11
  // (40 s of CPU for 100,000 products; json_compression.hpp).
  auto headers = manager_headers();
  headers.emplace("Accept-Encoding", "gzip, deflate, br");
  auto browser = client_->Get("/api/v1/products/export.csv?archived=all", headers);
  ASSERT_EQ(browser->status, 200);
  EXPECT_NE(browser->get_header_value("Content-Encoding"), "br");
  EXPECT_EQ(browser->body, exported->body);

  // Filters apply: only the weighed cheese matches "chedd".
  auto filtered = client_->Get("/api/v1/products/export.csv?q=chedd", manager_headers());
  ASSERT_EQ(filtered->status, 200);
  EXPECT_EQ(std::count(filtered->body.begin(), filtered->body.end(), '\n'), 2) << filtered->body;
  EXPECT_EQ(client_->Get("/api/v1/products/export.csv?stock=plenty", manager_headers())->status, 400);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'product.export'"), "3");
}

TEST_F(ProductCsvHttp, ACashierMayNeitherImportNorExportAndTheBodyMustBeCsv) {
  const auto cashier = headers_of("cashier1");
  EXPECT_EQ(client_->Post("/api/v1/products/import?dry_run=1", cashier, "name,price\nX,1.00\n", "text/csv")->status,
            403);
  EXPECT_EQ(client_->Get("/api/v1/products/export.csv", cashier)->status, 403);
  EXPECT_EQ(import("{\"name\":\"X\"}", "dry_run=1", "application/json")->status, 415);
  EXPECT_EQ(import("name,price\nX,1.00\n", "dry_run=1", "text/csv; charset=iso-8859-1")->status, 415);
  EXPECT_EQ(import("name,price\nX,1.00\n", "dry_run=maybe")->status, 400);
}

TEST(ProductCsvCli, ImportDryRunJsonReportsTheExampleFile) {
  testpg::TempDatabase db;
  const auto url = testpg::url_for(db.name());
  if (url.empty()) GTEST_SKIP() << "needs the embedded test cluster";
  {
    salespider::db::Database owner(db.conninfo(), 1);
    salespider::db::migrate(owner.pool());
    pqxx::connection c(db.conninfo());
    pqxx::work tx(c);
    tx.exec0("INSERT INTO tax_rates (store_id, code, kind, rate_ppm) SELECT id, 'VAT', 'standard', 75000 FROM stores");
    tx.commit();
  }
  testpg::TempDir dir("salespider-csv-cli");
  salespider::test::SalespiderProcess cli(
      dir.path(), {"product", "import", kExample, "--dry-run", "--json", "--data-path", "data"},
      {"DATABASE_URL=" + url});
  EXPECT_EQ(cli.wait(), 0) << cli.output();
  const auto out = cli.output();
  // The report is the pretty-printed object; log lines are one-line JSON.
  const auto start = out.find("{\n");
  ASSERT_NE(start, std::string::npos) << out;
  const auto json = nlohmann::json::parse(out.substr(start, out.find("\n}", start) + 2 - start), nullptr, false);
  ASSERT_TRUE(json.is_object()) << out;
  EXPECT_EQ(json["summary"]["created"], 15);
  EXPECT_EQ(json["rows"].size(), 15u);
  pqxx::connection c(db.conninfo());
  pqxx::read_transaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM products")[0].as<int>(), 0) << "a dry run writes nothing";

  salespider::test::SalespiderProcess bad(dir.path(), {"product", "import", "no-such.csv", "--data-path", "data"},
                                          {"DATABASE_URL=" + url});
  EXPECT_EQ(bad.wait(), 2) << bad.output();
}
