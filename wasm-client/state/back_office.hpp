// The back office's catalog in the till's state: the hub, the product list
// (filtered, sorted, paged by the server), the product editor with its
// optimistic-concurrency conflict, categories and tax rates. Values as the
// store server's catalog API gives them (docs/api.md "Catalog"); the
// controller loads and writes them (effects/back_office.cpp) and answers
// with the *Loaded / *Saved commands declared here.
//
// Online only: these are the server's rows, never the till's local catalog
// (the Products screen shows that one, read-only, when the server is out of
// reach). Deliberately not here: the stock and CSV screens (helper files
// back_office_stock*), drawing (ui/back_office.cpp) and HTTP (effects/).
#pragma once

#include <salespider/shared/product_rules.hpp>
#include <salespider/shared/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::state {

struct AppState;

// A product as the server's catalog API returns it.
struct CatalogProduct {
  std::string id;
  std::string name;
  std::string sku;  // "" when none
  std::string description;
  std::vector<std::string> barcodes;
  std::string category_id;  // "" when none
  std::string category_name;
  std::int64_t price_minor = 0;
  std::optional<std::int64_t> cost_minor;
  std::string currency;
  std::string tax_rate_id;  // "" when none
  std::string tax_code;
  bool weighed = false;  // unit "weighed", else "each"
  bool track_stock = false;
  std::optional<std::int64_t> low_stock_milli;
  bool is_active = true;
  bool archived = false;
  std::int64_t on_hand_milli = 0;
  std::string stock_status;  // in_stock | low | out | not_tracked
  std::int64_t row_version = 0;
  std::string updated_at;
};

struct PriceChange {
  std::int64_t price_minor = 0;
  std::optional<std::int64_t> cost_minor;
  std::string effective_from;  // ISO 8601 UTC as the server said it
  std::string changed_by;
};

struct CatalogCategory {
  std::string id;
  std::string name;
  std::string parent_id;  // "" at the top level
  std::string path;       // "Drinks / Soft"
  std::int64_t sort_order = 0;
  bool archived = false;
  std::int64_t product_count = 0;
  std::int64_t row_version = 0;
};
// How deep a category sits (0 at the top level), from its path.
int category_depth(const CatalogCategory& category);

struct CatalogTaxRate {
  std::string id;
  std::string code;
  std::string name;
  std::string kind;  // standard | reduced | zero | exempt
  std::int64_t rate_ppm = 0;
  bool is_active = true;
  std::int64_t products_using = 0;
  std::int64_t row_version = 0;
};

// The product editor's fields as typed (text until checked).
struct ProductDraft {
  std::string id;  // "" for a new product
  std::int64_t row_version = 0;
  std::string name;
  std::string sku;
  std::string description;
  std::vector<std::string> barcodes;
  std::string category_id;
  std::string price;  // money text, as parse_money reads it
  std::string cost;   // "" = no cost
  std::string tax_rate_id;
  bool weighed = false;
  bool track_stock = true;
  std::string low_stock;  // quantity text, "" = no low-stock level
  bool is_active = true;
};

// A draft that passed the shared product rules: what a POST/PATCH sends.
struct ProductFields {
  std::string id;
  std::int64_t row_version = 0;
  std::string name;
  std::string sku;
  std::string description;
  std::vector<std::string> barcodes;
  std::string category_id;
  std::int64_t price_minor = 0;
  std::optional<std::int64_t> cost_minor;
  std::string tax_rate_id;
  bool weighed = false;
  bool track_stock = true;
  std::optional<std::int64_t> low_stock_milli;
  bool is_active = true;
};

// The draft checked with shared/product_rules.hpp and parse_money in the
// store's currency; the error names the field the way the server would.
Result<ProductFields> check_product(const ProductDraft& draft, std::string_view currency);
// The editor's fields for a product as read (prices as plain money text).
ProductDraft draft_of(const CatalogProduct& product, std::string_view currency);
// "7.5" (percent, up to 4 decimals) -> 75000 ppm; nullopt when not a rate.
std::optional<std::int64_t> parse_percent_ppm(std::string_view text);
// 75000 -> "7.5%".
std::string ppm_percent_text(std::int64_t ppm);

