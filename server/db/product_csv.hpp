// The product CSV import in PostgreSQL: what the import compares the file
// with (every product, category and tax rate of the store, in one read) and
// the writes of an applied import, set-based (one statement per kind of
// change over arrays, not one per row), all in one transaction with one
// audit row. The import's plan is made by service/product_csv.cpp from the
// snapshot read in that same transaction, so a product edited since the dry
// run is compared as it is now.
//
// Deliberately no validation (the service's job, with shared/product_rules.hpp;
// the CHECKs of migration 0001 are the last word) and no CSV.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/audit.hpp"

namespace salespider::db {

class Pool;

namespace product_csv {

struct ExistingProduct {
  std::string id;
  std::optional<std::string> sku;
  std::string name;
  std::string description;
  std::vector<std::string> barcodes;  // sorted
  std::optional<std::string> category_id;
  std::int64_t price_minor = 0;
  std::optional<std::int64_t> cost_minor;
  std::optional<std::string> tax_rate_id;
  std::string unit = "each";
  bool track_stock = true;
  std::optional<std::int64_t> low_stock_milli;
  bool is_active = true;
  bool archived = false;
};

struct ExistingCategory {
  std::string id;
  std::optional<std::string> parent_id;
  std::string name;
  bool archived = false;
};

struct ExistingTaxRate {
  std::string id;
  std::string code;
  bool is_active = true;
};

struct Snapshot {
  std::string currency;
  std::vector<ExistingProduct> products;
  std::vector<ExistingCategory> categories;
  std::vector<ExistingTaxRate> tax_rates;
};

// A category the import creates; its parent is an existing category
// (parent_id) or an earlier new one (parent_new, an index into new_categories).
struct NewCategory {
  std::string name;
  std::optional<std::string> parent_id;
  std::optional<std::size_t> parent_new;
};

// A product as the import leaves it. category: an existing id, or a new
// category's index (category_new).
struct ProductWrite {
  std::string id;  // "" = create
  std::optional<std::string> sku;
  std::string name;
  std::string description;
  std::vector<std::string> barcodes;
  std::optional<std::string> category_id;
  std::optional<std::size_t> category_new;
  std::int64_t price_minor = 0;
  std::optional<std::int64_t> cost_minor;
  std::optional<std::string> tax_rate_id;
  std::string unit = "each";
  bool track_stock = true;
  std::optional<std::int64_t> low_stock_milli;
  bool is_active = true;
  bool price_changed = false;     // updates: a price_history row
  bool barcodes_changed = false;  // updates: replace the barcodes
};

struct Plan {
  std::vector<NewCategory> new_categories;
  std::vector<ProductWrite> creates;
  std::vector<ProductWrite> updates;
};

Snapshot read_snapshot(Pool& pool, const std::string& store_id);

// In one transaction: reads the snapshot, asks `plan_for` what to write
// (nullopt: nothing, roll back: the file has errors against the catalog as
// it is now; it may fill in the audit row's detail), writes it and appends
// `audit` (its detail gets "created": [ids]). `changed_by`: the user id for price_history ("" = none: the CLI).
// Product writes of others wait while it runs (a table lock that sales and
// stock movements do not take), so the snapshot stays true until commit.
enum class Applied { written, refused, conflict };  // conflict: a unique key taken meanwhile
Applied apply(Pool& pool, const std::string& store_id, const std::string& changed_by,
           const std::function<std::optional<Plan>(const Snapshot&, AuditEntry&)>& plan_for, AuditEntry audit);

}  // namespace product_csv
}  // namespace salespider::db
