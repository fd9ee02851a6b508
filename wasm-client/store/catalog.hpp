// The catalog as the till's screens read it: lookups by barcode and SKU,
// prefix search, the store's settings and revoked offline grants, all read
// from the tables sync fills (schema version 2, store/migrations.cpp).
//
// Read only and index-backed: every query here uses a primary key or one of
// the search indexes (products_by_sku, products_by_name), never a full scan
// of products — except while a bootstrap is bulk-loading, when sync has
// dropped the search indexes until the load ends. Deliberately no writes
// (sync/ applies pulled changes) and no full-text search (prefixes only).
#pragma once

#include "store/sqlite_db.hpp"
#include "store/store_result.hpp"

#include <cstdint>
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
};

struct StoreSettingsRow {
  std::string store_name, currency, time_zone, locale, price_mode, receipt_header, receipt_footer;
  std::int64_t cash_rounding_minor = 0;
  std::int64_t offline_grant_hours = 0;
  std::vector<std::string> enabled_tenders;  // "cash", "card", "bank_transfer", "mobile_money", "other"
};

// Deleted products are never found; inactive ones are (is_active says so:
// the screen decides whether to sell them).
Result<std::optional<CatalogProduct>> find_product_by_barcode(Database& db, std::string_view code);
// Case-insensitive (ASCII), like the server's unique SKU index.
Result<std::optional<CatalogProduct>> find_product_by_sku(Database& db, std::string_view sku);
// Products whose name or SKU starts with `text` (ASCII case-insensitive),
// name matches first, each ordered by name; at most `limit` (1-200).
// An empty text lists the first products by name.
Result<std::vector<CatalogProduct>> search_products(Database& db, std::string_view text, int limit);
Result<std::optional<StoreSettingsRow>> store_settings(Database& db);
// Once revoked, always refused: a tombstone (the grant expired since) still counts.
Result<bool> is_grant_revoked(Database& db, std::string_view grant_id);
// Active, not deleted.
Result<std::int64_t> product_count(Database& db);

}  // namespace salespider::store

namespace salespider::store {

// The search indexes the lookups above rely on. Sync drops them before a
// bootstrap bulk-loads the catalog (inserting into a B-tree per index per row
// costs more than building it once) and creates them when the load ended.
// Schema version 2 creates the same ones; that copy is frozen with the
// migration, this one is the live definition.
Status drop_search_indexes(Database& db);
Status create_search_indexes(Database& db);

}  // namespace salespider::store
