// See product_csv.hpp. The file format is docs/csv.md.
#include "service/product_csv.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "auth/crypto.hpp"
#include "db/audit.hpp"
#include "db/catalog.hpp"
#include "db/catalog_admin.hpp"
#include "salespider/shared/currency.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/money_format.hpp"
#include "service/audit_entry.hpp"
#include "service/csv.hpp"

namespace salespider::service::product_csv {
namespace {

using db::product_csv::ExistingProduct;
using db::product_csv::Plan;
using db::product_csv::ProductWrite;
using db::product_csv::Snapshot;

enum Col : std::size_t { c_id, c_sku, c_name, c_barcodes, c_category, c_price, c_cost, c_tax_code, c_unit,
                         c_track_stock, c_low_stock, c_active, c_description, c_count };

constexpr std::int64_t kMaxPriceMinor = 900'000'000'000'000;  // migration 0001's CHECK
constexpr std::string_view kPathSeparator = " > ";

// The file's money: a decimal point, no grouping, no symbol (docs/csv.md).
MoneyFormat file_money_format() {
  MoneyFormat f;
  f.decimal_separator = ".";
  f.group_separator = ",";
  f.grouping = Grouping::none;
  f.display = CurrencyDisplay::none;
  return f;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "price: ..." -> "...": the report names the column already.
std::string without_field(std::string message) {
  const auto colon = message.find(": ");
  if (colon != std::string::npos && colon < 24 && message.find(' ') > colon) message.erase(0, colon + 2);
  return message;
}

std::optional<std::int64_t> parse_price(std::string_view text, Currency currency, std::string& error) {
  text = trim(text);
  if (text.find(',') != std::string_view::npos) {
    error = "'" + std::string(text) + "': use a point as the decimal separator and no thousands separators (1500.00)";
    return std::nullopt;
  }
  if (!text.empty() && text.front() == '-') {
    error = "must not be negative";
    return std::nullopt;
  }
  const auto m = parse_money(text, currency, file_money_format());
  if (!m) {
    error = m.code() == Errc::too_many_decimals
                ? "at most " + std::to_string(currency.exponent()) + " decimals for " + std::string(currency.code())
                : "'" + std::string(text) + "' is not an amount like 1500.00";
    return std::nullopt;
  }
  if (m->minor > kMaxPriceMinor) {
    error = "too large";
    return std::nullopt;
  }
  return m->minor;
}

std::string format_price(std::int64_t minor, Currency currency) {
  return format_money(Money{minor, currency}, file_money_format());
}

std::optional<bool> parse_yes_no(std::string_view text) {
  const auto t = lower(trim(text));
  if (t.empty() || t == "yes" || t == "y" || t == "true" || t == "1") return true;
  if (t == "no" || t == "n" || t == "false" || t == "0") return false;
  return std::nullopt;
}

std::optional<std::int64_t> parse_low_stock(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.find_first_not_of("0.") == std::string_view::npos &&
      text.find_first_of('0') != std::string_view::npos && std::count(text.begin(), text.end(), '.') <= 1) {
    return 0;  // parse_quantity wants a positive line quantity; a level may be zero
  }
  const auto q = parse_quantity(text, UnitKind::weighed);
  if (!q) return std::nullopt;
  return q->thousandths;
}

std::vector<std::string> split_barcodes(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    const auto start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) out.emplace_back(text.substr(start, i - start));
  }
  return out;
}

std::vector<std::string> split_path(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto at = text.find('>', start);
    parts.emplace_back(trim(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start)));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return parts;
}

// The catalog, indexed the ways a row looks a product up.
struct Index {
  const Snapshot& s;
  Currency currency;
  std::unordered_map<std::string, std::size_t> by_id;
  std::unordered_map<std::string, std::size_t> by_sku;  // lower(sku), live products (the unique index's rule)
  std::unordered_map<std::string, std::size_t> by_barcode;
  std::map<std::pair<std::string, std::string>, std::string> category;  // (parent id or "", lower name) -> id
  std::unordered_map<std::string, std::size_t> tax_by_code;

