// The product CSV (docs/csv.md): importing a file of products (create, or
// update the product matched by id, else SKU, else first barcode) with a dry
// run that reports every row's outcome before anything is written, and
// exporting the product list as the same file, so an export imported again
// changes nothing.
//
// analyse() is the pure part (file + the catalog as it is -> per-row outcomes
// and the writes to make), unit-tested without a database. An import that
// applies runs analyse() again inside the writing transaction
// (db/product_csv.hpp), so what it writes was checked against the catalog at
// that moment; any error anywhere and nothing is written.
// Deliberately no HTTP (http/routes_product_csv.cpp) and no SQL.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.hpp"
#include "db/product_csv.hpp"
#include "salespider/shared/i18n.hpp"
#include "salespider/shared/product_rules.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service::product_csv {

using i18n::NC_;
// The file's columns, in the order the export writes them: these English
// names, or their catalogue translations (context csv::kColumnContext) in the
// export's language; the import recognises a header in any catalogue language.
inline constexpr std::array<std::string_view, 13> kColumns{
    NC_("csv column", "id"),          NC_("csv column", "sku"),       NC_("csv column", "name"),
    NC_("csv column", "barcodes"),    NC_("csv column", "category"),  NC_("csv column", "price"),
    NC_("csv column", "cost"),        NC_("csv column", "tax_code"),  NC_("csv column", "unit"),
    NC_("csv column", "track_stock"), NC_("csv column", "low_stock"), NC_("csv column", "active"),
    NC_("csv column", "description")};
// Columns an import file must have (the others keep the product's value
// when absent, or the default for a new product).
inline constexpr std::array<std::string_view, 2> kRequiredColumns{"name", "price"};

enum class Outcome { created, updated, unchanged, error };
std::string_view to_string(Outcome outcome) noexcept;

struct CellError {
  std::string column;  // a column name; "" for the whole line
  std::string message;
};

struct RowReport {
  std::size_t line = 0;  // of the file, 1 = the header
  Outcome outcome = Outcome::error;
  std::string sku;
  std::string name;
  std::vector<CellError> errors;
};

struct Summary {
  std::size_t created = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
  std::size_t errors = 0;  // rows (and file-level problems) with errors
  std::size_t categories_created = 0;
};

struct Analysis {
  std::vector<RowReport> rows;  // file-level problems first (line 1 = header, or the line at fault)
  Summary summary;
  db::product_csv::Plan plan;
  bool ok() const { return summary.errors == 0; }
};

struct AnalyseOptions {
  bool may_change_prices = true;  // false: a price or cost change is a row error
};

Analysis analyse(std::string_view file, const db::product_csv::Snapshot& catalog, AnalyseOptions options = {});

// ---------------------------------------------------------------- use cases

struct ImportResult {
  bool dry_run = true;
  bool applied = false;
  bool conflict = false;  // the catalog changed under the import (a unique key taken): try again
  std::string file_sha256;
  Analysis analysis;
};

// Dry run: reads and compares, writes nothing. Otherwise: all or nothing,
// one transaction, one audit row "product.import" (summary, the file's
// SHA-256, created ids and the changed columns of each updated product).
ImportResult import_products(db::Pool& pool, const std::string& store_id, const auth::Actor& actor,
                             std::string_view file, bool dry_run, AnalyseOptions options = {});

// The header line of the export (CRLF-terminated), in `lang`.
std::string export_header(std::string_view lang = "en");
// Every product matching `filter` (its offset and limit ignored), a line
// each, handed to `write` in pieces of about 64 KiB; `write` returns false
// to stop (the client went away). Audited as "product.export" with the row
// count. Returns the number of products written.
std::int64_t export_products(db::Pool& pool, const std::string& store_id, const auth::Actor& actor,
                             const ProductFilter& filter, const std::function<bool(std::string_view)>& write,
                             std::string_view lang = "en");

}  // namespace salespider::service::product_csv
