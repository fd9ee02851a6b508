// Catalog reads (store/catalog.hpp) over rows stored the way sync stores
// them: the server's entity data goes through the ChangeApplier first, so
// these tests also pin the field names and types of the pull feed.
#include "sync_test_support.hpp"

#include "store/catalog.hpp"
#include "sync/apply_changes.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace salespider;
using namespace salespider::sync;
using namespace salespider::sync::testing;
using salespider::store::find_product_by_barcode;
using salespider::store::find_product_by_sku;
using salespider::store::search_products;

namespace {

const std::string kVat = "0190f3a0-4444-4000-8000-000000000001";

struct Catalog : SyncRig {
  Catalog() : SyncRig(false) {}

  void apply(const std::vector<Change>& changes) {
    ChangeApplier applier(*store);
    auto s = store->transaction([&](store::Database&) -> store::Status {
      for (const Change& c : changes) {
        std::string why;
        auto r = applier.apply(c, why);
        if (!r) return r.error();
        EXPECT_NE(r.value(), ApplyOutcome::invalid) << c.entity << " " << c.id << ": " << why;
      }
      return {};
    });
    ASSERT_TRUE(s.ok()) << s.error().context;
  }

  void seed() {
    apply({
        upsert("tax_rate", kVat, 1,
               R"({"code":"VAT","is_active":true,"kind":"standard","name":"Value added tax","rate_ppm":75000})"),
        upsert("product", product_id(1), 1, product_data("Rice 5kg", 550000, "RICE-5", {"6001234500017", "6001234500024"})),
        upsert("product", product_id(2), 1, product_data("Rice flour", 120000, "FLOUR-1")),
        upsert("product", product_id(3), 1, product_data("Red beans", 90000, "RB-1")),
        upsert("product", product_id(4), 1, product_data("Rice cakes", 30000, "RC-1")),
        upsert("stock_level", product_id(1), 3, R"({"on_hand_milli":12000})"),
    });
  }
};

}  // namespace

TEST(Catalog, ABarcodeFindsItsProductWithTaxAndStock) {
  Catalog c;
  c.seed();
  auto p = find_product_by_barcode(c.store->db(), "6001234500024");
  ASSERT_TRUE(p.ok()) << p.error().context;
  ASSERT_TRUE(p.value().has_value());
  const store::CatalogProduct& rice = *p.value();
  EXPECT_EQ(rice.id, product_id(1));
  EXPECT_EQ(rice.name, "Rice 5kg");
  EXPECT_EQ(rice.sku, "RICE-5");
  EXPECT_EQ(rice.price_minor, 550000);
  EXPECT_EQ(rice.currency, "NGN");
  EXPECT_EQ(rice.unit, "each");
  EXPECT_TRUE(rice.track_stock);
  EXPECT_TRUE(rice.is_active);
  EXPECT_EQ(rice.on_hand_milli, 12000);
  EXPECT_EQ(rice.tax_rate_id, kVat);
  EXPECT_EQ(rice.tax_code, "VAT");
  EXPECT_EQ(rice.tax_kind, "standard");
  EXPECT_EQ(rice.tax_rate_ppm, 75000);
  EXPECT_EQ(rice.barcode, "6001234500017") << "the first of its barcodes";
  EXPECT_EQ(rice.category_id, "");
  EXPECT_FALSE(find_product_by_barcode(c.store->db(), "999").value().has_value());
  auto flour = find_product_by_barcode(c.store->db(), "6001234500017");
  EXPECT_EQ(flour.value()->id, product_id(1));
  EXPECT_FALSE(find_product_by_sku(c.store->db(), "FLOUR-1").value()->on_hand_milli.has_value());
}

