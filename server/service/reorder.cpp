// See reorder.hpp. Quantities stay int64 thousandths from the database to
// the answer; only the forecast itself is computed in doubles (forecast.cpp)
// and rounded once, here, into thousandths.
#include "service/reorder.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "salespider/shared/i18n.hpp"

namespace salespider::service {
namespace {

namespace fc = forecast;

Outcome<int> read_days(const std::string& text, const char* field, int fallback, int min, int max) {
  if (text.empty()) return fallback;
  int v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max)
    return fail(Problem::bad_request, i18n::N_("{field}: an integer from {min} to {max}"), field,
                {{"field", field}, {"min", std::to_string(min)}, {"max", std::to_string(max)}});
  return v;
}

// Thousandths as a person reads them: "12", "1.5", "0.250" -> "0.25".
std::string quantity_text(std::int64_t milli) {
  const bool negative = milli < 0;
  const std::uint64_t m = negative ? static_cast<std::uint64_t>(-(milli + 1)) + 1 : static_cast<std::uint64_t>(milli);
  std::string s = std::to_string(m / 1000);
  if (const auto frac = m % 1000) {
    char buf[8];
    std::snprintf(buf, sizeof buf, ".%03u", static_cast<unsigned>(frac));
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    s += f;
  }
  return negative ? "-" + s : s;
}

// A daily rate: whole units from 10 a day, one decimal below, "<0.1" for a trickle.
std::string rate_text(std::int64_t milli) {
  if (milli <= 0) return "0";
  if (milli >= 10'000) return std::to_string((milli + 500) / 1000);
  if (milli < 50) return "<0.1";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(milli) / 1000);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

std::string days_text(double days) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", days);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s + (s == "1" ? " day" : " days");
}

constexpr std::array<const char*, 7> kWeekdayPlural{"Mondays", "Tuesdays", "Wednesdays", "Thursdays",
                                                    "Fridays", "Saturdays", "Sundays"};

// The weekday whose seasonal part stands out: at least a quarter above the
// level (weaker patterns are not worth a word), and only from a fitted
// season over two weeks of selling days (one sale last Tuesday is no pattern).
std::optional<int> busier_weekday(const fc::Forecast& f, int today_weekday, int days_sold) {
  if (f.method != fc::Method::holt_winters || days_sold < 2 * fc::kSeason) return std::nullopt;
  if (f.level <= 0) return std::nullopt;
  const auto top = std::max_element(f.season.begin(), f.season.end());
  if (*top < 0.25 * f.level) return std::nullopt;
  return (today_weekday + static_cast<int>(top - f.season.begin())) % 7;
}

std::string reason_of(const ReorderItem& it, const ReorderParams& p) {
  const std::string on_hand = quantity_text(it.on_hand_milli);
  std::string sells = "Sells ~" + rate_text(it.forecast_daily_milli) + "/day";
  if (it.busier_weekday) sells += std::string(" (busier ") + kWeekdayPlural[static_cast<std::size_t>(*it.busier_weekday)] + ")";
  const std::string cover = it.days_of_cover ? on_hand + " on hand lasts " + days_text(*it.days_of_cover) : "";
  const std::string order = quantity_text(it.suggested_order_milli);
  if (it.klass == "reorder") {
    if (!it.days_of_cover)
      return "No demand expected, but " + on_hand + " on hand: order " + order + " to get back to zero.";
    return sells + "; " + cover + ", order arrives in " + days_text(p.lead_days) + ": order " + order + ".";
  }
  if (it.klass == "dead")
    return "No sale in " + std::to_string(p.history_days) + " days; " + on_hand + " on hand.";
  if (it.klass == "slow") {
    const std::string sold = "sold on " + std::to_string(it.days_sold) + " of " + std::to_string(p.history_days) + " days";
    if (!it.days_of_cover) return "No demand expected now, " + sold + "; " + on_hand + " on hand.";
    return sells + ", " + sold + "; " + cover + ".";
  }
  if (!it.days_of_cover) return "No demand expected; " + on_hand + " on hand, nothing to order.";
  return sells + "; " + cover + ", enough for the " + std::to_string(p.lead_days) + "-day lead time and " +
         std::to_string(p.safety_days) + " safety days.";
}

int class_rank(const std::string& k) {
  if (k == "reorder") return 0;
  if (k == "slow") return 1;
  if (k == "dead") return 2;
  return 3;
}

}  // namespace

