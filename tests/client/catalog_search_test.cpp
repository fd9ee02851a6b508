// Search as you type (store/catalog.hpp search_products over
// store/product_search.hpp): what it finds, in which order, page by page,
// with every row stored the way sync stores it (ChangeApplier), both
// incrementally and through a bootstrap's drop-and-rebuild; that no query
// shape scans products; the glyph table; categories.
#include "sync_test_support.hpp"

#include "store/catalog.hpp"
#include "store/product_search.hpp"
#include "sync/apply_changes.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace salespider;
using namespace salespider::sync;
using namespace salespider::sync::testing;
using store::ProductQuery;

namespace {

const std::string kDrinks = "0190f3a0-5555-4000-8000-000000000001";
const std::string kFood = "0190f3a0-5555-4000-8000-000000000002";

struct Product {
  Product(std::string n, std::string s = "", std::vector<std::string> codes = {}, std::string cat = "",
          bool is_active = true)
      : name(std::move(n)),
        sku(std::move(s)),
        barcodes(std::move(codes)),
        category(std::move(cat)),
        active(is_active) {}
  std::string name, sku;
  std::vector<std::string> barcodes;
  std::string category;
  bool active;
};

std::string product_json(const Product& p) {
  std::string codes = "[";
  for (const std::string& c : p.barcodes) codes += (codes.size() > 1 ? ",\"" : "\"") + c + "\"";
  codes += "]";
  return R"({"barcodes":)" + codes + R"(,"category_id":)" +
         (p.category.empty() ? std::string("null") : "\"" + p.category + "\"") +
         R"(,"currency":"NGN","is_active":)" + (p.active ? "true" : "false") + R"(,"name":")" + p.name +
         R"(","price_minor":100,"sku":)" + (p.sku.empty() ? std::string("null") : "\"" + p.sku + "\"") + "}";
}

struct Shop : SyncRig {
  Shop() : SyncRig(false), applier(*store) {}
  ChangeApplier applier;
  std::int64_t version = 1;

  void apply(const std::vector<Change>& changes) {
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
  void put(int n, const Product& p) { apply({upsert("product", product_id(n), ++version, product_json(p))}); }
  void remove(int n) { apply({tombstone("product", product_id(n), ++version)}); }
  void category(const std::string& id, const std::string& name, int sort_order) {
    apply({upsert(
        "category", id, ++version,
        R"({"name":")" + name + R"(","parent_id":null,"sort_order":)" + std::to_string(sort_order) + "}")});
  }

  std::vector<std::string> names(const ProductQuery& q) {
    auto r = store::search_products(store->db(), q);
    EXPECT_TRUE(r.ok()) << r.error().context;
    std::vector<std::string> out;
    if (r.ok())
      for (const auto& p : r.value()) out.push_back(p.name);
    return out;
  }
  std::vector<std::string> names(const std::string& text, const std::string& category = "") {
    ProductQuery q;
    q.text = text;
    q.category_id = category;
    q.limit = 200;
    return names(q);
  }

  // Every searchable product has a place in name order and is in
  // product_search under it; nothing else is (a ghost would show up under
  // some product's word); places follow name order.
  void expect_index_consistent() {
    EXPECT_EQ(count("SELECT count(*) FROM products p LEFT JOIN product_name_order o ON o.product = p.rowid "
                    "WHERE p.deleted = 0 AND p.is_active = 1 AND o.ord IS NULL"),
              0);
    EXPECT_EQ(count("SELECT count(*) FROM products p JOIN product_name_order o ON o.product = p.rowid "
                    "WHERE p.deleted = 1 OR p.is_active = 0"),
              0);
    auto folder = store::TextFolder::create(store->db());
    ASSERT_TRUE(folder.ok());
    auto rows = store->db().prepare(
        "SELECT p.name, o.ord FROM products p LEFT JOIN product_name_order o ON o.product = p.rowid "
        "ORDER BY o.ord IS NULL, o.ord");
    auto hits = store->db().prepare(
        "SELECT rowid, rowid IN (SELECT ord FROM product_name_order) "
        "FROM product_search WHERE product_search MATCH ?1");
    ASSERT_TRUE(rows.ok() && hits.ok());
    std::string previous;
    while (rows.value().step().value()) {
      const std::vector<std::string> words = folder.value().tokens(rows.value().text(0));
      if (words.empty()) continue;
      if (!rows.value().is_null(1)) {
        const std::string key = folder.value().key(rows.value().text(0));
        EXPECT_LE(previous, key);
        previous = key;
      }
      hits.value().bind(1, "\"" + words[0] + "\"");
      bool self = rows.value().is_null(1);
      while (hits.value().step().value()) {
        EXPECT_EQ(hits.value().int64(1), 1) << "ghost rowid " << hits.value().int64(0);
        if (!rows.value().is_null(1) && hits.value().int64(0) == rows.value().int64(1)) self = true;
      }
      (void)hits.value().reset();
      EXPECT_TRUE(self) << rows.value().text(0) << " is not indexed under its place";
    }
  }
};

using Names = std::vector<std::string>;

}  // namespace

