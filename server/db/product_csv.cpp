// See product_csv.hpp.
#include "db/product_csv.hpp"

#include <pqxx/pqxx>

#include <unordered_map>

#include "db/pool.hpp"

namespace salespider::db::product_csv {
namespace {

// A PostgreSQL array literal of text, NULL for empty optionals; every value
// quoted, so any text (and uuids) round-trips.
std::string text_array(const std::vector<std::optional<std::string>>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    if (!items[i]) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (const char c : *items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::string int_array(const std::vector<std::optional<std::int64_t>>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += items[i] ? std::to_string(*items[i]) : std::string("NULL");
  }
  out += '}';
  return out;
}

std::optional<std::string> opt_text(const pqxx::field& f) {
  return f.is_null() ? std::nullopt : std::optional<std::string>(f.as<std::string>());
}
std::optional<std::int64_t> opt_int(const pqxx::field& f) {
  return f.is_null() ? std::nullopt : std::optional<std::int64_t>(f.as<std::int64_t>());
}

Snapshot read_in(pqxx::transaction_base& tx, const std::string& store_id) {
  Snapshot s;
  s.currency = tx.exec_params1("SELECT currency FROM stores WHERE id = $1::uuid", store_id)[0].as<std::string>();
  std::unordered_map<std::string, std::size_t> index;
  const auto products = tx.exec_params(
      "SELECT id::text, sku, name, description, category_id::text, price_minor, cost_minor, tax_rate_id::text, unit,"
      " track_stock, reorder_level_milli, is_active, deleted_at IS NOT NULL"
      " FROM products WHERE store_id = $1::uuid ORDER BY created_at, id",
      store_id);
  s.products.reserve(products.size());
  index.reserve(products.size());
  for (const auto& r : products) {
    ExistingProduct p;
    p.id = r[0].as<std::string>();
    p.sku = opt_text(r[1]);
    p.name = r[2].as<std::string>();
    p.description = r[3].as<std::string>();
    p.category_id = opt_text(r[4]);
    p.price_minor = r[5].as<std::int64_t>();
    p.cost_minor = opt_int(r[6]);
    p.tax_rate_id = opt_text(r[7]);
    p.unit = r[8].as<std::string>();
    p.track_stock = r[9].as<bool>();
    p.low_stock_milli = opt_int(r[10]);
    p.is_active = r[11].as<bool>();
    p.archived = r[12].as<bool>();
    index.emplace(p.id, s.products.size());
    s.products.push_back(std::move(p));
  }
  for (const auto& r :
       tx.exec_params("SELECT product_id::text, barcode FROM barcodes WHERE store_id = $1::uuid ORDER BY barcode",
                      store_id)) {
    const auto it = index.find(r[0].as<std::string>());
    if (it != index.end()) s.products[it->second].barcodes.push_back(r[1].as<std::string>());
  }
  for (const auto& r : tx.exec_params(
           "SELECT id::text, parent_id::text, name, deleted_at IS NOT NULL FROM categories WHERE store_id = $1::uuid",
           store_id)) {
    s.categories.push_back({r[0].as<std::string>(), opt_text(r[1]), r[2].as<std::string>(), r[3].as<bool>()});
  }
  for (const auto& r :
       tx.exec_params("SELECT id::text, code, is_active FROM tax_rates WHERE store_id = $1::uuid", store_id)) {
    s.tax_rates.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<bool>()});
  }
  return s;
}

std::vector<std::string> insert_categories(pqxx::work& tx, const std::string& store_id,
                                           const std::vector<NewCategory>& categories) {
  std::vector<std::string> ids;
  for (const auto& c : categories) {
    const std::optional<std::string> parent = c.parent_new ? std::optional<std::string>(ids.at(*c.parent_new)) : c.parent_id;
    ids.push_back(tx.exec_params1("INSERT INTO categories (store_id, parent_id, name) VALUES ($1::uuid, $2::uuid, $3)"
                                  " RETURNING id::text",
                                  store_id, parent, c.name)[0]
                      .as<std::string>());
  }
  return ids;
}

// The columns of products the import writes, as parallel arrays.
struct Columns {
  std::vector<std::optional<std::string>> id, sku, name, description, category, tax_rate, unit;
  std::vector<std::optional<std::int64_t>> price, cost, low_stock;
  std::vector<std::optional<std::string>> track_stock, is_active;  // "t"/"f"

