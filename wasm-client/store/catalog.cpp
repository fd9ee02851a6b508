// Catalog reads for the UI (catalog.hpp). Every value was type-checked by
// sync when it was stored, so rows are read as they are.
//
// Search as you type, per keystroke (docs/till-storage.md "Product search"):
// name matches come from the FTS5 table product_search, whose rowid is the
// product's place in name order, so a page of matches is the first rows of
// a doclist walk in rowid order and costs the same for 10 matches or
// 50,000; exact and prefix SKU/barcode matches come from B-tree indexes
// (products_by_sku, the barcodes primary key), each read as one range that
// stops after a bounded number of rows.
#include "store/catalog.hpp"

#include "store/product_search.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace salespider::store {

namespace {

// The columns read_product reads, then (15) the product's place in name
// order, NULL when it is not searchable, for the search's own bookkeeping;
// a query may add the matched code as column 16.
constexpr const char* kSelect =
    "SELECT p.id, coalesce(p.sku, ''), p.name, p.currency, coalesce(p.tax_rate_id, ''), p.unit, "
    "p.price_minor, p.track_stock, s.on_hand_milli, coalesce(t.code, ''), coalesce(t.kind, ''), "
    "coalesce(t.rate_ppm, 0), p.is_active, coalesce(p.category_id, ''), "
    "coalesce(json_extract(p.barcodes, '$[0]'), ''), ";
constexpr const char* kJoins =
    " LEFT JOIN stock_levels s ON s.product_id = p.id AND s.deleted = 0"
    " LEFT JOIN tax_rates t ON t.id = p.tax_rate_id AND t.deleted = 0 ";
// Only while the search index is built: product_name_order is dropped with it.
constexpr const char* kPlaceJoin = " LEFT JOIN product_name_order o ON o.product = p.rowid";

// Where column 15 comes from: nowhere (NULL), a join added here, or
// product_name_order named `o` in the query's own FROM.
enum class Place { none, join, in_from };

// SELECT ... FROM `from` (which names products p) + the joins.
std::string product_query(const std::string& extra_columns, const std::string& from, Place place) {
  return std::string(kSelect) + (place == Place::none ? "NULL" : "o.ord") + extra_columns + " FROM " + from +
         (place == Place::join ? kPlaceJoin : "") + kJoins;
}

const std::string kProductColumns = product_query("", "products p", Place::none);

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
  p.category_id = st.text(13);
  p.barcode = st.text(14);
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

namespace {

// The matches of one product query, with what paging and de-duplication need.
struct Found {
  CatalogProduct product;
  std::optional<std::int64_t> place;
  std::string code;  // the SKU (lowered) or barcode a code match matched
};

// The text products must be in to be found by `search_products`.
constexpr const char* kSellable = "p.deleted = 0 AND p.is_active = 1 AND (?2 = '' OR p.category_id = ?2)";

// Binds ?1 = key, ?2 = category, then appends every row.
Status collect(Database& db, const std::string& sql, std::string_view key, std::string_view category,
               std::vector<Found>& out, bool with_code = false) {
  Result<Statement> st = db.prepare(sql);
  if (!st) return st.error();
  st.value().bind(1, key).bind(2, category);
  for (;;) {
    Result<bool> row = st.value().step();
    if (!row) return row.error();
    if (!row.value()) return {};
    Found f{read_product(st.value()), std::nullopt, with_code ? st.value().text(16) : std::string()};
    if (!st.value().is_null(15)) f.place = st.value().int64(15);
    out.push_back(std::move(f));
  }
}

bool contains_id(const std::vector<Found>& list, const std::string& id) {
  return std::any_of(list.begin(), list.end(), [&](const Found& f) { return f.product.id == id; });
}

// The product with this barcode, then the one with this SKU.
Result<std::vector<Found>> exact_matches(Database& db, const std::string& text, const std::string& category,
                                         bool indexed) {
  static const std::string by_barcode_plain =
      product_query("", "barcodes b CROSS JOIN products p ON p.id = b.product_id", Place::none) +
      "WHERE b.code = ?1 AND " + kSellable;
  static const std::string by_barcode =
      product_query("", "barcodes b CROSS JOIN products p ON p.id = b.product_id", Place::join) +
      "WHERE b.code = ?1 AND " + kSellable;
  static const std::string by_sku = product_query("", "products p", Place::join) +
                                    "WHERE lower(p.sku) = ?1 AND " + kSellable + " ORDER BY p.rowid LIMIT 4";
  std::vector<Found> found;
  if (Status s = collect(db, indexed ? by_barcode : by_barcode_plain, text, category, found); !s)
    return s.error();
  // Without products_by_sku (mid-bootstrap) this would be a scan: skipped.
  if (indexed) {
    std::vector<Found> skus;
    if (Status s = collect(db, by_sku, ascii_lower(text), category, skus); !s) return s.error();
    for (Found& f : skus)
      if (!contains_id(found, f.product.id)) found.push_back(std::move(f));
  }
  return found;
}

// How many rows each code range reads at most: bounds the work whatever
// the category filter drops, at the price of missing matches beyond it.
constexpr int kCodeRange = 200;

// SKU and barcode prefix matches, by code, without `skip` and without what
// the name search found (every query word starts a word of the name).
Result<std::vector<Found>> code_matches(Database& db, const std::string& text, const std::string& category,
                                        const std::vector<Found>& skip, const TextFolder& folder,
                                        const std::vector<std::string>& words) {
  static const std::string by_sku =
      product_query(
          ", lower(p.sku)",
          "(SELECT rowid AS r FROM products WHERE lower(sku) >= ?1 AND lower(sku) < ?1 || char(1114111) "
          "ORDER BY lower(sku) LIMIT " +
              std::to_string(kCodeRange) + ") k CROSS JOIN products p ON p.rowid = k.r",
          Place::join) +
      "WHERE " + kSellable;
  static const std::string by_barcode =
      product_query(", k.code",
                    "(SELECT code, product_id FROM barcodes WHERE code >= ?1 AND code < ?1 || char(1114111) "
                    "ORDER BY code LIMIT " +
                        std::to_string(kCodeRange) + ") k CROSS JOIN products p ON p.id = k.product_id",
                    Place::join) +
      "WHERE " + kSellable;
  std::vector<Found> found;
  if (Status s = collect(db, by_sku, ascii_lower(text), category, found, true); !s) return s.error();
  if (Status s = collect(db, by_barcode, text, category, found, true); !s) return s.error();
  std::stable_sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return a.code != b.code ? a.code < b.code : a.product.id < b.product.id;
  });
  std::vector<Found> out;
  for (Found& f : found) {
    if (contains_id(skip, f.product.id) || contains_id(out, f.product.id)) continue;
    if (!words.empty()) {
      const std::vector<std::string> name = folder.tokens(f.product.name);
      const bool all = std::all_of(words.begin(), words.end(), [&](const std::string& w) {
        return std::any_of(name.begin(), name.end(),
                           [&](const std::string& n) { return n.compare(0, w.size(), w) == 0; });
      });
      if (all) continue;  // listed with the name matches already
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::string fts_phrase(std::string_view token) {
  std::string out = "\"";
  for (char c : token) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A page of the FTS query `match`, in name order, without the places in
// `exclude` (a JSON array).
Status fts_page(Database& db, const std::string& match, const std::string& exclude, std::int64_t limit,
                std::int64_t offset, std::vector<CatalogProduct>& out) {
  static const std::string sql =
      product_query("",
                    "product_search CROSS JOIN product_name_order o ON o.ord = product_search.rowid "
                    "CROSS JOIN products p ON p.rowid = o.product",
                    Place::in_from) +
      "WHERE product_search MATCH ?1 AND product_search.rowid NOT IN (SELECT value FROM json_each(?2)) "
      "ORDER BY product_search.rowid LIMIT ?3 OFFSET ?4";
  Result<Statement> st = db.prepare(sql);
  if (!st) return st.error();
  st.value().bind(1, match).bind(2, exclude).bind(3, limit).bind(4, offset);
  for (;;) {
    Result<bool> row = st.value().step();
    if (!row) return row.error();
    if (!row.value()) return {};
    out.push_back(read_product(st.value()));
  }
}

Result<std::int64_t> fts_count(Database& db, const std::string& match, const std::string& exclude) {
  Result<Statement> st = db.prepare(
      "SELECT count(*) FROM product_search WHERE product_search MATCH ?1 "
      "AND rowid NOT IN (SELECT value FROM json_each(?2))");
  if (!st) return st.error();
  st.value().bind(1, match).bind(2, exclude);
  Result<bool> row = st.value().step();
  if (!row) return row.error();
  return row.value() ? st.value().int64(0) : 0;
}

std::string trim(std::string_view text) {
  const char* space = " \t\r\n\f\v";
  const std::size_t first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(space) - first + 1));
}

}  // namespace

Result<std::vector<CatalogProduct>> search_products(Database& db, const ProductQuery& query) {
  const std::int64_t limit = std::clamp(query.limit, 1, 200);
  const std::int64_t offset = std::max(query.offset, 0);
  const std::string text = trim(query.text);
  const std::string& category = query.category_id;
  Result<bool> built = product_search_built(db);
  if (!built) return built.error();
  std::vector<CatalogProduct> out;
  const std::string category_word = category_token(category);
  // No letters or digits: not an id any product can have.
  if (!category.empty() && category_word.empty()) return out;
  const std::string category_match = category.empty() ? std::string() : fts_phrase(category_word);

  if (text.empty()) {
    if (!built.value()) return out;
    if (!category.empty()) {
      if (Status s = fts_page(db, category_match, "[]", limit, offset, out); !s) return s.error();
      return out;
    }
    static const std::string browse =
        product_query("", "product_name_order o CROSS JOIN products p ON p.rowid = o.product",
                      Place::in_from) +
        "ORDER BY o.ord LIMIT ?1 OFFSET ?2";
    Result<Statement> st = db.prepare(browse);
    if (!st) return st.error();
    st.value().bind(1, limit).bind(2, offset);
    for (;;) {
      Result<bool> row = st.value().step();
      if (!row) return row.error();
      if (!row.value()) return out;
      out.push_back(read_product(st.value()));
    }
  }

  // The list is exact ++ names ++ codes; this page is [offset, offset + limit).
  Result<std::vector<Found>> exact = exact_matches(db, text, category, built.value());
  if (!exact) return exact.error();
  const auto n_exact = static_cast<std::int64_t>(exact.value().size());
  for (std::int64_t i = offset; i < n_exact && i < offset + limit; ++i)
    out.push_back(exact.value()[static_cast<std::size_t>(i)].product);
  if (!built.value()) return out;
  const std::int64_t need = limit - static_cast<std::int64_t>(out.size());
  if (need == 0) return out;

  Result<TextFolder> folder = TextFolder::create(db);
  if (!folder) return folder.error();
  std::vector<std::string> words;
  for (std::string& w : folder.value().tokens(text)) {
    // A word starting like a category token would match categories.
    if (w.compare(0, 3, "\xEE\x80\x80") == 0) continue;
    if (words.size() < 16) words.push_back(std::move(w));
  }
  std::string exclude = "[";
  for (const Found& f : exact.value())
    if (f.place) exclude += (exclude.size() > 1 ? "," : "") + std::to_string(*f.place);
  exclude += "]";
  std::string match = category_match;
  for (const std::string& w : words) match += (match.empty() ? "" : " ") + fts_phrase(w) + "*";

  const std::int64_t name_offset = std::max<std::int64_t>(0, offset - n_exact);
  std::int64_t got = 0;
  if (!words.empty()) {
    const std::size_t before = out.size();
    if (Status s = fts_page(db, match, exclude, need, name_offset, out); !s) return s.error();
    got = static_cast<std::int64_t>(out.size() - before);
  }
  if (got == need) return out;

  // The name matches ended on this page: code matches follow them. Usually
  // there are none, and then the names need no counting.
  Result<std::vector<Found>> codes = code_matches(db, text, category, exact.value(), folder.value(), words);
  if (!codes) return codes.error();
  if (codes.value().empty()) return out;
  std::int64_t names = 0;
  if (!words.empty()) {
    if (got > 0 || name_offset == 0) {
      names = name_offset + got;
    } else {
      Result<std::int64_t> n = fts_count(db, match, exclude);
      if (!n) return n.error();
      names = n.value();
    }
  }
  const auto code_offset = static_cast<std::size_t>(std::max<std::int64_t>(0, offset - n_exact - names));
  for (std::size_t i = code_offset; i < codes.value().size() && got < need; ++i, ++got)
    out.push_back(std::move(codes.value()[i].product));
  return out;
}

Result<std::vector<CatalogProduct>> search_products(Database& db, std::string_view text, int limit) {
  ProductQuery q;
  q.text = std::string(text);
  q.limit = limit;
  return search_products(db, q);
}

Result<std::vector<CatalogCategory>> list_categories(Database& db) {
  Result<Statement> st =
      db.prepare("SELECT id, name FROM categories WHERE deleted = 0 ORDER BY sort_order, lower(name), id");
  if (!st) return st.error();
  std::vector<CatalogCategory> out;
  for (;;) {
    Result<bool> row = st.value().step();
    if (!row) return row.error();
    if (!row.value()) return out;
    out.push_back(CatalogCategory{st.value().text(0), st.value().text(1)});
  }
}

Result<std::vector<char32_t>> catalog_glyphs(Database& db) {
  Result<Statement> st = db.prepare("SELECT cp FROM catalog_glyphs ORDER BY cp");
  if (!st) return st.error();
  std::vector<char32_t> out;
  for (;;) {
    Result<bool> row = st.value().step();
    if (!row) return row.error();
    if (!row.value()) return out;
    out.push_back(static_cast<char32_t>(st.value().int64(0)));
  }
}

Result<std::optional<StoreSettingsRow>> store_settings(Database& db) {
  Result<Statement> st = db.prepare(
      "SELECT id, coalesce(json_extract(data, '$.store_name'), ''), coalesce(json_extract(data, "
      "'$.currency'), ''), "
      "coalesce(json_extract(data, '$.time_zone'), ''), coalesce(json_extract(data, '$.locale'), ''), "
      "coalesce(json_extract(data, '$.price_mode'), ''), coalesce(json_extract(data, '$.receipt_header'), "
      "''), "
      "coalesce(json_extract(data, '$.receipt_footer'), ''), "
      "coalesce(json_extract(data, '$.cash_rounding_minor'), 0), "
      "coalesce(json_extract(data, '$.offline_grant_hours'), 0), tax_id, address, "
      "coalesce(json_extract(data, '$.phone'), ''), coalesce(json_extract(data, '$.logo'), ''), "
      "coalesce(json_extract(data, '$.default_tax_rate_id'), ''), coalesce(json_extract(data, '$.date_format'), ''), "
      "coalesce(json_extract(data, '$.time_format'), ''), coalesce(json_extract(data, '$.language'), ''), "
      "coalesce(json_extract(data, '$.sell_only_in_shift'), 0), coalesce(json_extract(data, '$.login_max_failures'), 0), "
      "coalesce(json_extract(data, '$.login_max_failures_per_address'), 0), "
      "coalesce(json_extract(data, '$.login_window_minutes'), 0), "
      "coalesce(json_extract(data, '$.login_lockout_minutes'), 0) "
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
  r.tax_id = s.text(10);
  r.address = s.text(11);
  r.phone = s.text(12);
  r.logo = s.text(13);
  r.default_tax_rate_id = s.text(14);
  r.date_format = s.text(15);
  r.time_format = s.text(16);
  r.language = s.text(17);
  r.sell_only_in_shift = s.int64(18) != 0;
  r.login_max_failures = s.int64(19);
  r.login_max_failures_per_address = s.int64(20);
  r.login_window_minutes = s.int64(21);
  r.login_lockout_minutes = s.int64(22);
  Result<Statement> names = db.prepare(
      "SELECT j.key, j.value FROM store_settings, json_each(store_settings.data, '$.tender_names') j "
      "WHERE store_settings.id = ?1 AND j.type = 'text'");
  if (!names) return names.error();
  names.value().bind(1, id);
  for (;;) {
    Result<bool> t = names.value().step();
    if (!t) return t.error();
    if (!t.value()) break;
    r.tender_names[names.value().text(0)] = names.value().text(1);
  }
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
      "DROP INDEX IF EXISTS products_by_name; DROP TABLE IF EXISTS product_search; "
      "DROP TABLE IF EXISTS product_search_build; DROP TABLE IF EXISTS product_name_order;");
}

Status create_search_indexes(Database& db) { return rebuild_product_search(db); }

}  // namespace salespider::store
