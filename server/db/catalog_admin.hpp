// The back office's catalog in PostgreSQL: the product list (filter, sort,
// page, count), one product with its price history, and the writes of
// products, categories and tax rates. Each write is one transaction that
// checks the row_version the caller read, writes the row, and appends the
// caller's audit entry (with the row before and after) in that transaction.
// The feed triggers of migration 0003 bump row_version and carry every
// change to the tills.
//
// Deliberately no validation of field values (service/catalog.cpp does it
// with shared/product_rules.hpp; the CHECKs of migration 0001 are the last
// word) and no permission checks. db/catalog.hpp keeps the seeding helpers.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/audit.hpp"
#include "salespider/shared/product_rules.hpp"

namespace salespider::db {

class Pool;

namespace catalog {

// ---------------------------------------------------------------- products

// One product as the back office sees it (the API's product object).
struct ProductRow {
  std::string id;
  std::string name;
  std::optional<std::string> sku;
  std::string description;
  std::vector<std::string> barcodes;  // sorted
  std::optional<std::string> category_id;
  std::optional<std::string> category_name;
  std::int64_t price_minor = 0;
  std::optional<std::int64_t> cost_minor;
  std::string currency;
  std::optional<std::string> tax_rate_id;
  std::optional<std::string> tax_code;
  std::string unit = "each";
  bool track_stock = true;
  std::optional<std::int64_t> low_stock_milli;  // products.reorder_level_milli
  bool is_active = true;
  std::optional<std::string> archived_at;  // ISO 8601; set = archived (deleted_at)
  std::int64_t on_hand_milli = 0;          // 0 when no stock_levels row
  std::int64_t row_version = 0;
  std::string created_at;
  std::string updated_at;
};

// The API's product object (docs/api.md "Catalog"), stock_status included.
nlohmann::json product_json(const ProductRow& row);

struct ProductPage {
  std::vector<ProductRow> rows;
  std::int64_t total = 0;  // every match, ignoring offset and limit
};

// One page of `filter` (validate(filter) first: it is trusted here).
ProductPage list_products(Pool& pool, const std::string& store_id, const ProductFilter& filter);

// Every product matching `filter`, in its sort order, ignoring its offset and
// limit, streamed from one snapshot (a server-side cursor, so memory stays
// flat at any catalog size): for CSV exports. `fn` runs inside the read
// transaction; keep it to formatting and writing.
void for_each_product(Pool& pool, const std::string& store_id, const ProductFilter& filter,
                      const std::function<void(const ProductRow&)>& fn);

std::optional<ProductRow> find_product(Pool& pool, const std::string& store_id, const std::string& product_id);
// Products by id, in the order given; ids that are no product of the store
// are left out. For lists another module ranks (the low-stock list).
std::vector<ProductRow> find_products(Pool& pool, const std::string& store_id, const std::vector<std::string>& ids);

struct PriceHistoryRow {
  std::int64_t price_minor = 0;
  std::optional<std::int64_t> cost_minor;
  std::string currency;
  std::string effective_from;  // ISO 8601
  std::optional<std::string> changed_by;  // the user's display name; null for the seeder/CLI
};
// Newest first.
std::vector<PriceHistoryRow> price_history(Pool& pool, const std::string& product_id);

// Every field a product write sets (an insert, or an edit after merging the
// change into the current row). Empty optionals are NULL.
struct ProductFields {
  std::string name;
  std::optional<std::string> sku;
  std::string description;
  std::vector<std::string> barcodes;
  std::optional<std::string> category_id;
  std::optional<std::string> tax_rate_id;
  std::string unit = "each";
  std::int64_t price_minor = 0;
  std::optional<std::int64_t> cost_minor;
  std::string currency;
  bool track_stock = true;
  std::optional<std::int64_t> low_stock_milli;
  bool is_active = true;
};
ProductFields fields_of(const ProductRow& row);

enum class WriteStatus {
  ok,
  not_found,
  stale,          // row_version differs: `row` is the current row
  sku_taken,      // another live product has this SKU (case-insensitive)
  barcode_taken,  // `barcode` belongs to `other_id` / `other_name`
  no_category,    // category_id names no live category of the store
  no_tax_rate,    // tax_rate_id names no tax rate of the store
  name_taken,     // categories: a sibling has this name; tax rates: the code
  cycle,          // categories: the new parent is the category or below it
  too_deep,       // categories: deeper than kMaxCategoryDepth
  in_use,         // tax rate still used by products; category with live subcategories
  parent_archived,
};

struct ProductWrite {
  WriteStatus status = WriteStatus::ok;
  std::optional<ProductRow> row;  // the row after the write (ok) or as it is now (stale)
  std::string barcode;            // barcode_taken
  std::string other_id;
  std::string other_name;
};

// `changed_by`: the user id for price_history ("" = none: the CLI).
ProductWrite insert_product(Pool& pool, const std::string& store_id, const ProductFields& fields,
                            const std::string& changed_by, AuditEntry audit);
// Writes `fields` over the product when its row_version is `expected_version`;
// adds a price_history row when price or cost changed; replaces barcodes.
ProductWrite update_product(Pool& pool, const std::string& store_id, const std::string& product_id,
                            std::int64_t expected_version, const ProductFields& fields,
                            const std::string& changed_by, AuditEntry audit);
// Archive (deleted_at = now()) or restore (NULL). Already in that state: ok, unchanged.
ProductWrite set_product_archived(Pool& pool, const std::string& store_id, const std::string& product_id,
                                  std::int64_t expected_version, bool archived, AuditEntry audit);

// ---------------------------------------------------------------- categories

struct CategoryRow {
  std::string id;
  std::string name;
  std::optional<std::string> parent_id;
  std::string path;  // "Drinks / Soft"
  int sort_order = 0;
  bool archived = false;
  std::int64_t product_count = 0;  // live products directly in it
  std::int64_t row_version = 0;
  int depth = 1;  // 1 = top level
};
nlohmann::json category_json(const CategoryRow& row);

// In tree order (parents before children; siblings by sort_order, name).
std::vector<CategoryRow> list_categories(Pool& pool, const std::string& store_id, ArchivedFilter archived);
std::optional<CategoryRow> find_category(Pool& pool, const std::string& store_id, const std::string& id);

struct CategoryFields {
  std::string name;
  std::optional<std::string> parent_id;
  int sort_order = 0;
};
struct CategoryWrite {
  WriteStatus status = WriteStatus::ok;
  std::optional<CategoryRow> row;
};
CategoryWrite insert_category(Pool& pool, const std::string& store_id, const CategoryFields& fields,
                              AuditEntry audit);
CategoryWrite update_category(Pool& pool, const std::string& store_id, const std::string& id,
                              std::int64_t expected_version, const CategoryFields& fields, AuditEntry audit);
// Archiving refuses (in_use) while live subcategories remain; restoring
// refuses (parent_archived) under an archived parent. Products keep their
// category either way and stay sellable.
CategoryWrite set_category_archived(Pool& pool, const std::string& store_id, const std::string& id,
                                    std::int64_t expected_version, bool archived, AuditEntry audit);

// ---------------------------------------------------------------- tax rates

struct TaxRateRow {
  std::string id;
  std::string code;
  std::string name;
  std::string kind;
  std::int64_t rate_ppm = 0;
  bool is_active = true;
  std::int64_t products_using = 0;  // live products with this rate
  std::int64_t row_version = 0;
};
nlohmann::json tax_rate_json(const TaxRateRow& row);

// By code.
std::vector<TaxRateRow> list_tax_rates(Pool& pool, const std::string& store_id);
std::optional<TaxRateRow> find_tax_rate(Pool& pool, const std::string& store_id, const std::string& id);

struct TaxRateFields {
  std::string code;
  std::string name;
  std::string kind;
  std::int64_t rate_ppm = 0;
  bool is_active = true;
};
struct TaxRateWrite {
  WriteStatus status = WriteStatus::ok;
  std::optional<TaxRateRow> row;
};
TaxRateWrite insert_tax_rate(Pool& pool, const std::string& store_id, const TaxRateFields& fields,
                             AuditEntry audit);
TaxRateWrite update_tax_rate(Pool& pool, const std::string& store_id, const std::string& id,
                             std::int64_t expected_version, const TaxRateFields& fields, AuditEntry audit);
// Refuses (in_use) while any product, archived ones included, refers to it.
TaxRateWrite delete_tax_rate(Pool& pool, const std::string& store_id, const std::string& id,
                             std::int64_t expected_version, AuditEntry audit);

}  // namespace catalog
}  // namespace salespider::db
