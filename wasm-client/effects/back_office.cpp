// Back-office effects: the catalog API calls of the hub's screens; see
// back_office.hpp.
#include "effects/back_office.hpp"

#include <salespider/shared/i18n.hpp>

#include "answers/catalog_answers.hpp"
#include "auth/accounts.hpp"
#include "automation/json_writer.hpp"

#include <type_traits>
#include <utility>

namespace salespider::effects {

namespace {

const char* offline_sign_in_text() { return i18n::tr("Needs the store server and an online sign-in."); }
const char* not_understood_text() { return i18n::tr("The store server's answer was not understood."); }

sync::HttpRequest bearer(std::string method, std::string url, const std::string& token, std::string body = {}) {
  sync::HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers.emplace_back("Authorization", "Bearer " + token);
  if (!body.empty() || r.method == "POST" || r.method == "PATCH") {
    r.headers.emplace_back("Content-Type", "application/json");
    if (body.empty()) body = "{}";
  }
  r.body = std::move(body);
  return r;
}

std::string filter_query(const ProductFilter& f) {
  std::string q = "?q=" + sync::url_encode(f.text);
  if (!f.category_id.empty()) q += "&category_id=" + sync::url_encode(f.category_id);
  if (f.stock) q += "&stock=" + std::string(to_string(*f.stock));
  q += "&archived=" + std::string(to_string(f.archived));
  q += "&sort=" + std::string(to_string(f.sort));
  q += std::string("&order=") + (f.descending ? "desc" : "asc");
  q += "&offset=" + std::to_string(f.offset) + "&limit=" + std::to_string(f.limit);
  return q;
}

void optional_id(automation::JsonWriter& json, const char* key, const std::string& id) {
  json.key(key);
  if (id.empty())
    json.null();
  else
    json.value(id);
}

// The product's fields as POST and PATCH take them (PATCH adds row_version;
// barcodes replace the list).
std::string product_body(const state::ProductFields& f, bool with_price) {
  automation::JsonWriter json;
  json.begin_object();
  if (!f.id.empty()) json.key("row_version").value(f.row_version);
  json.key("name").value(f.name);
  optional_id(json, "sku", f.sku);
  json.key("description").value(f.description);
  json.key("barcodes").begin_array();
  for (const std::string& b : f.barcodes) json.value(b);
  json.end_array();
  optional_id(json, "category_id", f.category_id);
  if (with_price) {
    json.key("price_minor").value(f.price_minor);
    json.key("cost_minor");
    if (f.cost_minor)
      json.value(*f.cost_minor);
    else
      json.null();
  }
  optional_id(json, "tax_rate_id", f.tax_rate_id);
  json.key("unit").value(f.weighed ? "weighed" : "each");
  json.key("track_stock").value(f.track_stock);
  json.key("low_stock_milli");
  if (f.low_stock_milli)
    json.value(*f.low_stock_milli);
  else
    json.null();
  json.key("is_active").value(f.is_active);
  json.end_object();
  return json.str();
}

std::string row_version_body(std::int64_t row_version) {
  automation::JsonWriter json;
  json.begin_object().key("row_version").value(row_version).end_object();
  return json.str();
}

}  // namespace

void BackOfficeEffects::handle(const state::Command& command, const state::AppState& s) {
  std::visit(
      [this, &s](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, state::OpenProducts>) {
          if (s.screen != state::Screen::Products) return;
          load_products(s);
          load_categories();  // the category filter
        } else if constexpr (std::is_same_v<C, state::QueryProducts>) {
          if (s.screen == state::Screen::Products && s.back_office.list.loading) load_products(s);
        } else if constexpr (std::is_same_v<C, state::Back>) {
          if (s.screen == state::Screen::Products && s.back_office.list.loading) load_products(s);
        } else if constexpr (std::is_same_v<C, state::OpenProduct>) {
          if (s.screen != state::Screen::ProductEditor) return;
          // The pickers need both lists, the editor the product. (`s` is
          // not read after the first load: it may answer at once.)
          const bool prices = state::may(s, "manage_prices");
          load_categories();
          if (prices) load_tax_rates();
          if (!c.id.empty()) load_product(c.id);
        } else if constexpr (std::is_same_v<C, state::SaveProduct> || std::is_same_v<C, state::KeepMine>) {
          if (s.busy && s.back_office.editing) save_product(s);
        } else if constexpr (std::is_same_v<C, state::ArchiveProduct>) {
          if (s.busy && s.back_office.editing) archive_product(s, c.restore);
        } else if constexpr (std::is_same_v<C, state::OpenCategories>) {
          if (s.screen == state::Screen::Categories) load_categories();
        } else if constexpr (std::is_same_v<C, state::OpenTaxRates>) {
          if (s.screen == state::Screen::TaxRates) load_tax_rates();
        } else if constexpr (std::is_same_v<C, state::SaveCategory>) {
          if (!s.back_office.writing) return;
          automation::JsonWriter json;
          json.begin_object().key("name").value(c.name);
          optional_id(json, "parent_id", c.parent_id);
          if (!c.id.empty()) json.key("row_version").value(c.row_version);
          json.end_object();
          const std::string token = ctx_.session_token();
          write(c.id.empty() ? bearer("POST", "/api/v1/categories", token, json.str())
                             : bearer("PATCH", "/api/v1/categories/" + sync::url_encode(c.id), token, json.str()),
                i18n::format(c.id.empty() ? i18n::tr("Added {name}.") : i18n::tr("Saved {name}."), {{"name", c.name}}), true);
        } else if constexpr (std::is_same_v<C, state::ArchiveCategory>) {
          if (!s.back_office.writing) return;
          write(bearer("POST",
                       "/api/v1/categories/" + sync::url_encode(c.id) + (c.restore ? "/restore" : "/archive"),
                       ctx_.session_token(), row_version_body(c.row_version)),
                c.restore ? i18n::tr("Category restored.") : i18n::tr("Category archived."), true);
        } else if constexpr (std::is_same_v<C, state::SaveTaxRate>) {
          if (!s.back_office.writing) return;
          automation::JsonWriter json;
          json.begin_object();
          if (!c.id.empty()) json.key("row_version").value(c.row_version);
          json.key("code").value(c.code);
          json.key("name").value(c.name.empty() ? c.code : c.name);
          json.key("kind").value(c.kind);
          json.key("rate_ppm").value(state::parse_percent_ppm(c.rate).value_or(0));
          json.end_object();
          const std::string token = ctx_.session_token();
          write(c.id.empty() ? bearer("POST", "/api/v1/tax-rates", token, json.str())
                             : bearer("PATCH", "/api/v1/tax-rates/" + sync::url_encode(c.id), token, json.str()),
                i18n::format(c.id.empty() ? i18n::tr("Added {name}.") : i18n::tr("Saved {name}."), {{"name", c.code}}), false);
        } else if constexpr (std::is_same_v<C, state::RetireTaxRate>) {
          if (!s.back_office.writing) return;
          write(bearer("POST",
                       "/api/v1/tax-rates/" + sync::url_encode(c.id) + (c.reactivate ? "/reactivate" : "/retire"),
                       ctx_.session_token(), row_version_body(c.row_version)),
                c.reactivate ? i18n::tr("Tax rate reactivated.") : i18n::tr("Tax rate retired."), false);
        } else if constexpr (std::is_same_v<C, state::DeleteTaxRate>) {
          if (!s.back_office.writing) return;
          write(bearer("DELETE",
                       "/api/v1/tax-rates/" + sync::url_encode(c.id) + "?row_version=" + std::to_string(c.row_version),
                       ctx_.session_token()),
                i18n::tr("Tax rate deleted."), false);
        }
      },
      command);
}