TEST(CatalogSearch, EveryTypedWordMustStartAWordOfTheNameIgnoringCaseAndAccents) {
  Shop s;
  s.put(1, {"Coca-Cola 33cl", "", {}, kDrinks});
  s.put(2, {"Cola light 50cl", "", {}, kDrinks});
  s.put(3, {"Crème brûlée", "", {}, kFood});
  s.put(4, {"Ça dépend", "", {}, kFood});
  s.put(5, {"Jollof rice", "", {}, kFood});
  EXPECT_EQ(s.names("coca 33"), (Names{"Coca-Cola 33cl"}));
  EXPECT_EQ(s.names("33 COCA"), (Names{"Coca-Cola 33cl"}));
  EXPECT_EQ(s.names("cola"), (Names{"Coca-Cola 33cl", "Cola light 50cl"}));
  EXPECT_EQ(s.names("creme"), (Names{"Crème brûlée"}));
  EXPECT_EQ(s.names("BRÛL"), (Names{"Crème brûlée"}));
  EXPECT_EQ(s.names("  rice  "), (Names{"Jollof rice"}));
  EXPECT_TRUE(s.names("ola").empty()) << "a prefix of a word, not any substring";
  EXPECT_TRUE(s.names("coca 44").empty());
  EXPECT_TRUE(s.names("---").empty());
  EXPECT_TRUE(s.names("\"*)(").empty()) << "FTS syntax typed by the cashier is just text";
}

TEST(CatalogSearch, ExactBarcodeAndSkuComeFirstThenNamesByNameThenCodePrefixesByCode) {
  Shop s;
  s.put(1, {"Milk 1L", "MLK-1", {"6001234500017"}});
  s.put(2, {"Zobo drink 600ml", "ZOB", {"5000000000001"}});
  s.put(3, {"Apple juice 600ml", "APJ", {"6001234500024"}});
  s.put(4, {"Yam 600g", "600", {"9000000000001"}});
  s.put(5, {"Bread", "BR-600", {"6009999999999"}});
  // A long digit string: the barcode's product.
  EXPECT_EQ(s.names("6001234500017"), (Names{"Milk 1L"}));
  // Exact SKU first, then names starting with 600 by name, then barcodes
  // and SKUs starting with 600 by code (each product once).
  EXPECT_EQ(s.names("600"), (Names{"Yam 600g", "Apple juice 600ml", "Zobo drink 600ml", "Milk 1L", "Bread"}));
  EXPECT_EQ(s.names("mlk-1"), (Names{"Milk 1L"})) << "SKU case-insensitive";
  EXPECT_EQ(s.names("mlk"), (Names{"Milk 1L"})) << "SKU prefix";
  EXPECT_EQ(s.names("br-"), (Names{"Bread"}));
  EXPECT_EQ(s.names("60012345"), (Names{"Milk 1L", "Apple juice 600ml"})) << "barcode prefix, by code";
}

