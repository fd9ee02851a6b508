// A small store for the sync engine's db tests: a migrated throw-away
// database with a tax rate, three products, a cashier, a manager and an
// enrolled till, plus builders for ops made exactly as a till makes them
// (shared/'s compute_sale and encoders). The grant check is the one test
// double (GrantCheckFn); PostgreSQL is always the real one.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <optional>
#include <chrono>
#include <memory>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <vector>

#include "common_pg.hpp"
#include "db/catalog.hpp"
#include "db/migrations.hpp"
#include "db/pool.hpp"
#include "salespider/shared/codec.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/payloads.hpp"
#include "service/sync_pull.hpp"
#include "service/sync_push.hpp"

namespace synctest {

namespace sp = salespider;
namespace svc = salespider::service::sync;

inline std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct ProductSpec {
  std::string id;
  std::int64_t price = 0;
};

struct LineSpec {
  LineSpec(std::size_t p, std::int64_t u = 1, std::int64_t price = -1, std::vector<sp::Discount> d = {})
      : product(p), units(u), unit_price(price), discounts(std::move(d)) {}
  std::size_t product = 0;
  std::int64_t units = 1;
  std::int64_t unit_price = -1;  // -1 = the product's price
  std::vector<sp::Discount> discounts;
};

// A grant check that trusts every op as made under a valid grant of its
// user's, with a manager's permissions (every op kind goes through) and a
// 10% discount limit.
inline svc::GrantCheckFn trusting_grants(std::int64_t max_discount_bp = 1000) {
  return [max_discount_bp](const svc::GrantQuery& q) {
    svc::GrantVerdict v;
    v.max_discount_bp = max_discount_bp;
    v.user_id = q.user_id;
    v.role = sp::auth::Role::manager;
    v.permissions = sp::auth::permissions_of(sp::auth::Role::manager);
    return v;
  };
}

class World {
 public:
  explicit World(std::size_t pool_size = 8) {
    pool = std::make_unique<sp::db::Pool>(db.conninfo(), sp::db::PoolOptions{pool_size, std::chrono::seconds(30), {}});
    sp::db::migrate(*pool);
    store = sp::db::catalog::store(*pool);
    vat = sp::db::catalog::add_tax_rate(*pool, store.id, "VAT", "standard", 75000, "VAT 7.5%");
    const std::int64_t prices[] = {1000, 2500, 150};
    const char* names[] = {"Rice 1kg", "Palm oil 1l", "Matches"};
    for (int i = 0; i < 3; ++i) {
      sp::db::catalog::NewProduct p;
      p.name = names[i];
      p.tax_rate_id = vat;
      p.price_minor = prices[i];
      p.currency = store.currency;
      p.barcodes = {"200000000000" + std::to_string(i)};
      p.price_from_ms = 1'600'000'000'000;
      products.push_back({sp::db::catalog::add_product(*pool, store.id, p), prices[i]});
    }
    cashier = sp::db::catalog::add_user(*pool, store.id, "ada", "Ada", "cashier");
    manager = sp::db::catalog::add_user(*pool, store.id, "bola", "Bola", "manager");
    till.till_id = sp::db::catalog::add_till(*pool, store.id, "Till 1", "T1");
    till.store_id = store.id;
    till.till_code = "T1";
    till.name = "Till 1";
  }

  std::string new_id() { return ids.next().to_string(); }

  sp::Op op(sp::OpKind kind, const std::string& payload, std::int64_t created_at = 0) {
    sp::Op o;
    o.op_id = new_id();
    o.till_id = till.till_id;
    o.kind = kind;
    o.created_at = created_at ? created_at : wall_ms();
    o.user_id = cashier;
    o.payload = payload;
    return o;
  }

