// The back office's catalog over real HTTP and a real database: products
// (list filters, create, edit, archive, barcodes, price history), categories
// and tax rates, as a manager; what a cashier is refused; stale writes; and
// that a catalog change reaches the tills' pull feed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "db/audit.hpp"
#include "store_http_support.hpp"

namespace {

using nlohmann::json;
using salespider::test::StoreOverHttp;

class CatalogHttp : public ::testing::Test, public StoreOverHttp {
 protected:
  struct Answer {
    int status = 0;
    json body;
  };

  Answer call(const std::string& method, const std::string& path, const json& body = json::object(),
              const httplib::Headers* headers = nullptr) {
    const auto h = headers ? *headers : manager();
    auto r = method == "GET"     ? client_->Get(path, h)
             : method == "POST"  ? client_->Post(path, h, body.dump(), "application/json")
             : method == "PATCH" ? client_->Patch(path, h, body.dump(), "application/json")
                                 : client_->Delete(path, h);
    EXPECT_TRUE(r) << method << " " << path;
    if (!r) return {};
    Answer a{r->status, json()};
    if (!r->body.empty()) a.body = json::parse(r->body, nullptr, false);
    return a;
  }

  const httplib::Headers& manager() {
    if (manager_h_.empty()) manager_h_ = manager_headers();
    return manager_h_;
  }

  json add_product(json body) {
    auto a = call("POST", "/api/v1/products", body);
    EXPECT_EQ(a.status, 201) << a.body.dump();
    return a.body;
  }

  std::vector<std::string> names(const std::string& query) {
    auto a = call("GET", "/api/v1/products" + query);
    EXPECT_EQ(a.status, 200) << query << " " << a.body.dump();
    std::vector<std::string> out;
    for (const auto& p : a.body["products"]) out.push_back(p["name"]);
    return out;
  }

  // The pull cursor after everything there is now.
  std::string pull_to_end() {
    std::string cursor;
    for (int i = 0; i < 100; ++i) {
      auto r = client_->Get("/api/v1/sync/pull?protocol_version=1&limit=500&cursor=" + cursor, till_headers());
      EXPECT_EQ(r->status, 200);
      auto page = salespider::decode_pull_page(r->body);
      EXPECT_TRUE(page.ok());
      cursor = page->next_cursor;
      if (page->changes.empty() && page->remaining == 0) break;
    }
    return cursor;
  }

  std::vector<salespider::Change> pull_from(const std::string& cursor) {
    auto r = client_->Get("/api/v1/sync/pull?protocol_version=1&limit=500&cursor=" + cursor, till_headers());
    EXPECT_EQ(r->status, 200);
    auto page = salespider::decode_pull_page(r->body);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->changes : std::vector<salespider::Change>{};
  }

