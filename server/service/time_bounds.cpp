// See time_bounds.hpp.
#include "service/time_bounds.hpp"

namespace salespider::service {
namespace {

constexpr std::int64_t kMinuteUs = 60'000'000;
constexpr std::int64_t kDayUs = 24 * 60 * kMinuteUs;

// `n` decimal digits at `at`, as a number.
bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy =
      (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::string two(int v) {
  return (v < 10 ? "0" : "") + std::to_string(v);
}

// The day after y-m-d, as text PostgreSQL reads; the day after 9999-12-31
// is written as its 24:00 (PostgreSQL takes 24:00:00, and 5-digit years
// would need care).
std::string next_day(int y, int m, int d) {
  if (y == 9999 && m == 12 && d == 31) return "9999-12-31 24:00:00";
  if (++d > days_in(y, m)) {
    d = 1;
    if (++m > 12) {
      m = 1;
      ++y;
    }
  }
  std::string year = std::to_string(y);
  while (year.size() < 4) year.insert(year.begin(), '0');
  return year + "-" + two(m) + "-" + two(d);
}

// hh:mm[:ss[.ffffff]] at `i`; moves i past it and adds it to *us.
bool clock_time(std::string_view t, std::size_t& i, std::int64_t& us) {
  int h = 0;
  int m = 0;
  if (!digits(t, i, 2, h) || i + 2 >= t.size() || t[i + 2] != ':' || !digits(t, i + 3, 2, m) || h > 23 ||
      m > 59)
    return false;
  us += (h * 60 + m) * kMinuteUs;
  i += 5;
  if (i < t.size() && t[i] == ':') {
    int s = 0;
    if (!digits(t, i + 1, 2, s) || s > 59) return false;
    us += s * std::int64_t{1'000'000};
    i += 3;
    if (i < t.size() && t[i] == '.') {
      std::size_t n = 0;
      std::int64_t fraction = 0;
      while (i + 1 + n < t.size() && t[i + 1 + n] >= '0' && t[i + 1 + n] <= '9') {
        if (n < 6) fraction = fraction * 10 + (t[i + 1 + n] - '0');
        ++n;
      }
      if (n < 1 || n > 6) return false;
      for (std::size_t k = n; k < 6; ++k) fraction *= 10;
      us += fraction;
      i += 1 + n;
    }
  }
  return true;
}

// Z, or ±hh[[:]mm], ending the text at `i`: its offset in minutes.
std::optional<int> offset_to_end(std::string_view t, std::size_t i) {
  if (t[i] == 'Z') return i + 1 == t.size() ? std::optional<int>(0) : std::nullopt;
  if (t[i] != '+' && t[i] != '-') return std::nullopt;
  int h = 0;
  int m = 0;
  if (!digits(t, i + 1, 2, h) || h > 15) return std::nullopt;
  std::size_t j = i + 3;
  if (j < t.size() && t[j] == ':') ++j;
  if (j < t.size()) {
    if (!digits(t, j, 2, m) || m > 59) return std::nullopt;
    j += 2;
  }
  if (j != t.size()) return std::nullopt;
  return (t[i] == '-' ? -1 : 1) * (h * 60 + m);
}

// Where the range starts (from) or ends, exclusive (to), in µs of its own clock.
std::int64_t start_us(const IsoTime& t) {
  return t.local_us - t.offset_minutes.value_or(0) * kMinuteUs;
}
std::int64_t end_us(const IsoTime& t) {
  return start_us(t) + (t.date_only ? kDayUs : 1);
}

}  // namespace

std::optional<IsoTime> parse_iso_time(std::string_view text) {
  int y = 0;
  int m = 0;
  int d = 0;
  if (text.size() < 10 || text.size() > 40 || !digits(text, 0, 4, y) || text[4] != '-' ||
      !digits(text, 5, 2, m) || text[7] != '-' || !digits(text, 8, 2, d) || y < 1 || m < 1 || m > 12 ||
      d < 1 || d > days_in(y, m))
    return std::nullopt;
  IsoTime out;
  out.local_us = days_from_civil(y, m, d) * kDayUs;
  if (text.size() == 10) {
    out.date_only = true;
    return out;
  }
  std::size_t i = 11;
  if ((text[10] != 'T' && text[10] != ' ') || !clock_time(text, i, out.local_us)) return std::nullopt;
  if (i < text.size()) {
    out.offset_minutes = offset_to_end(text, i);
    if (!out.offset_minutes) return std::nullopt;
  }
  return out;
}

std::optional<db::TimeBound> parse_time_bound(const std::string& text, bool upper) {
  const auto t = parse_iso_time(text);
  if (!t) return std::nullopt;
  if (t->date_only) {
    // A whole day: from its midnight, up to the next day's (exclusive).
    if (!upper) return db::TimeBound{text, false, false};
    int y = 0;
    int m = 0;
    int d = 0;
    digits(text, 0, 4, y);
    digits(text, 5, 2, m);
    digits(text, 8, 2, d);
    return db::TimeBound{next_day(y, m, d), false, false};
  }
  return db::TimeBound{text, t->offset_minutes.has_value(), upper};
}

bool range_is_backwards(const IsoTime& from, const IsoTime& to) {
  const bool comparable = from.offset_minutes.has_value() == to.offset_minutes.has_value();
  const std::int64_t slack = comparable ? 0 : 26 * 60 * kMinuteUs;
  return start_us(from) >= end_us(to) + slack;
}

}  // namespace salespider::service
