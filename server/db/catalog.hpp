// Writing the rows a store needs before it can sell: tax rates, categories,
// products (with barcodes and price history), staff and tills. Used by the
// demo seeder and by the sync engine's tests; the catalog's own use cases
// and endpoints (editing, soft delete, restore) arrive with the catalog
// issue and will grow this file. Each call is one transaction; the feed
// triggers of migration 0003 make every row reach the tills.
// Deliberately no password or PIN hashes: staff made here cannot log in until
// a password is set (`salespider user ...`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salespider::db {

class Pool;

namespace catalog {

struct StoreFacts {
  std::string id;
  std::string currency;
  std::string price_mode;
};
StoreFacts store(Pool& pool);

// True when the store has no products, sales or tills: safe for a demo.
bool store_is_empty(Pool& pool, const std::string& store_id);

std::string add_tax_rate(Pool& pool, const std::string& store_id, const std::string& code, const std::string& kind,
                         std::int64_t rate_ppm, const std::string& name);
std::string add_category(Pool& pool, const std::string& store_id, const std::string& name);

struct NewProduct {
  std::string name;
  std::string sku;
  std::string category_id;  // "" = none
  std::string tax_rate_id;  // "" = none
  std::string unit = "each";
  std::int64_t price_minor = 0;
  std::int64_t cost_minor = -1;  // -1 = unknown
  std::string currency;
  bool track_stock = true;
  std::int64_t reorder_level_milli = -1;  // -1 = none
  std::vector<std::string> barcodes;
  std::int64_t price_from_ms = 0;  // price_history.effective_from; 0 = now
};
std::string add_product(Pool& pool, const std::string& store_id, const NewProduct& product);
// Several products in one transaction (the demo's catalog, the benchmark's).
std::vector<std::string> add_products(Pool& pool, const std::string& store_id, const std::vector<NewProduct>& products);

// A new price from `effective_from_ms` (the product row and its history).
void set_price(Pool& pool, const std::string& product_id, std::int64_t price_minor, std::int64_t effective_from_ms);

std::string add_user(Pool& pool, const std::string& store_id, const std::string& username,
                     const std::string& display_name, const std::string& role);
std::string add_till(Pool& pool, const std::string& store_id, const std::string& name, const std::string& code);

}  // namespace catalog
}  // namespace salespider::db
