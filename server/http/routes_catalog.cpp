// The catalog endpoints of the back office (docs/api.md "Catalog"):
// products (permission manage_products; changing a price or cost also needs
// manage_prices, checked by the service), categories (manage_products) and
// tax rates (manage_prices).
//
// Requests are read strictly: an unknown body field or query parameter is a
// 400 naming it (a typo must not be silently ignored), and so is a value of
// the wrong type. What the values may be is the service's business (422).
#include <charconv>
#include <httplib.h>
#include <set>

#include "http/routes.hpp"
#include "service/services.hpp"

namespace salespider::http {
namespace {

using nlohmann::json;

// "{field}: why" with the field's name as an argument: `why` is a catalogue
// msgid (translated per request), `more` its other placeholders.
service::Failure bad(const std::string& field, const char* why, std::initializer_list<i18n::Arg> more = {}) {
  auto f = service::fail(service::Problem::bad_request, why, field, {{"field", field}});
  f.args.insert(f.args.end(), more.begin(), more.end());
  return f;
}

// Reads the fields of one JSON body; the first problem answers 400 and
// turns every later read into a no-op (check ok() once at the end).
class Body {
 public:
  Body(Context& ctx, const json& body, std::set<std::string> allowed) : ctx_(ctx), body_(body) {
    for (const auto& [key, value] : body.items()) {
      if (allowed.count(key) == 0) {
        refuse(bad(key, "{field}: unknown field"));
        return;
      }
    }
  }
  bool ok() const { return ok_; }
  bool has(const char* name) const { return body_.contains(name); }

  void text(const char* name, std::optional<std::string>& out, bool required = false) {
    if (!ok_) return;
    if (!has(name)) {
      if (required) refuse(bad(name, "{field}: required (a string)"));
      return;
    }
    if (!body_[name].is_string()) return refuse(bad(name, "{field}: must be a string"));
    out = body_[name].get<std::string>();
  }
  void nullable_text(const char* name, std::optional<std::optional<std::string>>& out) {
    if (!ok_ || !has(name)) return;
    if (body_[name].is_null()) {
      out = std::optional<std::string>();
      return;
    }
    if (!body_[name].is_string()) return refuse(bad(name, "{field}: must be a string or null"));
    out = body_[name].get<std::string>();
  }
  void integer(const char* name, std::optional<std::int64_t>& out, bool required = false) {
    if (!ok_) return;
    if (!has(name)) {
      if (required) refuse(bad(name, "{field}: required (an integer)"));
      return;
    }
    if (!body_[name].is_number_integer()) return refuse(bad(name, "{field}: must be an integer"));
    out = body_[name].get<std::int64_t>();
  }
  void nullable_integer(const char* name, std::optional<std::optional<std::int64_t>>& out) {
    if (!ok_ || !has(name)) return;
    if (body_[name].is_null()) {
      out = std::optional<std::int64_t>();
      return;
    }
    if (!body_[name].is_number_integer()) return refuse(bad(name, "{field}: must be an integer or null"));
    out = body_[name].get<std::int64_t>();
  }
  void boolean(const char* name, std::optional<bool>& out) {
    if (!ok_ || !has(name)) return;
    if (!body_[name].is_boolean()) return refuse(bad(name, "{field}: must be true or false"));
    out = body_[name].get<bool>();
  }
  void texts(const char* name, std::optional<std::vector<std::string>>& out) {
    if (!ok_ || !has(name)) return;
    const auto& v = body_[name];
    if (!v.is_array()) return refuse(bad(name, "{field}: must be an array of strings"));
    std::vector<std::string> list;
    for (const auto& item : v) {
      if (!item.is_string()) return refuse(bad(name, "{field}: must be an array of strings"));
      list.push_back(item.get<std::string>());
    }
    out = std::move(list);
  }
  // The row_version the client read: required for every change.
  std::int64_t row_version() {
    std::optional<std::int64_t> v;
    integer("row_version", v, true);
    return v.value_or(0);
  }