TEST(CatalogSearch, ACategoryNarrowsSearchAndBrowseListsItByName) {
  Shop s;
  s.category(kDrinks, "Drinks", 2);
  s.category(kFood, "Food", 1);
  s.put(1, {"Malt drink", "M1", {"111"}, kDrinks});
  s.put(2, {"Malt biscuits", "M2", {"112"}, kFood});
  s.put(3, {"Apple juice", "A1", {"113"}, kDrinks});
  s.put(4, {"Loose item", "L1", {"114"}});
  EXPECT_EQ(s.names("malt", kDrinks), (Names{"Malt drink"}));
  EXPECT_EQ(s.names("malt", kFood), (Names{"Malt biscuits"}));
  EXPECT_EQ(s.names("11", kFood), (Names{"Malt biscuits"})) << "code matches obey the category";
  EXPECT_EQ(s.names("112", kDrinks), Names{}) << "exact matches too";
  EXPECT_EQ(s.names("", kDrinks), (Names{"Apple juice", "Malt drink"}));
  EXPECT_EQ(s.names(""), (Names{"Apple juice", "Loose item", "Malt biscuits", "Malt drink"}));
  s.put(3, {"Apple juice", "A1", {"113"}, kFood});  // moved
  EXPECT_EQ(s.names("", kDrinks), (Names{"Malt drink"}));
  EXPECT_EQ(s.names("apple", kFood), (Names{"Apple juice"}));

  auto cats = store::list_categories(s.store->db());
  ASSERT_TRUE(cats.ok()) << cats.error().context;
  ASSERT_EQ(cats.value().size(), 2u);
  EXPECT_EQ(cats.value()[0].name, "Food") << "the store's sort order first";
  EXPECT_EQ(cats.value()[1].id, kDrinks);
  s.apply({tombstone("category", kFood, ++s.version)});
  EXPECT_EQ(store::list_categories(s.store->db()).value().size(), 1u);
}

TEST(CatalogSearch, PagesJoinUpToTheWholeListWithoutGapsOrRepeats) {
  Shop s;
  std::vector<Change> all;
  for (int i = 0; i < 90; ++i) {
    const std::string n = std::to_string(i);
    all.push_back(upsert(
        "product", product_id(i), 1,
        product_json(
            {"Bolt " + n + " mm", "1-" + n, {"1" + std::to_string(1000 + i)}, i % 2 ? kFood : kDrinks})));
  }
  s.apply(all);
  for (const std::string& category : {std::string(), kFood}) {
    for (const std::string& text :
         {std::string("1"), std::string("bolt 1"), std::string("11001"), std::string()}) {
      ProductQuery q;
      q.text = text;
      q.category_id = category;
      q.limit = 200;
      const Names whole = s.names(q);
      ASSERT_FALSE(whole.empty()) << text;
      EXPECT_EQ(std::set<std::string>(whole.begin(), whole.end()).size(), whole.size()) << text;
      for (int limit : {1, 7, 48}) {
        Names paged;
        for (q.offset = 0, q.limit = limit;; q.offset += limit) {
          Names page = s.names(q);
          paged.insert(paged.end(), page.begin(), page.end());
          if (static_cast<int>(page.size()) < limit) break;
        }
        EXPECT_EQ(paged, whole) << "'" << text << "' in pages of " << limit;
      }
    }
  }
  // Names first ("bolt 1..." words starting with 1), then SKUs 1-... by code.
  const Names ones = s.names("1");
  ASSERT_EQ(ones.size(), 90u);
  EXPECT_EQ(ones.front(), "Bolt 1 mm");
  ProductQuery clamped;
  clamped.text = "bolt";
  clamped.limit = 500;
  clamped.offset = -3;
  EXPECT_EQ(s.names(clamped).size(), 90u);
  clamped.limit = 0;
  EXPECT_EQ(s.names(clamped).size(), 1u);
}

