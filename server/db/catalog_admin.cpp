// See catalog_admin.hpp. The list query holds only the filters that are on,
// with their values as parameters (executed unnamed, so PostgreSQL plans it
// with the values: the indexes of migration 0008 serve the text search).
// Writes lock the row, compare row_version, write, and audit, all in one
// transaction.
#include "db/catalog_admin.hpp"

#include <map>
#include <pqxx/pqxx>

#include "db/pool.hpp"
#include "db/sync_sql.hpp"

namespace salespider::db::catalog {
namespace {

std::string iso(const std::string& column) {
  return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

const std::string kProductColumns =
    "p.id::text, p.name, p.sku, p.description,"
    " coalesce((SELECT string_agg(b.barcode, ' ' ORDER BY b.barcode) FROM barcodes b WHERE b.product_id = "
    "p.id), ''),"
    " p.category_id::text, c.name, p.price_minor, p.cost_minor, p.currency, p.tax_rate_id::text, t.code, "
    "p.unit,"
    " p.track_stock, p.reorder_level_milli, p.is_active, " +
    iso("p.deleted_at") + ", coalesce(l.on_hand_milli, 0), p.row_version, " + iso("p.created_at") + ", " +
    iso("p.updated_at");
const std::string kProductFrom =
    " FROM products p LEFT JOIN categories c ON c.id = p.category_id"
    " LEFT JOIN tax_rates t ON t.id = p.tax_rate_id LEFT JOIN stock_levels l ON l.product_id = p.id";

std::optional<std::string> opt_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}
std::optional<std::int64_t> opt_int(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::int64_t>();
}

std::vector<std::string> split_spaces(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto end = s.find(' ', i);
    const auto stop = end == std::string::npos ? s.size() : end;
    if (stop > i) out.push_back(s.substr(i, stop - i));
    i = stop + 1;
  }
  return out;
}

ProductRow product_of(const pqxx::row& r) {
  ProductRow p;
  p.id = r[0].as<std::string>();
  p.name = r[1].as<std::string>();
  p.sku = opt_text(r[2]);
  p.description = r[3].as<std::string>();
  p.barcodes = split_spaces(r[4].as<std::string>());
  p.category_id = opt_text(r[5]);
  p.category_name = opt_text(r[6]);
  p.price_minor = r[7].as<std::int64_t>();
  p.cost_minor = opt_int(r[8]);
  p.currency = r[9].as<std::string>();
  p.tax_rate_id = opt_text(r[10]);
  p.tax_code = opt_text(r[11]);
  p.unit = r[12].as<std::string>();
  p.track_stock = r[13].as<bool>();
  p.low_stock_milli = opt_int(r[14]);
  p.is_active = r[15].as<bool>();
  p.archived_at = opt_text(r[16]);
  p.on_hand_milli = r[17].as<std::int64_t>();
  p.row_version = r[18].as<std::int64_t>();
  p.created_at = r[19].as<std::string>();
  p.updated_at = r[20].as<std::string>();
  return p;
}

template <class T>
nlohmann::json or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

// LIKE's own characters taken literally (the default escape is '\').
std::string like_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '%' || c == '_') out += '\\';
    out += c;
  }
  return out;
}

std::string stock_condition(const std::optional<StockStatus>& s) {
  if (!s) return "";
  const std::string on_hand = "coalesce(l.on_hand_milli, 0)";
  switch (*s) {
    case StockStatus::not_tracked:
      return " AND NOT p.track_stock";
    case StockStatus::out:
      return " AND p.track_stock AND " + on_hand + " <= 0";
    case StockStatus::low:
      return " AND p.track_stock AND " + on_hand + " > 0 AND p.reorder_level_milli IS NOT NULL AND " +
             on_hand + " <= p.reorder_level_milli";
    case StockStatus::in_stock:
      return " AND p.track_stock AND " + on_hand + " > 0 AND (p.reorder_level_milli IS NULL OR " + on_hand +
             " > p.reorder_level_milli)";
  }
  return "";
}

std::string archived_condition(ArchivedFilter a, const std::string& column) {
  switch (a) {
    case ArchivedFilter::no:
      return " AND " + column + " IS NULL";
    case ArchivedFilter::only:
      return " AND " + column + " IS NOT NULL";
    case ArchivedFilter::all:
      break;
  }
  return "";
}

// A statement's parameters, numbered as they are added (all text, cast in
// the SQL), so a filter that is off is simply not in the statement.
struct Params {
  std::vector<std::string> values;
  std::string add(std::string v) {
    values.push_back(std::move(v));
    return "$" + std::to_string(values.size());
  }
};