  explicit Index(const Snapshot& snapshot) : s(snapshot) {
    const auto c = find_currency(s.currency);
    if (c) currency = *c;
    for (std::size_t i = 0; i < s.products.size(); ++i) {
      const auto& p = s.products[i];
      by_id.emplace(p.id, i);
      if (p.sku && !p.archived) by_sku.emplace(lower(*p.sku), i);
      for (const auto& b : p.barcodes) by_barcode.emplace(b, i);
    }
    // Live categories win over archived ones of the same name.
    for (const bool archived : {false, true}) {
      for (const auto& k : s.categories) {
        if (k.archived == archived) category.emplace(std::make_pair(k.parent_id.value_or(""), lower(k.name)), k.id);
      }
    }
    for (std::size_t i = 0; i < s.tax_rates.size(); ++i) tax_by_code.emplace(s.tax_rates[i].code, i);
  }
};

// One data row after reading its cells, before it is compared.
struct Row {
  std::size_t line = 0;
  std::array<bool, c_count> has{};  // the column is in the file
  std::vector<CellError> errors;
  std::optional<std::string> id;
  std::optional<std::string> sku;
  std::string name;
  std::vector<std::string> barcodes;
  std::vector<std::string> category_path;  // empty = no category
  std::int64_t price_minor = 0;
  std::optional<std::int64_t> cost_minor;
  std::optional<std::string> tax_rate_id;
  std::string unit = "each";
  bool track_stock = true;
  std::optional<std::int64_t> low_stock_milli;
  bool is_active = true;
  std::string description;
  std::optional<std::size_t> match;  // index into the snapshot's products
  std::string raw_sku;
  std::string raw_name;

  void error(Col column, std::string message) {
    errors.push_back({std::string(kColumns[column]), std::move(message)});
  }
};

void read_cells(Row& row, const std::array<std::optional<std::size_t>, c_count>& where,
                const std::vector<std::string>& fields, const Index& index) {
  std::array<std::string, c_count> cell;
  for (std::size_t c = 0; c < c_count; ++c) {
    row.has[c] = where[c].has_value();
    if (where[c]) cell[c] = csv::unguard(fields[*where[c]]);
  }
  row.raw_sku = std::string(trim(cell[c_sku]));
  row.raw_name = cell[c_name];

  if (const auto id = trim(cell[c_id]); !id.empty()) {
    if (const auto u = parse_uuid(id)) {
      row.id = u->to_string();
    } else {
      row.error(c_id, "'" + std::string(id) + "' is not a product id (leave it empty for a new product)");
    }
  }
  if (!row.raw_sku.empty()) {
    if (const auto s = validate_sku(row.raw_sku); !s) row.error(c_sku, without_field(s.error().context));
    row.sku = row.raw_sku;
  }
  if (row.has[c_name]) {
    row.name = cell[c_name];
    if (row.name.empty()) {
      row.error(c_name, "required");
    } else if (const auto s = validate_product_name(row.name); !s) {
      row.error(c_name, without_field(s.error().context));
    }
  }
  row.barcodes = split_barcodes(cell[c_barcodes]);
  if (const auto s = validate_barcodes(row.barcodes); !s) row.error(c_barcodes, without_field(s.error().context));
  std::sort(row.barcodes.begin(), row.barcodes.end());
  if (const auto path = trim(cell[c_category]); !path.empty()) {
    row.category_path = split_path(path);
    if (row.category_path.size() > kMaxCategoryDepth) {
      row.error(c_category, "at most " + std::to_string(kMaxCategoryDepth) + " levels");
    }
    for (const auto& part : row.category_path) {
      if (const auto s = validate_category_name(part); !s) {
        row.error(c_category, "'" + part + "': " + without_field(s.error().context) + " (levels are separated by ' > ')");
        break;
      }
    }
  }
  if (row.has[c_price]) {
    std::string why;
    if (trim(cell[c_price]).empty()) {
      row.error(c_price, "required");
    } else if (const auto p = parse_price(cell[c_price], index.currency, why)) {
      row.price_minor = *p;
    } else {
      row.error(c_price, why);
    }
  }
  if (!trim(cell[c_cost]).empty()) {
    std::string why;
    row.cost_minor = parse_price(cell[c_cost], index.currency, why);
    if (!row.cost_minor) row.error(c_cost, why);
  }
  if (const auto code = trim(cell[c_tax_code]); !code.empty()) {
    const auto it = index.tax_by_code.find(std::string(code));
    if (it == index.tax_by_code.end()) {
      row.error(c_tax_code, "no tax rate with code '" + std::string(code) + "' (add it under Tax rates first)");
    } else if (!index.s.tax_rates[it->second].is_active) {
      row.error(c_tax_code, "the tax rate '" + std::string(code) + "' is retired");
    } else {
      row.tax_rate_id = index.s.tax_rates[it->second].id;
    }
  }
  if (const auto unit = lower(trim(cell[c_unit])); !unit.empty()) {
    if (unit == "each" || unit == "weighed") {
      row.unit = unit;
    } else {
      row.error(c_unit, "'" + std::string(trim(cell[c_unit])) + "': each or weighed");
    }
  }
  if (const auto v = parse_yes_no(cell[c_track_stock])) {
    row.track_stock = *v;
  } else {
    row.error(c_track_stock, "'" + std::string(trim(cell[c_track_stock])) + "': yes or no");
  }
  if (const auto v = parse_yes_no(cell[c_active])) {
    row.is_active = *v;
  } else {
    row.error(c_active, "'" + std::string(trim(cell[c_active])) + "': yes or no");
  }
  if (!trim(cell[c_low_stock]).empty()) {
    row.low_stock_milli = parse_low_stock(cell[c_low_stock]);
    if (!row.low_stock_milli) {
      row.error(c_low_stock, "'" + std::string(trim(cell[c_low_stock])) + "' is not a quantity like 2 or 0.5");
    }
  }
  row.description = cell[c_description];
  if (const auto s = validate_product_description(row.description); !s) {
    row.error(c_description, without_field(s.error().context));
  }
}

