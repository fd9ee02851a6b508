// The back office's hub and catalog screens in the reducer: who may open
// them, which screen follows which, the product list's query, the product
// editor's draft checked against shared/product_rules.hpp before anything
// is sent, and a stale save (409) kept beside the draft. The controller
// (effects/back_office.cpp) does the loading and writing when the reducer
// accepted a command. Deliberately not here: the stock and CSV screens
// (back_office_stock.cpp), HTTP, drawing.
#include "state/back_office.hpp"

#include "state/app_state.hpp"
#include "state/reducers.hpp"

#include <salespider/shared/money_format.hpp>
#include <salespider/shared/quantity.hpp>

#include <cctype>
#include <type_traits>
#include <utility>

namespace salespider::state {

namespace {

bool same_filter(const ProductFilter& a, const ProductFilter& b) {
  return a.text == b.text && a.category_id == b.category_id && a.stock == b.stock && a.archived == b.archived &&
         a.sort == b.sort && a.descending == b.descending && a.offset == b.offset && a.limit == b.limit;
}

MoneyFormat plain_format() {
  MoneyFormat plain;
  plain.display = CurrencyDisplay::none;
  plain.grouping = Grouping::none;
  return plain;
}

std::string plain_money_text(std::int64_t minor, std::string_view currency) {
  Result<Currency> c = find_currency(currency);
  if (!c) return std::to_string(minor);
  return format_money(Money{minor, c.value()}, plain_format());
}

// "price: ..." from parse_money's typed error, in the rules' style.
Error field_error(const char* field, std::string why) {
  return Error{Errc::invalid_value, std::string(field) + ": " + std::move(why)};
}

Result<std::int64_t> money_field(const char* field, const std::string& text, std::string_view currency) {
  Result<Currency> c = find_currency(currency);
  if (!c) return field_error(field, "the store's currency is not known yet");
  Result<Money> m = parse_money(text, c.value(), MoneyFormat{});
  if (!m) return field_error(field, "not an amount (" + m.error().context + ")");
  if (m.value().minor < 0) return field_error(field, "cannot be negative");
  return m.value().minor;
}

void refill(ProductEditor& e, ProductDraft draft) {
  e.draft = std::move(draft);
  ++e.generation;
}

bool screen_is_catalog(Screen s) {
  return s == Screen::BackOffice || s == Screen::Products || s == Screen::ProductEditor ||
         s == Screen::Categories || s == Screen::TaxRates;
}

template <class C>
void apply(AppState& s, const C& c) {
  BackOffice& bo = s.back_office;
  if constexpr (std::is_same_v<C, OpenBackOffice>) {
    if (s.busy) return;
    if (!may_open_back_office(s)) {
      say(s, MessageKind::error, i18n::tr("The back office is for people who manage products, prices or stock."));
      return;
    }
    s.screen = Screen::BackOffice;
    s.message.reset();
  } else if constexpr (std::is_same_v<C, OpenProducts>) {
    if (!may(s, "manage_products") || !screen_is_catalog(s.screen)) return;
    s.screen = Screen::Products;
    bo.editing.reset();
    bo.list.loading = true;
  } else if constexpr (std::is_same_v<C, QueryProducts>) {
    if (s.screen != Screen::Products) return;
    if (Status ok = validate(c.filter); !ok) {
      bo.list.error = ok.error().context;
      return;
    }
    bo.list.filter = c.filter;
    bo.list.loading = true;
  } else if constexpr (std::is_same_v<C, ProductsLoaded>) {
    if (!same_filter(c.filter, bo.list.filter)) return;  // an older query's answer
    bo.list.loading = false;
    bo.list.error = c.error;
    bo.list.offline = c.offline;
    if (c.error.empty()) {
      bo.list.products = c.products;
      bo.list.total = c.total;
    }
  } else if constexpr (std::is_same_v<C, OpenProduct>) {
    if (!may(s, "manage_products") || (s.screen != Screen::Products && s.screen != Screen::ProductEditor)) return;
    ProductEditor e;
    e.loading = !c.id.empty();
    e.draft.id = c.id;
    e.generation = bo.editing ? bo.editing->generation + 1 : 1;
    bo.editing = std::move(e);
    s.screen = Screen::ProductEditor;
    s.message.reset();
  } else if constexpr (std::is_same_v<C, ProductLoaded>) {
    if (!bo.editing) return;
    ProductEditor& e = *bo.editing;
    e.loading = false;
    if (!c.product) {
      e.error = c.error;
      return;
    }
    if (c.product->id != e.draft.id) return;  // another product was opened since
    e.product = c.product;
    e.price_history = c.price_history;
    e.error.clear();
    e.error_field.clear();
    refill(e, draft_of(*c.product, s.store.currency));
  } else if constexpr (std::is_same_v<C, SaveProduct>) {
    if (!bo.editing || s.busy) return;
    ProductEditor& e = *bo.editing;
    e.draft = c.draft;
    e.conflict.reset();
    Result<ProductFields> checked = check_product(c.draft, s.store.currency);
    if (!checked) {
      e.error = checked.error().context;
      const std::size_t colon = e.error.find(':');
      e.error_field = colon == std::string::npos ? std::string() : e.error.substr(0, colon);
      if (e.error_field == "barcode") e.error_field = "barcodes";  // one of the list
      return;
    }
    e.error.clear();
    e.error_field.clear();
    s.busy = true;
  } else if constexpr (std::is_same_v<C, KeepMine>) {
    if (!bo.editing || !bo.editing->conflict || s.busy) return;
    ProductEditor& e = *bo.editing;
    if (c.draft) e.draft = *c.draft;
    e.draft.row_version = e.conflict->row_version;
    e.product = e.conflict;
    e.conflict.reset();
    e.error.clear();
    e.error_field.clear();
    if (Result<ProductFields> checked = check_product(e.draft, s.store.currency); !checked) {
      e.error = checked.error().context;
      return;
    }
    s.busy = true;
  } else if constexpr (std::is_same_v<C, UseTheirs>) {
    if (!bo.editing || !bo.editing->conflict || s.busy) return;
    ProductEditor& e = *bo.editing;
    e.product = e.conflict;
    e.conflict.reset();
    e.error.clear();
    e.error_field.clear();
    refill(e, draft_of(*e.product, s.store.currency));
  } else if constexpr (std::is_same_v<C, ArchiveProduct>) {
    if (!bo.editing || !bo.editing->product || s.busy) return;
    bo.editing->conflict.reset();
    bo.editing->error.clear();
    s.busy = true;
  } else if constexpr (std::is_same_v<C, ProductSaved>) {
    s.busy = false;
    if (!bo.editing) return;
    ProductEditor& e = *bo.editing;
    if (c.product) {
      const bool created = e.draft.id.empty();
      e.product = c.product;
      e.conflict.reset();
      e.error.clear();
      e.error_field.clear();
      refill(e, draft_of(*c.product, s.store.currency));
      say(s, MessageKind::info,
          i18n::format(created ? i18n::tr("Created {product}.")
                               : c.product->archived ? i18n::tr("Archived {product}.") : i18n::tr("Saved {product}."),
                       {{"product", c.product->name}}));
      return;
    }
    e.error = c.error;
    e.error_field = c.field;
    if (c.current && c.field == "row_version") e.conflict = c.current;
  } else if constexpr (std::is_same_v<C, OpenCategories>) {
    if (!may(s, "manage_products") || !screen_is_catalog(s.screen)) return;
    s.screen = Screen::Categories;
    bo.categories_error.clear();
  } else if constexpr (std::is_same_v<C, CategoriesLoaded>) {
    bo.categories_error = c.error;
    if (c.error.empty()) bo.categories = c.categories;
  } else if constexpr (std::is_same_v<C, SaveCategory>) {
    if (bo.writing || s.screen != Screen::Categories) return;
    if (Status ok = validate_category_name(c.name); !ok) {
      say(s, MessageKind::error, ok.error().context);
      return;
    }
    if (!c.id.empty() && c.id == c.parent_id) {
      say(s, MessageKind::error, "parent_id: a category cannot be its own parent");
      return;
    }
    bo.writing = true;
    s.message.reset();
  } else if constexpr (std::is_same_v<C, ArchiveCategory>) {
    if (bo.writing || s.screen != Screen::Categories || c.id.empty()) return;
    bo.writing = true;
    s.message.reset();
  } else if constexpr (std::is_same_v<C, OpenTaxRates>) {
    if (!may(s, "manage_prices") || !screen_is_catalog(s.screen)) return;
    s.screen = Screen::TaxRates;
    bo.tax_rates_error.clear();
  } else if constexpr (std::is_same_v<C, TaxRatesLoaded>) {
    bo.tax_rates_error = c.error;
    if (c.error.empty()) {
      bo.tax_rates = c.tax_rates;
      bo.price_mode = c.price_mode;
    }
  } else if constexpr (std::is_same_v<C, SaveTaxRate>) {
    if (bo.writing || s.screen != Screen::TaxRates) return;
    if (Status ok = validate_tax_code(c.code); !ok) {
      say(s, MessageKind::error, ok.error().context);
      return;
    }
    if (Status ok = validate_tax_name(c.name.empty() ? c.code : c.name); !ok) {
      say(s, MessageKind::error, ok.error().context);
      return;
    }
    if (!parse_percent_ppm(c.rate)) {
      say(s, MessageKind::error, "rate: a percentage from 0 to 100 with at most 4 decimals, e.g. 7.5");
      return;
    }
    bo.writing = true;
    s.message.reset();
  } else if constexpr (std::is_same_v<C, RetireTaxRate> || std::is_same_v<C, DeleteTaxRate>) {
    if (bo.writing || s.screen != Screen::TaxRates || c.id.empty()) return;
    bo.writing = true;
    s.message.reset();
  } else if constexpr (std::is_same_v<C, CatalogWritten>) {
    bo.writing = false;
    if (!c.error.empty())
      say(s, MessageKind::error, c.error);
    else if (!c.done.empty())
      say(s, MessageKind::info, c.done);
  } else {
    static_assert(sizeof(C) == 0, "reduce_back_office() does not handle this command");
  }
}

}  // namespace

bool may_open_back_office(const AppState& s) {
  return may(s, "manage_products") || may(s, "manage_prices") || may(s, "adjust_stock") ||
         may(s, "manage_staff") || may(s, "enrol_tills");
}

int category_depth(const CatalogCategory& category) {
  int depth = 0;
  for (std::size_t at = category.path.find(" / "); at != std::string::npos; at = category.path.find(" / ", at + 3))
    ++depth;
  return depth;
}

Result<ProductFields> check_product(const ProductDraft& d, std::string_view currency) {
  ProductFields f;
  f.id = d.id;
  f.row_version = d.row_version;
  if (Status ok = validate_product_name(d.name); !ok) return ok.error();
  f.name = d.name;
  if (!d.sku.empty()) {
    if (Status ok = validate_sku(d.sku); !ok) return ok.error();
    f.sku = d.sku;
  }
  if (Status ok = validate_product_description(d.description); !ok) return ok.error();
  f.description = d.description;
  if (Status ok = validate_barcodes(d.barcodes); !ok) return ok.error();
  f.barcodes = d.barcodes;
  f.category_id = d.category_id;
  Result<std::int64_t> price = money_field("price_minor", d.price, currency);
  if (!price) return price.error();
  f.price_minor = price.value();
  if (!d.cost.empty()) {
    Result<std::int64_t> cost = money_field("cost_minor", d.cost, currency);
    if (!cost) return cost.error();
    f.cost_minor = cost.value();
  }
  f.tax_rate_id = d.tax_rate_id;
  f.weighed = d.weighed;
  f.track_stock = d.track_stock;
  if (!d.low_stock.empty()) {
    Result<Quantity> q = parse_quantity(d.low_stock, d.weighed ? UnitKind::weighed : UnitKind::each);
    if (!q) return field_error("low_stock_milli", "not a quantity (" + q.error().context + ")");
    if (q.value().thousandths < 0) return field_error("low_stock_milli", "cannot be negative");
    f.low_stock_milli = q.value().thousandths;
  }
  f.is_active = d.is_active;
  return f;
}

ProductDraft draft_of(const CatalogProduct& p, std::string_view currency) {
  ProductDraft d;
  d.id = p.id;
  d.row_version = p.row_version;
  d.name = p.name;
  d.sku = p.sku;
  d.description = p.description;
  d.barcodes = p.barcodes;
  d.category_id = p.category_id;
  d.price = plain_money_text(p.price_minor, currency);
  d.cost = p.cost_minor ? plain_money_text(*p.cost_minor, currency) : std::string();
  d.tax_rate_id = p.tax_rate_id;
  d.weighed = p.weighed;
  d.track_stock = p.track_stock;
  d.low_stock = p.low_stock_milli ? format_quantity(Quantity{*p.low_stock_milli}) : std::string();
  d.is_active = p.is_active;
  return d;
}

std::optional<std::int64_t> parse_percent_ppm(std::string_view text) {
  std::int64_t whole = 0, frac = 0;
  int whole_digits = 0, frac_digits = 0;
  std::size_t i = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    if (++whole_digits > 3) return std::nullopt;
    whole = whole * 10 + (text[i] - '0');
  }
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      if (++frac_digits > 4) return std::nullopt;
      frac = frac * 10 + (text[i] - '0');
    }
  }
  if (i != text.size() || whole_digits + frac_digits == 0) return std::nullopt;
  for (int k = frac_digits; k < 4; ++k) frac *= 10;
  const std::int64_t ppm = whole * 10000 + frac;
  if (ppm > 1000000) return std::nullopt;
  return ppm;
}

std::string ppm_percent_text(std::int64_t ppm) {
  std::string t = std::to_string(ppm / 10000);
  std::int64_t frac = ppm % 10000;
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 4 - digits.size(), '0');
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    t += "." + digits;
  }
  return t + "%";
}

bool back_office_back(AppState& s) {
  switch (s.screen) {
    case Screen::BackOffice:
      s.screen = home_screen(s);
      return true;
    case Screen::Products:
    case Screen::Categories:
    case Screen::TaxRates:
    case Screen::Staff:
    case Screen::Tills:
      s.screen = Screen::BackOffice;
      return true;
    case Screen::ProductEditor:
      s.screen = Screen::Products;
      s.back_office.editing.reset();
      s.back_office.list.loading = true;  // the list may have changed: the controller reloads it
      return true;
    default:
      return false;
  }
}

bool reduce_back_office(AppState& state, const Command& command) {
  return reduce_listed<BackOfficeCommands>(state, command, [](AppState& s, const auto& c) { apply(s, c); });
}

}  // namespace salespider::state
