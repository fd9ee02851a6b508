// Store-level benchmark of the product search (not a test: DISABLED_, run
// by bench/catalog_search_bench.sh). A bootstrap of N products through the
// ChangeApplier with the search indexes dropped, as SyncEngine does it,
// then the index build, then queries a cashier types, then incremental
// pulls. Names, SKUs and barcodes are shaped like bench/till_bench.mjs's
// seed. Prints numbers; asserts only that the searches find something.
#include "sync_test_support.hpp"

#include "store/catalog.hpp"
#include "store/product_search.hpp"
#include "sync/apply_changes.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <string>
#include <vector>

using namespace salespider;
using namespace salespider::sync;
using namespace salespider::sync::testing;

namespace {

constexpr int kProducts = 100000;
const char* const kAdjectives[] = {"Golden", "Sunny", "Premium", "Valley",
                                   "Royal",  "Fresh", "Classic", "Family"};
const char* const kItems[] = {"Rice 5kg",         "Tomato paste 70g", "Sardines 125g",   "Bar soap",
                              "Milk powder 400g", "Bread loaf",       "Orange juice 1L", "Biscuits 100g",
                              "Sugar 1kg",        "Groundnut oil 1L", "Spaghetti 500g"};

std::string category_id(int k) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "0190f3a0-5555-4000-8000-%012d", k);
  return buf;
}

std::string product(int i, const std::string& name) {
  char barcode[16];
  std::snprintf(barcode, sizeof barcode, "20%011d", i);
  return R"({"barcodes":[")" + std::string(barcode) + R"("],"category_id":")" + category_id(i % 8) +
         R"(","currency":"NGN","description":"","is_active":true,"name":")" + name + R"(","price_minor":)" +
         std::to_string(100 * (5 + i % 200)) + R"(,"reorder_level_milli":10000,"sku":"D)" +
         std::to_string(10000 + i) +
         R"(","tax_rate_id":"0190f3a0-4444-4000-8000-000000000001","track_stock":true,"unit":"each"})";
}

std::string bench_name(int i) {
  return std::string(kAdjectives[i % 8]) + " " + kItems[i % 11] + " " + std::to_string(i / 88);
}

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Stats {
  std::vector<double> ms;
  double pct(double p) {
    std::sort(ms.begin(), ms.end());
    return ms.empty()
               ? 0
               : ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * static_cast<double>(ms.size())))];
  }
};

}  // namespace