Outcome<ReorderParams> read_reorder_params(const ReorderRequest& r) {
  ReorderParams p;
  auto lead = read_days(r.lead_days, "lead_days", kDefaultLeadDays, 1, 90);
  if (!lead) return lead.error();
  auto safety = read_days(r.safety_days, "safety_days", kDefaultSafetyDays, 0, 90);
  if (!safety) return safety.error();
  auto history = read_days(r.history_days, "history_days", kDefaultHistoryDays, 14, 365);
  if (!history) return history.error();
  p.lead_days = *lead;
  p.safety_days = *safety;
  p.history_days = *history;
  return p;
}

int weekday_of(const std::string& date) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(date.c_str(), "%d-%u-%u", &y, &m, &d) != 3) return 0;
  const std::chrono::sys_days day{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
  return static_cast<int>(std::chrono::weekday{day}.iso_encoding()) - 1;  // ISO: Monday = 1
}

ReorderItem assess(const db::ProductDemand& product, const ReorderParams& p, int today_weekday) {
  ReorderItem it;
  it.product_id = product.id;
  it.name = product.name;
  it.sku = product.sku;
  it.weighed = product.weighed;
  it.on_hand_milli = product.on_hand_milli;

  // The history from the first day that moved (a newer product has a
  // shorter one, not weeks of zeros before it existed); a day where refunds
  // outweigh sales sold nothing.
  const auto& sold = product.sold_milli;
  const auto first = std::find_if(sold.begin(), sold.end(), [](std::int64_t q) { return q != 0; });
  std::vector<double> history;
  for (auto at = first; at != sold.end(); ++at) history.push_back(static_cast<double>(std::max<std::int64_t>(0, *at)) / 1000);
  it.days_sold = static_cast<int>(std::count_if(sold.begin(), sold.end(), [](std::int64_t q) { return q > 0; }));
  it.sold_milli = std::accumulate(sold.begin(), sold.end(), std::int64_t{0});

  const auto f = fc::forecast(history, p.lead_days);
  it.method = f.method;
  const double lead_units = std::accumulate(f.daily.begin(), f.daily.end(), 0.0);
  const double daily_units = lead_units / p.lead_days;
  it.forecast_lead_milli = fc::to_milli(lead_units);
  it.forecast_daily_milli = fc::to_milli(daily_units);
  it.safety_milli = fc::to_milli(daily_units * p.safety_days);
  it.busier_weekday = busier_weekday(f, today_weekday, it.days_sold);

  std::int64_t want = it.forecast_lead_milli + it.safety_milli - it.on_hand_milli;
  if (want > 0 && !it.weighed) want = (want + 999) / 1000 * 1000;  // whole units, rounded up
  it.suggested_order_milli = std::max<std::int64_t>(0, want);
  if (it.forecast_daily_milli > 0)
    it.days_of_cover = std::round(std::max<double>(0, static_cast<double>(it.on_hand_milli)) /
                                  static_cast<double>(it.forecast_daily_milli) * 10) / 10;

  const bool stocked = it.on_hand_milli > 0;
  const double long_cover = 4.0 * (p.lead_days + p.safety_days);
  if (it.suggested_order_milli > 0)
    it.klass = "reorder";
  else if (stocked && it.days_sold == 0)
    it.klass = "dead";
  else if (stocked && (!it.days_of_cover || *it.days_of_cover > long_cover || it.days_sold * 10 < p.history_days))
    it.klass = "slow";
  else
    it.klass = "ok";
  it.reason = reason_of(it, p);
  return it;
}

void sort_items(std::vector<ReorderItem>& items) {
  std::sort(items.begin(), items.end(), [](const ReorderItem& a, const ReorderItem& b) {
    const int ra = class_rank(a.klass), rb = class_rank(b.klass);
    if (ra != rb) return ra < rb;
    if (ra == 0) {
      // No cover figure (no demand, stock below zero) is the most urgent.
      const double ca = a.days_of_cover.value_or(-1), cb = b.days_of_cover.value_or(-1);
      if (ca != cb) return ca < cb;
    }
    if (a.name != b.name) return a.name < b.name;
    return a.product_id < b.product_id;
  });
}

Outcome<ReorderAnswer> ReorderService::reorder(const std::string& store_id, const ReorderRequest& request) {
  auto params = read_reorder_params(request);
  if (!params) return params.error();
  ReorderAnswer a;
  a.params = *params;
  int today_weekday = -1;
  const auto window = db::read_demand(pool_, store_id, clock_.now_ms(), params->history_days,
                                      [&](const db::DemandWindow& w, db::ProductDemand&& product) {
                                        if (today_weekday < 0) today_weekday = weekday_of(w.today);
                                        a.items.push_back(assess(product, *params, today_weekday));
                                      });
  a.as_of = window.today;
  a.time_zone = window.time_zone;
  sort_items(a.items);
  return a;
}

}  // namespace salespider::service