 private:
  void refuse(const service::Failure& f) {
    if (!ok_) return;
    ok_ = false;
    ctx_.send_failure(f);
  }
  Context& ctx_;
  const json& body_;
  bool ok_ = true;
};

std::optional<std::int64_t> parse_int(const std::string& text) {
  std::int64_t v = 0;
  const auto* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end) return std::nullopt;
  return v;
}

// The list's query string as a ProductFilter; nullopt when answered 400.
std::optional<ProductFilter> product_filter(Context& ctx) {
  static const std::set<std::string> kKnown{"q", "category_id", "stock", "archived", "sort", "order", "offset", "limit"};
  for (const auto& [name, value] : ctx.req.params) {
    if (kKnown.count(name) == 0) {
      ctx.send_failure(bad(name, "{field}: unknown query parameter (known: q, category_id, stock, archived, sort, order, "
                                 "offset, limit)"));
      return std::nullopt;
    }
  }
  ProductFilter f;
  f.text = ctx.query("q");
  f.category_id = ctx.query("category_id");
  auto refuse = [&](const service::Failure& failure) {
    ctx.send_failure(failure);
    return std::nullopt;
  };
  if (const auto s = ctx.query("stock"); !s.empty()) {
    auto parsed = parse_stock_status(s);
    if (!parsed) return refuse(bad("stock", "{field}: one of in_stock, low, out, not_tracked"));
    f.stock = *parsed;
  }
  if (const auto a = ctx.query("archived"); !a.empty()) {
    auto parsed = parse_archived_filter(a);
    if (!parsed) return refuse(bad("archived", "{field}: one of no, only, all"));
    f.archived = *parsed;
  }
  if (const auto s = ctx.query("sort"); !s.empty()) {
    auto parsed = parse_product_sort(s);
    if (!parsed) return refuse(bad("sort", "{field}: one of name, sku, price, on_hand, updated"));
    f.sort = *parsed;
  }
  if (const auto o = ctx.query("order"); !o.empty()) {
    if (o != "asc" && o != "desc") return refuse(bad("order", "{field}: asc or desc"));
    f.descending = o == "desc";
  }
  if (ctx.req.has_param("offset")) {
    auto v = parse_int(ctx.query("offset"));
    if (!v || *v < 0) return refuse(bad("offset", "{field}: a whole number, 0 or more"));
    f.offset = *v;
  }
  if (ctx.req.has_param("limit")) {
    auto v = parse_int(ctx.query("limit"));
    if (!v || *v < 1 || *v > kMaxProductPage)
      return refuse(bad("limit", "{field}: a whole number from 1 to {max}", {{"max", std::to_string(kMaxProductPage)}}));
    f.limit = *v;
  }
  return f;
}

json product_detail(service::Services& s, const db::catalog::ProductRow& p) {
  auto out = service::product_json(p);
  json history = json::array();
  for (const auto& h : s.catalog().price_history(p.id)) {
    history.push_back({{"price_minor", h.price_minor},
                       {"cost_minor", h.cost_minor ? json(*h.cost_minor) : json()},
                       {"currency", h.currency},
                       {"effective_from", h.effective_from},
                       {"changed_by", h.changed_by ? json(*h.changed_by) : json()}});
  }
  out["price_history"] = std::move(history);
  return out;
}

template <class T, class F>
void answer(Context& ctx, int status, const service::Outcome<T>& r, F&& to_json) {
  if (!r) return ctx.send_failure(r.error());
  ctx.send_json(status, to_json(*r));
}

const std::set<std::string> kProductFields{"name",        "sku",         "description", "barcodes",
                                           "category_id", "price_minor", "cost_minor",  "tax_rate_id",
                                           "unit",        "track_stock", "low_stock_milli", "is_active"};

std::set<std::string> with_row_version(std::set<std::string> fields) {
  fields.insert("row_version");
  return fields;
}

void register_product_routes(RouteRegistry& r, service::Services& s) {
  const auto products = Access::person(auth::Permission::manage_products);

  r.add("GET", "/api/v1/products", products,
        "List products (?q, category_id, stock, archived, sort, order, offset, limit)", [&s](Context& ctx) {
          const auto filter = product_filter(ctx);
          if (!filter) return;
          auto page = s.catalog().list_products(ctx.user->store_id, *filter);
          if (!page) return ctx.send_failure(page.error());
          json list = json::array();
          for (const auto& p : page->rows) list.push_back(service::product_json(p));
          ctx.send_json(200, {{"products", std::move(list)},
                              {"total", page->total},
                              {"offset", filter->offset},
                              {"limit", filter->limit}});
        });

  r.add("POST", "/api/v1/products", products, "Add a product (name, price_minor, ...: docs/api.md)",
        [&s](Context& ctx) {
          auto json_body = ctx.json_body();
          if (!json_body) return;
          Body b(ctx, *json_body, kProductFields);
          service::NewProduct p;
          std::optional<std::string> name, description, unit;
          std::optional<std::optional<std::string>> sku, category, tax;
          std::optional<std::vector<std::string>> barcodes;
          std::optional<std::int64_t> price;
          std::optional<std::optional<std::int64_t>> cost, low;
          std::optional<bool> track, active;
          b.text("name", name, true);
          b.nullable_text("sku", sku);
          b.text("description", description);
          b.texts("barcodes", barcodes);
          b.nullable_text("category_id", category);
          b.integer("price_minor", price, true);
          b.nullable_integer("cost_minor", cost);
          b.nullable_text("tax_rate_id", tax);
          b.text("unit", unit);
          b.boolean("track_stock", track);
          b.nullable_integer("low_stock_milli", low);
          b.boolean("is_active", active);
          if (!b.ok()) return;
          p.name = *name;
          if (sku) p.sku = *sku;
          p.description = description.value_or("");
          p.barcodes = barcodes.value_or(std::vector<std::string>{});
          if (category) p.category_id = *category;
          p.price_minor = *price;
          if (cost) p.cost_minor = *cost;
          if (tax) p.tax_rate_id = *tax;
          p.unit = unit.value_or("each");
          p.track_stock = track.value_or(true);
          if (low) p.low_stock_milli = *low;
          p.is_active = active.value_or(true);
          answer(ctx, 201, s.catalog().create_product(ctx.user->store_id, p, ctx.user->role, ctx.actor()),
                 service::product_json);
        });

  r.add("GET", "/api/v1/products/{id}", products, "One product with its price history", [&s](Context& ctx) {
    answer(ctx, 200, s.catalog().get_product(ctx.user->store_id, ctx.param("id")),
           [&s](const db::catalog::ProductRow& p) { return product_detail(s, p); });
  });

  r.add("PATCH", "/api/v1/products/{id}", products,
        "Edit a product (row_version + fields; price_minor/cost_minor also need manage_prices)",
        [&s](Context& ctx) {
          auto json_body = ctx.json_body();
          if (!json_body) return;
          Body b(ctx, *json_body, with_row_version(kProductFields));
          const auto version = b.row_version();
          service::ProductPatch p;
          b.text("name", p.name);
          b.nullable_text("sku", p.sku);
          b.text("description", p.description);
          b.texts("barcodes", p.barcodes);
          b.nullable_text("category_id", p.category_id);
          b.integer("price_minor", p.price_minor);
          b.nullable_integer("cost_minor", p.cost_minor);
          b.nullable_text("tax_rate_id", p.tax_rate_id);
          b.text("unit", p.unit);
          b.boolean("track_stock", p.track_stock);
          b.nullable_integer("low_stock_milli", p.low_stock_milli);
          b.boolean("is_active", p.is_active);
          if (!b.ok()) return;
          answer(ctx, 200,
                 s.catalog().update_product(ctx.user->store_id, ctx.param("id"), version, p, ctx.user->role,
                                            ctx.actor()),
                 service::product_json);
        });

  for (const bool archive : {true, false}) {
    r.add("POST", std::string("/api/v1/products/{id}/") + (archive ? "archive" : "restore"), products,
          archive ? "Archive a product (row_version): tills stop selling it" : "Restore an archived product (row_version)",
          [&s, archive](Context& ctx) {
            auto json_body = ctx.json_body();
            if (!json_body) return;
            Body b(ctx, *json_body, {"row_version"});
            const auto version = b.row_version();
            if (!b.ok()) return;
            answer(ctx, 200,
                   s.catalog().set_product_archived(ctx.user->store_id, ctx.param("id"), version, archive,
                                                    ctx.actor()),
                   service::product_json);
          });
  }
}

void register_category_routes(RouteRegistry& r, service::Services& s) {
  const auto products = Access::person(auth::Permission::manage_products);

  r.add("GET", "/api/v1/categories", products, "The category tree (?archived=no|only|all)", [&s](Context& ctx) {
    for (const auto& [name, value] : ctx.req.params)
      if (name != "archived") return ctx.send_failure(bad(name, "{field}: unknown query parameter (known: archived)"));
    auto archived = ArchivedFilter::no;
    if (const auto a = ctx.query("archived"); !a.empty()) {
      auto parsed = parse_archived_filter(a);
      if (!parsed) return ctx.send_failure(bad("archived", "{field}: one of no, only, all"));
      archived = *parsed;
    }
    json list = json::array();
    for (const auto& c : s.catalog().list_categories(ctx.user->store_id, archived))
      list.push_back(service::category_json(c));
    ctx.send_json(200, {{"categories", std::move(list)}});
  });

  r.add("POST", "/api/v1/categories", products, "Add a category (name, parent_id?, sort_order?)",
        [&s](Context& ctx) {
          auto json_body = ctx.json_body();
          if (!json_body) return;
          Body b(ctx, *json_body, {"name", "parent_id", "sort_order"});
          std::optional<std::string> name;
          std::optional<std::optional<std::string>> parent;
          std::optional<std::int64_t> order;
          b.text("name", name, true);
          b.nullable_text("parent_id", parent);
          b.integer("sort_order", order);
          if (!b.ok()) return;
          if (order && (*order < INT32_MIN || *order > INT32_MAX))
            return ctx.send_failure(bad("sort_order", "{field}: out of range"));
          answer(ctx, 201,
                 s.catalog().create_category(ctx.user->store_id, *name, parent ? *parent : std::nullopt,
                                             static_cast<int>(order.value_or(0)), ctx.actor()),
                 service::category_json);
        });

  r.add("PATCH", "/api/v1/categories/{id}", products,
        "Edit or move a category (row_version, name?, parent_id? (null = top level), sort_order?)",
        [&s](Context& ctx) {
          auto json_body = ctx.json_body();
          if (!json_body) return;
          Body b(ctx, *json_body, {"row_version", "name", "parent_id", "sort_order"});
          const auto version = b.row_version();
          service::CategoryPatch p;
          std::optional<std::int64_t> order;
          b.text("name", p.name);
          b.nullable_text("parent_id", p.parent_id);
          b.integer("sort_order", order);
          if (!b.ok()) return;
          if (order && (*order < INT32_MIN || *order > INT32_MAX))
            return ctx.send_failure(bad("sort_order", "{field}: out of range"));
          if (order) p.sort_order = static_cast<int>(*order);
          answer(ctx, 200, s.catalog().update_category(ctx.user->store_id, ctx.param("id"), version, p, ctx.actor()),
                 service::category_json);
        });

  for (const bool archive : {true, false}) {
    r.add("POST", std::string("/api/v1/categories/{id}/") + (archive ? "archive" : "restore"), products,
          archive ? "Archive a category (row_version); its products stay sellable"
                  : "Restore an archived category (row_version)",
          [&s, archive](Context& ctx) {
            auto json_body = ctx.json_body();
            if (!json_body) return;
            Body b(ctx, *json_body, {"row_version"});
            const auto version = b.row_version();
            if (!b.ok()) return;
            answer(ctx, 200,
                   s.catalog().set_category_archived(ctx.user->store_id, ctx.param("id"), version, archive,
                                                     ctx.actor()),
                   service::category_json);
          });
  }
}

void register_tax_routes(RouteRegistry& r, service::Services& s) {
  const auto prices = Access::person(auth::Permission::manage_prices);

  r.add("GET", "/api/v1/tax-rates", prices, "Tax rates, with how many products use each, and the price mode",
        [&s](Context& ctx) {
          const auto list = s.catalog().list_tax_rates(ctx.user->store_id);
          json rates = json::array();
          for (const auto& t : list.rates) rates.push_back(service::tax_rate_json(t));
          ctx.send_json(200, {{"tax_rates", std::move(rates)}, {"price_mode", list.price_mode}});
        });

  r.add("POST", "/api/v1/tax-rates", prices, "Add a tax rate (code, name?, kind, rate_ppm)", [&s](Context& ctx) {
    auto json_body = ctx.json_body();
    if (!json_body) return;
    Body b(ctx, *json_body, {"code", "name", "kind", "rate_ppm"});
    std::optional<std::string> code, name, kind;
    std::optional<std::int64_t> rate;
    b.text("code", code, true);
    b.text("name", name);
    b.text("kind", kind, true);
    b.integer("rate_ppm", rate, true);
    if (!b.ok()) return;
    answer(ctx, 201,
           s.catalog().create_tax_rate(ctx.user->store_id, {*code, name.value_or(""), *kind, *rate}, ctx.actor()),
           service::tax_rate_json);
  });

  r.add("PATCH", "/api/v1/tax-rates/{id}", prices, "Edit a tax rate (row_version, code?, name?, kind?, rate_ppm?)",
        [&s](Context& ctx) {
          auto json_body = ctx.json_body();
          if (!json_body) return;
          Body b(ctx, *json_body, {"row_version", "code", "name", "kind", "rate_ppm"});
          const auto version = b.row_version();
          service::TaxRatePatch p;
          b.text("code", p.code);
          b.text("name", p.name);
          b.text("kind", p.kind);
          b.integer("rate_ppm", p.rate_ppm);
          if (!b.ok()) return;
          answer(ctx, 200, s.catalog().update_tax_rate(ctx.user->store_id, ctx.param("id"), version, p, ctx.actor()),
                 service::tax_rate_json);
        });

  for (const bool retire : {true, false}) {
    r.add("POST", std::string("/api/v1/tax-rates/{id}/") + (retire ? "retire" : "reactivate"), prices,
          retire ? "Retire a tax rate (row_version): tills stop offering it" : "Reactivate a retired tax rate (row_version)",
          [&s, retire](Context& ctx) {
            auto json_body = ctx.json_body();
            if (!json_body) return;
            Body b(ctx, *json_body, {"row_version"});
            const auto version = b.row_version();
            if (!b.ok()) return;
            answer(ctx, 200,
                   s.catalog().set_tax_rate_active(ctx.user->store_id, ctx.param("id"), version, !retire,
                                                   ctx.actor()),
                   service::tax_rate_json);
          });
  }

  r.add("DELETE", "/api/v1/tax-rates/{id}", prices,
        "Delete an unused tax rate (?row_version=N); 409 while products use it", [&s](Context& ctx) {
          for (const auto& [name, value] : ctx.req.params)
            if (name != "row_version")
              return ctx.send_failure(bad(name, "{field}: unknown query parameter (known: row_version)"));
          const auto version = parse_int(ctx.query("row_version"));
          if (!version) return ctx.send_failure(bad("row_version", "{field}: required (?row_version=N, an integer)"));
          const auto done = s.catalog().delete_tax_rate(ctx.user->store_id, ctx.param("id"), *version, ctx.actor());
          if (!done) return ctx.send_failure(done.error());
          ctx.send_json(200, {{"ok", true}});
        });
}

}  // namespace

void register_catalog_routes(RouteRegistry& registry, service::Services& services) {
  register_product_routes(registry, services);
  register_category_routes(registry, services);
  register_tax_routes(registry, services);
}

}  // namespace salespider::http
