// Parsing the dashboard and reorder answers; see reports_answers.hpp.
#include "answers/reports_answers.hpp"

#include "json/fields.hpp"

#include <cstdint>
#include <limits>
#include <utility>

namespace salespider::answers {

namespace {

using jsonio::Json;

constexpr std::size_t kMaxAnswerBytes = 16 * 1024 * 1024;

// A decimal integer string ("-123"), as the server writes a sum beyond int64.
bool is_decimal(const std::string& t) {
  std::size_t i = t.size() > 1 && t[0] == '-' ? 1 : 0;
  if (i >= t.size()) return false;
  for (; i < t.size(); ++i)
    if (t[i] < '0' || t[i] > '9') return false;
  return true;
}

// The sum at `key`: an int64, or a decimal string beyond it. nullopt when
// missing, null or anything else.
std::optional<state::Sum> sum(const Json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return std::nullopt;
  if (jsonio::is_int64(*it)) return state::Sum{it->get<std::int64_t>(), ""};
  std::string text;
  if (it->is_string()) text = it->get<std::string>();
  else if (it->is_number_unsigned()) text = std::to_string(it->get<std::uint64_t>());
  else return std::nullopt;
  if (!is_decimal(text)) return std::nullopt;
  const bool negative = text[0] == '-';
  return state::Sum{negative ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max(),
                    text};
}

state::Sum sum_or_zero(const Json& o, const char* key) {
  return sum(o, key).value_or(state::Sum{});
}

std::optional<state::DashFigures> figures(const Json* f) {
  if (f == nullptr) return std::nullopt;
  state::DashFigures out;
  std::optional<state::Sum> revenue = sum(*f, "revenue");
  if (!revenue || !jsonio::read_integer(*f, "sales", out.sales)) return std::nullopt;
  out.revenue = *revenue;
  out.tax = sum_or_zero(*f, "tax");
  out.discounts = sum_or_zero(*f, "discounts");
  out.refunds = sum_or_zero(*f, "refunds");
  out.net = sum_or_zero(*f, "net");
  out.average_basket = sum_or_zero(*f, "average_basket");
  out.items_sold_milli = sum_or_zero(*f, "items_sold_milli");
  out.cost = sum(*f, "cost");
  out.gross_margin = sum(*f, "gross_margin");
  out.margin_coverage_ppm = jsonio::integer(*f, "margin_coverage_ppm");
  out.low_stock = jsonio::optional_integer(*f, "low_stock");
  out.voids = jsonio::integer(*f, "voids");
  return out;
}

// An id as text whether the server sends a string or a number; "" for null.
std::string id_text(const Json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return it->dump();
  return "";
}

// The rows of an optional array; items that are not objects are skipped.
template <class Read>
void rows(const Json& doc, const char* key, Read read) {
  const Json* a = jsonio::array(doc, key);
  if (a == nullptr) return;
  for (const Json& r : *a)
    if (r.is_object()) read(r);
}

std::vector<state::RankedRow> ranked(const Json& doc, const char* key, const char* name_key, const char* amount_key) {
  std::vector<state::RankedRow> out;
  rows(doc, key, [&](const Json& r) {
    state::RankedRow row;
    row.id = id_text(r, "id");
    row.name = jsonio::text(r, name_key);
    row.amount = sum_or_zero(r, amount_key);
    row.sales = jsonio::integer(r, "sales");
    row.quantity_milli = jsonio::integer(r, "quantity_milli");
    row.on_hand_milli = jsonio::optional_integer(r, "on_hand_milli");
    out.push_back(std::move(row));
  });
  return out;
}

}  // namespace

std::optional<state::DashboardData> parse_dashboard(std::string_view body) {
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  if (!doc) return std::nullopt;
  state::DashboardData d;
  d.from = jsonio::text(*doc, "from");
  d.to = jsonio::text(*doc, "to");
  d.time_zone = jsonio::text(*doc, "time_zone");
  d.currency = jsonio::text(*doc, "currency");
  std::optional<state::DashFigures> now = figures(jsonio::object(*doc, "figures"));
  if (!now) return std::nullopt;
  d.figures = std::move(*now);
  d.previous = figures(jsonio::object(*doc, "previous"));
  rows(*doc, "by_day", [&](const Json& r) {
    d.by_day.push_back({jsonio::text(r, "date"), sum_or_zero(r, "revenue"), jsonio::integer(r, "sales"),
                        sum_or_zero(r, "refunds")});
  });
  rows(*doc, "by_hour", [&](const Json& r) {
    const std::int64_t hour = jsonio::integer(r, "hour");
    if (hour < 0 || hour > 23) return;
    d.by_hour.push_back({static_cast<int>(hour), sum_or_zero(r, "revenue"), jsonio::integer(r, "sales")});
  });
  d.by_tender = ranked(*doc, "by_tender", "kind", "amount");
  d.by_cashier = ranked(*doc, "by_cashier", "name", "revenue");
  d.by_till = ranked(*doc, "by_till", "code", "revenue");
  d.by_category = ranked(*doc, "by_category", "name", "revenue");
  d.top_products = ranked(*doc, "top_products", "name", "revenue");
  d.slow_products = ranked(*doc, "slow_products", "name", "revenue");
  return d;
}

std::optional<state::ReorderData> parse_reorder(std::string_view body) {
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  if (!doc) return std::nullopt;
  const Json* items = jsonio::array(*doc, "items");
  if (items == nullptr) return std::nullopt;
  state::ReorderData d;
  d.as_of = jsonio::text(*doc, "as_of");
  d.time_zone = jsonio::text(*doc, "time_zone");
  d.lead_days = static_cast<int>(jsonio::integer(*doc, "lead_days"));
  d.safety_days = static_cast<int>(jsonio::integer(*doc, "safety_days"));
  d.history_days = static_cast<int>(jsonio::integer(*doc, "history_days"));
  for (const Json& r : *items) {
    if (!r.is_object()) return std::nullopt;
    state::ReorderItem i;
    const Json* product = jsonio::object(r, "product");
    if (product == nullptr) return std::nullopt;
    i.product_id = id_text(*product, "id");
    i.name = jsonio::text(*product, "name");
    i.sku = jsonio::text(*product, "sku");
    i.cls = jsonio::text(r, "class");
    if (i.cls.empty()) return std::nullopt;
    i.on_hand_milli = jsonio::integer(r, "on_hand_milli");
    i.forecast_daily_milli = jsonio::integer(r, "forecast_daily_milli");
    i.forecast_lead_milli = jsonio::integer(r, "forecast_lead_milli");
    i.suggested_order_milli = jsonio::integer(r, "suggested_order_milli");
    if (auto c = r.find("days_of_cover"); c != r.end() && c->is_number()) i.days_of_cover = c->get<double>();
    i.reason = jsonio::text(r, "reason");
    i.method = jsonio::text(r, "method");
    d.items.push_back(std::move(i));
  }
  return d;
}

}  // namespace salespider::answers