// Which product the row means: id, else SKU, else its first barcode.
void match(Row& row, const Index& index) {
  if (row.id) {
    const auto it = index.by_id.find(*row.id);
    if (it == index.by_id.end()) {
      row.error(c_id, "no product has this id (leave it empty for a new product)");
    } else {
      row.match = it->second;
    }
    return;
  }
  if (row.sku) {
    const auto it = index.by_sku.find(lower(*row.sku));
    if (it != index.by_sku.end()) row.match = it->second;
    return;
  }
  if (!row.barcodes.empty()) {
    const auto it = index.by_barcode.find(row.barcodes.front());
    if (it == index.by_barcode.end()) return;
    const auto& owner = index.s.products[it->second];
    if (owner.archived) {
      row.error(c_barcodes, "barcode " + row.barcodes.front() + " belongs to the archived product " + owner.name +
                                ": restore it first, or give its id");
    } else {
      row.match = it->second;
    }
  }
}

std::string category_key(const std::vector<std::string>& path, std::size_t depth) {
  std::string key;
  for (std::size_t i = 0; i < depth; ++i) key += lower(path[i]) + '\x1f';
  return key;
}

// The product as the row leaves it: the matched product's values, with
// the columns the file has put over them.
ProductWrite merged(const Row& row, const ExistingProduct* old) {
  ProductWrite w;
  if (old) {
    w.id = old->id;
    w.sku = old->sku;
    w.name = old->name;
    w.description = old->description;
    w.barcodes = old->barcodes;
    std::sort(w.barcodes.begin(), w.barcodes.end());
    w.category_id = old->category_id;
    w.price_minor = old->price_minor;
    w.cost_minor = old->cost_minor;
    w.tax_rate_id = old->tax_rate_id;
    w.unit = old->unit;
    w.track_stock = old->track_stock;
    w.low_stock_milli = old->low_stock_milli;
    w.is_active = old->is_active;
  }
  if (row.has[c_sku]) w.sku = row.sku;
  if (row.has[c_name]) w.name = row.name;
  if (row.has[c_description]) w.description = row.description;
  if (row.has[c_barcodes]) w.barcodes = row.barcodes;
  if (row.has[c_price]) w.price_minor = row.price_minor;
  if (row.has[c_cost]) w.cost_minor = row.cost_minor;
  if (row.has[c_tax_code]) w.tax_rate_id = row.tax_rate_id;
  if (row.has[c_unit] || !old) w.unit = row.unit;
  if (row.has[c_track_stock] || !old) w.track_stock = row.track_stock;
  if (row.has[c_low_stock]) w.low_stock_milli = row.low_stock_milli;
  if (row.has[c_active] || !old) w.is_active = row.is_active;
  return w;
}