  void add(const std::string& product_id, const ProductWrite& w, const std::vector<std::string>& new_category_ids) {
    id.emplace_back(product_id);
    sku.push_back(w.sku);
    name.emplace_back(w.name);
    description.emplace_back(w.description);
    category.push_back(w.category_new ? std::optional<std::string>(new_category_ids.at(*w.category_new)) : w.category_id);
    tax_rate.push_back(w.tax_rate_id);
    unit.emplace_back(w.unit);
    price.emplace_back(w.price_minor);
    cost.push_back(w.cost_minor);
    low_stock.push_back(w.low_stock_milli);
    track_stock.emplace_back(w.track_stock ? "t" : "f");
    is_active.emplace_back(w.is_active ? "t" : "f");
  }
};

// unnest(...) of the Columns as u(id, sku, name, description, category,
// tax_rate, unit, price, cost, low_stock, track_stock, is_active); the
// arrays are parameters $2..$13.
const std::string kUnnest =
    " unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::uuid[], $8::text[], $9::bigint[],"
    " $10::bigint[], $11::bigint[], $12::boolean[], $13::boolean[])"
    " AS u(id, sku, name, description, category, tax_rate, unit, price, cost, low_stock, track_stock, is_active)";

// Runs `sql` (which uses kUnnest) with $1 the store and the columns' arrays.
void exec_with_columns(pqxx::work& tx, const std::string& sql, const std::string& store_id, const Columns& c) {
  tx.exec_params0(sql, store_id, text_array(c.id), text_array(c.sku), text_array(c.name), text_array(c.description),
                  text_array(c.category), text_array(c.tax_rate), text_array(c.unit), int_array(c.price),
                  int_array(c.cost), int_array(c.low_stock), text_array(c.track_stock), text_array(c.is_active));
}

void write_plan(pqxx::work& tx, const std::string& store_id, const std::string& changed_by, const Plan& plan,
                std::vector<std::string>& created_ids) {
  const auto category_ids = insert_categories(tx, store_id, plan.new_categories);

  if (!plan.creates.empty()) {
    for (const auto& r : tx.exec_params("SELECT gen_random_uuid()::text FROM generate_series(1, $1)",
                                        static_cast<std::int64_t>(plan.creates.size()))) {
      created_ids.push_back(r[0].as<std::string>());
    }
    Columns c;
    for (std::size_t i = 0; i < plan.creates.size(); ++i) c.add(created_ids[i], plan.creates[i], category_ids);
    exec_with_columns(tx,
        "INSERT INTO products (id, store_id, sku, name, description, category_id, tax_rate_id, unit, price_minor,"
        " currency, cost_minor, reorder_level_milli, track_stock, is_active)"
        " SELECT u.id, $1::uuid, u.sku, u.name, u.description, u.category, u.tax_rate, u.unit, u.price,"
        " (SELECT currency FROM stores WHERE id = $1::uuid), u.cost, u.low_stock, u.track_stock, u.is_active"
        " FROM" + kUnnest,
        store_id, c);
  }
  if (!plan.updates.empty()) {
    Columns c;
    for (const auto& w : plan.updates) c.add(w.id, w, category_ids);
    exec_with_columns(tx,
        "UPDATE products p SET sku = u.sku, name = u.name, description = u.description, category_id = u.category,"
        " tax_rate_id = u.tax_rate, unit = u.unit, price_minor = u.price, cost_minor = u.cost,"
        " reorder_level_milli = u.low_stock, track_stock = u.track_stock, is_active = u.is_active, updated_at = now()"
        " FROM" + kUnnest + " WHERE p.id = u.id AND p.store_id = $1::uuid",
        store_id, c);
  }

  // Prices: every new product, and updates whose price or cost changed.
  std::vector<std::optional<std::string>> priced(created_ids.begin(), created_ids.end());
  std::vector<std::optional<std::string>> rebarcoded;
  for (const auto& w : plan.updates) {
    if (w.price_changed) priced.emplace_back(w.id);
    if (w.barcodes_changed) rebarcoded.emplace_back(w.id);
  }
  if (!priced.empty()) {
    tx.exec_params0(
        "INSERT INTO price_history (store_id, product_id, price_minor, cost_minor, currency, changed_by)"
        " SELECT p.store_id, p.id, p.price_minor, p.cost_minor, p.currency, NULLIF($3, '')::uuid"
        " FROM products p WHERE p.store_id = $1::uuid AND p.id = ANY($2::uuid[])",
        store_id, text_array(priced), changed_by);
  }

  // Barcodes: the replaced lists go first, so a barcode may move between
  // products of the same file.
  if (!rebarcoded.empty()) {
    tx.exec_params0("DELETE FROM barcodes WHERE store_id = $1::uuid AND product_id = ANY($2::uuid[])", store_id,
                    text_array(rebarcoded));
  }
  std::vector<std::optional<std::string>> codes;
  std::vector<std::optional<std::string>> owners;
  for (std::size_t i = 0; i < plan.creates.size(); ++i) {
    for (const auto& b : plan.creates[i].barcodes) {
      codes.emplace_back(b);
      owners.emplace_back(created_ids[i]);
    }
  }
  for (const auto& w : plan.updates) {
    if (!w.barcodes_changed) continue;
    for (const auto& b : w.barcodes) {
      codes.emplace_back(b);
      owners.emplace_back(w.id);
    }
  }
  if (!codes.empty()) {
    tx.exec_params0(
        "INSERT INTO barcodes (store_id, barcode, product_id)"
        " SELECT $1::uuid, u.barcode, u.product_id FROM unnest($2::text[], $3::uuid[]) AS u(barcode, product_id)",
        store_id, text_array(codes), text_array(owners));
  }
}

}  // namespace

Snapshot read_snapshot(Pool& pool, const std::string& store_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return read_in(tx, store_id);
  });
}

Applied apply(Pool& pool, const std::string& store_id, const std::string& changed_by,
              const std::function<std::optional<Plan>(const Snapshot&, AuditEntry&)>& plan_for, AuditEntry audit) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // Other product writes wait; reads, sales and stock movements do not
    // (SHARE ROW EXCLUSIVE conflicts with writers and itself, not with the
    // row locks a foreign key check takes).
    tx.exec0("LOCK TABLE products IN SHARE ROW EXCLUSIVE MODE");
    const auto snapshot = read_in(tx, store_id);
    const auto plan = plan_for(snapshot, audit);
    if (!plan) return Applied::refused;
    std::vector<std::string> created;
    try {
      write_plan(tx, store_id, changed_by, *plan, created);
    } catch (const pqxx::unique_violation&) {
      return Applied::conflict;
    }
    audit.detail["created"] = created;
    append_audit(tx, audit);
    tx.commit();
    return Applied::written;
  });
}

}  // namespace salespider::db::product_csv