// Only the filters that are on: a text or category filter is then a plain
// IN (...) the planner turns into a semi-join driven by the matches (the
// indexes of migration 0008), not a filter run over every product.
std::string product_where(const ProductFilter& f, Params& params) {
  const auto store = params.add("");  // the store id, set by the caller: always $1
  std::string sql =
      " WHERE p.store_id = " + store + "::uuid" + archived_condition(f.archived, "p.deleted_at");
  if (!f.text.empty()) {
    const auto text = params.add(like_escaped(f.text));
    sql +=
        " AND p.id IN ("
        "   SELECT x.id FROM products x WHERE x.store_id = $1::uuid AND lower(x.name) LIKE '%' || lower(" +
        text +
        ") || '%'"
        "   UNION SELECT x.id FROM products x WHERE x.store_id = $1::uuid AND x.sku IS NOT NULL"
        "     AND lower(x.sku) LIKE lower(" +
        text +
        ") || '%'"
        "   UNION SELECT b.product_id FROM barcodes b WHERE b.store_id = $1::uuid"
        "     AND lower(b.barcode) LIKE lower(" +
        text + ") || '%')";
  }
  if (!f.category_id.empty()) {
    const auto category = params.add(f.category_id);
    sql +=
        " AND p.category_id IN ("
        "   WITH RECURSIVE sub AS (SELECT k.id, 1 AS depth FROM categories k WHERE k.id = " +
        category +
        "::uuid"
        "     UNION ALL SELECT k.id, sub.depth + 1 FROM categories k JOIN sub ON k.parent_id = sub.id"
        "     WHERE sub.depth < 64)"
        "   SELECT id FROM sub)";
  }
  return sql + stock_condition(f.stock);
}

std::string product_order(const ProductFilter& f) {
  const std::string dir = f.descending ? " DESC" : " ASC";
  std::string key;
  switch (f.sort) {
    case ProductSort::name:
      key = "lower(p.name)" + dir;
      break;
    case ProductSort::sku:
      key = "lower(p.sku)" + dir + " NULLS LAST, lower(p.name)" + dir;
      break;
    case ProductSort::price:
      key = "p.price_minor" + dir;
      break;
    case ProductSort::on_hand:
      key = "coalesce(l.on_hand_milli, 0)" + dir;
      break;
    case ProductSort::updated:
      key = "p.updated_at" + dir;
      break;
  }
  return " ORDER BY " + key + ", p.id" + dir;
}

std::optional<ProductRow> read_product(pqxx::transaction_base& tx, const std::string& store_id,
                                       const std::string& id, bool lock) {
  const auto r = tx.exec_params("SELECT " + kProductColumns + kProductFrom +
                                    " WHERE p.store_id = $1::uuid AND p.id = $2::uuid" +
                                    (lock ? " FOR UPDATE OF p" : ""),
                                store_id, id);
  if (r.empty()) return std::nullopt;
  return product_of(r[0]);
}

bool category_is_live(pqxx::transaction_base& tx, const std::string& store_id, const std::string& id) {
  return !tx.exec_params(
                "SELECT 1 FROM categories WHERE id = $1::uuid AND store_id = $2::uuid AND deleted_at IS NULL",
                id, store_id)
              .empty();
}

bool tax_rate_exists(pqxx::transaction_base& tx, const std::string& store_id, const std::string& id) {
  return !tx.exec_params("SELECT 1 FROM tax_rates WHERE id = $1::uuid AND store_id = $2::uuid", id, store_id)
              .empty();
}

// The first of `barcodes` that another product of the store has.
bool barcode_of_another(pqxx::transaction_base& tx, const std::string& store_id, const std::string& self,
                        const std::vector<std::string>& barcodes, ProductWrite& out) {
  if (barcodes.empty()) return false;
  const auto r = tx.exec_params(
      "SELECT b.barcode, p.id::text, p.name FROM barcodes b JOIN products p ON p.id = b.product_id"
      " WHERE b.store_id = $1::uuid AND b.barcode = ANY($2::text[]) AND b.product_id::text <> $3"
      " ORDER BY b.barcode LIMIT 1",
      store_id, sqlx::array_literal(barcodes), self);
  if (r.empty()) return false;
  out.status = WriteStatus::barcode_taken;
  out.barcode = r[0][0].as<std::string>();
  out.other_id = r[0][1].as<std::string>();
  out.other_name = r[0][2].as<std::string>();
  return true;
}

