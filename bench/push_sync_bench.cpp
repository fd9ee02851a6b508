// Ingest: sales per second through push (decode + PushService, the path
// POST /api/v1/sync/push takes after HTTP) with 1, 8 and 32 tills pushing at
// once, next to the bulk-load limit measured in the same run and alternated
// with it: one program writing exactly the rows push writes (applied_ops
// with payload, sales, lines, payments, stock movements, audit rows, stock
// levels with their feed rows, the till's receipt sequence) with one
// multi-row INSERT per table per transaction (unnest of arrays, data-modifying
// CTEs: one round trip), 100 sales per transaction, nothing checked.
// Each sale has 3 lines and 1 card payment; a till pushes 100 ops per
// request, as the till does (SyncEngine::kMaxOpsPerPush). PostgreSQL is a
// durable embedded cluster (fsync on), as in production.
//
// Its own driver rather than Google Benchmark's runner: the limit and push
// must alternate round by round on a shared, loaded machine, and ratios are
// taken within a round. It accepts --benchmark_out=FILE (JSON) and ignores
// other --benchmark_* flags (bench/run.sh passes repetitions).
// SALESPIDER_PUSH_SALES (default 10000) sales per case, SALESPIDER_PUSH_ROUNDS
// (default 3) rounds. Results: docs/benchmarks.md "Sync ingest".
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
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
constexpr int kOpsPerPush = 100;  // what a till sends in one push
constexpr int kSalesPerTx = 100;  // the limit's transaction

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
    conninfo_ = pg_->conninfo();
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
  const std::string& conninfo() const { return conninfo_; }
  const sp::auth::TillPrincipal& till(std::size_t i) const { return tills_[i]; }
  const std::string& store_id() const { return store_.id; }
  const std::string& user() const { return user_; }
  std::int64_t next_seq(std::size_t till) { return ++seqs_[till]; }

 private:
  fs::path dir_;
  std::string conninfo_;
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

