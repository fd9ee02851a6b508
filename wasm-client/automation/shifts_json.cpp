// See shifts_json.hpp.
#include "automation/shifts_json.hpp"

#include <salespider/shared/shift_report.hpp>

#include <optional>

namespace salespider::automation {

namespace {

void maybe(JsonWriter& json, const char* key, const std::optional<std::int64_t>& v) {
  json.key(key);
  if (v)
    json.value(*v);
  else
    json.null();
}

void choices(JsonWriter& json, const char* key, const std::vector<state::HistoryChoice>& list) {
  json.key(key).begin_array();
  for (const state::HistoryChoice& c : list) {
    json.begin_object();
    json.key("id").value(c.id);
    json.key("name").value(c.name);
    json.end_object();
  }
  json.end_array();
}

void history_filters(JsonWriter& json, const state::History& h) {
  json.key("history_filters").begin_object();
  json.key("filter").begin_object();
  json.key("server").value(h.filter.server);
  json.key("text").value(h.filter.text);
  json.key("from").value(h.filter.from);
  json.key("to").value(h.filter.to);
  json.key("tender").value(h.filter.tender);
  json.key("refunded_only").value(h.filter.refunded_only);
  json.key("cashier").value(h.filter.cashier);
  json.key("till").value(h.filter.till);
  json.end_object();
  json.key("count").value(h.count);
  json.key("total").value(h.sum);
  json.key("refunded").value(h.refunded);
  choices(json, "cashiers", h.cashiers);
  choices(json, "tills", h.tills);
  json.key("exporting").value(h.exporting);
  json.key("exported").value(h.exported);
  json.key("export_error").value(h.export_error);
  json.end_object();
}

void archive(JsonWriter& json, const state::ShiftsArchive& a) {
  json.key("shifts_archive").begin_object();
  json.key("filter").begin_object();
  json.key("from").value(a.filter.from);
  json.key("to").value(a.filter.to);
  json.key("till").value(a.filter.till);
  json.end_object();
  json.key("loading").value(a.loading);
  json.key("error").value(a.error);
  json.key("next").value(a.next);
  json.key("items").begin_array();
  for (const state::ArchivedShift& s : a.items) {
    json.begin_object();
    json.key("id").value(s.id);
    json.key("till").value(s.till_code);
    json.key("cashier").value(s.cashier);
    json.key("opened").value(s.opened_text);
    json.key("closed").value(s.closed_text);
    maybe(json, "expected", s.expected);
    maybe(json, "counted", s.counted);
    maybe(json, "over_short", s.over_short);
    json.key("sales_count").value(s.sales_count);
    json.key("sales_total").value(s.sales_total);
    json.end_object();
  }
  json.end_array();
  json.key("selected").value(a.selected);
  json.key("report_loading").value(a.report_loading);
  json.key("report_error").value(a.report_error);
  json.key("report");
  if (a.report) {
    json.begin_object();
    json.key("shift_id").value(a.report->shift_id);
    json.key("closed").value(a.report->report.closed);
    json.key("till").value(a.report->till_code);
    json.key("cashier").value(a.report->cashier);
    Result<std::string> text = encode_shift_report_json(a.report->report);
    json.key("json").value(text ? text.value() : std::string());
    json.end_object();
  } else {
    json.null();
  }
  json.key("over_short_loading").value(a.over_short_loading);
  json.key("over_short_error").value(a.over_short_error);
  json.key("over_short");
  if (a.over_short) {
    json.begin_object();
    json.key("cashiers").begin_array();
    for (const state::OverShortRow& r : a.over_short->cashiers) {
      json.begin_object();
      json.key("user_id").value(r.user_id);
      json.key("name").value(r.name);
      json.key("shifts").value(r.shifts);
      json.key("over").value(r.over);
      json.key("short").value(r.short_);
      json.key("net").value(r.net);
      json.end_object();
    }
    json.end_array();
    json.key("shifts").value(a.over_short->shifts);
    json.key("over").value(a.over_short->over);
    json.key("short").value(a.over_short->short_);
    json.key("net").value(a.over_short->net);
    json.end_object();
  } else {
    json.null();
  }
  json.key("tills").begin_array();
  for (const auto& [id, code] : a.tills) {
    json.begin_object();
    json.key("id").value(id);
    json.key("code").value(code);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

}  // namespace

void sales_reports_json(JsonWriter& json, const state::AppState& s) {
  history_filters(json, s.history);
  archive(json, s.shifts_archive);
}

}  // namespace salespider::automation