TEST(CatalogSearch, DeletedAndInactiveProductsDisappearAndRenamedOnesAreFoundByTheirNewName) {
  Shop s;
  s.put(1, {"Sugar cubes", "SUG", {"501"}});
  s.put(2, {"Salt", "SAL", {"502"}});
  s.put(3, {"Sardines", "SAR", {"503"}});
  EXPECT_EQ(s.names("s"), (Names{"Salt", "Sardines", "Sugar cubes"}));
  s.remove(2);
  s.put(3, {"Sardines", "SAR", {"503"}, "", false});
  EXPECT_EQ(s.names("s"), (Names{"Sugar cubes"}));
  EXPECT_EQ(s.names("503"), Names{});
  EXPECT_EQ(s.names(""), (Names{"Sugar cubes"}));
  auto scanned = store::find_product_by_barcode(s.store->db(), "503");
  ASSERT_TRUE(scanned.value().has_value()) << "a scan still finds it, to say it is inactive";
  EXPECT_FALSE(scanned.value()->is_active);
  s.put(1, {"Brown sugar", "SUG", {"501"}});
  s.put(3, {"Sardines", "SAR", {"503"}});
  EXPECT_EQ(s.names("cubes"), Names{});
  EXPECT_EQ(s.names("brown"), (Names{"Brown sugar"}));
  EXPECT_EQ(s.names(""), (Names{"Brown sugar", "Sardines"}));
  // A stale version changes nothing.
  s.apply({upsert("product", product_id(1), 1, product_json({"Old name", "SUG", {"501"}}))});
  EXPECT_EQ(s.names("old"), Names{});
  s.expect_index_consistent();
}

