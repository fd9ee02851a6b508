// The Dashboard and Reorder screens in the reducer, and the pure helpers of
// reports.hpp (periods, changes, explanations). Who may open them, which
// answer still counts (the newest query's), the filter. The controller
// (effects/reports.cpp) loads when the reducer set `loading`. Deliberately
// not here: HTTP, the clock, drawing.
#include "state/reports.hpp"

#include "state/app_state.hpp"
#include "state/reducers.hpp"
#include "state/sales_dates.hpp"
#include "state/server_session.hpp"

#include <salespider/shared/i18n.hpp>

#include <algorithm>
#include <cstdio>
#include <type_traits>
#include <utility>

namespace salespider::state {

using i18n::tr;
using i18n::trf;

namespace {

// The longest range the server answers (to - from <= 366 days).
constexpr std::int64_t kMaxSpanDays = 366;

bool refuse(AppState& s) {
  if (s.busy || !s.user) return true;
  if (!may_view_reports(s)) {
    say(s, MessageKind::error, tr("The reports need the view_dashboard permission."));
    return true;
  }
  return false;
}

template <class C>
void apply(AppState& s, const C& c) {
  Dashboard& d = s.dashboard;
  Reorder& r = s.reorder;
  if constexpr (std::is_same_v<C, OpenDashboard>) {
    if (refuse(s)) return;
    s.screen = Screen::Dashboard;
    d.loading = server_session(s);
    d.error.clear();
    ++d.asked;
  } else if constexpr (std::is_same_v<C, QueryDashboard>) {
    if (s.screen != Screen::Dashboard) return;
    d.period = c.period;
    d.custom_from = c.custom_from;
    d.custom_to = c.custom_to;
    d.loading = server_session(s);
    d.error.clear();
    ++d.asked;
  } else if constexpr (std::is_same_v<C, DashboardLoaded>) {
    if (c.asked != d.asked) return;  // an answer to a query no longer asked
    d.loading = false;
    d.from = c.from;
    d.to = c.to;
    d.error = c.error;
    if (c.data) d.data = c.data;
    else if (!c.error.empty()) d.data.reset();
  } else if constexpr (std::is_same_v<C, OpenReorder>) {
    if (refuse(s)) return;
    s.screen = Screen::Reorder;
    r.loading = server_session(s);
    r.error.clear();
    ++r.asked;
  } else if constexpr (std::is_same_v<C, QueryReorder>) {
    if (s.screen != Screen::Reorder) return;
    // The server's bounds (GET /api/v1/reports/reorder).
    if (c.lead_days < 1 || c.lead_days > 90 || c.safety_days < 0 || c.safety_days > 90) {
      r.error = tr("Lead days: a whole number from 1 to 90; safety days: from 0 to 90.");
      return;
    }
    r.lead_days = c.lead_days;
    r.safety_days = c.safety_days;
    r.loading = server_session(s);
    r.error.clear();
    ++r.asked;
  } else if constexpr (std::is_same_v<C, ReorderLoaded>) {
    if (c.asked != r.asked) return;
    r.loading = false;
    r.error = c.error;
    if (c.data) r.data = c.data;
    else if (!c.error.empty()) r.data.reset();
  } else if constexpr (std::is_same_v<C, FilterReorder>) {
    if (c.filter == "all" || c.filter == "reorder" || c.filter == "slow" || c.filter == "dead") r.filter = c.filter;
  }
}

// "12%" for 12 (no sign), the percentage of `now` against `previous`,
// rounded half away from zero; both exact and previous != 0.
std::int64_t percent(__int128 now, __int128 previous) {
  const __int128 diff = (now - previous) * 100;
  const __int128 base = previous < 0 ? -previous : previous;
  __int128 q = diff / base;
  const __int128 rem = diff % base;
  if (2 * (rem < 0 ? -rem : rem) >= base) q += diff < 0 ? -1 : 1;
  constexpr __int128 kCap = 1'000'000'000;  // 10 million percent says enough
  return static_cast<std::int64_t>(std::clamp(q, -kCap, kCap));
}

}  // namespace

std::string_view period_name(Period p) {
  switch (p) {
    case Period::today:
      return "today";
    case Period::yesterday:
      return "yesterday";
    case Period::week:
      return "week";
    case Period::month:
      return "month";
    case Period::year:
      return "year";
    case Period::custom:
      return "custom";
  }
  return "today";
}

DateRange period_range(Period p, const std::string& today, const std::string& custom_from,
                       const std::string& custom_to, int week_start) {
  DateRange r;
  if (p == Period::custom) {
    const auto from = parse_date_days(custom_from), to = parse_date_days(custom_to);
    if (!from || !to) {
      r.error = tr("From and To: dates such as 2026-12-31.");
      return r;
    }
    if (*to < *from) {
      r.error = tr("To is before From.");
      return r;
    }
    if (*to - *from > kMaxSpanDays) {
      r.error = tr("At most a year and a day at a time.");
      return r;
    }
    r.from = custom_from;
    r.to = custom_to;
    return r;
  }
  const auto t = parse_date_days(today);
  if (!t) {
    r.error = tr("This till does not know today's date.");
    return r;
  }
  const CivilDate c = civil_from_days(*t);
  std::int64_t from = *t, to = *t;
  switch (p) {
    case Period::today:
    case Period::custom:
      break;
    case Period::yesterday:
      from = to = *t - 1;
      break;
    case Period::week: {
      // 1970-01-01 was a Thursday (ISO weekday 4).
      const std::int64_t weekday = ((*t + 3) % 7 + 7) % 7 + 1;  // 1 = Monday ... 7 = Sunday
      const int start = week_start >= 1 && week_start <= 7 ? week_start : 1;
      from = *t - ((weekday - start + 7) % 7);
      break;
    }
    case Period::month:
      from = days_from_civil(c.y, c.m, 1);
      break;
    case Period::year:
      from = days_from_civil(c.y, 1, 1);
      break;
  }
  r.from = date_of_days(from);
  r.to = date_of_days(to);
  return r;
}

Change change_of(const Sum& now, const Sum& previous) {
  if (!now.exact() || !previous.exact()) return {"—", 0};
  return change_of(now.minor, previous.minor);
}

Change change_of(std::int64_t now, std::int64_t previous) {
  if (previous == 0) return now == 0 ? Change{"0%", 0} : Change{tr("new"), now > 0 ? 1 : -1};
  const std::int64_t p = percent(now, previous);
  const int direction = now > previous ? 1 : (now < previous ? -1 : 0);
  if (p == 0) return {"0%", direction};
  // U+2212 MINUS SIGN: the typographic minus, as wide as the plus.
  return {(p > 0 ? "+" + std::to_string(p) : "\xE2\x88\x92" + std::to_string(-p)) + "%", direction};
}

std::string milli_text(std::int64_t milli) {
  const bool negative = milli < 0;
  const std::uint64_t v = negative ? 0 - static_cast<std::uint64_t>(milli) : static_cast<std::uint64_t>(milli);
  std::string out = std::to_string(v / 1000);
  if (const std::uint64_t frac = v % 1000; frac != 0) {
    char buf[8];
    std::snprintf(buf, sizeof buf, ".%03u", static_cast<unsigned>(frac));
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return negative ? "-" + out : out;
}

std::string reorder_explanation(const ReorderItem& i, const ReorderData& data) {
  const std::string per_day = milli_text(i.forecast_daily_milli);
  const std::string on_hand = milli_text(i.on_hand_milli);
  std::string days;
  if (i.days_of_cover) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", *i.days_of_cover);
    days = buf;
  }
  const std::string lead = std::to_string(data.lead_days);
  const std::string order = milli_text(i.suggested_order_milli);
  if (i.cls == "dead")
    return trf("No sales in the last {history} days; {on_hand} on hand: do not reorder, consider a markdown.",
               {{"history", std::to_string(data.history_days)}, {"on_hand", on_hand}});
  if (i.on_hand_milli <= 0 && i.suggested_order_milli > 0)
    return trf("Out of stock; sells about {per_day} a day, delivery takes {lead} days: order {order}.",
               {{"per_day", per_day}, {"lead", lead}, {"order", order}});
  if (!i.days_of_cover)
    return trf("No recent sales; {on_hand} on hand.", {{"on_hand", on_hand}});
  if (i.cls == "reorder")
    return trf("Sells about {per_day} a day; {on_hand} on hand lasts {days} days, delivery takes {lead}: order "
               "{order}.",
               {{"per_day", per_day}, {"on_hand", on_hand}, {"days", days}, {"lead", lead}, {"order", order}});
  if (i.cls == "slow")
    return trf("Sells only about {per_day} a day; {on_hand} on hand lasts {days} days: do not reorder yet.",
               {{"per_day", per_day}, {"on_hand", on_hand}, {"days", days}});
  return trf("Sells about {per_day} a day; {on_hand} on hand lasts {days} days: enough for now.",
             {{"per_day", per_day}, {"on_hand", on_hand}, {"days", days}});
}

std::vector<const ReorderItem*> reorder_shown(const Reorder& r) {
  std::vector<const ReorderItem*> out;
  if (!r.data) return out;
  for (const ReorderItem& i : r.data->items)
    if (r.filter == "all" || i.cls == r.filter) out.push_back(&i);
  return out;
}

bool may_view_reports(const AppState& s) {
  return may(s, "view_dashboard");
}

bool reports_back(AppState& s) {
  if (s.screen != Screen::Dashboard && s.screen != Screen::Reorder) return false;
  s.screen = Screen::BackOffice;
  return true;
}

bool reduce_reports(AppState& state, const Command& command) {
  return reduce_listed<ReportsCommands>(state, command, [](AppState& s, const auto& c) { apply(s, c); });
}

}  // namespace salespider::state