// The columns whose value differs from the product's (for the audit row).
std::vector<std::string> changed_columns(const ProductWrite& w, const ExistingProduct& old) {
  std::vector<std::string> out;
  auto old_barcodes = old.barcodes;
  std::sort(old_barcodes.begin(), old_barcodes.end());
  const auto check = [&](bool differs, Col c) {
    if (differs) out.emplace_back(kColumns[c]);
  };
  check(w.sku != old.sku, c_sku);
  check(w.name != old.name, c_name);
  check(w.barcodes != old_barcodes, c_barcodes);
  check(w.category_new.has_value() || w.category_id != old.category_id, c_category);
  check(w.price_minor != old.price_minor, c_price);
  check(w.cost_minor != old.cost_minor, c_cost);
  check(w.tax_rate_id != old.tax_rate_id, c_tax_code);
  check(w.unit != old.unit, c_unit);
  check(w.track_stock != old.track_stock, c_track_stock);
  check(w.low_stock_milli != old.low_stock_milli, c_low_stock);
  check(w.is_active != old.is_active, c_active);
  check(w.description != old.description, c_description);
  return out;
}

void file_error(Analysis& a, std::size_t line, std::string column, std::string message) {
  RowReport r;
  r.line = line;
  r.errors.push_back({std::move(column), std::move(message)});
  a.rows.push_back(std::move(r));
  ++a.summary.errors;
}

// The column a header cell names: its English name or its translation in
// any catalogue language (an export in German imports back), compared
// ignoring ASCII case and surrounding spaces. c_count when none.
std::size_t column_named(std::string_view cell) {
  const auto name = lower(trim(cell));
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    if (name == kColumns[c]) return c;
  }
  for (const auto& lang : i18n::languages()) {
    for (std::size_t c = 0; c < kColumns.size(); ++c) {
      if (name == lower(i18n::translate_ctx(lang, csv::kColumnContext, kColumns[c].data()))) return c;
    }
  }
  return c_count;
}

// The header's columns by name; false (with errors in `a`) when unusable.
bool read_header(const csv::Record& header, std::array<std::optional<std::size_t>, c_count>& where, Analysis& a) {
  std::vector<std::string> unknown;
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    const auto column = column_named(header.fields[k]);
    if (column == c_count) {
      unknown.push_back(std::string(trim(header.fields[k])).substr(0, 40));
      continue;
    }
    const std::string name(kColumns[column]);
    auto& slot = where[column];
    if (slot) {
      file_error(a, header.line, name, "the column " + name + " is named twice in the first line");
      continue;
    }
    slot = k;
  }
  std::string columns;
  for (const auto c : kColumns) columns += (columns.empty() ? "" : ",") + std::string(c);
  if (!unknown.empty()) {
    std::string names;
    for (std::size_t i = 0; i < unknown.size() && i < 5; ++i) names += (i ? ", '" : "'") + unknown[i] + "'";
    if (unknown.size() > 5) names += " and " + std::to_string(unknown.size() - 5) + " more";
    file_error(a, header.line, "", "unknown columns " + names + "; the columns are " + columns);
  }
  std::string missing;
  for (const auto c : kRequiredColumns) {
    const auto at = static_cast<std::size_t>(std::find(kColumns.begin(), kColumns.end(), c) - kColumns.begin());
    if (!where[at]) missing += (missing.empty() ? "" : ", ") + std::string(c);
  }
  if (!missing.empty()) {
    file_error(a, header.line, "",
               "missing columns: " + missing + " (the first line must name the columns: " + columns + ")");
  }
  return a.summary.errors == 0;
}

}  // namespace