// Checks the references a write sets anew; false (and out.status) when one fails.
bool references_ok(pqxx::transaction_base& tx, const std::string& store_id, const ProductFields& f,
                   const ProductRow* before, ProductWrite& out) {
  if (f.category_id && (!before || before->category_id != f.category_id) &&
      !category_is_live(tx, store_id, *f.category_id)) {
    out.status = WriteStatus::no_category;
    return false;
  }
  if (f.tax_rate_id && (!before || before->tax_rate_id != f.tax_rate_id) &&
      !tax_rate_exists(tx, store_id, *f.tax_rate_id)) {
    out.status = WriteStatus::no_tax_rate;
    return false;
  }
  return !barcode_of_another(tx, store_id, before ? before->id : std::string(), f.barcodes, out);
}

void replace_barcodes(pqxx::transaction_base& tx, const std::string& store_id, const std::string& id,
                      const std::vector<std::string>& barcodes) {
  const auto list = sqlx::array_literal(barcodes);
  tx.exec_params0("DELETE FROM barcodes WHERE product_id = $1::uuid AND barcode <> ALL($2::text[])", id,
                  list);
  tx.exec_params0(
      "INSERT INTO barcodes (store_id, barcode, product_id) SELECT $1::uuid, b, $2::uuid"
      " FROM unnest($3::text[]) b ON CONFLICT DO NOTHING",
      store_id, id, list);
}

void add_price_history(pqxx::transaction_base& tx, const std::string& store_id, const std::string& id,
                       const ProductFields& f, const std::string& changed_by) {
  tx.exec_params0(
      "INSERT INTO price_history (store_id, product_id, price_minor, cost_minor, currency, changed_by)"
      " VALUES ($1::uuid, $2::uuid, $3, NULLIF($4, -1), $5, NULLIF($6, '')::uuid)",
      store_id, id, f.price_minor, f.cost_minor.value_or(-1), f.currency, changed_by);
}

WriteStatus unique_status(const pqxx::unique_violation& e) {
  const std::string what = e.what();
  if (what.find("barcodes_pkey") != std::string::npos) return WriteStatus::barcode_taken;
  if (what.find("products_sku_key") != std::string::npos) return WriteStatus::sku_taken;
  return WriteStatus::name_taken;  // categories_name_key, tax_rates_store_id_code_key
}

// One catalog write: a transaction that `body` fills in, committed when it
// returns true (false: `out` already says why not, and nothing is written).
// A unique violation (a SKU, code or name taken meanwhile) becomes `out`'s
// status instead of an exception.
template <class Write, class Body>
Write write_once(Pool& pool, Body&& body) {
  return pool.with_connection([&](pqxx::connection& c) {
    Write out;
    try {
      pqxx::work tx(c);
      if (body(tx, out)) tx.commit();
    } catch (const pqxx::unique_violation& e) {
      out = Write{};
      out.status = unique_status(e);
    }
    return out;
  });
}

// ---- categories

// A sibling order key that sorts as (sort_order, lower(name), id).
const std::string kCategoryKey =
    "to_char(c.sort_order::bigint + 2147483648, 'FM0000000000') || lower(c.name) || c.id::text";

std::string category_query(const std::string& where) {
  return "WITH RECURSIVE tree AS ("
         "  SELECT c.id, c.name::text AS path, 1 AS depth, ARRAY[" +
         kCategoryKey +
         "] AS k"
         "    FROM categories c WHERE c.store_id = $1::uuid AND c.parent_id IS NULL"
         "  UNION ALL"
         "  SELECT c.id, tree.path || ' / ' || c.name, tree.depth + 1, tree.k || (" +
         kCategoryKey +
         ")"
         "    FROM categories c JOIN tree ON c.parent_id = tree.id WHERE tree.depth < 64)"
         " SELECT c.id::text, c.name, c.parent_id::text, tree.path, c.sort_order, c.deleted_at IS NOT NULL,"
         "  (SELECT count(*) FROM products p WHERE p.category_id = c.id AND p.deleted_at IS NULL),"
         "  c.row_version, tree.depth"
         " FROM tree JOIN categories c ON c.id = tree.id" +
         where + " ORDER BY tree.k";
}

CategoryRow category_of(const pqxx::row& r) {
  CategoryRow c;
  c.id = r[0].as<std::string>();
  c.name = r[1].as<std::string>();
  c.parent_id = opt_text(r[2]);
  c.path = r[3].as<std::string>();
  c.sort_order = r[4].as<int>();
  c.archived = r[5].as<bool>();
  c.product_count = r[6].as<std::int64_t>();
  c.row_version = r[7].as<std::int64_t>();
  c.depth = r[8].as<int>();
  return c;
}

std::optional<CategoryRow> read_category(pqxx::transaction_base& tx, const std::string& store_id,
                                         const std::string& id) {
  const auto r = tx.exec_params(category_query(" WHERE c.id = $2::uuid"), store_id, id);
  if (r.empty()) return std::nullopt;
  return category_of(r[0]);
}