TEST(Catalog, AProductWhoseBarcodesChangedIsFoundOnlyByItsNewOnes) {
  Catalog c;
  c.seed();
  c.apply({upsert("product", product_id(1), 2, product_data("Rice 5kg", 560000, "RICE-5", {"6001234500031"}))});
  EXPECT_FALSE(find_product_by_barcode(c.store->db(), "6001234500017").value().has_value());
  EXPECT_EQ(find_product_by_barcode(c.store->db(), "6001234500031").value()->price_minor, 560000);
  // A barcode moved to another product stays with that one when the old owner changes later.
  c.apply({upsert("product", product_id(2), 2, product_data("Rice flour", 120000, "FLOUR-1", {"6001234500031"})),
           upsert("product", product_id(1), 3, product_data("Rice 5kg", 560000, "RICE-5", {}))});
  EXPECT_EQ(find_product_by_barcode(c.store->db(), "6001234500031").value()->id, product_id(2));
}

TEST(Catalog, SkuLookupIgnoresAsciiCase) {
  Catalog c;
  c.seed();
  auto p = find_product_by_sku(c.store->db(), "rice-5");
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p.value().has_value());
  EXPECT_EQ(p.value()->name, "Rice 5kg");
  EXPECT_FALSE(find_product_by_sku(c.store->db(), "RICE").value().has_value());
}

TEST(Catalog, SearchFindsNameAndSkuPrefixesNamesFirst) {
  Catalog c;
  c.seed();
  auto found = search_products(c.store->db(), "ric", 10);
  ASSERT_TRUE(found.ok()) << found.error().context;
  std::vector<std::string> names;
  for (const auto& p : found.value()) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Rice 5kg", "Rice cakes", "Rice flour"}));
  auto by_sku = search_products(c.store->db(), "rb-", 10);
  ASSERT_EQ(by_sku.value().size(), 1u);
  EXPECT_EQ(by_sku.value()[0].name, "Red beans");
  EXPECT_EQ(search_products(c.store->db(), "ric", 2).value().size(), 2u);
  EXPECT_EQ(search_products(c.store->db(), "", 3).value().size(), 3u);
  EXPECT_TRUE(search_products(c.store->db(), "zzz", 10).value().empty());
}

