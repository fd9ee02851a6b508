// Ingest: sales per second through push (decode + PushService, the path
// POST /api/v1/sync/push takes after HTTP) with 1, 8 and 32 tills pushing at
// once, next to the limit measured in the same run: one libpqxx program
// writing exactly the same rows (applied_ops, sales, lines, payments, stock
// movements, stock levels with their feed rows, the till's receipt sequence,
// audit rows) with prepared statements, 100 sales per transaction.
// Each sale has 3 lines and 1 payment. PostgreSQL is a durable embedded
// cluster (fsync on), as in production. Results: docs/benchmarks.md.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "db/catalog.hpp"
#include "db/embedded_postgres.hpp"
#include "db/migrations.hpp"
#include "db/pool.hpp"
#include "db/sync_sql.hpp"
#include "log/log.hpp"
#include "salespider/shared/codec.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/payloads.hpp"
#include "service/sync_push.hpp"

namespace fs = std::filesystem;
namespace sp = salespider;

namespace {

constexpr int kProducts = 1000;
constexpr int kMaxTills = 32;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Product {
  std::string id;
  std::int64_t price;
};

// One durable cluster and store for the whole run.
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
    pool_ = std::make_unique<sp::db::Pool>(pg_->conninfo(),
                                           sp::db::PoolOptions{kMaxTills + 4, std::chrono::seconds(60), {}});
    sp::db::migrate(*pool_);
    store_ = sp::db::catalog::store(*pool_);
    const auto vat = sp::db::catalog::add_tax_rate(*pool_, store_.id, "VAT", "standard", 75000, "VAT");
    std::vector<sp::db::catalog::NewProduct> rows;
    std::mt19937 rng(1);
    for (int i = 0; i < kProducts; ++i) {
      sp::db::catalog::NewProduct p;
      p.name = "Product " + std::to_string(i);
      p.tax_rate_id = vat;
      p.price_minor = 100 + static_cast<std::int64_t>(rng() % 5000);
      p.currency = store_.currency;
      p.barcodes = {"29" + std::to_string(1000000000 + i)};
      p.price_from_ms = 1'600'000'000'000;
      rows.push_back(p);
    }
    const auto ids = sp::db::catalog::add_products(*pool_, store_.id, rows);
    for (std::size_t i = 0; i < ids.size(); ++i) products_.push_back({ids[i], rows[i].price_minor});
    user_ = sp::db::catalog::add_user(*pool_, store_.id, "bench", "Bench", "cashier");
    for (int t = 0; t < kMaxTills + 1; ++t) {
      sp::auth::TillPrincipal p;
      p.store_id = store_.id;
      p.till_code = "B" + std::to_string(t);
      p.till_id = sp::db::catalog::add_till(*pool_, store_.id, "Bench " + std::to_string(t), p.till_code);
      tills_.push_back(p);
    }
    seqs_.assign(tills_.size(), 0);
    // Plenty of stock, so no sale is flagged oversold.
    pool_->with_connection([&](pqxx::connection& c) {
      pqxx::work tx(c);
      tx.exec_params("INSERT INTO stock_movements (store_id, product_id, kind, quantity_milli) "
                     "SELECT $1, id, 'receive', 100000000000 FROM products",
                     store_.id);
      tx.exec_params("SELECT apply_stock_deltas($1, array_agg(id), array_agg(100000000000::bigint)) FROM products",
                     store_.id);
      tx.commit();
    });
  }
  ~Store() {
    pool_.reset();
    pg_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A sale exactly as a till makes it: 3 lines, 1 card payment.
  sp::Op sale(std::size_t till, std::mt19937_64& rng, sp::UuidV7Generator& ids) {
    sp::SalePayload p;
    p.receipt_number = *sp::format_receipt_number({tills_[till].till_code, ++seqs_[till]});
    p.cart.currency = *sp::find_currency(store_.currency);
    for (int l = 0; l < 3; ++l) {
      const auto& prod = products_[rng() % products_.size()];
      sp::CartLine c;
      c.product_id = prod.id;
      c.name = "Product";
      c.unit_price = prod.price;
      c.quantity = sp::Quantity{1000};
      c.tax = sp::TaxRate{"VAT", sp::TaxKind::standard, 75000};
      p.cart.lines.push_back(std::move(c));
    }
    p.total = sp::compute_sale(p.cart)->totals.total;
    p.payments.push_back({sp::TenderKind::card, p.total, ""});
    sp::Op op;
    op.op_id = ids.next().to_string();
    op.till_id = tills_[till].till_id;
    op.kind = sp::OpKind::sale;
    op.created_at = now_ms();
    op.user_id = user_;
    op.payload = *sp::encode_sale_payload(p);
    return op;
  }

  sp::db::Pool& pool() { return *pool_; }
  const sp::auth::TillPrincipal& till(std::size_t i) const { return tills_[i]; }
  const std::string& store_id() const { return store_.id; }
  const std::string& user() const { return user_; }
  std::int64_t next_seq(std::size_t till) { return ++seqs_[till]; }

 private:
  fs::path dir_;
  std::unique_ptr<sp::db::EmbeddedPostgres> pg_;
  std::unique_ptr<sp::db::Pool> pool_;
  sp::db::catalog::StoreFacts store_;
  std::vector<Product> products_;
  std::string user_;
  std::vector<sp::auth::TillPrincipal> tills_;
  std::vector<std::int64_t> seqs_;
};

