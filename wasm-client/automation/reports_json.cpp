// state().dashboard and state().reorder; see reports_json.hpp.
#include "automation/reports_json.hpp"

#include <string>

namespace salespider::automation {

namespace {

void sum(JsonWriter& json, const char* key, const state::Sum& v) {
  json.key(key);
  if (v.exact())
    json.value(v.minor);
  else
    json.value(v.decimal);
}

void optional_sum(JsonWriter& json, const char* key, const std::optional<state::Sum>& v) {
  if (v) {
    sum(json, key, *v);
  } else {
    json.key(key).null();
  }
}

void figures(JsonWriter& json, const char* key, const std::optional<state::DashFigures>& f) {
  json.key(key);
  if (!f) {
    json.null();
    return;
  }
  json.begin_object();
  sum(json, "revenue", f->revenue);
  sum(json, "tax", f->tax);
  sum(json, "discounts", f->discounts);
  sum(json, "refunds", f->refunds);
  sum(json, "net", f->net);
  json.key("sales").value(f->sales);
  sum(json, "average_basket", f->average_basket);
  sum(json, "items_sold_milli", f->items_sold_milli);
  optional_sum(json, "cost", f->cost);
  optional_sum(json, "gross_margin", f->gross_margin);
  json.key("margin_coverage_ppm").value(f->margin_coverage_ppm);
  json.key("low_stock");
  if (f->low_stock)
    json.value(*f->low_stock);
  else
    json.null();
  json.key("voids").value(f->voids);
  json.end_object();
}

void ranked(JsonWriter& json, const char* key, const std::vector<state::RankedRow>& rows) {
  json.key(key).begin_array();
  for (const state::RankedRow& r : rows) {
    json.begin_object();
    json.key("id").value(r.id);
    json.key("name").value(r.name);
    sum(json, "amount", r.amount);
    json.key("sales").value(r.sales);
    json.key("quantity_milli").value(r.quantity_milli);
    json.end_object();
  }
  json.end_array();
}

void dashboard_json(JsonWriter& json, const state::Dashboard& d) {
  json.key("dashboard").begin_object();
  json.key("period").value(state::period_name(d.period));
  json.key("custom_from").value(d.custom_from);
  json.key("custom_to").value(d.custom_to);
  json.key("from").value(d.from);
  json.key("to").value(d.to);
  json.key("loading").value(d.loading);
  json.key("error").value(d.error);
  json.key("loaded").value(d.data.has_value());
  json.key("currency").value(d.data ? d.data->currency : std::string());
  figures(json, "figures", d.data ? std::optional<state::DashFigures>(d.data->figures) : std::nullopt);
  figures(json, "previous", d.data ? d.data->previous : std::nullopt);
  json.key("by_day").begin_array();
  if (d.data)
    for (const state::DayPoint& p : d.data->by_day) {
      json.begin_object();
      json.key("date").value(p.date);
      sum(json, "revenue", p.revenue);
      json.key("sales").value(p.sales);
      sum(json, "refunds", p.refunds);
      json.end_object();
    }
  json.end_array();
  json.key("by_hour").begin_array();
  if (d.data)
    for (const state::HourPoint& p : d.data->by_hour) {
      json.begin_object();
      json.key("hour").value(p.hour);
      sum(json, "revenue", p.revenue);
      json.key("sales").value(p.sales);
      json.end_object();
    }
  json.end_array();
  static const std::vector<state::RankedRow> kNone;
  ranked(json, "by_tender", d.data ? d.data->by_tender : kNone);
  ranked(json, "by_cashier", d.data ? d.data->by_cashier : kNone);
  ranked(json, "by_till", d.data ? d.data->by_till : kNone);
  ranked(json, "by_category", d.data ? d.data->by_category : kNone);
  ranked(json, "top_products", d.data ? d.data->top_products : kNone);
  ranked(json, "slow_products", d.data ? d.data->slow_products : kNone);
  json.end_object();
}

void reorder_json(JsonWriter& json, const state::Reorder& r) {
  json.key("reorder").begin_object();
  json.key("lead_days").value(r.lead_days);
  json.key("safety_days").value(r.safety_days);
  json.key("filter").value(r.filter);
  json.key("loading").value(r.loading);
  json.key("error").value(r.error);
  json.key("as_of").value(r.data ? r.data->as_of : std::string());
  json.key("items").begin_array();
  if (r.data)
    for (const state::ReorderItem& i : r.data->items) {
      json.begin_object();
      json.key("product_id").value(i.product_id);
      json.key("name").value(i.name);
      json.key("sku").value(i.sku);
      json.key("class").value(i.cls);
      json.key("on_hand_milli").value(i.on_hand_milli);
      json.key("forecast_daily_milli").value(i.forecast_daily_milli);
      json.key("days_of_cover");
      if (i.days_of_cover)
        json.value(*i.days_of_cover);
      else
        json.null();
      json.key("suggested_order_milli").value(i.suggested_order_milli);
      json.key("method").value(i.method);
      json.key("explanation").value(state::reorder_explanation(i, *r.data));
      json.end_object();
    }
  json.end_array();
  json.key("shown").value(static_cast<int>(state::reorder_shown(r).size()));
  json.end_object();
}

}  // namespace

void reports_json(JsonWriter& json, const state::AppState& s) {
  dashboard_json(json, s.dashboard);
  reorder_json(json, s.reorder);
}

}  // namespace salespider::automation