// One writer of the category tree at a time, so two moves cannot make a cycle.
void lock_category_tree(pqxx::transaction_base& tx, const std::string& store_id) {
  tx.exec_params("SELECT pg_advisory_xact_lock(hashtext('salespider.categories.' || $1))", store_id);
}

// Locks the row and checks its version; false (and out.status) when missing or stale.
bool lock_category(pqxx::transaction_base& tx, const std::string& store_id, const std::string& id,
                   std::int64_t expected_version, CategoryWrite& out) {
  lock_category_tree(tx, store_id);
  const auto r = tx.exec_params(
      "SELECT row_version FROM categories WHERE id = $1::uuid AND store_id = $2::uuid"
      " FOR UPDATE",
      id, store_id);
  if (r.empty()) {
    out.status = WriteStatus::not_found;
    return false;
  }
  if (r[0][0].as<std::int64_t>() != expected_version) {
    out.status = WriteStatus::stale;
    out.row = read_category(tx, store_id, id);
    return false;
  }
  return true;
}

// Where `parent_id` may take the subtree of `self` ("" for a new category).
WriteStatus parent_check(pqxx::transaction_base& tx, const std::string& store_id, const std::string& self,
                         const std::string& parent_id) {
  if (!category_is_live(tx, store_id, parent_id)) return WriteStatus::no_category;
  const auto up = tx.exec_params1(
      "WITH RECURSIVE up AS (SELECT id, parent_id, 1 AS d FROM categories WHERE id = $1::uuid"
      "  UNION ALL SELECT c.id, c.parent_id, up.d + 1 FROM categories c JOIN up ON c.id = up.parent_id"
      "  WHERE up.d < 64)"
      " SELECT coalesce(bool_or(id::text = $2), false), max(d) FROM up",
      parent_id, self);
  if (up[0].as<bool>()) return WriteStatus::cycle;
  std::int64_t height = 1;
  if (!self.empty()) {
    height = tx.exec_params1(
                   "WITH RECURSIVE down AS (SELECT id, 1 AS h FROM categories WHERE id = $1::uuid"
                   "  UNION ALL SELECT c.id, down.h + 1 FROM categories c JOIN down ON c.parent_id = down.id"
                   "  WHERE down.h < 64)"
                   " SELECT max(h) FROM down",
                   self)[0]
                 .as<std::int64_t>();
  }
  if (up[1].as<std::int64_t>() + height > static_cast<std::int64_t>(kMaxCategoryDepth))
    return WriteStatus::too_deep;
  return WriteStatus::ok;
}

// ---- tax rates

const std::string kTaxColumns =
    "t.id::text, t.code, t.name, t.kind, t.rate_ppm, t.is_active,"
    " (SELECT count(*) FROM products p WHERE p.tax_rate_id = t.id AND p.deleted_at IS NULL), t.row_version";

TaxRateRow tax_rate_of(const pqxx::row& r) {
  TaxRateRow t;
  t.id = r[0].as<std::string>();
  t.code = r[1].as<std::string>();
  t.name = r[2].as<std::string>();
  t.kind = r[3].as<std::string>();
  t.rate_ppm = r[4].as<std::int64_t>();
  t.is_active = r[5].as<bool>();
  t.products_using = r[6].as<std::int64_t>();
  t.row_version = r[7].as<std::int64_t>();
  return t;
}

std::optional<TaxRateRow> read_tax_rate(pqxx::transaction_base& tx, const std::string& store_id,
                                        const std::string& id) {
  const auto r = tx.exec_params(
      "SELECT " + kTaxColumns + " FROM tax_rates t WHERE t.store_id = $1::uuid AND t.id = $2::uuid", store_id,
      id);
  if (r.empty()) return std::nullopt;
  return tax_rate_of(r[0]);
}

