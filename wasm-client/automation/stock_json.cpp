// state().stock. See stock_json.hpp.
#include "automation/stock_json.hpp"

#include <string>

namespace salespider::automation {

namespace {

void optional_int(JsonWriter& json, const std::optional<std::int64_t>& v) {
  if (v)
    json.value(*v);
  else
    json.null();
}

void product(JsonWriter& json, const state::StockProduct& p) {
  json.begin_object();
  json.key("id").value(p.id);
  json.key("name").value(p.name);
  json.key("sku").value(p.sku);
  json.key("on_hand_milli");
  optional_int(json, p.on_hand_milli);
  json.end_object();
}

void check(JsonWriter& json, const std::optional<state::CsvCheck>& c) {
  if (!c) {
    json.null();
    return;
  }
  json.begin_object();
  json.key("applied").value(c->applied);
  json.key("created").value(c->created);
  json.key("updated").value(c->updated);
  json.key("unchanged").value(c->unchanged);
  json.key("errors").value(c->errors);
  json.key("error_rows").begin_array();
  for (const state::CsvRowError& e : c->error_rows) {
    json.begin_object();
    json.key("line").value(e.line);
    json.key("sku").value(e.sku);
    json.key("column").value(e.column);
    json.key("message").value(e.message);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

const char* tab_name(state::StockListTab t) {
  switch (t) {
    case state::StockListTab::low:
      return "low";
    case state::StockListTab::movements:
      return "movements";
    case state::StockListTab::value:
      return "value";
  }
  return "low";
}

}  // namespace

void stock_json(JsonWriter& json, const state::StockState& s) {
  json.begin_object();
  json.key("product");
  if (s.product)
    product(json, *s.product);
  else
    json.null();
  json.key("recording").value(s.recording);
  json.key("done").value(s.done);
  json.key("picker").begin_object();
  json.key("text").value(s.picker.text);
  json.key("error").value(s.picker.error);
  json.key("found").begin_array();
  for (const state::StockProduct& p : s.picker.found) product(json, p);
  json.end_array();
  json.end_object();

  json.key("count");
  if (s.count) {
    const state::StockCount& c = *s.count;
    json.begin_object();
    json.key("count_id").value(c.count_id);
    json.key("applying").value(c.applying);
    json.key("lines").begin_array();
    for (const state::StockCountLine& l : c.lines) {
      json.begin_object();
      json.key("product_id").value(l.product.id);
      json.key("name").value(l.product.name);
      json.key("sku").value(l.product.sku);
      json.key("expected_milli").value(l.expected_milli);
      json.key("counted_milli");
      optional_int(json, l.counted_milli);
      json.key("variance_milli").value(state::variance_milli(l));
      json.key("variance_value_minor").value(state::variance_value_minor(l));
      json.key("recorded").value(l.recorded);
      json.end_object();
    }
    json.end_array();
    const state::CountTotals t = state::count_totals(c);
    json.key("totals").begin_object();
    json.key("lines").value(t.lines);
    json.key("counted").value(t.counted);
    json.key("expected_milli").value(t.expected_milli);
    json.key("counted_milli").value(t.counted_milli);
    json.key("variance_milli").value(t.variance_milli);
    json.key("variance_value_minor").value(t.variance_value_minor);
    json.end_object();
    json.end_object();
  } else {
    json.null();
  }

  const state::StockLists& l = s.lists;
  json.key("lists").begin_object();
  json.key("tab").value(tab_name(l.tab));
  json.key("loading").value(l.loading);
  json.key("error").value(l.error);
  json.key("product_id").value(l.filter.product_id);
  json.key("kind").value(l.filter.kind);
  json.key("low").begin_array();
  for (const state::StockListProduct& p : l.low) {
    json.begin_object();
    json.key("id").value(p.id);
    json.key("name").value(p.name);
    json.key("sku").value(p.sku);
    json.key("on_hand_milli").value(p.on_hand_milli);
    json.key("stock_status").value(p.stock_status);
    json.end_object();
  }
  json.end_array();
  json.key("movements").begin_array();
  for (const state::StockListMovement& m : l.movements) {
    json.begin_object();
    json.key("product_id").value(m.product_id);
    json.key("product_name").value(m.product_name);
    json.key("kind").value(m.kind);
    json.key("quantity_milli").value(m.quantity_milli);
    json.key("reason").value(m.reason);
    json.key("note").value(m.note);
    json.end_object();
  }
  json.end_array();
  json.key("more").value(!l.next.empty());
  json.key("value");
  if (l.value) {
    json.begin_object();
    json.key("currency").value(l.value->currency);
    json.key("at_cost_minor").value(l.value->at_cost_minor);
    json.key("at_price_minor").value(l.value->at_price_minor);
    json.key("products").value(l.value->products);
    json.key("products_without_cost").value(l.value->without_cost);
    json.key("products_below_zero").value(l.value->below_zero);
    json.end_object();
  } else {
    json.null();
  }
  json.end_object();

  const state::CsvState& c = s.csv;
  json.key("csv").begin_object();
  json.key("file_name").value(c.file_name);
  json.key("bytes").value(static_cast<std::int64_t>(c.text.size()));
  json.key("picking").value(c.picking);
  json.key("checking").value(c.checking);
  json.key("importing").value(c.importing);
  json.key("exporting").value(c.exporting);
  json.key("check");
  check(json, c.check);
  json.key("result");
  check(json, c.result);
  json.key("error_page").value(c.error_page);
  json.key("error").value(c.error);
  json.key("done").value(c.done);
  json.end_object();
  json.end_object();
}

}  // namespace salespider::automation
