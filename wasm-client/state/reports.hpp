// The owners' report screens in the till's state: the Dashboard (a period,
// its figures against the period before, the chart series) and the Reorder
// list (what to order, what sells slowly or not at all), as the store
// server's GET /api/v1/reports/dashboard and /reorder give them (docs/api.md).
// Also the pure pieces the screens and tests share: a period's dates from
// today's date in the store's time zone, a change against the previous
// period in words, a reorder suggestion explained in the person's language.
//
// Online only: both read the server. Deliberately not here: the clock and
// the time zone (the controller passes today's date in), HTTP (effects/
// reports.cpp), parsing (answers/reports_answers.cpp), drawing (ui/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::state {

struct AppState;

// A money (or quantity) sum from the server: exact. `minor` holds it when it
// fits int64; beyond that (only corrupt or hostile rows add up to it) the
// server sends a decimal string, kept in `decimal`, and `minor` is clamped
// to the int64 range with the same sign (charts only scale by it).
struct Sum {
  std::int64_t minor = 0;
  std::string decimal;  // "" when minor is exact
  bool exact() const { return decimal.empty(); }
  bool operator==(const Sum&) const = default;
};

enum class Period { today, yesterday, week, month, year, custom };
std::string_view period_name(Period p);  // "today" ... "custom" (state().dashboard.period)

struct DateRange {
  std::string from, to;  // YYYY-MM-DD, both inclusive
  std::string error;     // why there is no range (a custom date typed wrong), in words
};

// The days of `p` around `today` (YYYY-MM-DD in the store's time zone):
// week from `week_start` (1 = Monday, ISO; 7 = Sunday) to today, month and
// year to date; custom takes the typed dates (at most 367 days, from <= to).
DateRange period_range(Period p, const std::string& today, const std::string& custom_from,
                       const std::string& custom_to, int week_start = 1);

// A figure's change against the previous period: "+12%", "−3%", "0%",
// "new" (previous 0, now not), "—" (not comparable). direction: +1 up, -1
// down, 0 same or unknown. Rounded half away from zero.
struct Change {
  std::string text;
  int direction = 0;
};
Change change_of(const Sum& now, const Sum& previous);
Change change_of(std::int64_t now, std::int64_t previous);

struct DashFigures {
  Sum revenue, tax, discounts, refunds, net;
  std::int64_t sales = 0;
  Sum average_basket;
  Sum items_sold_milli;
  std::optional<Sum> cost, gross_margin;  // none when no line has a known cost
  std::int64_t margin_coverage_ppm = 0;
  std::optional<std::int64_t> low_stock;  // the current period only
  std::int64_t voids = 0;
};

struct DayPoint {
  std::string date;
  Sum revenue;
  std::int64_t sales = 0;
  Sum refunds;
};
struct HourPoint {
  int hour = 0;
  Sum revenue;
  std::int64_t sales = 0;
};
// One bar of a ranked list: a tender, a cashier, a till, a category, a product.
struct RankedRow {
  std::string id;    // "" when there is none (the uncategorised)
  std::string name;  // tender kind, cashier's name, till code, category or product name
  Sum amount;        // revenue (for tenders: the amount taken)
  std::int64_t sales = 0;
  std::int64_t quantity_milli = 0;
  std::optional<std::int64_t> on_hand_milli;  // slow products only
};

struct DashboardData {
  std::string from, to, time_zone, currency;
  DashFigures figures;
  std::optional<DashFigures> previous;
  std::vector<DayPoint> by_day;
  std::vector<HourPoint> by_hour;
  std::vector<RankedRow> by_tender, by_cashier, by_till, by_category, top_products, slow_products;
};

struct Dashboard {
  Period period = Period::today;
  std::string custom_from, custom_to;  // as typed, for Custom
  std::string from, to;                // the dates asked for
  bool loading = false;
  std::string error;
  std::int64_t asked = 0;  // which query an answer belongs to (older answers are dropped)
  std::optional<DashboardData> data;
};

struct ReorderItem {
  std::string product_id, name, sku;
  std::int64_t on_hand_milli = 0, forecast_daily_milli = 0, forecast_lead_milli = 0;
  std::optional<double> days_of_cover;  // none: nothing sells, cover is endless
  std::int64_t suggested_order_milli = 0;
  std::string cls;     // reorder | slow | dead | ok
  std::string reason;  // the server's English line (not shown; the till says it in its language)
  std::string method;  // holt_winters | seasonal_naive | mean | none
};

struct ReorderData {
  std::string as_of, time_zone;
  int lead_days = 7, safety_days = 3, history_days = 56;
  std::vector<ReorderItem> items;  // in the server's order
};

struct Reorder {
  int lead_days = 7, safety_days = 3;
  std::string filter = "all";  // all | reorder | slow | dead
  bool loading = false;
  std::string error;
  std::int64_t asked = 0;
  std::optional<ReorderData> data;
};

// The item's suggestion in one line, in the person's language, from the
// structured fields: "Sells about 2.5 a day; 10 on hand lasts 4 days,
// delivery takes 7: order 18."
std::string reorder_explanation(const ReorderItem& item, const ReorderData& data);
// "2.5" from 2500 thousandths (at most 3 decimals, trailing zeros dropped).
std::string milli_text(std::int64_t milli);
// The items the filter keeps, in the server's order.
std::vector<const ReorderItem*> reorder_shown(const Reorder& r);

// Whether the signed-in person may open the report screens (view_dashboard).
bool may_view_reports(const AppState& s);

// --- commands (in the Command variant of app_state.hpp) ---------------------
struct OpenDashboard {};
struct QueryDashboard {
  Period period = Period::today;
  std::string custom_from, custom_to;
};
struct DashboardLoaded {
  std::int64_t asked = 0;
  std::string from, to;
  std::optional<DashboardData> data;
  std::string error;
};
struct OpenReorder {};
struct QueryReorder {
  int lead_days = 7, safety_days = 3;
};
struct ReorderLoaded {
  std::int64_t asked = 0;
  std::optional<ReorderData> data;
  std::string error;
};
struct FilterReorder {
  std::string filter;  // all | reorder | slow | dead
};

}  // namespace salespider::state