bool lock_tax_rate(pqxx::transaction_base& tx, const std::string& store_id, const std::string& id,
                   std::int64_t expected_version, TaxRateWrite& out) {
  const auto r = tx.exec_params(
      "SELECT row_version FROM tax_rates WHERE id = $1::uuid AND store_id = $2::uuid"
      " FOR UPDATE",
      id, store_id);
  if (r.empty()) {
    out.status = WriteStatus::not_found;
    return false;
  }
  if (r[0][0].as<std::int64_t>() != expected_version) {
    out.status = WriteStatus::stale;
    out.row = read_tax_rate(tx, store_id, id);
    return false;
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------- products

nlohmann::json product_json(const ProductRow& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"sku", or_null(p.sku)},
          {"description", p.description},
          {"barcodes", p.barcodes},
          {"category_id", or_null(p.category_id)},
          {"category_name", or_null(p.category_name)},
          {"price_minor", p.price_minor},
          {"cost_minor", or_null(p.cost_minor)},
          {"currency", p.currency},
          {"tax_rate_id", or_null(p.tax_rate_id)},
          {"tax_code", or_null(p.tax_code)},
          {"unit", p.unit},
          {"track_stock", p.track_stock},
          {"low_stock_milli", or_null(p.low_stock_milli)},
          {"is_active", p.is_active},
          {"archived", p.archived_at.has_value()},
          {"archived_at", or_null(p.archived_at)},
          {"on_hand_milli", p.on_hand_milli},
          {"stock_status",
           std::string(to_string(stock_status(p.track_stock, p.on_hand_milli, p.low_stock_milli)))},
          {"row_version", p.row_version},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

ProductPage list_products(Pool& pool, const std::string& store_id, const ProductFilter& filter) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::transaction<pqxx::repeatable_read, pqxx::readwrite_policy::read_only> tx(c);
    Params params;
    const auto where = product_where(filter, params);
    params.values[0] = store_id;
    auto count_params = params;
    const auto offset = params.add(std::to_string(filter.offset));
    const auto limit = params.add(std::to_string(filter.limit));
    // The page's ids first, then the columns of those rows only: the
    // barcodes subquery runs for the rows shown, not for every skipped one.
    const auto order = product_order(filter);
    ProductPage page;
    for (const auto& r : tx.exec_params("SELECT " + kProductColumns + kProductFrom +
                                            " JOIN (SELECT p.id FROM products p"
                                            " LEFT JOIN stock_levels l ON l.product_id = p.id" +
                                            where + order + " OFFSET " + offset + "::bigint LIMIT " + limit +
                                            "::bigint) page ON page.id = p.id" + order,
                                        pqxx::prepare::make_dynamic_params(params.values))) {
      page.rows.push_back(product_of(r));
    }
    page.total =
        tx.exec_params1(
              "SELECT count(*) FROM products p LEFT JOIN stock_levels l ON l.product_id = p.id" + where,
              pqxx::prepare::make_dynamic_params(count_params.values))[0]
            .as<std::int64_t>();
    return page;
  });
}

void for_each_product(Pool& pool, const std::string& store_id, const ProductFilter& filter,
                      const std::function<void(const ProductRow&)>& fn) {
  pool.with_connection([&](pqxx::connection& c) {
    pqxx::transaction<pqxx::repeatable_read, pqxx::readwrite_policy::read_only> tx(c);
    Params params;
    const auto where = product_where(filter, params);
    params.values[0] = store_id;
    tx.exec_params0("DECLARE product_rows NO SCROLL CURSOR FOR SELECT " + kProductColumns + kProductFrom +
                        where + product_order(filter),
                    pqxx::prepare::make_dynamic_params(params.values));
    for (;;) {
      const auto batch = tx.exec("FETCH 500 FROM product_rows");
      if (batch.empty()) break;
      for (const auto& r : batch) fn(product_of(r));
    }
    tx.exec0("CLOSE product_rows");
  });
}

std::optional<ProductRow> find_product(Pool& pool, const std::string& store_id,
                                       const std::string& product_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return read_product(tx, store_id, product_id, false);
  });
}

std::vector<ProductRow> find_products(Pool& pool, const std::string& store_id,
                                      const std::vector<std::string>& ids) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::map<std::string, ProductRow> found;
    for (const auto& r : tx.exec_params("SELECT " + kProductColumns + kProductFrom +
                                            " WHERE p.store_id = $1::uuid AND p.id = ANY($2::uuid[])",
                                        store_id, sqlx::array_literal(ids))) {
      auto row = product_of(r);
      auto id = row.id;
      found.emplace(std::move(id), std::move(row));
    }
    std::vector<ProductRow> out;
    out.reserve(found.size());
    for (const auto& id : ids)
      if (auto it = found.find(id); it != found.end()) out.push_back(it->second);
    return out;
  });
}

std::vector<PriceHistoryRow> price_history(Pool& pool, const std::string& product_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<PriceHistoryRow> out;
    for (const auto& r : tx.exec_params(
             "SELECT h.price_minor, h.cost_minor, h.currency, " + iso("h.effective_from") +
                 ", u.display_name FROM price_history h"
                 " LEFT JOIN users u ON u.id = h.changed_by"
                 " WHERE h.product_id = $1::uuid ORDER BY h.effective_from DESC, h.recorded_at DESC",
             product_id)) {
      out.push_back({r[0].as<std::int64_t>(), opt_int(r[1]), r[2].as<std::string>(), r[3].as<std::string>(),
                     opt_text(r[4])});
    }
    return out;
  });
}