TEST(CatalogSearch, ManyNewNamesAtOneSpotKeepNameOrderWhenThePlacesRunOut) {
  Shop s;
  s.put(1, {"Aaa", "", {}});
  s.put(2, {"Zzz", "", {}});
  // Ascending and descending runs into the same gap force respacing
  // (a gap of 1024 halves ten times) again and again.
  Names expected{"Aaa", "Zzz"};
  for (int i = 0; i < 60; ++i) {
    char up[16], down[16];
    std::snprintf(up, sizeof up, "Mmm %03d", i);
    std::snprintf(down, sizeof down, "Nnn %03d", 99 - i);
    s.put(10 + 2 * i, {up, "", {}, i % 3 ? kFood : ""});
    s.put(11 + 2 * i, {down, "", {}});
    expected.push_back(up);
    expected.push_back(down);
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(s.names(""), expected);
  EXPECT_EQ(s.names("mmm").size(), 60u);
  EXPECT_EQ(s.names("nnn 09").size(), 10u);
  EXPECT_EQ(s.names("", kFood).size(), 40u) << "respaced rows keep their category";
  s.expect_index_consistent();
}

TEST(CatalogSearch, ABootstrapLoadsWithoutTheIndexAndBuildsItOnceAtTheEnd) {
  Shop s;
  s.put(1, {"Before bootstrap", "", {}});
  ASSERT_TRUE(s.store->transaction([](store::Database& db) { return store::drop_search_indexes(db); }).ok());
  std::vector<Change> load;
  for (int i = 2; i < 50; ++i)
    load.push_back(
        upsert("product", product_id(i), 1, product_json({"Item " + std::to_string(i) + " é", "", {}})));
  load.push_back(tombstone("product", product_id(1), 5));
  s.apply(load);
  EXPECT_EQ(s.count("SELECT count(*) FROM sqlite_schema WHERE name = 'product_search'"), 0);
  // Meanwhile exact barcodes still work; the rest waits for the index.
  EXPECT_TRUE(s.names("item").empty());
  ASSERT_TRUE(
      s.store->transaction([](store::Database& db) { return store::create_search_indexes(db); }).ok());
  EXPECT_EQ(s.names("item").size(), 48u);
  EXPECT_EQ(s.names("before").size(), 0u);
  EXPECT_EQ(store::catalog_glyphs(s.store->db()).value(), (std::vector<char32_t>{U'é'}));
  // Incremental again afterwards.
  s.put(60, {"Item 1 after", "", {}});
  EXPECT_EQ(s.names("item 1").front(), "Item 1 after");
  s.expect_index_consistent();
}

TEST(CatalogSearch, AnIndexBuiltInSlicesWithinABudgetEqualsOneBuiltAtOnce) {
  Shop s;
  s.category(kFood, "Food", 1);
  std::vector<Change> load;
  for (int i = 0; i < 700; ++i) {
    // Names out of rowid order, some sharing a key, some inactive, one deleted.
    const std::string name = "Item " + std::to_string((i * 37) % 500) + (i % 9 == 0 ? " ñandú" : "");
    load.push_back(upsert("product", product_id(i), 1,
                          product_json({name, "S" + std::to_string(i), {}, i % 3 ? kFood : "", i % 11 != 0})));
  }
  load.push_back(tombstone("product", product_id(5), 9));
  s.apply(load);
  // The reference: the same rows indexed in one go.
  ASSERT_TRUE(s.store->transaction([](store::Database& db) { return store::create_search_indexes(db); }).ok());
  auto dump = [&] {
    std::string out;
    auto st = s.store->db().prepare("SELECT ord, product FROM product_name_order ORDER BY ord");
    while (st.value().step().value()) out += std::to_string(st.value().int64(0)) + ":" + std::to_string(st.value().int64(1)) + " ";
    return out;
  };
  const std::vector<std::string> queries = {"item 1", "nandu", "item 49", "", "it"};
  std::vector<std::vector<std::string>> at_once;
  for (const std::string& q : queries) at_once.push_back(s.names(q));
  at_once.push_back(s.names("", kFood));
  const std::string order_at_once = dump();
  const auto glyphs_at_once = store::catalog_glyphs(s.store->db()).value();

  ASSERT_TRUE(s.store->transaction([](store::Database& db) { return store::drop_search_indexes(db); }).ok());
  // Every clock read costs 0.02 ms and a statement takes 16 rows at most:
  // a 1 ms budget holds a few statements.
  double mono = 0;
  store::SearchIndexBuild build([&] { return mono += 0.02; }, 16);
  int steps = 0;
  for (bool done = false; !done; ++steps) {
    ASSERT_LT(steps, 10000);
    EXPECT_EQ(s.count("SELECT count(*) FROM sqlite_schema WHERE name = 'product_search'"), 0)
        << "not searchable before it is whole";
    const double before = mono;
    auto r = s.store->transaction([&](store::Database& db) -> store::Status {
      auto step = build.step(db, 1.0);
      if (!step) return step.error();
      done = step.value();
      return {};
    });
    ASSERT_TRUE(r.ok()) << r.error().context;
    // One unit may run past the budget: a statement of at most a few rows.
    EXPECT_LT(mono - before, 4.0) << "step " << steps;
  }
  EXPECT_GT(steps, 5);
  EXPECT_EQ(build.placed(), build.total());
  EXPECT_EQ(dump(), order_at_once);
  for (std::size_t i = 0; i < queries.size(); ++i) EXPECT_EQ(s.names(queries[i]), at_once[i]) << queries[i];
  EXPECT_EQ(s.names("", kFood), at_once.back());
  EXPECT_EQ(store::catalog_glyphs(s.store->db()).value(), glyphs_at_once);
  EXPECT_EQ(s.count("SELECT count(*) FROM sqlite_schema WHERE name = 'product_search_build'"), 0);
  s.expect_index_consistent();
  // Incremental again afterwards.
  s.put(900, {"Item 1 after", "", {}});
  EXPECT_EQ(s.names("item 1 after").size(), 1u);
  s.expect_index_consistent();
}

TEST(CatalogSearch, AnInterruptedSlicedBuildLeavesNoIndexAndTheNextBuildCompletesIt) {
  Shop s;
  for (int i = 0; i < 300; ++i) s.put(i, {"Thing " + std::to_string(i), "", {}});
  ASSERT_TRUE(s.store->transaction([](store::Database& db) { return store::drop_search_indexes(db); }).ok());
  {
    double mono = 0;
    store::SearchIndexBuild build([&] { return mono += 0.05; }, 16);
    for (int i = 0; i < 5; ++i)
      ASSERT_TRUE(s.store->transaction([&](store::Database& db) -> store::Status {
        auto step = build.step(db, 1.0);
        if (!step) return step.error();
        EXPECT_FALSE(step.value());
        return {};
      }).ok());
  }  // the tab closed mid-way
  EXPECT_TRUE(s.names("thing").empty());
  ASSERT_TRUE(s.store->transaction([](store::Database& db) { return store::create_search_indexes(db); }).ok());
  EXPECT_EQ(s.names("thing").size(), 200u) << "the page limit";
  s.expect_index_consistent();
}

TEST(CatalogSearch, ADatabaseFromVersionTwoGetsItsIndexAtTheNextOpen) {
  store::testing::FakeIndexedDb idb;
  {
    store::OpenInput in;
    in.migrations = {store::migrations().begin(), store::migrations().begin() + 2};
    auto v2 = store::Store::open(std::move(in), idb);
    ASSERT_TRUE(v2.ok());
    ASSERT_TRUE(v2.value()
                    ->db()
                    .exec("INSERT INTO products(id, name, price_minor, currency, barcodes) VALUES"
                          "('p1', 'Gâteau', 100, 'NGN', '[\"77\"]'), ('p2', 'Garri', 50, 'NGN', '[]');"
                          "INSERT INTO barcodes(code, product_id) VALUES('77', 'p1');"
                          "INSERT INTO store_settings(id, data) VALUES('s1', "
                          "'{\"store_name\":\"Ìyá\",\"tax_id\":\"TIN-1\",\"address\":5}')")
                    .ok());
    ASSERT_TRUE(v2.value()->flush().ok());
    idb.complete_all(*v2.value());
  }
  auto v3 = store::Store::open(idb.reload_input(), idb);
  ASSERT_TRUE(v3.ok()) << v3.error().context;
  EXPECT_EQ(v3.value()->report().schema_from, 2);
  store::Database& db = v3.value()->db();
  auto found = store::search_products(db, "gateau", 10);
  ASSERT_TRUE(found.ok()) << found.error().context;
  ASSERT_EQ(found.value().size(), 1u);
  EXPECT_EQ(found.value()[0].barcode, "77");
  EXPECT_EQ(store::search_products(db, "", 10).value().size(), 2u);
  auto settings = store::store_settings(db);
  EXPECT_EQ(settings.value()->tax_id, "TIN-1");
  EXPECT_EQ(settings.value()->address, "") << "not a string: ignored";
  EXPECT_EQ(store::catalog_glyphs(db).value(), (std::vector<char32_t>{U'Ì', U'á', U'â'}));
}

TEST(CatalogSearch, TheGlyphTableHoldsWhatNamesAndSettingsUseAndSkipsBadBytes) {
  Shop s;
  s.put(1, {"Ẹ̀fọ́ riro", "", {}});
  s.put(2, {"Broken \xff\xc3 name \xe2\x82", "", {}});  // invalid UTF-8: a stray byte, truncated sequences
  s.put(3, {"Plain ASCII", "", {}});
  s.category(kDrinks, "Напитки", 1);
  s.apply({upsert(
      "settings", "0190f3a0-6666-4000-8000-000000000001", 2,
      R"({"address":"12 Allen Ave, Ikeja","currency":"NGN","receipt_footer":"Thanks","receipt_header":"₦ prices",)"
      R"("store_name":"Mama Put","tax_id":"TIN № 7"})")});
  auto glyphs = store::catalog_glyphs(s.store->db());
  ASSERT_TRUE(glyphs.ok()) << glyphs.error().context;
  std::set<char32_t> expected;
  for (const char* text : {"Ẹ̀fọ́", "Напитки", "₦", "№"}) store::collect_glyphs(text, expected);
  EXPECT_EQ(glyphs.value(), std::vector<char32_t>(expected.begin(), expected.end()));
  EXPECT_TRUE(std::is_sorted(glyphs.value().begin(), glyphs.value().end()));
  EXPECT_EQ(s.names("broken name"), (Names{"Broken \xff\xc3 name \xe2\x82"}));

  std::set<char32_t> decoded;
  store::collect_glyphs("a\xc3\xa9\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xc2\x85\xe2\x82\xac\xf0\x9f\x8d\x9a",
                        decoded);
  EXPECT_EQ(decoded, (std::set<char32_t>{U'é', U'€', U'\U0001F35A'}))
      << "overlong, surrogate, > U+10FFFF, C1 skipped";

  auto settings = store::store_settings(s.store->db());
  ASSERT_TRUE(settings.ok() && settings.value().has_value());
  EXPECT_EQ(settings.value()->tax_id, "TIN № 7");
  EXPECT_EQ(settings.value()->address, "12 Allen Ave, Ikeja");
  s.apply({upsert("settings", "0190f3a0-6666-4000-8000-000000000001", 3,
                  R"({"currency":"NGN","store_name":"X"})")});
  EXPECT_EQ(store::store_settings(s.store->db()).value()->tax_id, "") << "absent is empty";
  s.apply({upsert("settings", "0190f3a0-6666-4000-8000-000000000001", 4,
                  R"({"address":null,"currency":"NGN"})")});
  EXPECT_EQ(store::store_settings(s.store->db()).value()->address, "") << "null is empty";
}

namespace {

struct Traced {
  std::string sql;
  int full_scan_steps = 0;
};

int trace_statement(unsigned, void* ctx, void* stmt_ptr, void*) {
  auto* stmt = static_cast<sqlite3_stmt*>(stmt_ptr);
  char* sql = sqlite3_expanded_sql(stmt);
  static_cast<std::vector<Traced>*>(ctx)->push_back(
      Traced{sql != nullptr ? sql : "", sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0)});
  sqlite3_free(sql);
  return 0;
}

}  // namespace

