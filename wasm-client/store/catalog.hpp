// The catalog as the till's screens read it: lookups by barcode and SKU,
// search as you type, categories, the characters the catalog uses, the
// store's settings and revoked offline grants, all read from the tables
// sync fills (schema version 3, store/migrations.cpp).
//
// Read only and index-backed: every query here uses a primary key, a B-tree
// index or the FTS5 index product_search (store/product_search.hpp), never
// a scan of products, whatever the catalog size — except while a bootstrap
// is bulk-loading, when sync has dropped the search indexes until the load
// ends (search_products then finds exact barcodes only). Deliberately no
// writes here (sync/ applies pulled changes; product_search.hpp keeps the
// search index), no ranking by relevance and no typo tolerance.
#pragma once

#include "store/sqlite_db.hpp"
#include "store/store_result.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::store {

struct CatalogProduct {
  std::string id, sku, name, currency, tax_rate_id, unit;  // unit: "each" | "weighed"
  std::int64_t price_minor = 0;
  bool track_stock = false;
  std::optional<std::int64_t> on_hand_milli;  // none: no stock level pulled yet
  std::string tax_code, tax_kind;             // empty when the product has no (known) tax rate
  std::int64_t tax_rate_ppm = 0;
  bool is_active = true;
  std::string category_id;  // empty: none
  std::string barcode;      // the first of its barcodes, may be empty
};

struct StoreSettingsRow {
  std::string store_name, currency, time_zone, locale, price_mode, receipt_header, receipt_footer;
  std::string tax_id, address;  // '' until the server sends them
  std::int64_t cash_rounding_minor = 0;
  std::int64_t offline_grant_hours = 0;
  std::vector<std::string> enabled_tenders;  // "cash", "card", "bank_transfer", "mobile_money", "voucher", "other"
  // Migration 0011's fields (docs/api.md "Settings"); '' / 0 / false from an older server.
  std::string phone, logo, default_tax_rate_id, date_format, time_format, language;
  std::map<std::string, std::string> tender_names;  // tender -> the store's name for it
  bool sell_only_in_shift = false;
  std::int64_t login_max_failures = 0, login_max_failures_per_address = 0, login_window_minutes = 0,
               login_lockout_minutes = 0;
};

// Deleted products are never found; inactive ones are (is_active says so:
// the screen decides whether to sell them).
Result<std::optional<CatalogProduct>> find_product_by_barcode(Database& db, std::string_view code);
// Case-insensitive (ASCII), like the server's unique SKU index.
Result<std::optional<CatalogProduct>> find_product_by_sku(Database& db, std::string_view sku);

struct ProductQuery {
  std::string text;         // what the cashier typed; empty = browse
  std::string category_id;  // empty = all categories
  int limit = 48;           // 1-200
  int offset = 0;           // for paging the tile grid (>= 0)
};
// Active, not deleted products (inactive ones cannot be sold, so they get
// no tile; scanning one still finds it and says why), in this order:
//  1. exact matches: the product with this barcode, then the one with this
//     SKU (ASCII case-insensitive);
//  2. name matches, by name: every typed word is the start of some word of
//     the name, ignoring case and accents ("coca 33" finds "Coca-Cola
//     33cl", "creme" finds "Crème brûlée"); words split and fold as
//     TextFolder says;
//  3. SKU or barcode prefix matches, by code, drawn from the first 200 SKUs
//     and the first 200 barcodes starting with the text.
// Each product appears once. With category_id, only that category's. An
// empty text lists the category (or everything) by name. Out-of-range
// limit and offset are clamped.
Result<std::vector<CatalogProduct>> search_products(Database& db, const ProductQuery& query);
// The first `limit` (1-200) results for `text` in all categories.
Result<std::vector<CatalogProduct>> search_products(Database& db, std::string_view text, int limit);

struct CatalogCategory {
  std::string id, name;
};
// Not deleted, in the store's sort order, then by name.
Result<std::vector<CatalogCategory>> list_categories(Database& db);
// Distinct codepoints above U+007F (C1 controls excepted) in product names,
// category names and the store settings' texts (name, receipt header and
// footer, tax id, address), ascending: what the font atlas must hold.
// Kept by sync in a small table, so this never reads products; it only
// grows between bootstraps (the rebuild at the end of one starts afresh).
Result<std::vector<char32_t>> catalog_glyphs(Database& db);
Result<std::optional<StoreSettingsRow>> store_settings(Database& db);
// Once revoked, always refused: a tombstone (the grant expired since) still counts.
Result<bool> is_grant_revoked(Database& db, std::string_view grant_id);
// Active, not deleted.
Result<std::int64_t> product_count(Database& db);

}  // namespace salespider::store

namespace salespider::store {

// The search indexes the lookups above rely on. Sync drops the search
// index (product_search, the name order) before a bootstrap bulk-loads the
// catalog and builds it when the load ended (SearchIndexBuild, in slices).
// The SKU and barcode B-trees stay and take the rows as they come: a
// CREATE INDEX over 100,000 rows at the end would be one long statement,
// a frame the till cannot cut. create_search_indexes creates whatever is
// missing of both at once (a database that was never indexed). Schema
// version 2 created the B-trees; that copy is frozen with the migration,
// the one in product_search.cpp is the live definition.
Status drop_search_indexes(Database& db);
Status create_search_indexes(Database& db);

}  // namespace salespider::store
