// See sales_dates.hpp.
#include "state/sales_dates.hpp"

#include <salespider/shared/i18n.hpp>

#include <climits>
#include <cstdio>

namespace salespider::state {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kMinuteMs = 60'000;

bool leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

}  // namespace

// Howard Hinnant's days_from_civil and civil_from_days (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = m > 2 ? m - 3 : m + 9;
  const unsigned doy = (153 * mp + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y0 = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y0 + (m <= 2 ? 1 : 0), m, d};
}

std::optional<std::int64_t> parse_date_days(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  auto digits = [&t](std::size_t at, std::size_t n) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return std::nullopt;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  const std::optional<int> y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (!y || !m || !d || *y < 1970 || *m < 1 || *m > 12 || *d < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int last = kDays[*m - 1] + (*m == 2 && leap(*y) ? 1 : 0);
  if (*d > last) return std::nullopt;
  return days_from_civil(*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d));
}

std::string date_of_days(std::int64_t days) {
  const CivilDate c = civil_from_days(days);
  char out[16];
  std::snprintf(out, sizeof out, "%04lld-%02u-%02u", static_cast<long long>(c.y), c.m, c.d);
  return out;
}

std::int64_t local_day_start_ms(std::int64_t days, const ZoneOffset& offset) {
  const std::int64_t wall = days * kDayMs;  // local midnight read as if it were UTC
  // The offset at a first guess, then at the instant that guess gives: right
  // on both sides of a DST change (midnight itself is never skipped in the
  // zones that matter; if it were, the day starts at the first instant after).
  std::int64_t utc = wall - static_cast<std::int64_t>(offset ? offset(wall) : 0) * kMinuteMs;
  utc = wall - static_cast<std::int64_t>(offset ? offset(utc) : 0) * kMinuteMs;
  return utc;
}

std::optional<InstantRange> local_date_range(std::string_view from, std::string_view to, const ZoneOffset& offset) {
  InstantRange r{INT64_MIN, INT64_MAX};
  std::optional<std::int64_t> f, t;
  if (!from.empty()) {
    f = parse_date_days(from);
    if (!f) return std::nullopt;
    r.from_ms = local_day_start_ms(*f, offset);
  }
  if (!to.empty()) {
    t = parse_date_days(to);
    if (!t) return std::nullopt;
    r.to_ms = local_day_start_ms(*t + 1, offset);
  }
  if (f && t && *t < *f) return std::nullopt;
  return r;
}

std::string date_problem(std::string_view text) {
  if (text.empty() || parse_date_days(text)) return {};
  return i18n::tr("Not a date: write it as YYYY-MM-DD, e.g. 2026-03-01.");
}

}  // namespace salespider::state
