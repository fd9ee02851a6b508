// Catalog reads for the UI (catalog.hpp). Every value was type-checked by
// sync when it was stored, so rows are read as they are.
#include "store/catalog.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace salespider::store {

namespace {

constexpr const char* kProductColumns =
    "SELECT p.id, coalesce(p.sku, ''), p.name, p.currency, coalesce(p.tax_rate_id, ''), p.unit, "
    "p.price_minor, p.track_stock, s.on_hand_milli, coalesce(t.code, ''), coalesce(t.kind, ''), "
    "coalesce(t.rate_ppm, 0), p.is_active "
    "FROM products p "
    "LEFT JOIN stock_levels s ON s.product_id = p.id AND s.deleted = 0 "
    "LEFT JOIN tax_rates t ON t.id = p.tax_rate_id AND t.deleted = 0 ";

CatalogProduct read_product(const Statement& st) {
  CatalogProduct p;
  p.id = st.text(0);
  p.sku = st.text(1);
  p.name = st.text(2);
  p.currency = st.text(3);
  p.tax_rate_id = st.text(4);
  p.unit = st.text(5);
  p.price_minor = st.int64(6);
  p.track_stock = st.int64(7) != 0;
  if (!st.is_null(8)) p.on_hand_milli = st.int64(8);
  p.tax_code = st.text(9);
  p.tax_kind = st.text(10);
  p.tax_rate_ppm = st.int64(11);
  p.is_active = st.int64(12) != 0;
  return p;
}

Result<std::optional<CatalogProduct>> one_product(Database& db, const std::string& sql, std::string_view key) {
  Result<Statement> st = db.prepare(sql);
  if (!st) return st.error();
  st.value().bind(1, key);
  Result<bool> row = st.value().step();
  if (!row) return row.error();
  if (!row.value()) return std::optional<CatalogProduct>{};
  return std::optional<CatalogProduct>{read_product(st.value())};
}

// What SQLite's built-in lower() does (ASCII only, no ICU): the search
// indexes are on lower(...), so the bounds must be folded the same way.
std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

Result<std::optional<CatalogProduct>> find_product_by_barcode(Database& db, std::string_view code) {
  static const std::string sql = std::string(kProductColumns) +
                                 "JOIN barcodes b ON b.product_id = p.id WHERE b.code = ?1 AND p.deleted = 0";
  return one_product(db, sql, code);
}

Result<std::optional<CatalogProduct>> find_product_by_sku(Database& db, std::string_view sku) {
  static const std::string sql =
      std::string(kProductColumns) + "WHERE lower(p.sku) = ?1 AND p.deleted = 0 ORDER BY p.id LIMIT 1";
  return one_product(db, sql, ascii_lower(sku));
}

Result<std::vector<CatalogProduct>> search_products(Database& db, std::string_view text, int limit) {
  limit = std::clamp(limit, 1, 200);
  const std::string lo = ascii_lower(text);
  // Every string starting with `lo` sorts below lo + 0xFF: no UTF-8 text
  // contains that byte, and SQLite compares text bytewise here.
  const std::string hi = lo + '\xFF';
  // Two index range scans, each stopped by LIMIT: rows are skipped for
  // being deleted, never scanned for matching.
  static const std::string by_name = std::string(kProductColumns) +
                                     "WHERE lower(p.name) >= ?1 AND lower(p.name) < ?2 AND p.deleted = 0 "
                                     "ORDER BY lower(p.name) LIMIT ?3";
  static const std::string by_sku = std::string(kProductColumns) +
                                    "WHERE lower(p.sku) >= ?1 AND lower(p.sku) < ?2 AND p.deleted = 0 "
                                    "ORDER BY lower(p.sku) LIMIT ?3";
  std::vector<CatalogProduct> out;
  std::set<std::string> seen;
  for (const std::string* sql : {&by_name, &by_sku}) {
    if (static_cast<int>(out.size()) >= limit) break;
    Result<Statement> st = db.prepare(*sql);
    if (!st) return st.error();
    st.value().bind(1, lo).bind(2, hi).bind(3, std::int64_t{limit});
    for (;;) {
      Result<bool> row = st.value().step();
      if (!row) return row.error();
      if (!row.value() || static_cast<int>(out.size()) >= limit) break;
      CatalogProduct p = read_product(st.value());
      if (seen.insert(p.id).second) out.push_back(std::move(p));
    }
  }
  return out;
}

Result<std::optional<StoreSettingsRow>> store_settings(Database& db) {
  Result<Statement> st = db.prepare(
      "SELECT id, coalesce(json_extract(data, '$.store_name'), ''), coalesce(json_extract(data, '$.currency'), ''), "
      "coalesce(json_extract(data, '$.time_zone'), ''), coalesce(json_extract(data, '$.locale'), ''), "
      "coalesce(json_extract(data, '$.price_mode'), ''), coalesce(json_extract(data, '$.receipt_header'), ''), "
      "coalesce(json_extract(data, '$.receipt_footer'), ''), "
      "coalesce(json_extract(data, '$.cash_rounding_minor'), 0), "
      "coalesce(json_extract(data, '$.offline_grant_hours'), 0) "
      "FROM store_settings WHERE deleted = 0 ORDER BY row_version DESC LIMIT 1");
  if (!st) return st.error();
  Result<bool> row = st.value().step();
  if (!row) return row.error();
  if (!row.value()) return std::optional<StoreSettingsRow>{};
  const Statement& s = st.value();
  StoreSettingsRow r;
  const std::string id = s.text(0);
  r.store_name = s.text(1);
  r.currency = s.text(2);
  r.time_zone = s.text(3);
  r.locale = s.text(4);
  r.price_mode = s.text(5);
  r.receipt_header = s.text(6);
  r.receipt_footer = s.text(7);
  r.cash_rounding_minor = s.int64(8);
  r.offline_grant_hours = s.int64(9);
  Result<Statement> tenders = db.prepare(
      "SELECT j.value FROM store_settings, json_each(store_settings.data, '$.enabled_tenders') j "
      "WHERE store_settings.id = ?1 AND j.type = 'text' ORDER BY j.key");
  if (!tenders) return tenders.error();
  tenders.value().bind(1, id);
  for (;;) {
    Result<bool> t = tenders.value().step();
    if (!t) return t.error();
    if (!t.value()) break;
    r.enabled_tenders.push_back(tenders.value().text(0));
  }
  return std::optional<StoreSettingsRow>{std::move(r)};
}

Result<bool> is_grant_revoked(Database& db, std::string_view grant_id) {
  Result<Statement> st = db.prepare("SELECT 1 FROM revoked_grants WHERE grant_id = ?1");
  if (!st) return st.error();
  st.value().bind(1, grant_id);
  Result<bool> row = st.value().step();
  if (!row) return row.error();
  return row.value();
}

Result<std::int64_t> product_count(Database& db) {
  Result<std::optional<std::int64_t>> n =
      db.query_int("SELECT count(*) FROM products WHERE deleted = 0 AND is_active = 1");
  if (!n) return n.error();
  return n.value().value_or(0);
}

}  // namespace salespider::store

namespace salespider::store {

Status drop_search_indexes(Database& db) {
  return db.exec(
      "DROP INDEX IF EXISTS products_by_sku; DROP INDEX IF EXISTS products_by_name; "
      "DROP INDEX IF EXISTS barcodes_by_product;");
}

Status create_search_indexes(Database& db) {
  return db.exec(
      "CREATE INDEX IF NOT EXISTS products_by_sku ON products(lower(sku)); "
      "CREATE INDEX IF NOT EXISTS products_by_name ON products(lower(name)); "
      "CREATE INDEX IF NOT EXISTS barcodes_by_product ON barcodes(product_id);");
}

}  // namespace salespider::store
