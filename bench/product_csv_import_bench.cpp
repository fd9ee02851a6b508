// Product CSV import of 100,000 generated rows (docs/csv.md) through
// service/product_csv.cpp, the path POST /api/v1/products/import takes after
// HTTP: the dry run (read the whole catalog, check and compare every row)
// and the applied import (the same, then one transaction of set-based
// writes: products, price history, barcodes, categories, feed rows by the
// triggers, one audit row). Three cases: creating 100,000 products into an
// empty catalog, a dry run of the same file, and an import changing the
// price of all 100,000. PostgreSQL is a durable embedded cluster (fsync on),
// as in production. Results: docs/benchmarks.md "CSV import".
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "db/catalog.hpp"
#include "db/embedded_postgres.hpp"
#include "db/migrations.hpp"
#include "db/pool.hpp"
#include "log/log.hpp"
#include "service/product_csv.hpp"

namespace fs = std::filesystem;
namespace sp = salespider;

namespace {

constexpr int kRows = 100'000;

// 100,000 rows: a SKU, a name, one or two barcodes, one of 50 categories
// two levels deep, price, cost, a tax code, some weighed, a low-stock level.
std::string generated_file(int price_offset) {
  std::string out = "sku,name,barcodes,category,price,cost,tax_code,unit,track_stock,low_stock,active,description\n";
  out.reserve(static_cast<std::size_t>(kRows) * 120);
  for (int i = 0; i < kRows; ++i) {
    const auto n = std::to_string(i);
    const auto price = 100 + (i * 37) % 90000 + price_offset;
    out += "SKU-" + n + ",Product number " + n + ",29" + std::to_string(1'000'000'000 + i);
    if (i % 4 == 0) out += " 28" + std::to_string(1'000'000'000 + i);
    out += ",Department " + std::to_string(i % 5) + " > Shelf " + std::to_string(i % 50) + ",";
    out += std::to_string(price / 100) + "." + (price % 100 < 10 ? "0" : "") + std::to_string(price % 100) + ",";
    out += std::to_string(price / 200) + ".00,VAT," + (i % 10 == 0 ? "weighed" : "each") + ",yes,";
    out += (i % 3 == 0 ? "5" : "") + std::string(",yes,") + (i % 7 == 0 ? "\"Imported, with a comma\"" : "") + "\n";
  }
  return out;
}

class Store {
 public:
  Store() {
    sp::log::init(sp::log::Level::error);
    char dir[] = "/tmp/salespider-bench-csv-XXXXXX";
    if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp");
    dir_ = dir;
    fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    sp::db::EmbeddedOptions o;
    o.data_path = dir_ / "data";
    o.database = "salespider_bench";
    o.durable = true;
    pg_ = std::make_unique<sp::db::EmbeddedPostgres>(std::move(o));
    pg_->start();
    pool_ = std::make_unique<sp::db::Pool>(pg_->conninfo(), sp::db::PoolOptions{4, std::chrono::seconds(60), {}});
    sp::db::migrate(*pool_);
    store_ = sp::db::catalog::store(*pool_).id;
    sp::db::catalog::add_tax_rate(*pool_, store_, "VAT", "standard", 75000, "VAT");
  }
  ~Store() {
    pool_.reset();
    pg_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  // Back to a catalog with no products and no categories.
  void empty_catalog() {
    pool_->with_connection([](pqxx::connection& c) {
      pqxx::work tx(c);
      tx.exec0("TRUNCATE barcodes, price_history, stock_levels, change_feed");
      tx.exec0("DELETE FROM products");
      tx.exec0("DELETE FROM categories");
      tx.commit();
    });
    pool_->with_connection([](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      tx.exec0("VACUUM ANALYZE products");
    });
  }
  sp::service::product_csv::ImportResult import(const std::string& file, bool dry_run) {
    sp::auth::Actor actor;
    actor.via = "cli";
    return sp::service::product_csv::import_products(*pool_, store_, actor, file, dry_run);
  }

 private:
  fs::path dir_;
  std::unique_ptr<sp::db::EmbeddedPostgres> pg_;
  std::unique_ptr<sp::db::Pool> pool_;
  std::string store_;
};

Store& store() {
  static Store s;
  return s;
}

const std::string& file(int price_offset) {
  static const std::string first = generated_file(0);
  static const std::string second = generated_file(1);
  return price_offset == 0 ? first : second;
}

void check(benchmark::State& state, const sp::service::product_csv::ImportResult& r, bool applied) {
  if (!r.analysis.ok() || r.applied != applied) state.SkipWithError("the import did not go as expected");
}

void BM_CsvImport_DryRun_100k_New(benchmark::State& state) {
  store().empty_catalog();
  for (auto _ : state) check(state, store().import(file(0), true), false);
  state.counters["rows/s"] = benchmark::Counter(kRows, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_CsvImport_Apply_100k_New(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    store().empty_catalog();
    state.ResumeTiming();
    check(state, store().import(file(0), false), true);
  }
  state.counters["rows/s"] = benchmark::Counter(kRows, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_CsvImport_Apply_100k_PriceChanges(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    store().empty_catalog();
    check(state, store().import(file(0), false), true);
    state.ResumeTiming();
    check(state, store().import(file(1), false), true);
  }
  state.counters["rows/s"] = benchmark::Counter(kRows, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_CsvImport_DryRun_100k_New)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_CsvImport_Apply_100k_New)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_CsvImport_Apply_100k_PriceChanges)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

BENCHMARK_MAIN();
