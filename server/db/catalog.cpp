// See catalog.hpp.
#include "db/catalog.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"
#include "db/sync_sql.hpp"

namespace salespider::db::catalog {
namespace {

std::string insert_product(pqxx::work& tx, const std::string& store_id, const NewProduct& p) {
  // $11 is always in the statement: with price_from_ms 0 an unused $11
  // would leave its type undetermined and the INSERT refused.
  const std::string from = "CASE WHEN $11::bigint > 0 THEN " + sqlx::ms_to_ts("$11") + " ELSE now() END";
  const auto id =
      tx.exec_params1("WITH p AS (INSERT INTO products (store_id, sku, name, category_id, tax_rate_id, unit,"
                      "   price_minor, cost_minor, currency, track_stock, reorder_level_milli)"
                      " VALUES ($1, NULLIF($2, ''), $3, NULLIF($4, '')::uuid, NULLIF($5, '')::uuid, $6, $7,"
                      "   NULLIF($8, -1), $9, $10, NULLIF($12, -1)) RETURNING id, price_minor, cost_minor, currency)"
                      " INSERT INTO price_history (store_id, product_id, price_minor, cost_minor, currency, effective_from)"
                      " SELECT $1, id, price_minor, cost_minor, currency, " +
                          from + " FROM p RETURNING product_id",
                      store_id, p.sku, p.name, p.category_id, p.tax_rate_id, p.unit, p.price_minor, p.cost_minor,
                      p.currency, p.track_stock, p.price_from_ms, p.reorder_level_milli)[0]
          .as<std::string>();
  if (!p.barcodes.empty()) {
    tx.exec_params0("INSERT INTO barcodes (store_id, barcode, product_id) SELECT $1, b, $2 FROM unnest($3::text[]) b",
                    store_id, id, sqlx::array_literal(p.barcodes));
  }
  return id;
}

}  // namespace

StoreFacts store(Pool& pool) {
  return pool.with_connection([](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec1(
        "SELECT s.id, s.currency, coalesce(st.price_mode, 'tax_inclusive') FROM stores s"
        " LEFT JOIN settings st ON st.store_id = s.id ORDER BY s.created_at LIMIT 1");
    return StoreFacts{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>()};
  });
}

bool store_is_empty(Pool& pool, const std::string& store_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return tx.exec_params1("SELECT NOT EXISTS (SELECT 1 FROM products WHERE store_id = $1)"
                           "   AND NOT EXISTS (SELECT 1 FROM sales WHERE store_id = $1)"
                           "   AND NOT EXISTS (SELECT 1 FROM tills WHERE store_id = $1)",
                           store_id)[0]
        .as<bool>();
  });
}

std::string add_tax_rate(Pool& pool, const std::string& store_id, const std::string& code, const std::string& kind,
                         std::int64_t rate_ppm, const std::string& name) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto id = tx.exec_params1("INSERT INTO tax_rates (store_id, code, kind, rate_ppm, name) VALUES ($1, $2, $3, $4, $5)"
                              " RETURNING id",
                              store_id, code, kind, rate_ppm, name)[0]
                  .as<std::string>();
    tx.commit();
    return id;
  });
}

std::string add_category(Pool& pool, const std::string& store_id, const std::string& name) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto id = tx.exec_params1("INSERT INTO categories (store_id, name) VALUES ($1, $2) RETURNING id", store_id, name)[0]
                  .as<std::string>();
    tx.commit();
    return id;
  });
}

std::string add_product(Pool& pool, const std::string& store_id, const NewProduct& product) {
  return add_products(pool, store_id, {product}).front();
}

std::vector<std::string> add_products(Pool& pool, const std::string& store_id, const std::vector<NewProduct>& products) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    std::vector<std::string> ids;
    ids.reserve(products.size());
    for (const auto& p : products) ids.push_back(insert_product(tx, store_id, p));
    tx.commit();
    return ids;
  });
}

void set_price(Pool& pool, const std::string& product_id, std::int64_t price_minor, std::int64_t effective_from_ms) {
  pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params0("WITH p AS (UPDATE products SET price_minor = $2, updated_at = now() WHERE id = $1"
                    "   RETURNING store_id, id, price_minor, cost_minor, currency)"
                    " INSERT INTO price_history (store_id, product_id, price_minor, cost_minor, currency, effective_from)"
                    " SELECT store_id, id, price_minor, cost_minor, currency, " +
                        sqlx::ms_to_ts("$3") + " FROM p",
                    product_id, price_minor, effective_from_ms);
    tx.commit();
  });
}

std::string add_user(Pool& pool, const std::string& store_id, const std::string& username,
                     const std::string& display_name, const std::string& role) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto id = tx.exec_params1("INSERT INTO users (store_id, username, display_name, role) VALUES ($1, $2, $3, $4)"
                              " RETURNING id",
                              store_id, username, display_name, role)[0]
                  .as<std::string>();
    tx.commit();
    return id;
  });
}

std::string add_till(Pool& pool, const std::string& store_id, const std::string& name, const std::string& code) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto id = tx.exec_params1("INSERT INTO tills (store_id, name, code) VALUES ($1, $2, $3) RETURNING id", store_id,
                              name, code)[0]
                  .as<std::string>();
    tx.commit();
    return id;
  });
}

}  // namespace salespider::db::catalog