void BackOfficeEffects::load_products(const state::AppState& s) {
  const ProductFilter filter = s.back_office.list.filter;
  const std::string token = ctx_.session_token();
  // Offline: the till's own catalog through the selling screen's search.
  auto local = [this, filter] {
    selling_.search(filter.text, filter.category_id, 0);
    ctx_.app.apply(state::ProductsLoaded{filter, {}, 0, "", true});
  };
  if (token.empty() || (s.user && s.user->offline)) {
    local();
    return;
  }
  ctx_.http.send(bearer("GET", "/api/v1/products" + filter_query(filter), token),
                 [this, filter, local](sync::HttpResponse r) {
                   if (no_answer(r)) {
                     local();
                     return;
                   }
                   if (r.status != 200) {
                     ctx_.app.apply(state::ProductsLoaded{filter, {}, 0, refusal_text(r), false});
                     return;
                   }
                   std::optional<answers::ProductPage> page = answers::parse_product_page(r.body);
                   if (!page) {
                     ctx_.app.apply(state::ProductsLoaded{filter, {}, 0, not_understood_text(), false});
                     return;
                   }
                   ctx_.app.apply(
                       state::ProductsLoaded{filter, std::move(page->products), page->total, "", false});
                 });
}

void BackOfficeEffects::load_product(const std::string& id) {
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::ProductLoaded{std::nullopt, {}, offline_sign_in_text()});
    return;
  }
  ctx_.http.send(bearer("GET", "/api/v1/products/" + sync::url_encode(id), token), [this](sync::HttpResponse r) {
    if (r.status != 200) {
      ctx_.app.apply(state::ProductLoaded{std::nullopt, {}, refusal_text(r)});
      return;
    }
    std::optional<answers::ProductDetail> d = answers::parse_product_detail(r.body);
    if (!d) {
      ctx_.app.apply(state::ProductLoaded{std::nullopt, {}, not_understood_text()});
      return;
    }
    ctx_.app.apply(state::ProductLoaded{std::move(d->product), std::move(d->price_history), ""});
  });
}