ProductFields fields_of(const ProductRow& row) {
  ProductFields f;
  f.name = row.name;
  f.sku = row.sku;
  f.description = row.description;
  f.barcodes = row.barcodes;
  f.category_id = row.category_id;
  f.tax_rate_id = row.tax_rate_id;
  f.unit = row.unit;
  f.price_minor = row.price_minor;
  f.cost_minor = row.cost_minor;
  f.currency = row.currency;
  f.track_stock = row.track_stock;
  f.low_stock_milli = row.low_stock_milli;
  f.is_active = row.is_active;
  return f;
}

ProductWrite insert_product(Pool& pool, const std::string& store_id, const ProductFields& f,
                            const std::string& changed_by, AuditEntry audit) {
  return write_once<ProductWrite>(pool, [&](pqxx::work& tx, ProductWrite& out) {
    if (!references_ok(tx, store_id, f, nullptr, out)) return false;
    const auto id =
        tx.exec_params1(
              "INSERT INTO products (store_id, sku, name, description, category_id, tax_rate_id, unit,"
              "   price_minor, cost_minor, currency, track_stock, reorder_level_milli, is_active)"
              " VALUES ($1::uuid, NULLIF($2, ''), $3, $4, NULLIF($5, '')::uuid, NULLIF($6, '')::uuid, $7,"
              "   $8, NULLIF($9, -1), $10, $11, NULLIF($12, -1), $13) RETURNING id::text",
              store_id, f.sku.value_or(""), f.name, f.description, f.category_id.value_or(""),
              f.tax_rate_id.value_or(""), f.unit, f.price_minor, f.cost_minor.value_or(-1), f.currency,
              f.track_stock, f.low_stock_milli.value_or(-1), f.is_active)[0]
            .as<std::string>();
    add_price_history(tx, store_id, id, f, changed_by);
    if (!f.barcodes.empty()) replace_barcodes(tx, store_id, id, f.barcodes);
    out.row = read_product(tx, store_id, id, false);
    audit.entity = "product";
    audit.entity_id = id;
    audit.detail["after"] = product_json(*out.row);
    append_audit(tx, audit);
    return true;
  });
}

ProductWrite update_product(Pool& pool, const std::string& store_id, const std::string& product_id,
                            std::int64_t expected_version, const ProductFields& f,
                            const std::string& changed_by, AuditEntry audit) {
  return write_once<ProductWrite>(pool, [&](pqxx::work& tx, ProductWrite& out) {
    auto before = read_product(tx, store_id, product_id, true);
    if (!before) {
      out.status = WriteStatus::not_found;
      return false;
    }
    if (!references_ok(tx, store_id, f, &*before, out)) return false;
    const auto updated = tx.exec_params(
        "UPDATE products SET sku = NULLIF($3, ''), name = $4, description = $5, category_id = NULLIF($6, "
        "'')::uuid,"
        " tax_rate_id = NULLIF($7, '')::uuid, unit = $8, price_minor = $9, cost_minor = NULLIF($10, -1),"
        " track_stock = $11, reorder_level_milli = NULLIF($12, -1), is_active = $13, updated_at = now()"
        " WHERE id = $1::uuid AND row_version = $2 RETURNING id",
        product_id, expected_version, f.sku.value_or(""), f.name, f.description, f.category_id.value_or(""),
        f.tax_rate_id.value_or(""), f.unit, f.price_minor, f.cost_minor.value_or(-1), f.track_stock,
        f.low_stock_milli.value_or(-1), f.is_active);
    if (updated.empty()) {
      out.status = WriteStatus::stale;
      out.row = before;
      return false;
    }
    if (f.price_minor != before->price_minor || f.cost_minor != before->cost_minor) {
      add_price_history(tx, store_id, product_id, f, changed_by);
    }
    if (f.barcodes != before->barcodes) replace_barcodes(tx, store_id, product_id, f.barcodes);
    out.row = read_product(tx, store_id, product_id, false);
    audit.entity = "product";
    audit.entity_id = product_id;
    audit.detail["before"] = product_json(*before);
    audit.detail["after"] = product_json(*out.row);
    append_audit(tx, audit);
    return true;
  });
}