TEST(CatalogSearch, NoQueryShapeTheTillUsesScansProductsOrSortsMatches) {
  Shop s;
  std::vector<Change> all;
  for (int i = 0; i < 3000; ++i) {
    const std::string n = std::to_string(i);
    all.push_back(upsert("product", product_id(i), 1,
                         product_json({std::string(i % 2 ? "Golden" : "Sunny") + " rice " + n,
                                       "D" + n,
                                       {"20" + std::to_string(100000 + i)},
                                       i % 3 ? kFood : kDrinks})));
  }
  s.apply(all);
  std::vector<Traced> traced;
  sqlite3* db = s.store->db().handle();
  sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, trace_statement, &traced);
  for (const std::string& category : {std::string(), kFood})
    for (const char* text : {"", "g", "go", "golden r", "rice 12", "d12", "2010", "20100017", "D17", "zz"})
      for (int offset : {0, 96}) {
        ProductQuery q;
        q.text = text;
        q.category_id = category;
        q.offset = offset;
        auto r = store::search_products(s.store->db(), q);
        ASSERT_TRUE(r.ok()) << r.error().context;
      }
  sqlite3_trace_v2(db, 0, nullptr, nullptr);
  ASSERT_GT(traced.size(), 40u);
  for (const Traced& t : traced) {
    if (t.sql.find("sqlite_schema") != std::string::npos) continue;  // is the index built? (a tiny table)
    auto plan = s.store->db().prepare("EXPLAIN QUERY PLAN " + t.sql);
    ASSERT_TRUE(plan.ok()) << t.sql;
    std::string text;
    while (plan.value().step().value()) text += plan.value().text(3) + "\n";
    for (const char* bad :
         {"SCAN p\n", "SCAN p USING", "SCAN products", "SCAN b\n", "SCAN barcodes", "TEMP B-TREE"})
      EXPECT_EQ(text.find(bad), std::string::npos) << t.sql << "\n" << text;
    // Browsing walks the name order from its start and stops after the
    // page: the rows before the page and the page itself, no more.
    if (text.find("SCAN o\n") != std::string::npos)
      EXPECT_LE(t.full_scan_steps, 96 + 48) << t.sql;
    else
      EXPECT_EQ(t.full_scan_steps, 0) << t.sql << "\n" << text;
  }
}