  // A sale as a till makes it: totals from compute_sale, paid in cash exactly.
  sp::Op sale(std::int64_t receipt_seq, const std::vector<LineSpec>& lines, std::int64_t total_delta = 0,
              std::int64_t created_at = 0) {
    sp::SalePayload p;
    p.receipt_number = *sp::format_receipt_number({till.till_code, receipt_seq});
    p.cart.currency = *sp::find_currency(store.currency);
    p.cart.price_mode = sp::PriceMode::tax_inclusive;
    for (const auto& l : lines) {
      sp::CartLine c;
      c.product_id = products[l.product].id;
      c.name = "Item " + std::to_string(l.product);
      c.unit_price = l.unit_price >= 0 ? l.unit_price : products[l.product].price;
      c.quantity = sp::Quantity{l.units * 1000};
      c.unit = sp::UnitKind::each;
      c.tax = sp::TaxRate{"VAT", sp::TaxKind::standard, 75000};
      c.discounts = l.discounts;
      p.cart.lines.push_back(std::move(c));
    }
    auto computed = sp::compute_sale(p.cart);
    EXPECT_TRUE(computed.ok());
    p.total = computed->totals.total + total_delta;
    p.payments.push_back(sp::Payment{sp::TenderKind::cash, computed->totals.total, ""});
    auto text = sp::encode_sale_payload(p);
    EXPECT_TRUE(text.ok());
    return op(sp::OpKind::sale, *text, created_at);
  }

  sp::Op receive(std::size_t product, std::int64_t units) {
    sp::StockMovement m;
    m.product_id = products[product].id;
    m.kind = sp::StockMovementKind::receive;
    m.delta_thousandths = units * 1000;
    return op(sp::OpKind::stock_movement, *sp::encode_stock_movement_payload(m));
  }

  sp::PushBatch batch(std::vector<sp::Op> ops) {
    sp::PushBatch b;
    b.till_id = till.till_id;
    b.ops = std::move(ops);
    return b;
  }

  sp::PushResponse push(const sp::PushBatch& b, svc::GrantCheckFn grants = trusting_grants(),
                        svc::SyncOptions options = {}) {
    svc::PushService service(*pool, std::move(grants), options);
    svc::PushContext ctx;
    ctx.now_ms = wall_ms();
    return service.push(till, b, ctx);
  }

  // A poison only PostgreSQL sees: a trigger that refuses the sale with
  // this receipt number (the push then redoes its chunk one op at a time).
  void refuse_receipt(const std::string& receipt_number) {
    pqxx::connection c(db.conninfo());
    pqxx::work tx(c);
    tx.exec0("CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
             "IF NEW.receipt_number = " + tx.quote(receipt_number) +
             " THEN RAISE EXCEPTION 'poison' USING ERRCODE = '23514'; END IF; RETURN NEW; END $$");
    tx.exec0("CREATE TRIGGER poison BEFORE INSERT ON sales FOR EACH ROW EXECUTE FUNCTION poison()");
    tx.commit();
  }

  std::int64_t count(const std::string& sql) {
    pqxx::connection c(db.conninfo());
    pqxx::read_transaction tx(c);
    return tx.exec1(sql)[0].as<std::int64_t>();
  }

  testpg::TempDatabase db;
  std::unique_ptr<sp::db::Pool> pool;
  sp::db::catalog::StoreFacts store;
  std::string vat;
  std::vector<ProductSpec> products;
  std::string cashier;
  std::string manager;
  sp::auth::TillPrincipal till;

 private:
  std::mt19937_64 rng_{42};
  sp::UuidV7Generator ids{[] { return wall_ms(); }, [this] { return rng_(); }};
};

// A till's local copy of pulled rows: a change is applied only if newer.
struct TillReplica {
  struct Row {
    std::int64_t version = 0;
    bool deleted = false;
    std::string data;
  };
  std::map<std::pair<std::string, std::string>, Row> rows;
  std::string cursor;

  void apply(const sp::PullPage& page) {
    for (const auto& c : page.changes) {
      auto& r = rows[{c.entity, c.id}];
      if (c.row_version > r.version) r = Row{c.row_version, c.deleted, c.data};
    }
    cursor = page.next_cursor;
  }
  // Pulls until nothing remains.
  void sync(svc::PullService& pull, const sp::auth::TillPrincipal& till, int limit = 100) {
    for (int guard = 0; guard < 100000; ++guard) {
      auto page = pull.pull(till, cursor, limit);
      ASSERT_TRUE(page.ok()) << page.error().context;
      apply(*page);
      if (page->changes.empty() && page->remaining == 0) return;
    }
    FAIL() << "pull did not converge";
  }
  std::optional<Row> get(const std::string& entity, const std::string& id) const {
    auto it = rows.find({entity, id});
    if (it == rows.end() || it->second.deleted) return std::nullopt;
    return it->second;
  }
};

}  // namespace synctest
