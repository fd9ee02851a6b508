// The stock screens' server answers. See stock_answers.hpp.
#include "answers/stock_answers.hpp"

#include "answers/server_answers.hpp"
#include "json/fields.hpp"

namespace salespider::answers {

namespace {

using json = jsonio::Json;

// A page of 200 movements or 1000 import rows is far below this.
constexpr std::size_t kMaxAnswerBytes = 16 * 1024 * 1024;

std::optional<json> parse_answer(std::string_view body) {
  return jsonio::parse_object(body, kMaxAnswerBytes);
}

// A name that comes as text or as an object with a name (user, product).
std::string name_of(const json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) {
    std::string n = jsonio::text(*it, "display_name");
    if (n.empty()) n = jsonio::text(*it, "name");
    if (n.empty()) n = jsonio::text(*it, "username");
    return n;
  }
  return "";
}

// A money sum: a decimal string, or an integer from an older server.
std::string sum_text(const json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (jsonio::is_int64(*it)) return std::to_string(it->get<std::int64_t>());
  return "";
}

}  // namespace

std::optional<std::vector<state::StockListProduct>> parse_low_stock(std::string_view body) {
  std::optional<json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  const json* products = jsonio::array(*doc, "products");
  if (!products) return std::nullopt;
  std::vector<state::StockListProduct> out;
  for (const json& p : *products) {
    if (!p.is_object()) return std::nullopt;
    state::StockListProduct item;
    item.id = jsonio::text(p, "id");
    item.name = jsonio::text(p, "name");
    item.sku = jsonio::text(p, "sku");
    item.on_hand_milli = jsonio::integer(p, "on_hand_milli");
    std::int64_t low = 0;
    if (jsonio::read_integer(p, "low_stock_milli", low)) item.low_stock_milli = low;
    item.stock_status = jsonio::text(p, "stock_status");
    if (item.id.empty()) return std::nullopt;
    out.push_back(std::move(item));
  }
  return out;
}

std::optional<MovementsPage> parse_movements(std::string_view body) {
  std::optional<json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  const json* movements = jsonio::array(*doc, "movements");
  if (!movements) return std::nullopt;
  MovementsPage page;
  for (const json& m : *movements) {
    if (!m.is_object()) return std::nullopt;
    MovementsPage::Item it;
    state::StockListMovement& mv = it.movement;
    mv.id = m.contains("id") && jsonio::is_int64(m["id"]) ? std::to_string(m["id"].get<std::int64_t>())
                                                           : jsonio::text(m, "id");
    mv.kind = jsonio::text(m, "kind");
    if (!jsonio::read_integer(m, "quantity_milli", mv.quantity_milli) || mv.kind.empty()) return std::nullopt;
    mv.reason = jsonio::text(m, "reason");
    mv.note = jsonio::text(m, "note");
    mv.user = name_of(m, "user");
    mv.till_code = jsonio::text(m, "till_code");
    mv.product_id = jsonio::text(m, "product_id");
    mv.product_name = jsonio::text(m, "product_name");
    if (mv.product_name.empty()) mv.product_name = name_of(m, "product");
    if (mv.product_id.empty()) mv.product_id = jsonio::nested_text(m, "product", "id");
    it.occurred_ms = parse_utc_ms(jsonio::text(m, "occurred_at")).value_or(0);
    page.items.push_back(std::move(it));
  }
  page.next = jsonio::text(*doc, "next");
  return page;
}

std::optional<state::StockValue> parse_stock_value(std::string_view body) {
  std::optional<json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  state::StockValue v;
  v.currency = jsonio::text(*doc, "currency");
  v.at_cost_minor = sum_text(*doc, "at_cost_minor");
  v.at_price_minor = sum_text(*doc, "at_price_minor");
  if (v.at_cost_minor.empty() || v.at_price_minor.empty()) return std::nullopt;
  v.products = jsonio::integer(*doc, "products");
  v.without_cost = jsonio::integer(*doc, "products_without_cost");
  v.below_zero = jsonio::integer(*doc, "products_below_zero");
  return v;
}

std::optional<state::CsvCheck> parse_csv_import(std::string_view body) {
  std::optional<json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  const json* summary = jsonio::object(*doc, "summary");
  if (!summary) return std::nullopt;
  state::CsvCheck c;
  if (auto d = doc->find("dry_run"); d != doc->end() && d->is_boolean()) c.dry_run = d->get<bool>();
  if (auto a = doc->find("applied"); a != doc->end() && a->is_boolean()) c.applied = a->get<bool>();
  c.created = jsonio::integer(*summary, "created");
  c.updated = jsonio::integer(*summary, "updated");
  c.unchanged = jsonio::integer(*summary, "unchanged");
  c.errors = jsonio::integer(*summary, "errors");
  if (const json* rows = jsonio::array(*doc, "rows")) {
    for (const json& r : *rows) {
      if (!r.is_object() || jsonio::text(r, "outcome") != "error") continue;
      const std::int64_t line = jsonio::integer(r, "line");
      const std::string sku = jsonio::text(r, "sku"), name = jsonio::text(r, "name");
      const json* errors = jsonio::array(r, "errors");
      if (!errors || errors->empty()) {
        c.error_rows.push_back(state::CsvRowError{line, sku, name, "", "this row has an error"});
        continue;
      }
      for (const json& e : *errors)
        if (e.is_object())
          c.error_rows.push_back(
              state::CsvRowError{line, sku, name, jsonio::text(e, "column"), jsonio::text(e, "message")});
    }
  }
  return c;
}

}  // namespace salespider::answers