Store& store() {
  static Store s;
  return s;
}

sp::service::sync::GrantVerdict trusting(const sp::service::sync::GrantQuery&) {
  sp::service::sync::GrantVerdict v;
  v.max_discount_bp = 1000;
  return v;
}

// N tills push `per_till` sales each, in batches of 50, all at once.
void push_run(benchmark::State& state, std::size_t chunk_ops) {
  auto& s = store();
  const auto tills = static_cast<std::size_t>(state.range(0));
  const int per_till = static_cast<int>(state.range(1));
  sp::service::sync::SyncOptions options;
  options.chunk_ops = chunk_ops;
  sp::service::sync::PushService push(s.pool(), trusting, options);
  for (auto _ : state) {
    // Batches are built (and encoded, as a till would) before the clock starts.
    std::vector<std::vector<std::string>> bodies(tills);
    for (std::size_t t = 0; t < tills; ++t) {
      std::mt19937_64 rng(t * 7919 + static_cast<std::uint64_t>(now_ms()));
      sp::UuidV7Generator ids([] { return now_ms(); }, [&rng] { return rng(); });
      for (int done = 0; done < per_till; done += 50) {
        sp::PushBatch b;
        b.till_id = s.till(t).till_id;
        for (int i = 0; i < 50 && done + i < per_till; ++i) b.ops.push_back(s.sale(t, rng, ids));
        bodies[t].push_back(*sp::encode_push_batch(b));
      }
    }
    std::atomic<long> applied{0};
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < tills; ++t) {
      threads.emplace_back([&, t] {
        for (const auto& body : bodies[t]) {
          auto batch = sp::decode_push_batch(body);
          sp::service::sync::PushContext ctx;
          ctx.now_ms = now_ms();
          for (const auto& r : push.push(s.till(t), *batch, ctx, body).results)
            applied += r.status == sp::OpStatus::applied;
        }
      });
    }
    for (auto& th : threads) th.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.SetIterationTime(seconds);
    state.counters["sales_per_s"] = static_cast<double>(applied.load()) / seconds;
    if (applied.load() != static_cast<long>(tills) * per_till) state.SkipWithError("not every sale was applied");
  }
}

void BM_Push(benchmark::State& state) { push_run(state, 50); }
void BM_PushOneTransactionPerOp(benchmark::State& state) { push_run(state, 1); }