ProductWrite set_product_archived(Pool& pool, const std::string& store_id, const std::string& product_id,
                                  std::int64_t expected_version, bool archived, AuditEntry audit) {
  return write_once<ProductWrite>(pool, [&](pqxx::work& tx, ProductWrite& out) {
    auto before = read_product(tx, store_id, product_id, true);
    if (!before) {
      out.status = WriteStatus::not_found;
      return false;
    }
    if (before->row_version != expected_version) {
      out.status = WriteStatus::stale;
      out.row = before;
      return false;
    }
    if (before->archived_at.has_value() == archived) {
      out.row = before;
      return false;
    }
    tx.exec_params0(std::string("UPDATE products SET deleted_at = ") + (archived ? "now()" : "NULL") +
                        ", updated_at = now() WHERE id = $1::uuid AND row_version = $2",
                    product_id, expected_version);
    out.row = read_product(tx, store_id, product_id, false);
    audit.entity = "product";
    audit.entity_id = product_id;
    audit.detail["before"] = product_json(*before);
    audit.detail["after"] = product_json(*out.row);
    append_audit(tx, audit);
    return true;
  });
}

// ---------------------------------------------------------------- categories

nlohmann::json category_json(const CategoryRow& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"parent_id", or_null(c.parent_id)},
          {"path", c.path},
          {"sort_order", c.sort_order},
          {"archived", c.archived},
          {"product_count", c.product_count},
          {"row_version", c.row_version}};
}

std::vector<CategoryRow> list_categories(Pool& pool, const std::string& store_id, ArchivedFilter archived) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::string where = archived_condition(archived, "c.deleted_at");
    if (!where.empty()) where = " WHERE" + where.substr(4);  // " AND x" -> " WHERE x"
    std::vector<CategoryRow> out;
    for (const auto& r : tx.exec_params(category_query(where), store_id)) out.push_back(category_of(r));
    return out;
  });
}

std::optional<CategoryRow> find_category(Pool& pool, const std::string& store_id, const std::string& id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return read_category(tx, store_id, id);
  });
}

CategoryWrite insert_category(Pool& pool, const std::string& store_id, const CategoryFields& f,
                              AuditEntry audit) {
  return write_once<CategoryWrite>(pool, [&](pqxx::work& tx, CategoryWrite& out) {
    lock_category_tree(tx, store_id);
    if (f.parent_id) {
      out.status = parent_check(tx, store_id, "", *f.parent_id);
      if (out.status != WriteStatus::ok) return false;
    }
    const auto id = tx.exec_params1(
                          "INSERT INTO categories (store_id, parent_id, name, sort_order)"
                          " VALUES ($1::uuid, NULLIF($2, '')::uuid, $3, $4) RETURNING id::text",
                          store_id, f.parent_id.value_or(""), f.name, f.sort_order)[0]
                        .as<std::string>();
    out.row = read_category(tx, store_id, id);
    audit.entity = "category";
    audit.entity_id = id;
    audit.detail["after"] = category_json(*out.row);
    append_audit(tx, audit);
    return true;
  });
}

CategoryWrite update_category(Pool& pool, const std::string& store_id, const std::string& id,
                              std::int64_t expected_version, const CategoryFields& f, AuditEntry audit) {
  return write_once<CategoryWrite>(pool, [&](pqxx::work& tx, CategoryWrite& out) {
    if (!lock_category(tx, store_id, id, expected_version, out)) return false;
    const auto before = read_category(tx, store_id, id);
    if (f.parent_id && f.parent_id != before->parent_id) {
      out.status = parent_check(tx, store_id, id, *f.parent_id);
      if (out.status != WriteStatus::ok) return false;
    }
    tx.exec_params0(
        "UPDATE categories SET name = $3, parent_id = NULLIF($4, '')::uuid, sort_order = $5,"
        " updated_at = now() WHERE id = $1::uuid AND row_version = $2",
        id, expected_version, f.name, f.parent_id.value_or(""), f.sort_order);
    out.row = read_category(tx, store_id, id);
    audit.entity = "category";
    audit.entity_id = id;
    audit.detail["before"] = category_json(*before);
    audit.detail["after"] = category_json(*out.row);
    append_audit(tx, audit);
    return true;
  });
}

CategoryWrite set_category_archived(Pool& pool, const std::string& store_id, const std::string& id,
                                    std::int64_t expected_version, bool archived, AuditEntry audit) {
  return write_once<CategoryWrite>(pool, [&](pqxx::work& tx, CategoryWrite& out) {
    if (!lock_category(tx, store_id, id, expected_version, out)) return false;
    const auto before = read_category(tx, store_id, id);
    if (before->archived == archived) {
      out.row = before;
      return false;
    }
    if (archived &&
        !tx.exec_params("SELECT 1 FROM categories WHERE parent_id = $1::uuid AND deleted_at IS NULL", id)
             .empty()) {
      out.status = WriteStatus::in_use;
      return false;
    }
    if (!archived && before->parent_id && !category_is_live(tx, store_id, *before->parent_id)) {
      out.status = WriteStatus::parent_archived;
      return false;
    }
    tx.exec_params0(std::string("UPDATE categories SET deleted_at = ") + (archived ? "now()" : "NULL") +
                        ", updated_at = now() WHERE id = $1::uuid AND row_version = $2",
                    id, expected_version);
    out.row = read_category(tx, store_id, id);
    audit.entity = "category";
    audit.entity_id = id;
    audit.detail["before"] = category_json(*before);
    audit.detail["after"] = category_json(*out.row);
    append_audit(tx, audit);
    return true;
  });
}

