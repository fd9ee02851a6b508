// The reorder view (GET /api/v1/reports/reorder) for a large catalog: 10,000
// products x 56 days of sales, through ReorderService (the route's service:
// one cursor query, then the forecast of every product), and the forecast of
// one product alone. The sales are written with SQL straight into the
// tables (5,600 sales of 100 lines each, 70 % of product-days selling 1-5),
// not through the push, which would take far longer to build than to read:
// the benchmark measures the read. Durable embedded cluster, like the other
// benchmarks. Results: docs/benchmarks.md "Reorder forecast: backtest".
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <pqxx/pqxx>
#include <random>

#include "db/catalog.hpp"
#include "db/embedded_postgres.hpp"
#include "db/migrations.hpp"
#include "db/pool.hpp"
#include "log/log.hpp"
#include "service/forecast.hpp"
#include "service/reorder.hpp"

namespace fs = std::filesystem;
namespace sp = salespider;

namespace {

constexpr int kProducts = 10'000;
constexpr int kDays = 56;
constexpr int kLinesPerSale = 100;

class Store {
 public:
  Store() {
    sp::log::init(sp::log::Level::error);
    char dir[] = "/tmp/salespider-bench-XXXXXX";
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
    const auto store = sp::db::catalog::store(*pool_);
    store_ = store.id;
    std::vector<sp::db::catalog::NewProduct> products(kProducts);
    for (int i = 0; i < kProducts; ++i) {
      auto& p = products[static_cast<std::size_t>(i)];
      p.name = "Product " + std::to_string(i);
      p.sku = "P" + std::to_string(i);
      p.price_minor = 100;
      p.currency = store.currency;
    }
    sp::db::catalog::add_products(*pool_, store_, products);
    const auto user = sp::db::catalog::add_user(*pool_, store_, "bench", "Bench", "cashier");
    const auto till = sp::db::catalog::add_till(*pool_, store_, "Bench", "BN");
    pool_->with_connection([&](pqxx::connection& c) {
      pqxx::work tx(c);
      tx.exec0("CREATE TEMP TABLE numbered AS SELECT id, name, row_number() OVER (ORDER BY id) - 1 AS n FROM products");
      const std::string sales = std::to_string(kDays * kProducts / kLinesPerSale);
      const std::string per_day = std::to_string(kProducts / kLinesPerSale);
      tx.exec0("INSERT INTO sales (id, store_id, till_id, receipt_seq, receipt_number, user_id, price_mode, currency,"
               " subtotal_minor, tax_minor, total_minor, paid_minor, occurred_at, op_id)"
               " SELECT gen_random_uuid(), " + tx.quote(store_) + ", " + tx.quote(till) + ", g, 'BN-' || g, " +
               tx.quote(user) + ", 'tax_inclusive', " + tx.quote(store.currency) +
               ", 0, 0, 0, 0, date_trunc('day', now()) - (1 + (g - 1) / " + per_day +
               ") * interval '1 day' + interval '12 hours', gen_random_uuid()"
               " FROM generate_series(1, " + sales + ") g");
      tx.exec0("INSERT INTO sale_lines (store_id, sale_id, line_no, product_id, name, unit, quantity_milli,"
               " unit_price_minor, tax_code, tax_kind, tax_rate_ppm, tax_minor, total_minor)"
               " SELECT s.store_id, s.id, p.n % " + std::to_string(kLinesPerSale) + " + 1, p.id, p.name, 'each',"
               " (1 + floor(random() * 5))::bigint * 1000, 100, 'VAT', 'standard', 0, 0, 0"
               " FROM sales s JOIN numbered p ON p.n / " + std::to_string(kLinesPerSale) +
               " = (s.receipt_seq - 1) % " + per_day + " WHERE random() < 0.7");
      tx.exec0("INSERT INTO stock_levels (product_id, store_id, on_hand_milli)"
               " SELECT id, " + tx.quote(store_) + ", (floor(random() * 200))::bigint * 1000 FROM products");
      tx.commit();
    });
    pool_->with_connection([](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      tx.exec0("VACUUM ANALYZE");
    });
  }
  ~Store() {
    pool_.reset();
    pg_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  sp::db::Pool& pool() { return *pool_; }
  const std::string& id() const { return store_; }

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

void BM_Reorder_10k_Products_56_Days(benchmark::State& state) {
  sp::service::ReorderService reorder(store().pool(), sp::support::Clock::system());
  std::size_t items = 0;
  for (auto _ : state) {
    auto a = reorder.reorder(store().id(), {"7", "3", "56"});
    if (!a) {
      state.SkipWithError("reorder failed");
      return;
    }
    items = a->items.size();
  }
  state.counters["items"] = static_cast<double>(items);
}
BENCHMARK(BM_Reorder_10k_Products_56_Days)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_Forecast_One_Product_56_Days(benchmark::State& state) {
  std::mt19937_64 rng(7);
  std::vector<double> y(kDays);
  for (int t = 0; t < kDays; ++t) y[static_cast<std::size_t>(t)] = std::poisson_distribution<int>(10 * (t % 7 == 5 ? 1.8 : 1.0))(rng);
  for (auto _ : state) benchmark::DoNotOptimize(sp::service::forecast::forecast(y, 7));
}
BENCHMARK(BM_Forecast_One_Product_56_Days)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