void BackOfficeEffects::load_categories() {
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::CategoriesLoaded{{}, offline_sign_in_text()});
    return;
  }
  ctx_.http.send(bearer("GET", "/api/v1/categories?archived=all", token), [this](sync::HttpResponse r) {
    if (r.status != 200) {
      ctx_.app.apply(state::CategoriesLoaded{{}, refusal_text(r)});
      return;
    }
    std::optional<std::vector<state::CatalogCategory>> list = answers::parse_categories(r.body);
    if (!list)
      ctx_.app.apply(state::CategoriesLoaded{{}, not_understood_text()});
    else
      ctx_.app.apply(state::CategoriesLoaded{std::move(*list), ""});
  });
}

void BackOfficeEffects::load_tax_rates() {
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::TaxRatesLoaded{{}, "", offline_sign_in_text()});
    return;
  }
  ctx_.http.send(bearer("GET", "/api/v1/tax-rates", token), [this](sync::HttpResponse r) {
    if (r.status != 200) {
      ctx_.app.apply(state::TaxRatesLoaded{{}, "", refusal_text(r)});
      return;
    }
    std::optional<answers::TaxRates> rates = answers::parse_tax_rates(r.body);
    if (!rates)
      ctx_.app.apply(state::TaxRatesLoaded{{}, "", not_understood_text()});
    else
      ctx_.app.apply(state::TaxRatesLoaded{std::move(rates->tax_rates), std::move(rates->price_mode), ""});
  });
}

namespace {

// The answer to a product write: the row, or what refused it (a stale
// row_version carries the row as it is now; a barcode names its product).
void answer_product_write(Context& ctx, const sync::HttpResponse& r) {
  if (r.status == 200 || r.status == 201) {
    std::optional<state::CatalogProduct> p = answers::parse_product(r.body);
    if (p)
      ctx.app.apply(state::ProductSaved{std::move(p), "", "", std::nullopt});
    else
      ctx.app.apply(state::ProductSaved{std::nullopt, not_understood_text(), "", std::nullopt});
    return;
  }
  state::ProductSaved out;
  out.error = refusal_text(r);
  if (std::optional<answers::WriteRefusal> refusal = answers::parse_write_refusal(r.body)) {
    out.field = refusal->field;
    out.current = std::move(refusal->current);
  }
  ctx.app.apply(std::move(out));
}

}  // namespace

void BackOfficeEffects::save_product(const state::AppState& s) {
  const state::ProductEditor& e = *s.back_office.editing;
  Result<state::ProductFields> f = state::check_product(e.draft, s.store.currency);
  const std::string token = ctx_.session_token();
  if (!f || token.empty()) {
    ctx_.app.apply(state::ProductSaved{std::nullopt, f ? offline_sign_in_text() : f.error().context, "", std::nullopt});
    return;
  }
  // Price and cost go only when they changed: they need manage_prices too,
  // and an unchanged price must not add a price_history row.
  const bool price_changed = !e.product || e.product->price_minor != f.value().price_minor ||
                             e.product->cost_minor != f.value().cost_minor;
  const std::string body = product_body(f.value(), price_changed);
  sync::HttpRequest r = f.value().id.empty()
                            ? bearer("POST", "/api/v1/products", token, body)
                            : bearer("PATCH", "/api/v1/products/" + sync::url_encode(f.value().id), token, body);
  ctx_.http.send(r, [this](sync::HttpResponse answer) { answer_product_write(ctx_, answer); });
}

void BackOfficeEffects::archive_product(const state::AppState& s, bool restore) {
  const state::CatalogProduct& p = *s.back_office.editing->product;
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::ProductSaved{std::nullopt, offline_sign_in_text(), "", std::nullopt});
    return;
  }
  ctx_.http.send(bearer("POST", "/api/v1/products/" + sync::url_encode(p.id) + (restore ? "/restore" : "/archive"),
                        token, row_version_body(p.row_version)),
                 [this](sync::HttpResponse answer) { answer_product_write(ctx_, answer); });
}

void BackOfficeEffects::write(sync::HttpRequest request, std::string done, bool categories) {
  if (ctx_.session_token().empty()) {
    ctx_.app.apply(state::CatalogWritten{offline_sign_in_text(), ""});
    return;
  }
  ctx_.http.send(request, [this, done, categories](sync::HttpResponse r) {
    const bool ok = r.status >= 200 && r.status < 300;
    ctx_.app.apply(state::CatalogWritten{ok ? std::string() : refusal_text(r), ok ? done : std::string()});
    if (categories)
      load_categories();
    else
      load_tax_rates();
  });
}

}  // namespace salespider::effects