// N tills push `per_till` sales each, 100 ops per push, all at once.
// Returns sales/s; throws when a sale was not applied.
double push_run(std::size_t tills, int per_till, std::size_t chunk_ops) {
  auto& s = store();
  sp::service::sync::SyncOptions options;
  if (chunk_ops) options.chunk_ops = chunk_ops;
  sp::service::sync::PushService push(s.pool(), trusting, options);
  // Batches are built (and encoded, as a till would) before the clock starts.
  std::vector<std::vector<std::string>> bodies(tills);
  for (std::size_t t = 0; t < tills; ++t) {
    std::mt19937_64 rng(t * 7919 + static_cast<std::uint64_t>(now_ms()));
    sp::UuidV7Generator ids([] { return now_ms(); }, [&rng] { return rng(); });
    for (int done = 0; done < per_till; done += kOpsPerPush) {
      sp::PushBatch b;
      b.till_id = s.till(t).till_id;
      for (int i = 0; i < kOpsPerPush && done + i < per_till; ++i) b.ops.push_back(s.sale(t, rng, ids));
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
  if (applied.load() != static_cast<long>(tills) * per_till) throw std::runtime_error("not every sale was applied");
  return static_cast<double>(applied.load()) / seconds;
}

// One transaction of the limit: every table in one multi-row INSERT (arrays
// unnested, data-modifying CTEs), so one round trip writes 100 sales.
const char* kBulkSales =
    "WITH o AS ("
    "  INSERT INTO applied_ops (op_id, store_id, till_id, user_id, op_user_id, kind, status, payload, grant_token,"
    "    created_at_ms, occurred_at, result_message, flags)"
    "  SELECT x.id, $1, $2, $3::uuid, $3, 'sale', 'applied', x.payload::jsonb, NULL, x.at,"
    "    'epoch'::timestamptz + x.at * interval '1 millisecond', '', '{}'"
    "    FROM unnest($4::uuid[], $5::text[], $6::bigint[]) AS x(id, payload, at)),"
    " s AS ("
    "  INSERT INTO sales (id, store_id, till_id, receipt_seq, receipt_number, receipt_collision, user_id, shift_id,"
    "    price_mode, currency, subtotal_minor, discount_minor, tax_minor, total_minor, rounding_minor, paid_minor,"
    "    change_minor, flags, occurred_at, op_id, approved_by)"
    "  SELECT x.id, $1, $2, x.seq, x.number, false, $3::uuid, NULL, 'tax_inclusive', $7, x.total, 0, x.tax, x.total,"
    "    0, x.total, 0, '{}', 'epoch'::timestamptz + x.at * interval '1 millisecond', x.id, NULL"
    "    FROM unnest($4::uuid[], $8::bigint[], $9::text[], $10::bigint[], $11::bigint[], $6::bigint[])"
    "      AS x(id, seq, number, total, tax, at)),"
    " l AS ("
    "  INSERT INTO sale_lines (store_id, sale_id, line_no, product_id, name, barcode, unit, quantity_milli,"
    "    unit_price_minor, discount_minor, tax_code, tax_kind, tax_rate_ppm, tax_minor, total_minor)"
    "  SELECT $1, x.sale, x.no, x.product, 'Product', NULL, 'each', 1000, x.price, 0, 'VAT', 'standard', 75000,"
    "    x.tax, x.price"
    "    FROM unnest($12::uuid[], $13::int[], $14::uuid[], $15::bigint[], $16::bigint[]) AS x(sale, no, product, price, tax)"
    "  RETURNING id, sale_id, product_id, quantity_milli),"
    " p AS ("
    "  INSERT INTO payments (store_id, sale_id, tender, amount_minor, currency, reference)"
    "  SELECT $1, x.id, 'card', x.total, $7, NULL FROM unnest($4::uuid[], $10::bigint[]) AS x(id, total)),"
    " m AS ("
    "  INSERT INTO stock_movements (store_id, product_id, kind, quantity_milli, sale_line_id, user_id, till_id, op_id,"
    "    occurred_at)"
    "  SELECT $1, l.product_id, 'sale', -l.quantity_milli, l.id, $3::uuid, $2, l.sale_id,"
    "    'epoch'::timestamptz + x.at * interval '1 millisecond'"
    "    FROM l JOIN unnest($4::uuid[], $6::bigint[]) AS x(id, at) ON x.id = l.sale_id)"
    " INSERT INTO audit_log (store_id, actor_user_id, actor_till_id, action, entity, entity_id, detail)"
    " SELECT $1, $3::uuid, $2, 'sale.recorded', 'sale', x.id, x.detail::jsonb"
    "   FROM unnest($4::uuid[], $17::text[]) AS x(id, detail)";

// The limit: exactly the rows push writes for the same sales, 100 sales per
// transaction, nothing checked. Returns sales/s.
double bulk_limit(int sales) {
  auto& s = store();
  const std::size_t till = kMaxTills;  // a till of its own
  pqxx::connection c(s.conninfo());
  c.prepare("bulk_sales", kBulkSales);
  c.prepare("bulk_levels", "SELECT count(*) FROM apply_stock_deltas($1, $2::uuid[], $3::bigint[])");
  c.prepare("bulk_seq", "UPDATE tills SET highest_receipt_seq = $2 WHERE id = $1 AND highest_receipt_seq < $2");
  std::mt19937_64 rng(static_cast<std::uint64_t>(now_ms()));
  sp::UuidV7Generator ids([] { return now_ms(); }, [&rng] { return rng(); });
  // The same sales as push gets, made before the clock starts.
  std::vector<sp::Op> ops;
  for (int i = 0; i < sales; ++i) ops.push_back(s.sale(till, rng, ids));
  using sp::db::sqlx::array_literal;
  const auto start = std::chrono::steady_clock::now();
  for (int first = 0; first < sales; first += kSalesPerTx) {
    std::vector<std::string> op_ids, payloads, numbers, details, line_sales, line_products;
    std::vector<std::int64_t> at, seqs, totals, taxes, line_nos, line_prices, line_taxes, deltas;
    std::int64_t max_seq = 0;
    std::string currency;
    for (int i = first; i < std::min(sales, first + kSalesPerTx); ++i) {
      const auto& op = ops[static_cast<std::size_t>(i)];
      // The same decode and arithmetic the rows need; no check on them.
      const auto p = *sp::decode_sale_payload(op.payload);
      const auto sale = *sp::compute_sale(p.cart);
      const auto seq = sp::parse_receipt_number(p.receipt_number)->sequence;
      currency = std::string(p.cart.currency.code());
      max_seq = std::max(max_seq, seq);
      op_ids.push_back(op.op_id);
      payloads.push_back(op.payload);
      at.push_back(op.created_at);
      seqs.push_back(seq);
      numbers.push_back(p.receipt_number);
      totals.push_back(sale.totals.total);
      taxes.push_back(sale.totals.tax);
      details.push_back(nlohmann::json{{"receipt_number", p.receipt_number},
                                       {"total_minor", sale.totals.total},
                                       {"currency", currency},
                                       {"lines", sale.lines.size()}}
                            .dump());
      for (std::size_t l = 0; l < sale.lines.size(); ++l) {
        line_sales.push_back(op.op_id);
        line_nos.push_back(static_cast<std::int64_t>(l + 1));
        line_products.push_back(sale.lines[l].item.product_id);
        line_prices.push_back(sale.lines[l].total);
        line_taxes.push_back(sale.lines[l].tax);
        deltas.push_back(-1000);
      }
    }
    pqxx::work tx(c);
    const auto& first_op = ops[static_cast<std::size_t>(first)];
    tx.exec_prepared0("bulk_sales", s.store_id(), first_op.till_id, first_op.user_id, array_literal(op_ids),
                      array_literal(payloads), array_literal(at), currency, array_literal(seqs),
                      array_literal(numbers), array_literal(totals), array_literal(taxes), array_literal(line_sales),
                      array_literal(line_nos), array_literal(line_products), array_literal(line_prices),
                      array_literal(line_taxes), array_literal(details));
    tx.exec_prepared("bulk_levels", s.store_id(), array_literal(line_products), array_literal(deltas));
    tx.exec_prepared0("bulk_seq", first_op.till_id, max_seq);
    tx.commit();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return sales / seconds;
}

struct Case {
  std::string name;
  std::size_t tills = 0;  // 0 = the limit
  std::vector<double> rates;
  std::vector<double> ratios;  // to the limit of the same round
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

std::string load_average() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return a + " " + b + " " + c;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--benchmark_out=", 0) == 0) out = a.substr(16);
  }
  const int sales = env_int("SALESPIDER_PUSH_SALES", 10000);
  const int rounds = env_int("SALESPIDER_PUSH_ROUNDS", 3);
  const auto chunk_ops = static_cast<std::size_t>(env_int("SALESPIDER_PUSH_CHUNK_OPS", 0));
  try {
    store();
    std::vector<Case> cases = {{"bulk-load limit, 1 program, 100 sales/transaction", 0, {}, {}},
                               {"push, 1 till", 1, {}, {}},
                               {"push, 8 tills at once", 8, {}, {}},
                               {"push, 32 tills at once", 32, {}, {}}};
    // SALESPIDER_PUSH_TILLS="1,8" keeps the limit and only those push cases (profiling).
    if (const char* only = std::getenv("SALESPIDER_PUSH_TILLS"); only && *only) {
      const std::string list = std::string(",") + only + ",";
      cases.erase(std::remove_if(cases.begin() + 1, cases.end(),
                                 [&](const Case& c) {
                                   return list.find("," + std::to_string(c.tills) + ",") == std::string::npos;
                                 }),
                  cases.end());
    }
    std::vector<std::string> loads;
    for (int r = 0; r < rounds; ++r) {
      double limit = 0;
      for (auto& c : cases) {
        double rate = 0;
        if (c.tills == 0) {
          rate = limit = bulk_limit(sales);
        } else {
          const int per_till = (sales + static_cast<int>(c.tills) - 1) / static_cast<int>(c.tills);
          rate = push_run(c.tills, per_till, chunk_ops);
        }
        c.rates.push_back(rate);
        c.ratios.push_back(rate / limit);
        std::cout << "round " << r + 1 << "  " << c.name << ": " << static_cast<long>(rate) << " sales/s ("
                  << std::lround(100 * rate / limit) << "% of the limit)  load " << load_average() << std::endl;
      }
      loads.push_back(load_average());
    }
    nlohmann::json report = {{"sales_per_case", sales}, {"rounds", rounds}, {"load_average", loads}};
    std::cout << "\n| what | sales/s median (min-max) | vs. limit, same round: median (min-max) |\n|---|---|---|\n";
    for (const auto& c : cases) {
      const auto [rmin, rmax] = std::minmax_element(c.rates.begin(), c.rates.end());
      const auto [qmin, qmax] = std::minmax_element(c.ratios.begin(), c.ratios.end());
      std::cout << "| " << c.name << " | " << static_cast<long>(median(c.rates)) << " (" << static_cast<long>(*rmin)
                << "-" << static_cast<long>(*rmax) << ") | " << std::lround(100 * median(c.ratios)) << "% ("
                << std::lround(100 * *qmin) << "-" << std::lround(100 * *qmax) << "%) |\n";
      report["cases"].push_back({{"name", c.name},
                                 {"tills", c.tills},
                                 {"sales_per_s", c.rates},
                                 {"ratio_to_limit", c.ratios},
                                 {"median_sales_per_s", median(c.rates)},
                                 {"median_ratio", median(c.ratios)}});
    }
    std::cout << "load average per round: ";
    for (const auto& l : loads) std::cout << "[" << l << "] ";
    std::cout << std::endl;
    if (!out.empty()) std::ofstream(out) << report.dump(2) << "\n";
  } catch (const std::exception& e) {
    std::cerr << "bench_push_sync: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
