// The catalog's use cases for the back office and the admin CLI: products
// (with barcodes and price history), categories and tax rates: list, read,
// create, edit, archive and restore (tax rates: retire, reactivate and
// delete while unused).
//
// Here: field rules (shared/product_rules.hpp, shared/tax.hpp), turning the
// database's answers into Failures naming the field (a stale row_version ->
// service::stale with the current row, a taken barcode -> 409 naming the
// product that has it), and one rule beyond the route's permission: changing
// a price or a cost needs manage_prices. `acting_as` nullopt is the admin CLI
// on the server itself, which may do anything. Every write is audited by
// db/catalog_admin.cpp in its own transaction, before and after.
// Deliberately no HTTP and no SQL.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/permissions.hpp"
#include "auth/principal.hpp"
#include "db/catalog_admin.hpp"
#include "service/auth_outcome.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service {

using CatalogActingAs = std::optional<auth::Role>;

// The API's objects (docs/api.md "Catalog"), for the routes and `--json`.
using db::catalog::category_json;
using db::catalog::product_json;
using db::catalog::tax_rate_json;

// Fields of a new product; absent optionals take the defaults of the contract.
struct NewProduct {
  std::string name;
  std::optional<std::string> sku;
  std::string description;
  std::vector<std::string> barcodes;
  std::optional<std::string> category_id;
  std::int64_t price_minor = 0;
  std::optional<std::int64_t> cost_minor;
  std::optional<std::string> tax_rate_id;
  std::string unit = "each";
  bool track_stock = true;
  std::optional<std::int64_t> low_stock_milli;
  bool is_active = true;
};

// An edit: only the fields given change. optional<optional<T>>: absent =
// unchanged, nullopt inside = set to none. barcodes replaces the list.
struct ProductPatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> sku;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> barcodes;
  std::optional<std::optional<std::string>> category_id;
  std::optional<std::int64_t> price_minor;
  std::optional<std::optional<std::int64_t>> cost_minor;
  std::optional<std::optional<std::string>> tax_rate_id;
  std::optional<std::string> unit;
  std::optional<bool> track_stock;
  std::optional<std::optional<std::int64_t>> low_stock_milli;
  std::optional<bool> is_active;
};

struct CategoryPatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> parent_id;
  std::optional<int> sort_order;
};

struct NewTaxRate {
  std::string code;
  std::string name;
  std::string kind;
  std::int64_t rate_ppm = 0;
};
struct TaxRatePatch {
  std::optional<std::string> code;
  std::optional<std::string> name;
  std::optional<std::string> kind;
  std::optional<std::int64_t> rate_ppm;
};

struct TaxRateList {
  std::vector<db::catalog::TaxRateRow> rates;
  std::string price_mode;  // "tax_inclusive" | "tax_exclusive"
};

class CatalogService {
 public:
  explicit CatalogService(db::Pool& pool);

  // ---- products
  // 400 (bad_request, field "q"/"limit"/...) when the filter is out of range.
  Outcome<db::catalog::ProductPage> list_products(const std::string& store_id, const ProductFilter& filter);
  Outcome<db::catalog::ProductRow> get_product(const std::string& store_id, const std::string& id);
  // By id, SKU or barcode (CLI arguments).
  Outcome<db::catalog::ProductRow> find_product(const std::string& store_id, const std::string& key);
  std::vector<db::catalog::PriceHistoryRow> price_history(const std::string& product_id);
  Outcome<db::catalog::ProductRow> create_product(const std::string& store_id, const NewProduct& p,
                                                  CatalogActingAs acting_as, const auth::Actor& actor);
  Outcome<db::catalog::ProductRow> update_product(const std::string& store_id, const std::string& id,
                                                  std::int64_t row_version, const ProductPatch& patch,
                                                  CatalogActingAs acting_as, const auth::Actor& actor);
  Outcome<db::catalog::ProductRow> set_product_archived(const std::string& store_id, const std::string& id,
                                                        std::int64_t row_version, bool archived,
                                                        const auth::Actor& actor);

  // ---- categories
  std::vector<db::catalog::CategoryRow> list_categories(const std::string& store_id, ArchivedFilter archived);
  Outcome<db::catalog::CategoryRow> get_category(const std::string& store_id, const std::string& id);
  Outcome<db::catalog::CategoryRow> create_category(const std::string& store_id, const std::string& name,
                                                    const std::optional<std::string>& parent_id, int sort_order,
                                                    const auth::Actor& actor);
  Outcome<db::catalog::CategoryRow> update_category(const std::string& store_id, const std::string& id,
                                                    std::int64_t row_version, const CategoryPatch& patch,
                                                    const auth::Actor& actor);
  Outcome<db::catalog::CategoryRow> set_category_archived(const std::string& store_id, const std::string& id,
                                                          std::int64_t row_version, bool archived,
                                                          const auth::Actor& actor);

  // ---- tax rates
  TaxRateList list_tax_rates(const std::string& store_id);
  Outcome<db::catalog::TaxRateRow> get_tax_rate(const std::string& store_id, const std::string& id);
  // By id or code (CLI arguments).
  Outcome<db::catalog::TaxRateRow> find_tax_rate(const std::string& store_id, const std::string& key);
  Outcome<db::catalog::TaxRateRow> create_tax_rate(const std::string& store_id, const NewTaxRate& rate,
                                                   const auth::Actor& actor);
  Outcome<db::catalog::TaxRateRow> update_tax_rate(const std::string& store_id, const std::string& id,
                                                   std::int64_t row_version, const TaxRatePatch& patch,
                                                   const auth::Actor& actor);
  // Retire (is_active = false: tills stop offering it) or reactivate.
  Outcome<db::catalog::TaxRateRow> set_tax_rate_active(const std::string& store_id, const std::string& id,
                                                       std::int64_t row_version, bool active,
                                                       const auth::Actor& actor);
  Completion delete_tax_rate(const std::string& store_id, const std::string& id, std::int64_t row_version,
                             const auth::Actor& actor);

 private:
  db::Pool& pool_;
};

}  // namespace salespider::service