TEST(Catalog, SkuLookupUsesTheIndexNotAScan) {
  // Search's query shapes: catalog_search_test.cpp.
  Catalog c;
  c.seed();
  auto st = c.store->db().prepare(
      "EXPLAIN QUERY PLAN SELECT id FROM products p WHERE lower(p.sku) = 'rb-1' AND p.deleted = 0");
  ASSERT_TRUE(st.ok());
  std::string plan;
  while (st.value().step().value()) plan += st.value().text(3) + "\n";
  EXPECT_NE(plan.find("USING INDEX products_by_sku"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SCAN p\n"), std::string::npos) << plan;
}

TEST(Catalog, DeletedProductsAreNeverFoundAndInactiveOnesAreNotCounted) {
  Catalog c;
  c.seed();
  EXPECT_EQ(store::product_count(c.store->db()).value(), 4);
  std::string inactive = product_data("Red beans", 90000, "RB-1");
  inactive.replace(inactive.find("\"is_active\":true"), 16, "\"is_active\":false");
  c.apply({tombstone("product", product_id(4), 2), upsert("product", product_id(3), 2, inactive)});
  EXPECT_EQ(store::product_count(c.store->db()).value(), 2);
  EXPECT_FALSE(find_product_by_sku(c.store->db(), "RC-1").value().has_value());
  auto beans = find_product_by_sku(c.store->db(), "RB-1");
  ASSERT_TRUE(beans.value().has_value());
  EXPECT_FALSE(beans.value()->is_active);
}

TEST(Catalog, StoreSettingsReadTheSettingsEntityAsTheServerSendsIt) {
  Catalog c;
  EXPECT_FALSE(store::store_settings(c.store->db()).value().has_value());
  c.apply({upsert("settings", "0190f3a0-6666-4000-8000-000000000001", 2,
                  R"({"cash_rounding_minor":5,"currency":"NGN","enabled_tenders":["cash","card","mobile_money"],)"
                  R"("locale":"en-NG","offline_grant_hours":72,"price_mode":"tax_inclusive","receipt_footer":"Thanks",)"
                  R"("receipt_header":"Mama Put","store_name":"Mama Put Ikeja","time_zone":"Africa/Lagos"})")});
  auto s = store::store_settings(c.store->db());
  ASSERT_TRUE(s.ok()) << s.error().context;
  ASSERT_TRUE(s.value().has_value());
  const store::StoreSettingsRow& row = *s.value();
  EXPECT_EQ(row.store_name, "Mama Put Ikeja");
  EXPECT_EQ(row.currency, "NGN");
  EXPECT_EQ(row.time_zone, "Africa/Lagos");
  EXPECT_EQ(row.locale, "en-NG");
  EXPECT_EQ(row.price_mode, "tax_inclusive");
  EXPECT_EQ(row.receipt_header, "Mama Put");
  EXPECT_EQ(row.receipt_footer, "Thanks");
  EXPECT_EQ(row.cash_rounding_minor, 5);
  EXPECT_EQ(row.offline_grant_hours, 72);
  EXPECT_EQ(row.enabled_tenders, (std::vector<std::string>{"cash", "card", "mobile_money"}));
}

TEST(Catalog, ARevokedGrantIsRefusedEvenAfterItsTombstone) {
  Catalog c;
  const std::string g = "0190f3a0-7777-4000-8000-000000000001";
  EXPECT_FALSE(store::is_grant_revoked(c.store->db(), g).value());
  c.apply({upsert("revoked_grant", g, 1,
                  R"({"expires_at_ms":1732600000000,"revoked_at_ms":1732550000000,"user_id":"0190f3a0-2222-4000-8000-000000000002"})")});
  EXPECT_TRUE(store::is_grant_revoked(c.store->db(), g).value());
  c.apply({tombstone("revoked_grant", g, 2)});
  EXPECT_TRUE(store::is_grant_revoked(c.store->db(), g).value());
}

TEST(Catalog, UsersTaxRatesCategoriesAndStockLevelsKeepTheFeedsFields) {
  Catalog c;
  c.apply({upsert("user", kUserId, 4, R"({"display_name":"Ada O.","role":"cashier","username":"ada"})"),
           upsert("category", "0190f3a0-5555-4000-8000-000000000001", 2,
                  R"({"name":"Grains","parent_id":null,"sort_order":3})"),
           upsert("tax_rate", kVat, 2, R"({"code":"EXEMPT","is_active":false,"kind":"exempt","name":"","rate_ppm":0})"),
           upsert("stock_level", product_id(9), 7, R"({"on_hand_milli":-2500})")});
  EXPECT_EQ(c.count("SELECT count(*) FROM users WHERE username = 'ada' AND display_name = 'Ada O.' AND "
                    "role = 'cashier' AND row_version = 4 AND deleted = 0"),
            1);
  EXPECT_EQ(c.count("SELECT count(*) FROM categories WHERE name = 'Grains' AND parent_id IS NULL AND sort_order = 3"), 1);
  EXPECT_EQ(c.count("SELECT count(*) FROM tax_rates WHERE kind = 'exempt' AND is_active = 0 AND rate_ppm = 0"), 1);
  EXPECT_EQ(c.count("SELECT on_hand_milli FROM stock_levels WHERE row_version = 7"), -2500);
}

TEST(Catalog, ProductDataWithEscapesOrUnknownFieldsIsReadAsWellAsThePlainKind) {
  Catalog c;
  // A quote and a non-ASCII letter in the name (the fast reader hands escapes
  // to the full JSON parser), and a field a newer server might add.
  c.apply({upsert("product", product_id(1), 1,
                  R"({"barcodes":["1"],"currency":"NGN","name":"Say \"cheese\" \u00e9","price_minor":5,"shelf":"A1"})"),
           upsert("product", product_id(2), 1,
                  R"({"barcodes":["2"],"colour":{"r":1},"currency":"NGN","name":"Nested","price_minor":6})")});
  auto quoted = find_product_by_barcode(c.store->db(), "1");
  ASSERT_TRUE(quoted.value().has_value());
  EXPECT_EQ(quoted.value()->name, "Say \"cheese\" \xc3\xa9");
  EXPECT_EQ(quoted.value()->unit, "each");
  EXPECT_TRUE(quoted.value()->track_stock);
  EXPECT_EQ(find_product_by_barcode(c.store->db(), "2").value()->price_minor, 6);
}
