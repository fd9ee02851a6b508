// See reports.hpp.
#include "service/reports.hpp"

#include <chrono>
#include <cstdio>

#include "db/stock.hpp"
#include "salespider/shared/rounding.hpp"
#include "service/time_bounds.hpp"

namespace salespider::service {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

std::optional<sys_days> parse_day(const std::string& text) {
  // The strict ISO parser of the list endpoints, limited to a plain date.
  const auto t = parse_iso_time(text);
  if (!t || !t->date_only) return std::nullopt;
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%u", &y, &m, &d) != 3) return std::nullopt;
  const year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

std::string format_day(sys_days d) {
  const year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

Failure bad_day(const std::string& field) {
  return fail(Problem::bad_request, "{field}: a date as YYYY-MM-DD (2026-03-01)", field, {{"field", field}});
}

}  // namespace

std::optional<std::string> add_days(const std::string& date, int days) {
  const auto d = parse_day(date);
  if (!d) return std::nullopt;
  return format_day(*d + std::chrono::days{days});
}

int days_between(const std::string& a, const std::string& b) {
  return static_cast<int>((*parse_day(b) - *parse_day(a)).count());
}

DashboardFigures derive_figures(const db::reports::Figures& f) {
  DashboardFigures out;
  out.revenue = f.revenue;
  out.tax = f.tax;
  out.discounts = f.discounts;
  out.refunds = f.refunds;
  out.net = f.revenue - f.refunds;
  out.sales = f.sales;
  out.average_basket = f.sales > 0 ? div_round_half_away(f.revenue, f.sales) : 0;
  out.items_sold_milli = f.items_milli;
  out.cost = f.cost;
  if (f.cost && f.known_net) out.gross_margin = *f.known_net - *f.cost;
  if (f.line_revenue > 0) out.margin_coverage_ppm = div_round_half_away(Wide(f.known_revenue) * 1'000'000, f.line_revenue);
  out.voids = f.voids;
  return out;
}

Outcome<Dashboard> ReportsService::dashboard(const auth::UserPrincipal& who, const std::string& from,
                                             const std::string& to) {
  if (!from.empty() && !parse_day(from)) return bad_day("from");
  if (!to.empty() && !parse_day(to)) return bad_day("to");
  const auto clock = db::reports::store_clock(pool_, who.store_id);
  Dashboard d;
  d.from = from.empty() ? clock.today : from;
  d.to = to.empty() ? clock.today : to;
  const int span = days_between(d.from, d.to);
  if (span < 0) return fail(Problem::bad_request, "{field}: must not be before from", "to", {{"field", "to"}});
  if (span > kMaxDashboardDays)
    return fail(Problem::bad_request, "{field}: at most {max} days after from", "to",
                {{"field", "to"}, {"max", std::to_string(kMaxDashboardDays)}});
  d.previous_to = *add_days(d.from, -1);
  d.previous_from = *add_days(d.from, -(span + 1));
  d.time_zone = clock.time_zone;
  d.currency = clock.currency;
  db::reports::refresh(pool_, who.store_id);
  auto rows = db::reports::dashboard(pool_, who.store_id, d.from, d.to, d.previous_from, d.previous_to);
  d.figures = derive_figures(rows.current);
  d.previous = derive_figures(rows.previous);
  d.breakdowns = std::move(rows.breakdowns);
  d.low_stock = static_cast<std::int64_t>(db::low_stock(pool_, who.store_id).size());
  return d;
}

}  // namespace salespider::service
