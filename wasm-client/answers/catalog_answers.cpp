// Parsing the server's catalog answers; see catalog_answers.hpp.
#include "answers/catalog_answers.hpp"

#include "json/fields.hpp"

#include <utility>

namespace salespider::answers {

namespace {

using jsonio::Json;

constexpr std::size_t kMaxAnswerBytes = 16 * 1024 * 1024;

std::optional<state::CatalogProduct> product_of(const Json& o) {
  if (!o.is_object()) return std::nullopt;
  state::CatalogProduct p;
  p.id = jsonio::text(o, "id");
  p.name = jsonio::text(o, "name");
  if (p.id.empty() || p.name.empty() || !jsonio::read_integer(o, "price_minor", p.price_minor) ||
      !jsonio::read_integer(o, "row_version", p.row_version))
    return std::nullopt;
  p.sku = jsonio::text(o, "sku");
  p.description = jsonio::text(o, "description");
  p.barcodes = jsonio::strings(o, "barcodes");
  p.category_id = jsonio::text(o, "category_id");
  p.category_name = jsonio::text(o, "category_name");
  p.cost_minor = jsonio::optional_integer(o, "cost_minor");
  p.currency = jsonio::text(o, "currency");
  p.tax_rate_id = jsonio::text(o, "tax_rate_id");
  p.tax_code = jsonio::text(o, "tax_code");
  p.weighed = jsonio::text(o, "unit") == "weighed";
  p.track_stock = jsonio::flag(o, "track_stock", false);
  p.low_stock_milli = jsonio::optional_integer(o, "low_stock_milli");
  p.is_active = jsonio::flag(o, "is_active", true);
  p.archived = jsonio::flag(o, "archived", false);
  p.on_hand_milli = jsonio::integer(o, "on_hand_milli");
  p.stock_status = jsonio::text(o, "stock_status");
  p.updated_at = jsonio::text(o, "updated_at");
  return p;
}

}  // namespace

std::optional<state::CatalogProduct> parse_product(std::string_view body) {
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  if (!doc) return std::nullopt;
  return product_of(*doc);
}

std::optional<ProductPage> parse_product_page(std::string_view body) {
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  if (!doc) return std::nullopt;
  const Json* items = jsonio::array(*doc, "products");
  if (!items) return std::nullopt;
  ProductPage page;
  if (!jsonio::read_integer(*doc, "total", page.total)) return std::nullopt;
  for (const Json& it : *items) {
    std::optional<state::CatalogProduct> p = product_of(it);
    if (!p) return std::nullopt;
    page.products.push_back(std::move(*p));
  }
  return page;
}

std::optional<ProductDetail> parse_product_detail(std::string_view body) {
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  if (!doc) return std::nullopt;
  std::optional<state::CatalogProduct> p = product_of(*doc);
  if (!p) return std::nullopt;
  ProductDetail out;
  out.product = std::move(*p);
  if (const Json* history = jsonio::array(*doc, "price_history")) {
    for (const Json& h : *history) {
      if (!h.is_object()) return std::nullopt;
      state::PriceChange c;
      if (!jsonio::read_integer(h, "price_minor", c.price_minor)) return std::nullopt;
      c.cost_minor = jsonio::optional_integer(h, "cost_minor");
      c.effective_from = jsonio::text(h, "effective_from");
      // changed_by: a name, or an object with one.
      c.changed_by = jsonio::text(h, "changed_by");
      if (c.changed_by.empty()) c.changed_by = jsonio::nested_text(h, "changed_by", "name");
      out.price_history.push_back(std::move(c));
    }
  }
  return out;
}

std::optional<std::vector<state::CatalogCategory>> parse_categories(std::string_view body) {
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  if (!doc) return std::nullopt;
  const Json* items = jsonio::array(*doc, "categories");
  if (!items) return std::nullopt;
  std::vector<state::CatalogCategory> out;
  for (const Json& it : *items) {
    if (!it.is_object()) return std::nullopt;
    state::CatalogCategory c;
    c.id = jsonio::text(it, "id");
    c.name = jsonio::text(it, "name");
    if (c.id.empty() || !jsonio::read_integer(it, "row_version", c.row_version)) return std::nullopt;
    c.parent_id = jsonio::text(it, "parent_id");
    c.path = jsonio::text(it, "path");
    if (c.path.empty()) c.path = c.name;
    c.sort_order = jsonio::integer(it, "sort_order");
    c.archived = jsonio::flag(it, "archived", false);
    c.product_count = jsonio::integer(it, "product_count");
    out.push_back(std::move(c));
  }
  return out;
}

std::optional<TaxRates> parse_tax_rates(std::string_view body) {
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  if (!doc) return std::nullopt;
  const Json* items = jsonio::array(*doc, "tax_rates");
  if (!items) return std::nullopt;
  TaxRates out;
  out.price_mode = jsonio::text(*doc, "price_mode");
  for (const Json& it : *items) {
    if (!it.is_object()) return std::nullopt;
    state::CatalogTaxRate t;
    t.id = jsonio::text(it, "id");
    t.code = jsonio::text(it, "code");
    if (t.id.empty() || !jsonio::read_integer(it, "rate_ppm", t.rate_ppm) ||
        !jsonio::read_integer(it, "row_version", t.row_version))
      return std::nullopt;
    t.name = jsonio::text(it, "name");
    t.kind = jsonio::text(it, "kind");
    t.is_active = jsonio::flag(it, "is_active", true);
    t.products_using = jsonio::integer(it, "products_using");
    out.tax_rates.push_back(std::move(t));
  }
  return out;
}

std::optional<WriteRefusal> parse_write_refusal(std::string_view body) {
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  if (!doc) return std::nullopt;
  const Json* error = jsonio::object(*doc, "error");
  if (!error) return std::nullopt;
  WriteRefusal r;
  r.code = jsonio::text(*error, "code");
  r.field = jsonio::text(*error, "field");
  r.message = jsonio::text(*error, "message");
  if (const Json* current = jsonio::object(*error, "current")) r.current = product_of(*current);
  return r;
}

}  // namespace salespider::answers