// The limit: the same rows, written by one program with prepared statements,
// 100 sales per transaction, nothing checked.
void BM_DirectInsertLimit(benchmark::State& state) {
  auto& s = store();
  const int sales = static_cast<int>(state.range(0));
  const std::size_t till = kMaxTills;  // a till of its own
  auto lease = s.pool().acquire();
  pqxx::connection& c = *lease;
  using sp::db::sqlx::ms_to_ts;
  c.prepare("b_op", "INSERT INTO applied_ops (op_id, store_id, till_id, user_id, op_user_id, kind, status, payload,"
                    " grant_token, created_at_ms, occurred_at) VALUES ($1, $2, $3, $4::uuid, $4::text, 'sale', 'applied', $5::jsonb,"
                    " NULL, $6, " + ms_to_ts("$6") + ")");
  c.prepare("b_sale", "INSERT INTO sales (id, store_id, till_id, receipt_seq, receipt_number, user_id, price_mode,"
                      " currency, subtotal_minor, tax_minor, total_minor, paid_minor, occurred_at, op_id)"
                      " VALUES ($1, $2, $3, $4, $5, $6, 'tax_inclusive', $7, $8, $9, $8, $8, " + ms_to_ts("$10") +
                      ", $1)");
  c.prepare("b_line", "INSERT INTO sale_lines (store_id, sale_id, line_no, product_id, name, unit, quantity_milli,"
                      " unit_price_minor, tax_code, tax_kind, tax_rate_ppm, tax_minor, total_minor)"
                      " VALUES ($1, $2, $3, $4, 'Product', 'each', 1000, $5, 'VAT', 'standard', 75000, $6, $5)"
                      " RETURNING id");
  c.prepare("b_pay", "INSERT INTO payments (store_id, sale_id, tender, amount_minor, currency) VALUES ($1, $2, 'card', $3, $4)");
  c.prepare("b_move", "INSERT INTO stock_movements (store_id, product_id, kind, quantity_milli, sale_line_id, user_id,"
                      " till_id, op_id, occurred_at) VALUES ($1, $2, 'sale', -1000, $3, $4, $5, $6, " + ms_to_ts("$7") + ")");
  c.prepare("b_audit", "INSERT INTO audit_log (store_id, actor_user_id, actor_till_id, action, entity, entity_id, detail)"
                       " VALUES ($1, $2, $3, 'sale.recorded', 'sale', $4, $5::jsonb)");
  c.prepare("b_levels", "SELECT count(*) FROM apply_stock_deltas($1, $2::uuid[], $3::bigint[])");
  c.prepare("b_seq", "UPDATE tills SET highest_receipt_seq = $2 WHERE id = $1 AND highest_receipt_seq < $2");
  std::mt19937_64 rng(99);
  sp::UuidV7Generator ids([] { return now_ms(); }, [&rng] { return rng(); });
  for (auto _ : state) {
    // The same sales as push gets, prepared before the clock starts.
    std::vector<sp::Op> ops;
    std::vector<sp::SalePayload> payloads;
    for (int i = 0; i < sales; ++i) {
      ops.push_back(s.sale(till, rng, ids));
      payloads.push_back(*sp::decode_sale_payload(ops.back().payload));
    }
    const auto start = std::chrono::steady_clock::now();
    for (int first = 0; first < sales; first += 100) {
      pqxx::work tx(c);
      std::vector<std::string> products;
      std::vector<std::int64_t> deltas;
      std::int64_t max_seq = 0;
      for (int i = first; i < std::min(sales, first + 100); ++i) {
        const auto& op = ops[static_cast<std::size_t>(i)];
        const auto& p = payloads[static_cast<std::size_t>(i)];
        const auto sale = *sp::compute_sale(p.cart);
        const auto seq = sp::parse_receipt_number(p.receipt_number)->sequence;
        max_seq = std::max(max_seq, seq);
        tx.exec_prepared0("b_op", op.op_id, s.store_id(), op.till_id, op.user_id, op.payload, op.created_at);
        tx.exec_prepared0("b_sale", op.op_id, s.store_id(), op.till_id, seq, p.receipt_number, op.user_id,
                          std::string(p.cart.currency.code()), sale.totals.total, sale.totals.tax, op.created_at);
        for (std::size_t l = 0; l < sale.lines.size(); ++l) {
          const auto& line = sale.lines[l];
          const auto line_id = tx.exec_prepared1("b_line", s.store_id(), op.op_id, static_cast<int>(l + 1),
                                                 line.item.product_id, line.total, line.tax)[0]
                                   .as<std::string>();
          tx.exec_prepared0("b_move", s.store_id(), line.item.product_id, line_id, op.user_id, op.till_id, op.op_id,
                            op.created_at);
          products.push_back(line.item.product_id);
          deltas.push_back(-1000);
        }
        tx.exec_prepared0("b_pay", s.store_id(), op.op_id, sale.totals.total, std::string(p.cart.currency.code()));
        tx.exec_prepared0("b_audit", s.store_id(), op.user_id, op.till_id, op.op_id,
                          nlohmann::json{{"receipt_number", p.receipt_number}, {"total_minor", sale.totals.total}}.dump());
      }
      tx.exec_prepared("b_levels", s.store_id(), sp::db::sqlx::array_literal(products),
                       sp::db::sqlx::array_literal(deltas));
      tx.exec_prepared0("b_seq", ops[static_cast<std::size_t>(first)].till_id, max_seq);
      tx.commit();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.SetIterationTime(seconds);
    state.counters["sales_per_s"] = sales / seconds;
  }
}

}  // namespace

BENCHMARK(BM_DirectInsertLimit)->Arg(2000)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Push)
    ->Args({1, 1000})
    ->Args({8, 250})
    ->Args({32, 100})
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PushOneTransactionPerOp)
    ->Args({1, 500})
    ->Args({8, 125})
    ->Args({32, 50})
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