  httplib::Headers manager_h_;
};

TEST_F(CatalogHttp, AManagerAddsAProductAndReadsItBackWithItsFirstPrice) {
  auto p = add_product({{"name", "Milk 1 L"},
                        {"sku", "MILK-1"},
                        {"barcodes", {"5000000000011"}},
                        {"price_minor", 1500},
                        {"cost_minor", 900},
                        {"low_stock_milli", 5000}});
  EXPECT_EQ(p["name"], "Milk 1 L");
  EXPECT_EQ(p["currency"], currency_);
  EXPECT_EQ(p["barcodes"], json::array({"5000000000011"}));
  EXPECT_EQ(p["stock_status"], "out");
  EXPECT_EQ(p["on_hand_milli"], 0);
  EXPECT_EQ(p["archived"], false);
  EXPECT_TRUE(p["category_id"].is_null());
  auto got = call("GET", "/api/v1/products/" + p["id"].get<std::string>());
  ASSERT_EQ(got.status, 200);
  ASSERT_EQ(got.body["price_history"].size(), 1u);
  EXPECT_EQ(got.body["price_history"][0]["price_minor"], 1500);
  EXPECT_EQ(got.body["price_history"][0]["cost_minor"], 900);
  EXPECT_EQ(got.body["price_history"][0]["changed_by"], manager_.display_name);
  EXPECT_EQ(call("GET", "/api/v1/products/00000000-0000-0000-0000-000000000000").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/products/not-an-id").status, 404);
}

TEST_F(CatalogHttp, APriceChangeAddsToThePriceHistoryAndIsAuditedWithBeforeAndAfter) {
  auto p = add_product({{"name", "Bread"}, {"price_minor", 800}});
  const std::string id = p["id"];
  auto edited = call("PATCH", "/api/v1/products/" + id, {{"row_version", p["row_version"]}, {"price_minor", 850}});
  ASSERT_EQ(edited.status, 200) << edited.body.dump();
  EXPECT_EQ(edited.body["price_minor"], 850);
  EXPECT_GT(edited.body["row_version"].get<std::int64_t>(), p["row_version"].get<std::int64_t>());
  auto got = call("GET", "/api/v1/products/" + id);
  ASSERT_EQ(got.body["price_history"].size(), 2u);
  EXPECT_EQ(got.body["price_history"][0]["price_minor"], 850);  // newest first
  // A name change is not a price change.
  auto renamed = call("PATCH", "/api/v1/products/" + id, {{"row_version", edited.body["row_version"]}, {"name", "Loaf"}});
  ASSERT_EQ(renamed.status, 200);
  EXPECT_EQ(call("GET", "/api/v1/products/" + id).body["price_history"].size(), 2u);

  salespider::db::AuditFilter f;
  f.entity_id = id;
  f.action_prefix = "product.update";
  const auto rows = salespider::db::find_audit_rows(w_.pool(), manager_.store_id, f, 0, 10);
  ASSERT_EQ(rows.size(), 2u);
  const auto detail = json::parse(rows.back().detail);  // the price change (oldest)
  EXPECT_EQ(detail["before"]["price_minor"], 800);
  EXPECT_EQ(detail["after"]["price_minor"], 850);
  EXPECT_EQ(rows.back().actor_user_id, manager_.id);
}

TEST_F(CatalogHttp, AStaleRowVersionIs409WithTheRowAsItIsNow) {
  auto p = add_product({{"name", "Tea"}, {"price_minor", 500}});
  const std::string id = p["id"];
  ASSERT_EQ(call("PATCH", "/api/v1/products/" + id, {{"row_version", p["row_version"]}, {"name", "Green tea"}}).status,
            200);
  auto stale = call("PATCH", "/api/v1/products/" + id, {{"row_version", p["row_version"]}, {"name", "Black tea"}});
  ASSERT_EQ(stale.status, 409) << stale.body.dump();
  EXPECT_EQ(stale.body["error"]["code"], "conflict");
  EXPECT_EQ(stale.body["error"]["field"], "row_version");
  EXPECT_EQ(stale.body["error"]["current"]["name"], "Green tea");
  EXPECT_EQ(call("GET", "/api/v1/products/" + id).body["name"], "Green tea");
  EXPECT_EQ(call("POST", "/api/v1/products/" + id + "/archive", {{"row_version", p["row_version"]}}).status, 409);
}

TEST_F(CatalogHttp, ABarcodeOfAnotherProductIsRefusedNamingThatProduct) {
  auto taken = call("POST", "/api/v1/products", {{"name", "Fake rice"}, {"price_minor", 1}, {"barcodes", {"2000000000017"}}});
  ASSERT_EQ(taken.status, 409) << taken.body.dump();
  EXPECT_EQ(taken.body["error"]["field"], "barcodes");
  EXPECT_EQ(taken.body["error"]["message"], "barcode 2000000000017 is used by Rice");
  EXPECT_EQ(taken.body["error"]["other_product"]["id"], product_);
  EXPECT_EQ(taken.body["error"]["other_product"]["name"], "Rice");
  // Replacing a product's list: its own barcodes may stay, others' may not.
  auto p = add_product({{"name", "Beans"}, {"price_minor", 300}, {"barcodes", {"111", "222"}}});
  auto replaced = call("PATCH", "/api/v1/products/" + p["id"].get<std::string>(),
                       {{"row_version", p["row_version"]}, {"barcodes", {"222", "333"}}});
  ASSERT_EQ(replaced.status, 200) << replaced.body.dump();
  EXPECT_EQ(replaced.body["barcodes"], json::array({"222", "333"}));
  auto clash = call("PATCH", "/api/v1/products/" + p["id"].get<std::string>(),
                    {{"row_version", replaced.body["row_version"]}, {"barcodes", {"2000000000017"}}});
  EXPECT_EQ(clash.status, 409);
  EXPECT_EQ(clash.body["error"]["other_product"]["name"], "Rice");
  EXPECT_EQ(names("?q=333"), std::vector<std::string>{"Beans"});
}

TEST_F(CatalogHttp, BadBodiesAre4xxNamingTheFieldAndChangeNothing) {
  auto unknown = call("POST", "/api/v1/products", {{"name", "X"}, {"price_minor", 1}, {"prise_minor", 2}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body["error"]["field"], "prise_minor");
  auto wrong_type = call("POST", "/api/v1/products", {{"name", "X"}, {"price_minor", "1500.00"}});
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(wrong_type.body["error"]["field"], "price_minor");
  auto missing = call("POST", "/api/v1/products", {{"name", "X"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.body["error"]["field"], "price_minor");
  auto bad_name = call("POST", "/api/v1/products", {{"name", ""}, {"price_minor", 1}});
  EXPECT_EQ(bad_name.status, 422);
  EXPECT_EQ(bad_name.body["error"]["field"], "name");
  auto negative = call("POST", "/api/v1/products", {{"name", "X"}, {"price_minor", -1}});
  EXPECT_EQ(negative.status, 422);
  EXPECT_EQ(negative.body["error"]["field"], "price_minor");
  auto bad_unit = call("POST", "/api/v1/products", {{"name", "X"}, {"price_minor", 1}, {"unit", "kg"}});
  EXPECT_EQ(bad_unit.body["error"]["field"], "unit");
  auto no_category = call("POST", "/api/v1/products",
                          {{"name", "X"}, {"price_minor", 1}, {"category_id", "00000000-0000-0000-0000-000000000001"}});
  EXPECT_EQ(no_category.status, 422);
  EXPECT_EQ(no_category.body["error"]["field"], "category_id");
  auto no_version = call("PATCH", "/api/v1/products/" + product_, {{"name", "Y"}});
  EXPECT_EQ(no_version.status, 400);
  EXPECT_EQ(no_version.body["error"]["field"], "row_version");
  auto dup_sku = call("POST", "/api/v1/products", {{"name", "X"}, {"price_minor", 1}, {"sku", "rice-1kg"}});
  EXPECT_EQ(dup_sku.status, 409);
  EXPECT_EQ(dup_sku.body["error"]["field"], "sku");
  EXPECT_EQ(call("GET", "/api/v1/products?q=X").body["total"], 0);
}

TEST_F(CatalogHttp, TheListFiltersByTextCategoryStockAndArchivedAndSortsAndPages) {
  auto drinks = call("POST", "/api/v1/categories", {{"name", "Drinks"}}).body;
  auto soft = call("POST", "/api/v1/categories", {{"name", "Soft"}, {"parent_id", drinks["id"]}}).body;
  EXPECT_EQ(soft["path"], "Drinks / Soft");
  add_product({{"name", "Cola 330 ml"}, {"sku", "COLA-330"}, {"price_minor", 700}, {"category_id", soft["id"]}});
  add_product({{"name", "Water"}, {"sku", "WAT-1"}, {"price_minor", 300}, {"category_id", drinks["id"]},
               {"barcodes", {"4006381333931"}}});
  add_product({{"name", "Gift card"}, {"price_minor", 5000}, {"track_stock", false}});
  auto old = add_product({{"name", "Old cola"}, {"price_minor", 100}});
  ASSERT_EQ(call("POST", "/api/v1/products/" + old["id"].get<std::string>() + "/archive",
                 {{"row_version", old["row_version"]}})
                .status,
            200);

  EXPECT_EQ(names("?q=COLA"), std::vector<std::string>{"Cola 330 ml"});    // name anywhere, any case
  EXPECT_EQ(names("?q=wat-"), std::vector<std::string>{"Water"});          // SKU prefix
  EXPECT_EQ(names("?q=400638"), std::vector<std::string>{"Water"});        // barcode prefix
  EXPECT_EQ(names("?q=6381").size(), 0u);                                  // not inside a barcode
  EXPECT_EQ(names("?q=%25").size(), 0u);                                   // % is literal
  EXPECT_EQ(names("?category_id=" + drinks["id"].get<std::string>() + "&sort=name"),
            (std::vector<std::string>{"Cola 330 ml", "Water"}));           // with subcategories
  EXPECT_EQ(names("?category_id=" + soft["id"].get<std::string>()), std::vector<std::string>{"Cola 330 ml"});
  EXPECT_EQ(names("?stock=not_tracked"), std::vector<std::string>{"Gift card"});
  EXPECT_EQ(names("?archived=only"), std::vector<std::string>{"Old cola"});
  EXPECT_EQ(names("?archived=all&q=cola").size(), 2u);
  EXPECT_EQ(names("?sort=price&order=desc&limit=2"), (std::vector<std::string>{"Gift card", "Rice"}));
  auto page = call("GET", "/api/v1/products?sort=name&offset=1&limit=2");
  EXPECT_EQ(page.body["total"], 4);
  EXPECT_EQ(page.body["offset"], 1);
  EXPECT_EQ(page.body["limit"], 2);
  ASSERT_EQ(page.body["products"].size(), 2u);
  EXPECT_EQ(page.body["products"][0]["name"], "Gift card");
  EXPECT_EQ(page.body["products"][0]["category_name"], nullptr);
  EXPECT_EQ(names("?q=wat")[0], "Water");
  EXPECT_EQ(call("GET", "/api/v1/products?q=water").body["products"][0]["category_name"], "Drinks");
}

TEST_F(CatalogHttp, BadListQueriesAre400NamingTheParameter) {
  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"stock=plenty", "stock"},
           {"archived=yes", "archived"},
           {"sort=colour", "sort"},
           {"order=up", "order"},
           {"limit=0", "limit"},
           {"limit=501", "limit"},
           {"limit=ten", "limit"},
           {"offset=-1", "offset"},
           {"category_id=drinks", "category_id"},
           {"serach=milk", "serach"}}) {
    auto a = call("GET", "/api/v1/products?" + query);
    EXPECT_EQ(a.status, 400) << query;
    EXPECT_EQ(a.body["error"]["field"], field) << query << " " << a.body.dump();
  }
  EXPECT_EQ(call("GET", "/api/v1/categories?archived=maybe").status, 400);
}

TEST_F(CatalogHttp, ACashierMayNotManageTheCatalog) {
  const auto cashier = headers_of("cashier1");
  EXPECT_EQ(call("GET", "/api/v1/products", {}, &cashier).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/products", {{"name", "X"}, {"price_minor", 1}}, &cashier).status, 403);
  EXPECT_EQ(call("PATCH", "/api/v1/products/" + product_, {{"row_version", 1}, {"price_minor", 1}}, &cashier).status,
            403);
  EXPECT_EQ(call("GET", "/api/v1/categories", {}, &cashier).status, 403);
  EXPECT_EQ(call("GET", "/api/v1/tax-rates", {}, &cashier).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/tax-rates", {{"code", "X"}, {"kind", "zero"}, {"rate_ppm", 0}}, &cashier).status,
            403);
  EXPECT_EQ(call("GET", "/api/v1/products/" + product_).body["price_minor"], 1000);
}

TEST_F(CatalogHttp, APriceChangeNeedsManagePricesEvenWhereProductsMayBeEdited) {
  // No shipped role has manage_products without manage_prices, so the rule
  // is checked at the service, as a role without it.
  auto& catalog = w_.services().catalog();
  auto current = catalog.get_product(manager_.store_id, product_);
  ASSERT_TRUE(current.ok());
  salespider::service::ProductPatch patch;
  patch.price_minor = 1;
  auto refused = catalog.update_product(manager_.store_id, product_, current->row_version, patch,
                                        salespider::auth::Role::cashier, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().problem, salespider::service::Problem::forbidden);
  EXPECT_EQ(refused.error().field, "price_minor");
  salespider::service::ProductPatch rename;
  rename.name = "Rice 1 kg";
  EXPECT_TRUE(catalog.update_product(manager_.store_id, product_, current->row_version, rename,
                                     salespider::auth::Role::manager, {})
                  .ok());
}

TEST_F(CatalogHttp, ArchiveAndRestoreAProduct) {
  auto p = add_product({{"name", "Jam"}, {"sku", "JAM"}, {"price_minor", 400}});
  const std::string id = p["id"];
  auto archived = call("POST", "/api/v1/products/" + id + "/archive", {{"row_version", p["row_version"]}});
  ASSERT_EQ(archived.status, 200);
  EXPECT_EQ(archived.body["archived"], true);
  EXPECT_FALSE(archived.body["archived_at"].is_null());
  EXPECT_EQ(names("?q=jam").size(), 0u);
  // Its SKU is free again while it is archived; restoring then collides.
  auto other = add_product({{"name", "Jam 2"}, {"sku", "JAM"}, {"price_minor", 450}});
  auto clash = call("POST", "/api/v1/products/" + id + "/restore", {{"row_version", archived.body["row_version"]}});
  EXPECT_EQ(clash.status, 409);
  EXPECT_EQ(clash.body["error"]["field"], "sku");
  ASSERT_EQ(call("POST", "/api/v1/products/" + other["id"].get<std::string>() + "/archive",
                 {{"row_version", other["row_version"]}})
                .status,
            200);
  auto restored = call("POST", "/api/v1/products/" + id + "/restore", {{"row_version", archived.body["row_version"]}});
  ASSERT_EQ(restored.status, 200) << restored.body.dump();
  EXPECT_EQ(restored.body["archived"], false);
  EXPECT_EQ(names("?q=jam"), std::vector<std::string>{"Jam"});
  EXPECT_EQ(call("POST", "/api/v1/products/" + id + "/archive", {{"row_version", "1"}}).status, 400);
}

TEST_F(CatalogHttp, CategoriesNestMoveRefuseCyclesAndArchive) {
  auto drinks = call("POST", "/api/v1/categories", {{"name", "Drinks"}}).body;
  auto soft = call("POST", "/api/v1/categories", {{"name", "Soft"}, {"parent_id", drinks["id"]}}).body;
  const std::string d = drinks["id"], s = soft["id"];
  EXPECT_EQ(call("POST", "/api/v1/categories", {{"name", "soft"}, {"parent_id", d}}).status, 409);
  auto cycle = call("PATCH", "/api/v1/categories/" + d, {{"row_version", drinks["row_version"]}, {"parent_id", s}});
  EXPECT_EQ(cycle.status, 422);
  EXPECT_EQ(cycle.body["error"]["field"], "parent_id");
  auto self = call("PATCH", "/api/v1/categories/" + d, {{"row_version", drinks["row_version"]}, {"parent_id", d}});
  EXPECT_EQ(self.status, 422);
  auto top = call("PATCH", "/api/v1/categories/" + s, {{"row_version", soft["row_version"]}, {"parent_id", nullptr}});
  ASSERT_EQ(top.status, 200) << top.body.dump();
  EXPECT_EQ(top.body["path"], "Soft");
  EXPECT_TRUE(top.body["parent_id"].is_null());
  auto back = call("PATCH", "/api/v1/categories/" + s, {{"row_version", top.body["row_version"]}, {"parent_id", d}});
  ASSERT_EQ(back.status, 200);
  EXPECT_EQ(call("PATCH", "/api/v1/categories/" + s, {{"row_version", top.body["row_version"]}, {"name", "X"}}).status,
            409);
  // A parent with live subcategories stays.
  auto refused = call("POST", "/api/v1/categories/" + d + "/archive", {{"row_version", drinks["row_version"]}});
  EXPECT_EQ(refused.status, 409);
  auto archived = call("POST", "/api/v1/categories/" + s + "/archive", {{"row_version", back.body["row_version"]}});
  ASSERT_EQ(archived.status, 200);
  EXPECT_EQ(archived.body["archived"], true);
  auto list = call("GET", "/api/v1/categories");
  ASSERT_EQ(list.body["categories"].size(), 1u);
  EXPECT_EQ(call("GET", "/api/v1/categories?archived=all").body["categories"].size(), 2u);
  auto restored = call("POST", "/api/v1/categories/" + s + "/restore", {{"row_version", archived.body["row_version"]}});
  EXPECT_EQ(restored.status, 200);
  EXPECT_EQ(call("POST", "/api/v1/categories", {{"name", "X"}, {"sort_order", "1"}}).status, 400);
}

TEST_F(CatalogHttp, AProductOfAnArchivedCategoryStaysInTheFeedAndSellable) {
  auto food = call("POST", "/api/v1/categories", {{"name", "Food"}}).body;
  auto rice = call("GET", "/api/v1/products/" + product_).body;
  ASSERT_EQ(call("PATCH", "/api/v1/products/" + product_, {{"row_version", rice["row_version"]}, {"category_id", food["id"]}})
                .status,
            200);
  auto listed = call("GET", "/api/v1/categories");
  EXPECT_EQ(listed.body["categories"][0]["product_count"], 1);
  ASSERT_EQ(call("POST", "/api/v1/categories/" + food["id"].get<std::string>() + "/archive",
                 {{"row_version", food["row_version"]}})
                .status,
            200);
  bool product_live = false;
  for (const auto& c : pull_from("")) {
    if (c.entity == "product" && c.id == product_) product_live = !c.deleted;
  }
  EXPECT_TRUE(product_live);
  const auto results = push({sale(1, 1000)}).results;
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, salespider::OpStatus::applied);
  EXPECT_EQ(results[0].message.find("unknown_product"), std::string::npos) << results[0].message;
  EXPECT_EQ(call("GET", "/api/v1/products/" + product_).body["category_name"], "Food");
}

TEST_F(CatalogHttp, AProductChangeReachesTheTillsPullFeed) {
  const auto cursor = pull_to_end();
  auto rice = call("GET", "/api/v1/products/" + product_).body;
  ASSERT_EQ(call("PATCH", "/api/v1/products/" + product_,
                 {{"row_version", rice["row_version"]}, {"name", "Basmati rice"}, {"barcodes", {"2000000000017", "77"}}})
                .status,
            200);
  const auto changes = pull_from(cursor);
  ASSERT_FALSE(changes.empty());
  const auto& last = changes.back();
  EXPECT_EQ(last.entity, "product");
  EXPECT_EQ(last.id, product_);
  EXPECT_NE(last.data.find("Basmati rice"), std::string::npos) << last.data;
  EXPECT_NE(last.data.find("\"77\""), std::string::npos) << last.data;
}

TEST_F(CatalogHttp, TaxRatesAreAddedEditedRetiredAndDeletedOnlyWhenUnused) {
  auto list = call("GET", "/api/v1/tax-rates");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body["price_mode"], "tax_inclusive");
  ASSERT_EQ(list.body["tax_rates"].size(), 1u);
  auto vat = list.body["tax_rates"][0];
  EXPECT_EQ(vat["code"], "VAT");
  EXPECT_EQ(vat["products_using"], 1);

  auto bad_rate = call("POST", "/api/v1/tax-rates", {{"code", "Z"}, {"kind", "zero"}, {"rate_ppm", 5}});
  EXPECT_EQ(bad_rate.status, 422);
  EXPECT_EQ(bad_rate.body["error"]["field"], "rate_ppm");
  auto bad_kind = call("POST", "/api/v1/tax-rates", {{"code", "Z"}, {"kind", "none"}, {"rate_ppm", 0}});
  EXPECT_EQ(bad_kind.body["error"]["field"], "kind");
  EXPECT_EQ(call("POST", "/api/v1/tax-rates", {{"code", "VAT"}, {"kind", "zero"}, {"rate_ppm", 0}}).status, 409);

  auto red = call("POST", "/api/v1/tax-rates", {{"code", "VAT-R"}, {"name", "Reduced"}, {"kind", "reduced"}, {"rate_ppm", 50000}});
  ASSERT_EQ(red.status, 201) << red.body.dump();
  const std::string id = red.body["id"];
  auto edited = call("PATCH", "/api/v1/tax-rates/" + id, {{"row_version", red.body["row_version"]}, {"rate_ppm", 60000}});
  ASSERT_EQ(edited.status, 200);
  EXPECT_EQ(edited.body["rate_ppm"], 60000);
  auto retired = call("POST", "/api/v1/tax-rates/" + id + "/retire", {{"row_version", edited.body["row_version"]}});
  ASSERT_EQ(retired.status, 200);
  EXPECT_EQ(retired.body["is_active"], false);
  auto back = call("POST", "/api/v1/tax-rates/" + id + "/reactivate", {{"row_version", retired.body["row_version"]}});
  ASSERT_EQ(back.status, 200);
  EXPECT_EQ(back.body["is_active"], true);

  const std::string vat_id = vat["id"];
  auto in_use = call("DELETE", "/api/v1/tax-rates/" + vat_id + "?row_version=" + std::to_string(vat["row_version"].get<int>()));
  EXPECT_EQ(in_use.status, 409);
  EXPECT_NE(in_use.body["error"]["message"].get<std::string>().find("retire it instead"), std::string::npos);
  EXPECT_EQ(call("DELETE", "/api/v1/tax-rates/" + id).status, 400);
  EXPECT_EQ(call("DELETE", "/api/v1/tax-rates/" + id + "?row_version=1").status, 409);  // stale
  EXPECT_EQ(call("DELETE", "/api/v1/tax-rates/" + id + "?row_version=" +
                               std::to_string(back.body["row_version"].get<int>()))
                .status,
            200);
  EXPECT_EQ(call("GET", "/api/v1/tax-rates").body["tax_rates"].size(), 1u);
}

}  // namespace