std::string_view to_string(Outcome outcome) noexcept {
  switch (outcome) {
    case Outcome::created: return "created";
    case Outcome::updated: return "updated";
    case Outcome::unchanged: return "unchanged";
    case Outcome::error: return "error";
  }
  return "error";
}

Analysis analyse(std::string_view file, const Snapshot& catalog, AnalyseOptions options) {
  Analysis a;
  if (file.size() > csv::kMaxFileBytes) {
    file_error(a, 0, "", "the file is larger than " + std::to_string(csv::kMaxFileBytes / (1024 * 1024)) +
                             " MiB: split it");
    return a;
  }
  const auto text = csv::strip_bom(file);
  for (auto& e : csv::check_encoding(text)) file_error(a, e.line, "", std::move(e.message));
  if (!a.ok()) return a;
  auto table = csv::read_csv(text);
  for (auto& e : table.errors) file_error(a, e.line, "", std::move(e.message));
  if (!a.ok()) return a;
  if (table.records.empty()) {
    file_error(a, 1, "", "the file is empty: the first line must name the columns");
    return a;
  }
  std::array<std::optional<std::size_t>, c_count> where{};
  if (!read_header(table.records.front(), where, a)) return a;

  const Index index(catalog);
  const auto width = table.records.front().fields.size();
  std::vector<Row> rows(table.records.size() - 1);
  std::unordered_map<std::string, std::size_t> sku_line;      // lower(sku) -> line
  std::unordered_map<std::string, std::size_t> barcode_line;  // barcode -> line
  std::unordered_map<std::size_t, std::size_t> product_line;  // snapshot index -> line
  // Products whose barcodes the file replaces: their old barcodes are free.
  std::unordered_map<std::size_t, const Row*> replaces_barcodes;

  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& rec = table.records[k + 1];
    auto& row = rows[k];
    row.line = rec.line;
    if (rec.fields.size() != width) {
      row.errors.push_back({"", std::to_string(rec.fields.size()) + " fields where the first line has " +
                                    std::to_string(width)});
      continue;
    }
    read_cells(row, where, rec.fields, index);
    if (row.sku) {
      const auto [it, fresh] = sku_line.emplace(lower(*row.sku), row.line);
      if (!fresh) row.error(c_sku, "the SKU " + *row.sku + " is also on line " + std::to_string(it->second));
    }
    for (const auto& b : row.barcodes) {
      const auto [it, fresh] = barcode_line.emplace(b, row.line);
      if (!fresh) row.error(c_barcodes, "the barcode " + b + " is also on line " + std::to_string(it->second));
    }
    match(row, index);
    if (row.match) {
      const auto [it, fresh] = product_line.emplace(*row.match, row.line);
      if (!fresh) {
        row.error(row.id ? c_id : c_sku,
                  "line " + std::to_string(it->second) + " already imports this product (" +
                      catalog.products[*row.match].name + ")");
        row.match.reset();
      } else if (row.has[c_barcodes]) {
        replaces_barcodes.emplace(*row.match, &row);
      }
    }
  }

  std::unordered_map<std::string, std::size_t> new_category;  // category_key -> index in plan.new_categories
  for (auto& row : rows) {
    const ExistingProduct* old = row.match ? &catalog.products[*row.match] : nullptr;
    if (row.errors.empty()) {
      if (!old && !row.has[c_name]) row.error(c_name, "required for a new product");
      // Keys another product holds: a live product's SKU, any product's barcode
      // (unless the file gives that product other barcodes).
      // (A product keeping its own SKU is fine even when archived and
      // a live product has taken the SKU since.)
      const bool keeps_sku = old && old->sku && row.sku && lower(*old->sku) == lower(*row.sku);
      if (row.sku && row.has[c_sku] && !keeps_sku) {
        const auto it = index.by_sku.find(lower(*row.sku));
        if (it != index.by_sku.end() && (!row.match || it->second != *row.match)) {
          row.error(c_sku, "the SKU " + *row.sku + " is used by " + catalog.products[it->second].name);
        }
      }
      for (const auto& b : row.has[c_barcodes] ? row.barcodes : std::vector<std::string>{}) {
        const auto it = index.by_barcode.find(b);
        if (it == index.by_barcode.end() || (row.match && it->second == *row.match)) continue;
        const auto other = replaces_barcodes.find(it->second);
        if (other != replaces_barcodes.end() &&
            !std::binary_search(other->second->barcodes.begin(), other->second->barcodes.end(), b)) {
          continue;  // moved here from a product whose row leaves it out
        }
        const auto& owner = catalog.products[it->second];
        row.error(c_barcodes, "the barcode " + b + " is used by " + owner.name + (owner.archived ? " (archived)" : ""));
      }
    }
    RowReport report;
    report.line = row.line;
    report.sku = row.raw_sku;
    report.name = row.raw_name.empty() && old ? old->name : row.raw_name;
    if (!row.errors.empty()) {
      report.errors = std::move(row.errors);
      ++a.summary.errors;
      a.rows.push_back(std::move(report));
      continue;
    }
    auto w = merged(row, old);
    if (row.has[c_category]) {
      w.category_id.reset();
      std::optional<std::string> parent;
      std::optional<std::size_t> parent_new;
      for (std::size_t d = 0; d < row.category_path.size(); ++d) {
        const auto& part = row.category_path[d];
        if (!parent_new) {
          const auto it = index.category.find({parent.value_or(""), lower(part)});
          if (it != index.category.end()) {
            parent = it->second;
            continue;
          }
        }
        const auto key = category_key(row.category_path, d + 1);
        auto it = new_category.find(key);
        if (it == new_category.end()) {
          it = new_category.emplace(key, a.plan.new_categories.size()).first;
          a.plan.new_categories.push_back({part, parent_new ? std::nullopt : parent, parent_new});
        }
        parent_new = it->second;
      }
      if (parent_new) {
        w.category_new = parent_new;
      } else {
        w.category_id = parent;
      }
    }
    if (!old) {
      report.outcome = Outcome::created;
      ++a.summary.created;
      a.plan.creates.push_back(std::move(w));
    } else {
      const auto changed = changed_columns(w, *old);
      if (changed.empty()) {
        report.outcome = Outcome::unchanged;
        ++a.summary.unchanged;
      } else {
        w.price_changed = w.price_minor != old->price_minor || w.cost_minor != old->cost_minor;
        auto old_barcodes = old->barcodes;
        std::sort(old_barcodes.begin(), old_barcodes.end());
        w.barcodes_changed = w.barcodes != old_barcodes;
        if (w.price_changed && !options.may_change_prices) {
          report.outcome = Outcome::error;
          report.errors.push_back({"price", "your role may not change prices or costs"});
          ++a.summary.errors;
        } else {
          report.outcome = Outcome::updated;
          ++a.summary.updated;
          a.plan.updates.push_back(std::move(w));
        }
      }
    }
    a.rows.push_back(std::move(report));
  }
  a.summary.categories_created = a.plan.new_categories.size();
  return a;
}

