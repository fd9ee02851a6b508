// See catalog.hpp.
#include "service/catalog.hpp"

#include "db/catalog.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/tax.hpp"
#include "service/audit_entry.hpp"

namespace salespider::service {
namespace {

namespace cat = db::catalog;

constexpr std::int64_t kMaxMinor = 900000000000000;  // the CHECKs of migration 0001

std::optional<Failure> check(const Status& s, const char* field) {
  if (s) return std::nullopt;
  return fail(Problem::invalid, s.error().context, field);
}

std::optional<Failure> check_id(const std::optional<std::string>& id, const char* field) {
  if (id && !parse_uuid(*id)) return fail(Problem::invalid, "{field}: not an id", field, {{"field", field}});
  return std::nullopt;
}

std::optional<Failure> check_minor(std::optional<std::int64_t> v, const char* field) {
  if (v && (*v < 0 || *v > kMaxMinor))
    return fail(Problem::invalid, "{field}: 0 to {max} minor units", field,
                {{"field", field}, {"max", std::to_string(kMaxMinor)}});
  return std::nullopt;
}

std::optional<Failure> check_fields(const cat::ProductFields& f) {
  if (auto e = check(validate_product_name(f.name), "name")) return e;
  if (f.sku)
    if (auto e = check(validate_sku(*f.sku), "sku")) return e;
  if (auto e = check(validate_product_description(f.description), "description")) return e;
  if (auto e = check(validate_barcodes(f.barcodes), "barcodes")) return e;
  if (auto e = check_id(f.category_id, "category_id")) return e;
  if (auto e = check_id(f.tax_rate_id, "tax_rate_id")) return e;
  if (f.unit != "each" && f.unit != "weighed") return fail(Problem::invalid, "unit: one of each, weighed", "unit");
  if (auto e = check_minor(f.price_minor, "price_minor")) return e;
  if (auto e = check_minor(f.cost_minor, "cost_minor")) return e;
  if (f.low_stock_milli && *f.low_stock_milli < 0)
    return fail(Problem::invalid, "low_stock_milli: 0 or more thousandths", "low_stock_milli");
  return std::nullopt;
}

// The answer for a write the database refused.
Failure product_failure(const cat::ProductWrite& w) {
  switch (w.status) {
    case cat::WriteStatus::not_found:
      return fail(Problem::not_found, "no such product");
    case cat::WriteStatus::stale:
      return stale(cat::product_json(*w.row));
    case cat::WriteStatus::sku_taken:
      return fail(Problem::conflict, "another product has that SKU", "sku");
    case cat::WriteStatus::barcode_taken: {
      if (w.other_id.empty()) return fail(Problem::conflict, "a barcode is used by another product", "barcodes");
      auto f = fail(Problem::conflict, "barcode {barcode} is used by {product}", "barcodes",
                    {{"barcode", w.barcode}, {"product", w.other_name}});
      f.detail = {{"other_product", {{"id", w.other_id}, {"name", w.other_name}}}};
      return f;
    }
    case cat::WriteStatus::no_category:
      return fail(Problem::invalid, "category_id: no such category (or it is archived)", "category_id");
    case cat::WriteStatus::no_tax_rate:
      return fail(Problem::invalid, "tax_rate_id: no such tax rate", "tax_rate_id");
    default:
      break;
  }
  return fail(Problem::invalid, "the product could not be saved");
}

Failure category_failure(const cat::CategoryWrite& w) {
  switch (w.status) {
    case cat::WriteStatus::not_found:
      return fail(Problem::not_found, "no such category");
    case cat::WriteStatus::stale:
      return stale(cat::category_json(*w.row));
    case cat::WriteStatus::name_taken:
      return fail(Problem::conflict, "a category with that name is already there", "name");
    case cat::WriteStatus::no_category:
      return fail(Problem::invalid, "parent_id: no such category (or it is archived)", "parent_id");
    case cat::WriteStatus::cycle:
      return fail(Problem::invalid, "parent_id: a category cannot go inside itself or its subcategories",
                  "parent_id");
    case cat::WriteStatus::too_deep:
      return fail(Problem::invalid, "parent_id: categories nest at most {depth} deep", "parent_id",
                  {{"depth", std::to_string(kMaxCategoryDepth)}});
    case cat::WriteStatus::in_use:
      return fail(Problem::conflict, "archive its subcategories first (or move them)");
    case cat::WriteStatus::parent_archived:
      return fail(Problem::conflict, "its parent category is archived: restore that first", "parent_id");
    default:
      break;
  }
  return fail(Problem::invalid, "the category could not be saved");
}

Failure tax_failure(const cat::TaxRateWrite& w) {
  switch (w.status) {
    case cat::WriteStatus::not_found:
      return fail(Problem::not_found, "no such tax rate");
    case cat::WriteStatus::stale:
      return stale(cat::tax_rate_json(*w.row));
    case cat::WriteStatus::name_taken:
      return fail(Problem::conflict, "another tax rate has that code", "code");
    case cat::WriteStatus::in_use:
      return fail(Problem::conflict, "products use this tax rate: retire it instead");
    default:
      break;
  }
  return fail(Problem::invalid, "the tax rate could not be saved");
}

std::optional<Failure> check_tax(const cat::TaxRateFields& f) {
  if (auto e = check(validate_tax_code(f.code), "code")) return e;
  if (auto e = check(validate_tax_name(f.name), "name")) return e;
  const auto kind = parse_tax_kind(f.kind);
  if (!kind) return fail(Problem::invalid, "kind: one of standard, reduced, zero, exempt", "kind");
  if (f.rate_ppm < 0 || f.rate_ppm > 1000000)
    return fail(Problem::invalid, "rate_ppm: 0 to 1000000 (parts per million)", "rate_ppm");
  if (!validate(TaxRate{f.code, *kind, f.rate_ppm}))
    return fail(Problem::invalid, "rate_ppm: zero and exempt rates are 0, standard and reduced rates are not",
                "rate_ppm");
  return std::nullopt;
}

std::string user_of(const auth::Actor& actor) {
  return actor.user_id.value_or("");
}

}  // namespace

CatalogService::CatalogService(db::Pool& pool) : pool_(pool) {}

// ---------------------------------------------------------------- products

Outcome<cat::ProductPage> CatalogService::list_products(const std::string& store_id, const ProductFilter& filter) {
  if (const auto s = validate(filter); !s) {
    const auto& why = s.error().context;
    return fail(Problem::bad_request, why, why.substr(0, why.find(':')));
  }
  if (!filter.category_id.empty() && !parse_uuid(filter.category_id))
    return fail(Problem::bad_request, "category_id: not an id", "category_id");
  return cat::list_products(pool_, store_id, filter);
}

Outcome<cat::ProductRow> CatalogService::get_product(const std::string& store_id, const std::string& id) {
  if (!parse_uuid(id)) return fail(Problem::not_found, "no such product");
  auto p = cat::find_product(pool_, store_id, id);
  if (!p) return fail(Problem::not_found, "no such product");
  return *p;
}

Outcome<cat::ProductRow> CatalogService::find_product(const std::string& store_id, const std::string& key) {
  if (parse_uuid(key)) return get_product(store_id, key);
  // An exact SKU or barcode: the list's prefix match, then the exact one.
  ProductFilter f;
  f.text = key;
  f.archived = ArchivedFilter::all;
  f.limit = kMaxProductPage;
  auto page = cat::list_products(pool_, store_id, f);
  for (const auto& p : page.rows) {
    if (p.sku && *p.sku == key) return p;
    for (const auto& b : p.barcodes)
      if (b == key) return p;
  }
  return fail(Problem::not_found, "no product with that id, SKU or barcode");
}

std::vector<cat::PriceHistoryRow> CatalogService::price_history(const std::string& product_id) {
  return cat::price_history(pool_, product_id);
}

Outcome<cat::ProductRow> CatalogService::create_product(const std::string& store_id, const NewProduct& p,
                                                        CatalogActingAs, const auth::Actor& actor) {
  cat::ProductFields f;
  f.name = p.name;
  f.sku = p.sku;
  f.description = p.description;
  f.barcodes = p.barcodes;
  f.category_id = p.category_id;
  f.tax_rate_id = p.tax_rate_id;
  f.unit = p.unit;
  f.price_minor = p.price_minor;
  f.cost_minor = p.cost_minor;
  f.track_stock = p.track_stock;
  f.low_stock_milli = p.low_stock_milli;
  f.is_active = p.is_active;
  if (auto e = check_fields(f)) return *e;
  f.currency = cat::store(pool_).currency;
  const auto w = cat::insert_product(pool_, store_id, f, user_of(actor), audit_entry(store_id, actor, "product.create"));
  if (w.status != cat::WriteStatus::ok) return product_failure(w);
  return *w.row;
}

Outcome<cat::ProductRow> CatalogService::update_product(const std::string& store_id, const std::string& id,
                                                        std::int64_t row_version, const ProductPatch& patch,
                                                        CatalogActingAs acting_as, const auth::Actor& actor) {
  auto current = get_product(store_id, id);
  if (!current) return current.error();
  if (acting_as && (patch.price_minor || patch.cost_minor) && !auth::role_has(*acting_as, auth::Permission::manage_prices))
    return fail(Problem::forbidden, "the role {role} may not change prices and costs",
                patch.price_minor ? "price_minor" : "cost_minor", {{"role", std::string(auth::to_string(*acting_as))}});
  auto f = cat::fields_of(*current);
  if (patch.name) f.name = *patch.name;
  if (patch.sku) f.sku = *patch.sku;
  if (patch.description) f.description = *patch.description;
  if (patch.barcodes) f.barcodes = *patch.barcodes;
  if (patch.category_id) f.category_id = *patch.category_id;
  if (patch.price_minor) f.price_minor = *patch.price_minor;
  if (patch.cost_minor) f.cost_minor = *patch.cost_minor;
  if (patch.tax_rate_id) f.tax_rate_id = *patch.tax_rate_id;
  if (patch.unit) f.unit = *patch.unit;
  if (patch.track_stock) f.track_stock = *patch.track_stock;
  if (patch.low_stock_milli) f.low_stock_milli = *patch.low_stock_milli;
  if (patch.is_active) f.is_active = *patch.is_active;
  if (auto e = check_fields(f)) return *e;
  // The product keeps its currency: a price is in the store's currency,
  // which the store does not change under its products.
  const auto w = cat::update_product(pool_, store_id, id, row_version, f, user_of(actor),
                                     audit_entry(store_id, actor, "product.update"));
  if (w.status != cat::WriteStatus::ok) return product_failure(w);
  return *w.row;
}

Outcome<cat::ProductRow> CatalogService::set_product_archived(const std::string& store_id, const std::string& id,
                                                              std::int64_t row_version, bool archived,
                                                              const auth::Actor& actor) {
  if (!parse_uuid(id)) return fail(Problem::not_found, "no such product");
  const auto w = cat::set_product_archived(pool_, store_id, id, row_version, archived,
                                           audit_entry(store_id, actor, archived ? "product.archive" : "product.restore"));
  if (w.status != cat::WriteStatus::ok) return product_failure(w);
  return *w.row;
}

// ---------------------------------------------------------------- categories

std::vector<cat::CategoryRow> CatalogService::list_categories(const std::string& store_id, ArchivedFilter archived) {
  return cat::list_categories(pool_, store_id, archived);
}

Outcome<cat::CategoryRow> CatalogService::get_category(const std::string& store_id, const std::string& id) {
  if (!parse_uuid(id)) return fail(Problem::not_found, "no such category");
  auto c = cat::find_category(pool_, store_id, id);
  if (!c) return fail(Problem::not_found, "no such category");
  return *c;
}

Outcome<cat::CategoryRow> CatalogService::create_category(const std::string& store_id, const std::string& name,
                                                          const std::optional<std::string>& parent_id,
                                                          int sort_order, const auth::Actor& actor) {
  if (auto e = check(validate_category_name(name), "name")) return *e;
  if (auto e = check_id(parent_id, "parent_id")) return *e;
  const auto w = cat::insert_category(pool_, store_id, {name, parent_id, sort_order},
                                      audit_entry(store_id, actor, "category.create"));
  if (w.status != cat::WriteStatus::ok) return category_failure(w);
  return *w.row;
}

Outcome<cat::CategoryRow> CatalogService::update_category(const std::string& store_id, const std::string& id,
                                                          std::int64_t row_version, const CategoryPatch& patch,
                                                          const auth::Actor& actor) {
  auto current = get_category(store_id, id);
  if (!current) return current.error();
  cat::CategoryFields f{current->name, current->parent_id, current->sort_order};
  if (patch.name) f.name = *patch.name;
  if (patch.parent_id) f.parent_id = *patch.parent_id;
  if (patch.sort_order) f.sort_order = *patch.sort_order;
  if (auto e = check(validate_category_name(f.name), "name")) return *e;
  if (auto e = check_id(f.parent_id, "parent_id")) return *e;
  if (f.parent_id && *f.parent_id == id)
    return fail(Problem::invalid, "parent_id: a category cannot go inside itself or its subcategories", "parent_id");
  const auto w = cat::update_category(pool_, store_id, id, row_version, f,
                                      audit_entry(store_id, actor, "category.update"));
  if (w.status != cat::WriteStatus::ok) return category_failure(w);
  return *w.row;
}

Outcome<cat::CategoryRow> CatalogService::set_category_archived(const std::string& store_id, const std::string& id,
                                                                std::int64_t row_version, bool archived,
                                                                const auth::Actor& actor) {
  if (!parse_uuid(id)) return fail(Problem::not_found, "no such category");
  const auto w = cat::set_category_archived(
      pool_, store_id, id, row_version, archived,
      audit_entry(store_id, actor, archived ? "category.archive" : "category.restore"));
  if (w.status != cat::WriteStatus::ok) return category_failure(w);
  return *w.row;
}

// ---------------------------------------------------------------- tax rates

TaxRateList CatalogService::list_tax_rates(const std::string& store_id) {
  return {cat::list_tax_rates(pool_, store_id), cat::store(pool_).price_mode};
}

Outcome<cat::TaxRateRow> CatalogService::get_tax_rate(const std::string& store_id, const std::string& id) {
  if (!parse_uuid(id)) return fail(Problem::not_found, "no such tax rate");
  auto t = cat::find_tax_rate(pool_, store_id, id);
  if (!t) return fail(Problem::not_found, "no such tax rate");
  return *t;
}

Outcome<cat::TaxRateRow> CatalogService::find_tax_rate(const std::string& store_id, const std::string& key) {
  if (parse_uuid(key)) return get_tax_rate(store_id, key);
  for (const auto& t : cat::list_tax_rates(pool_, store_id))
    if (t.code == key) return t;
  return fail(Problem::not_found, "no tax rate with that id or code");
}

Outcome<cat::TaxRateRow> CatalogService::create_tax_rate(const std::string& store_id, const NewTaxRate& rate,
                                                         const auth::Actor& actor) {
  const cat::TaxRateFields f{rate.code, rate.name, rate.kind, rate.rate_ppm, true};
  if (auto e = check_tax(f)) return *e;
  const auto w = cat::insert_tax_rate(pool_, store_id, f, audit_entry(store_id, actor, "tax_rate.create"));
  if (w.status != cat::WriteStatus::ok) return tax_failure(w);
  return *w.row;
}

Outcome<cat::TaxRateRow> CatalogService::update_tax_rate(const std::string& store_id, const std::string& id,
                                                         std::int64_t row_version, const TaxRatePatch& patch,
                                                         const auth::Actor& actor) {
  auto current = get_tax_rate(store_id, id);
  if (!current) return current.error();
  cat::TaxRateFields f{current->code, current->name, current->kind, current->rate_ppm, current->is_active};
  if (patch.code) f.code = *patch.code;
  if (patch.name) f.name = *patch.name;
  if (patch.kind) f.kind = *patch.kind;
  if (patch.rate_ppm) f.rate_ppm = *patch.rate_ppm;
  if (auto e = check_tax(f)) return *e;
  const auto w = cat::update_tax_rate(pool_, store_id, id, row_version, f, audit_entry(store_id, actor, "tax_rate.update"));
  if (w.status != cat::WriteStatus::ok) return tax_failure(w);
  return *w.row;
}

Outcome<cat::TaxRateRow> CatalogService::set_tax_rate_active(const std::string& store_id, const std::string& id,
                                                             std::int64_t row_version, bool active,
                                                             const auth::Actor& actor) {
  auto current = get_tax_rate(store_id, id);
  if (!current) return current.error();
  if (current->is_active == active && current->row_version == row_version) return *current;
  cat::TaxRateFields f{current->code, current->name, current->kind, current->rate_ppm, active};
  const auto w = cat::update_tax_rate(pool_, store_id, id, row_version, f,
                                      audit_entry(store_id, actor, active ? "tax_rate.reactivate" : "tax_rate.retire"));
  if (w.status != cat::WriteStatus::ok) return tax_failure(w);
  return *w.row;
}

Completion CatalogService::delete_tax_rate(const std::string& store_id, const std::string& id, std::int64_t row_version,
                                           const auth::Actor& actor) {
  if (!parse_uuid(id)) return fail(Problem::not_found, "no such tax rate");
  const auto w = cat::delete_tax_rate(pool_, store_id, id, row_version, audit_entry(store_id, actor, "tax_rate.delete"));
  if (w.status != cat::WriteStatus::ok) return tax_failure(w);
  return Done{};
}

}  // namespace salespider::service