struct ProductEditor {
  std::optional<CatalogProduct> product;  // as last read; none: creating a new one
  std::vector<PriceChange> price_history;
  ProductDraft draft;  // what the form shows (refilled when generation bumps)
  int generation = 0;
  bool loading = false;
  std::string error;        // why the last save was refused (the server's or the rules' words)
  std::string error_field;  // the field it names
  // A stale save (409): the row as it is now on the server. `draft` stays
  // what this person typed, so both can be shown side by side.
  std::optional<CatalogProduct> conflict;
};

struct ProductList {
  ProductFilter filter;
  std::vector<CatalogProduct> products;
  std::int64_t total = 0;
  bool loading = false;
  std::string error;
  bool offline = false;  // the server is out of reach: the UI shows the local catalog instead
};

struct BackOffice {
  ProductList list;
  std::optional<ProductEditor> editing;
  std::vector<CatalogCategory> categories;
  std::string categories_error;
  std::vector<CatalogTaxRate> tax_rates;
  std::string price_mode;  // tax_inclusive | tax_exclusive, as the tax-rate answer says
  std::string tax_rates_error;
  bool writing = false;  // a category or tax-rate write is on its way
};

// Whether the person signed in may open the back office at all: any of
// manage_products, manage_prices, adjust_stock, manage_staff, enrol_tills.
bool may_open_back_office(const AppState& state);

// --- commands (in the Command variant of app_state.hpp) ---------------------
struct OpenBackOffice {};
struct OpenProducts {};
struct QueryProducts {
  ProductFilter filter;
};
struct ProductsLoaded {
  ProductFilter filter;
  std::vector<CatalogProduct> products;
  std::int64_t total = 0;
  std::string error;
  bool offline = false;
};
struct OpenProduct {
  std::string id;  // "" = a new product
};
struct ProductLoaded {
  std::optional<CatalogProduct> product;
  std::vector<PriceChange> price_history;
  std::string error;
};
struct SaveProduct {
  ProductDraft draft;
};
struct ProductSaved {
  std::optional<CatalogProduct> product;  // the saved row
  std::string error;
  std::string field;
  std::optional<CatalogProduct> current;  // 409 stale: the row as it is now
};
// After a conflict: save this person's version over the row now on the
// server (the form as it is now; none: the draft that was refused).
struct KeepMine {
  std::optional<ProductDraft> draft;
};
struct UseTheirs {};  // after a conflict: drop the draft, show the server's row
struct ArchiveProduct {
  bool restore = false;
};
struct OpenCategories {};
struct CategoriesLoaded {
  std::vector<CatalogCategory> categories;
  std::string error;
};
struct SaveCategory {
  std::string id;  // "" = a new category
  std::string name;
  std::string parent_id;  // "" = top level
  std::int64_t row_version = 0;
};
struct ArchiveCategory {
  std::string id;
  bool restore = false;
  std::int64_t row_version = 0;
};
struct OpenTaxRates {};
struct TaxRatesLoaded {
  std::vector<CatalogTaxRate> tax_rates;
  std::string price_mode;
  std::string error;
};
struct SaveTaxRate {
  std::string id;  // "" = a new rate
  std::string code;
  std::string name;
  std::string kind;
  std::string rate;  // percent text, "7.5"
  std::int64_t row_version = 0;
};
struct RetireTaxRate {
  std::string id;
  bool reactivate = false;
  std::int64_t row_version = 0;
};
struct DeleteTaxRate {
  std::string id;
  std::int64_t row_version = 0;
};
// A category or tax-rate write finished; the controller reloads the list.
struct CatalogWritten {
  std::string error;
  std::string done;  // what to say when it worked
};

}  // namespace salespider::state