ImportResult import_products(db::Pool& pool, const std::string& store_id, const auth::Actor& actor,
                             std::string_view file, bool dry_run, AnalyseOptions options) {
  ImportResult result;
  result.dry_run = dry_run;
  result.file_sha256 = auth::sha256_hex(file);
  if (dry_run) {
    result.analysis = analyse(file, db::product_csv::read_snapshot(pool, store_id), options);
    return result;
  }
  auto audit = audit_entry(store_id, actor, "product.import");
  audit.entity = "product";
  const auto applied = db::product_csv::apply(
      pool, store_id, actor.user_id.value_or(""),
      [&](const Snapshot& snapshot, db::AuditEntry& audit_row) -> std::optional<Plan> {
        result.analysis = analyse(file, snapshot, options);
        if (!result.analysis.ok()) return std::nullopt;
        const auto& s = result.analysis.summary;
        audit_row.detail = {{"file_sha256", result.file_sha256},
                        {"file_bytes", file.size()},
                        {"created_count", s.created},
                        {"updated_count", s.updated},
                        {"unchanged_count", s.unchanged},
                        {"categories_created", s.categories_created}};
        std::unordered_map<std::string, const ExistingProduct*> by_id;
        for (const auto& p : snapshot.products) by_id.emplace(p.id, &p);
        auto updated = nlohmann::json::array();
        for (const auto& w : result.analysis.plan.updates) {
          updated.push_back({{"id", w.id}, {"changed", changed_columns(w, *by_id.at(w.id))}});
        }
        audit_row.detail["updated"] = std::move(updated);
        return result.analysis.plan;
      },
      audit);
  result.applied = applied == db::product_csv::Applied::written;
  result.conflict = applied == db::product_csv::Applied::conflict;
  return result;
}