// ---------------------------------------------------------------- tax rates

nlohmann::json tax_rate_json(const TaxRateRow& t) {
  return {{"id", t.id},
          {"code", t.code},
          {"name", t.name},
          {"kind", t.kind},
          {"rate_ppm", t.rate_ppm},
          {"is_active", t.is_active},
          {"products_using", t.products_using},
          {"row_version", t.row_version}};
}

std::vector<TaxRateRow> list_tax_rates(Pool& pool, const std::string& store_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<TaxRateRow> out;
    for (const auto& r : tx.exec_params(
             "SELECT " + kTaxColumns + " FROM tax_rates t WHERE t.store_id = $1::uuid ORDER BY t.code",
             store_id)) {
      out.push_back(tax_rate_of(r));
    }
    return out;
  });
}

std::optional<TaxRateRow> find_tax_rate(Pool& pool, const std::string& store_id, const std::string& id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return read_tax_rate(tx, store_id, id);
  });
}

TaxRateWrite insert_tax_rate(Pool& pool, const std::string& store_id, const TaxRateFields& f,
                             AuditEntry audit) {
  return write_once<TaxRateWrite>(pool, [&](pqxx::work& tx, TaxRateWrite& out) {
    const auto id = tx.exec_params1(
                          "INSERT INTO tax_rates (store_id, code, name, kind, rate_ppm, is_active)"
                          " VALUES ($1::uuid, $2, $3, $4, $5, $6) RETURNING id::text",
                          store_id, f.code, f.name, f.kind, f.rate_ppm, f.is_active)[0]
                        .as<std::string>();
    out.row = read_tax_rate(tx, store_id, id);
    audit.entity = "tax_rate";
    audit.entity_id = id;
    audit.detail["after"] = tax_rate_json(*out.row);
    append_audit(tx, audit);
    return true;
  });
}

TaxRateWrite update_tax_rate(Pool& pool, const std::string& store_id, const std::string& id,
                             std::int64_t expected_version, const TaxRateFields& f, AuditEntry audit) {
  return write_once<TaxRateWrite>(pool, [&](pqxx::work& tx, TaxRateWrite& out) {
    if (!lock_tax_rate(tx, store_id, id, expected_version, out)) return false;
    const auto before = read_tax_rate(tx, store_id, id);
    tx.exec_params0(
        "UPDATE tax_rates SET code = $3, name = $4, kind = $5, rate_ppm = $6, is_active = $7,"
        " updated_at = now() WHERE id = $1::uuid AND row_version = $2",
        id, expected_version, f.code, f.name, f.kind, f.rate_ppm, f.is_active);
    out.row = read_tax_rate(tx, store_id, id);
    audit.entity = "tax_rate";
    audit.entity_id = id;
    audit.detail["before"] = tax_rate_json(*before);
    audit.detail["after"] = tax_rate_json(*out.row);
    append_audit(tx, audit);
    return true;
  });
}

TaxRateWrite delete_tax_rate(Pool& pool, const std::string& store_id, const std::string& id,
                             std::int64_t expected_version, AuditEntry audit) {
  return pool.with_connection([&](pqxx::connection& c) {
    TaxRateWrite out;
    pqxx::work tx(c);
    if (!lock_tax_rate(tx, store_id, id, expected_version, out)) return out;
    const auto before = read_tax_rate(tx, store_id, id);
    if (!tx.exec_params("SELECT 1 FROM products WHERE tax_rate_id = $1::uuid LIMIT 1", id).empty()) {
      out.status = WriteStatus::in_use;
      out.row = before;
      return out;
    }
    tx.exec_params0("DELETE FROM tax_rates WHERE id = $1::uuid AND row_version = $2", id, expected_version);
    audit.entity = "tax_rate";
    audit.entity_id = id;
    audit.detail["before"] = tax_rate_json(*before);
    append_audit(tx, audit);
    tx.commit();
    out.row = before;
    return out;
  });
}

}  // namespace salespider::db::catalog