TEST(CatalogSearchBench, DISABLED_BootstrapAndTypingOver100kProducts) {
  SyncRig rig(false);
  store::Store& st = *rig.store;
  store::Database& db = st.db();
  ChangeApplier applier(st);
  auto used_pages = [&] {
    return db.query_int("PRAGMA page_count").value().value_or(0) -
           db.query_int("PRAGMA freelist_count").value().value_or(0);
  };
  auto run_tx = [&](const std::vector<Change>& changes) {
    auto s = st.transaction([&](store::Database&) -> store::Status {
      for (const Change& c : changes) {
        std::string why;
        auto r = applier.apply(c, why);
        if (!r) return r.error();
      }
      return {};
    });
    ASSERT_TRUE(s.ok()) << s.error().context;
  };

  // --- bootstrap ------------------------------------------------------------------
  ASSERT_TRUE(st.transaction([](store::Database& d) { return store::drop_search_indexes(d); }).ok());
  std::vector<Change> page;
  for (int k = 0; k < 8; ++k)
    page.push_back(
        upsert("category", category_id(k), 1,
               R"({"name":"Category )" + std::to_string(k) + R"(","parent_id":null,"sort_order":0})"));
  run_tx(page);
  double t0 = now_ms();
  for (int start = 0; start < kProducts; start += 1000) {
    page.clear();
    for (int i = start; i < start + 1000; ++i)
      page.push_back(upsert("product", product_id(i), 2, product(i, bench_name(i))));
    run_tx(page);
  }
  const double apply_ms = now_ms() - t0;
  const std::int64_t pages_loaded = used_pages();

  // What version 2 built at the end (its name index included), for comparison.
  t0 = now_ms();
  ASSERT_TRUE(db.exec("BEGIN; CREATE INDEX products_by_sku ON products(lower(sku)); "
                      "CREATE INDEX barcodes_by_product ON barcodes(product_id); "
                      "CREATE INDEX old_name_index ON products(lower(name)); COMMIT")
                  .ok());
  const double v2_indexes_ms = now_ms() - t0;
  const std::int64_t pages_v2 = used_pages();
  ASSERT_TRUE(
      db.exec("DROP INDEX products_by_sku; DROP INDEX barcodes_by_product; DROP INDEX old_name_index").ok());

  t0 = now_ms();
  ASSERT_TRUE(st.transaction([](store::Database& d) { return store::create_search_indexes(d); }).ok());
  const double v3_indexes_ms = now_ms() - t0;
  const std::int64_t pages_v3 = used_pages();

  // The per-row cost the search adds to a bootstrap: is the index built?
  store::ProductSearchWriter writer(db);
  ASSERT_TRUE(db.exec("BEGIN").ok());
  t0 = now_ms();
  for (int i = 0; i < kProducts; ++i) ASSERT_TRUE(writer.built().ok());
  const double checks_ms = now_ms() - t0;
  ASSERT_TRUE(db.exec("COMMIT").ok());

  std::printf("bootstrap of %d products: apply %.0f ms (of which 'is the index built?' checks %.1f ms)\n",
              kProducts, apply_ms, checks_ms);
  std::printf(
      "index build at the end: version 2's B-trees (with its name index) %.0f ms, now (B-trees + FTS5 + "
      "order + glyphs) %.0f ms\n",
      v2_indexes_ms, v3_indexes_ms);
  std::printf("database pages (4 KiB): loaded %lld, with v2 indexes %lld, with v3 indexes %lld\n",
              static_cast<long long>(pages_loaded), static_cast<long long>(pages_v2),
              static_cast<long long>(pages_v3));

  // --- typing --------------------------------------------------------------------
  const char* const words[] = {"golden", "spaghe", "tomato", "sardin",
                               "milk p", "d10012", "200000", "royal "};
  Stats by_length[7], all;
  Stats with_category;
  const char* const kWhole[] = {"golden r",  "sunny rice 5", "classic bread loaf 11",
                                "groundnut", "spaghetti 5",  "2000000012345",
                                "",          "zzz"};
  Stats whole[std::size(kWhole)];
  std::size_t found = 0;
  for (int round = 0; round < 20; ++round) {
    for (const char* w : words) {
      for (int len = 1; len <= 6; ++len) {
        store::ProductQuery q;
        q.text = std::string(w, static_cast<std::size_t>(len));
        if (round % 2) q.category_id = category_id(3);
        const double a = now_ms();
        auto r = store::search_products(db, q);
        const double ms = now_ms() - a;
        ASSERT_TRUE(r.ok()) << r.error().context;
        found += r.value().size();
        by_length[len].ms.push_back(ms);
        all.ms.push_back(ms);
        if (round % 2) with_category.ms.push_back(ms);
      }
    }
    for (std::size_t k = 0; k < std::size(kWhole); ++k) {
      store::ProductQuery q;
      q.text = kWhole[k];
      q.offset = round * 48;  // paging further each round
      const double a = now_ms();
      auto r = store::search_products(db, q);
      const double ms = now_ms() - a;
      ASSERT_TRUE(r.ok()) << r.error().context;
      all.ms.push_back(ms);
      whole[k].ms.push_back(ms);
    }
  }
  EXPECT_GT(found, 1000u);
  for (int len = 1; len <= 6; ++len)
    std::printf("typed %d chars: p50 %.2f ms, p99 %.2f ms (%zu queries)\n", len, by_length[len].pct(0.5),
                by_length[len].pct(0.99), by_length[len].ms.size());
  for (std::size_t k = 0; k < std::size(kWhole); ++k)
    std::printf("'%s', pages 1-20: p50 %.2f ms, max %.2f ms\n", kWhole[k], whole[k].pct(0.5),
                whole[k].pct(1.0));
  std::printf(
      "with a category: p50 %.2f ms, p99 %.2f ms; all %zu queries: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
      with_category.pct(0.5), with_category.pct(0.99), all.ms.size(), all.pct(0.5), all.pct(0.99),
      all.pct(1.0));

  // --- incremental pulls ---------------------------------------------------------------
  Stats added, renamed, repriced;
  for (int i = 0; i < 300; ++i) {
    const int n = kProducts + i;
    double a = now_ms();
    run_tx({upsert("product", product_id(n), 3, product(n, "Golden Rice 5kg 7 extra " + std::to_string(i)))});
    added.ms.push_back(now_ms() - a);
    a = now_ms();
    run_tx({upsert("product", product_id(i * 7), 3, product(i * 7, "Renamed " + bench_name(i * 7)))});
    renamed.ms.push_back(now_ms() - a);
    a = now_ms();
    run_tx({upsert("product", product_id(i * 7 + 1), 3, product(i * 7 + 1, bench_name(i * 7 + 1)))});
    repriced.ms.push_back(now_ms() - a);
  }
  std::printf(
      "incremental, one product per transaction: new name at one spot p50 %.2f / p99 %.2f ms, rename p50 "
      "%.2f / p99 %.2f ms, same name p50 %.2f / p99 %.2f ms\n",
      added.pct(0.5), added.pct(0.99), renamed.pct(0.5), renamed.pct(0.99), repriced.pct(0.5),
      repriced.pct(0.99));
  auto extra = store::search_products(db, "golden rice 5kg 7 extra", 200);
  ASSERT_TRUE(extra.ok());
  EXPECT_EQ(extra.value().size(), 200u);
}