std::string export_header(std::string_view lang) { return csv::header_line(kColumns, lang); }

std::int64_t export_products(db::Pool& pool, const std::string& store_id, const auth::Actor& actor,
                             const ProductFilter& filter, const std::function<bool(std::string_view)>& write,
                             std::string_view lang) {
  constexpr std::size_t kPiece = 64 * 1024;
  // Category paths "Drinks > Soft", archived categories included.
  std::unordered_map<std::string, std::pair<std::optional<std::string>, std::string>> categories;
  for (const auto& k : db::catalog::list_categories(pool, store_id, ArchivedFilter::all)) {
    categories.emplace(k.id, std::make_pair(k.parent_id, k.name));
  }
  const auto path_of = [&](const std::string& id) {
    std::string path;
    std::optional<std::string> at = id;
    for (std::size_t depth = 0; at && depth < 64; ++depth) {
      const auto it = categories.find(*at);
      if (it == categories.end()) break;
      path = it->second.second + (path.empty() ? "" : std::string(kPathSeparator) + path);
      at = it->second.first;
    }
    return path;
  };
  const auto currency = find_currency(db::catalog::store(pool).currency);
  std::string out = export_header(lang);
  std::int64_t rows = 0;
  bool stopped = false;
  struct Stop {};
  try {
    db::catalog::for_each_product(pool, store_id, filter, [&](const db::catalog::ProductRow& p) {
      std::string barcodes;
      for (const auto& b : p.barcodes) barcodes += (barcodes.empty() ? "" : " ") + b;
      csv::append_line(out, {p.id, p.sku.value_or(""), p.name, barcodes,
                             p.category_id ? path_of(*p.category_id) : std::string(),
                             format_price(p.price_minor, *currency),
                             p.cost_minor ? format_price(*p.cost_minor, *currency) : std::string(),
                             p.tax_code.value_or(""), p.unit, p.track_stock ? "yes" : "no",
                             p.low_stock_milli ? format_quantity(Quantity{*p.low_stock_milli}) : std::string(),
                             p.is_active ? "yes" : "no", p.description});
      ++rows;
      if (out.size() >= kPiece) {
        if (!write(out)) throw Stop{};
        out.clear();
      }
    });
    if (!write(out)) stopped = true;
  } catch (const Stop&) {
    stopped = true;
  }
  auto audit = audit_entry(store_id, actor, "product.export");
  audit.detail = {{"rows", rows}, {"complete", !stopped}, {"filter", {{"q", filter.text},
                                                                      {"category_id", filter.category_id},
                                                                      {"archived", std::string(to_string(filter.archived))}}}};
  db::append_audit_now(pool, audit);
  return rows;
}

}  // namespace salespider::service::product_csv
