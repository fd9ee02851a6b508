// See cron.hpp.
#include "support/cron.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <ctime>

namespace salespider::support::cron {
namespace {

struct Field {
  const char* name;
  int lo;
  int hi;
  const std::array<std::string_view, 12>* names;  // names[i] is value names_base + i
  int names_base;
};

constexpr std::array<std::string_view, 12> kMonthNames{"jan", "feb", "mar", "apr", "may", "jun",
                                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 12> kDayNames{"sun", "mon", "tue", "wed", "thu", "fri", "sat", "", "", "", "", ""};

const std::array<Field, 5> kFields{{
    {"minute", 0, 59, nullptr, 0},
    {"hour", 0, 23, nullptr, 0},
    {"day-of-month", 1, 31, nullptr, 0},
    {"month", 1, 12, &kMonthNames, 1},
    {"day-of-week", 0, 7, &kDayNames, 0},
}};

Error field_error(const Field& f, const std::string& why) {
  return make_error(Errc::invalid_value, std::string(f.name) + ": " + why);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<int> value(const Field& f, std::string_view text) {
  int n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (!text.empty() && ec == std::errc() && end == text.data() + text.size()) {
    if (n < f.lo || n > f.hi) {
      return field_error(f, "\"" + std::string(text) + "\" is out of range " + std::to_string(f.lo) + "-" +
                                std::to_string(f.hi));
    }
    return n;
  }
  if (f.names != nullptr) {
    const auto l = lower(text);
    for (std::size_t i = 0; i < f.names->size(); ++i) {
      if (!(*f.names)[i].empty() && (*f.names)[i] == l) return static_cast<int>(i) + f.names_base;
    }
  }
  return field_error(f, "\"" + std::string(text) + "\" is not a number" +
                            (f.names != nullptr ? std::string(" or a name") : std::string()));
}

// One comma-separated item: `*`, `a`, `a-b`, each optionally `/step`.
Result<void> parse_item(const Field& f, std::string_view item, std::vector<bool>& set) {
  std::string_view range = item;
  int step = 1;
  if (const auto slash = item.find('/'); slash != std::string_view::npos) {
    range = item.substr(0, slash);
    const auto s = item.substr(slash + 1);
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), step);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || step < 1 || step > f.hi) {
      return field_error(f, "step \"" + std::string(s) + "\" must be a number from 1 to " + std::to_string(f.hi));
    }
  }
  int lo = f.lo;
  int hi = f.hi;
  if (range == "*") {
    if (f.hi == 7) hi = 6;  // 7 is Sunday again
  } else if (range.empty()) {
    return field_error(f, "empty item in \"" + std::string(item) + "\"");
  } else if (const auto dash = range.find('-'); dash != std::string_view::npos) {
    auto a = value(f, range.substr(0, dash));
    if (!a) return a.error();
    auto b = value(f, range.substr(dash + 1));
    if (!b) return b.error();
    if (*a > *b) return field_error(f, "range \"" + std::string(range) + "\" goes backwards");
    lo = *a;
    hi = *b;
  } else {
    auto a = value(f, range);
    if (!a) return a.error();
    lo = *a;
    hi = item.find('/') == std::string_view::npos ? *a : f.hi;  // "5/10" = from 5 on, every 10
  }
  for (int v = lo; v <= hi; v += step) set[static_cast<std::size_t>(f.hi == 7 && v == 7 ? 0 : v)] = true;
  return {};
}

Result<std::vector<bool>> parse_field(const Field& f, std::string_view text) {
  std::vector<bool> set(static_cast<std::size_t>(f.hi) + 1, false);
  while (true) {
    const auto comma = text.find(',');
    if (auto r = parse_item(f, text.substr(0, comma), set); !r) return r.error();
    if (comma == std::string_view::npos) break;
    text = text.substr(comma + 1);
  }
  return set;
}

template <std::size_t N>
void assign(std::bitset<N>& bits, const std::vector<bool>& set) {
  for (std::size_t i = 0; i < N && i < set.size(); ++i) bits[i] = set[i];
}

std::string_view expand_shortcut(std::string_view s) {
  if (s == "@yearly" || s == "@annually") return "0 0 1 1 *";
  if (s == "@monthly") return "0 0 1 * *";
  if (s == "@weekly") return "0 0 * * 0";
  if (s == "@daily" || s == "@midnight") return "0 0 * * *";
  if (s == "@hourly") return "0 * * * *";
  return s;
}

bool day_matches(const Schedule& s, const std::tm& tm) {
  const bool dom = s.days_of_month[static_cast<std::size_t>(tm.tm_mday)];
  const bool dow = s.days_of_week[static_cast<std::size_t>(tm.tm_wday)];
  if (s.day_of_month_star || s.day_of_week_star) return dom && dow;
  return dom || dow;
}

std::time_t to_time(std::tm& tm, Zone zone) {
  if (zone == Zone::utc) return timegm(&tm);
  tm.tm_isdst = -1;
  return std::mktime(&tm);
}

std::tm to_tm(std::time_t t, Zone zone) {
  std::tm tm{};
  if (zone == Zone::utc) {
    gmtime_r(&t, &tm);
  } else {
    localtime_r(&t, &tm);
  }
  return tm;
}

std::string two_digits(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// A numeric OnCalendar component: "*" when every value is in, else a comma list.
template <std::size_t N>
std::string component(const std::bitset<N>& bits, int lo, int hi) {
  bool all = true;
  for (int v = lo; v <= hi; ++v) all = all && bits[static_cast<std::size_t>(v)];
  if (all) return "*";
  std::string out;
  for (int v = lo; v <= hi; ++v) {
    if (bits[static_cast<std::size_t>(v)]) out += (out.empty() ? "" : ",") + two_digits(v);
  }
  return out;
}

// Weekdays in systemd's Monday-first order, runs of three or more as "Mon..Fri".
std::string weekdays(const std::bitset<7>& bits) {
  static constexpr std::array<const char*, 7> kNames{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  auto in = [&](int i) { return bits[static_cast<std::size_t>((i + 1) % 7)]; };  // i: 0 = Monday
  std::string out;
  for (int i = 0; i < 7;) {
    if (!in(i)) {
      ++i;
      continue;
    }
    int j = i;
    while (j + 1 < 7 && in(j + 1)) ++j;
    auto add = [&](const std::string& s) { out += (out.empty() ? "" : ",") + s; };
    if (j - i >= 2) {
      add(std::string(kNames[static_cast<std::size_t>(i)]) + ".." + kNames[static_cast<std::size_t>(j)]);
    } else {
      for (int k = i; k <= j; ++k) add(kNames[static_cast<std::size_t>(k)]);
    }
    i = j + 1;
  }
  return out;
}

}  // namespace

Result<Schedule> parse(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) text.remove_suffix(1);
  const std::string low = lower(text);  // names and shortcuts in any case
  const std::string_view expanded = expand_shortcut(low);
  if (!expanded.empty() && expanded.front() == '@') {
    return make_error(Errc::invalid_value, "\"" + std::string(text) +
                                               "\" is not a known shortcut (@yearly, @monthly, @weekly, @daily, "
                                               "@hourly)");
  }
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < expanded.size()) {
    while (i < expanded.size() && std::isspace(static_cast<unsigned char>(expanded[i])) != 0) ++i;
    const std::size_t start = i;
    while (i < expanded.size() && std::isspace(static_cast<unsigned char>(expanded[i])) == 0) ++i;
    if (i > start) parts.push_back(expanded.substr(start, i - start));
  }
  if (parts.size() != 5) {
    return make_error(Errc::invalid_value, "expected five fields (minute hour day-of-month month day-of-week), got " +
                                               std::to_string(parts.size()));
  }
  Schedule s;
  std::array<std::vector<bool>, 5> sets;
  for (std::size_t f = 0; f < 5; ++f) {
    auto set = parse_field(kFields[f], parts[f]);
    if (!set) return set.error();
    sets[f] = std::move(*set);
  }
  assign(s.minutes, sets[0]);
  assign(s.hours, sets[1]);
  assign(s.days_of_month, sets[2]);
  assign(s.months, sets[3]);
  assign(s.days_of_week, sets[4]);
  s.day_of_month_star = parts[2].front() == '*';
  s.day_of_week_star = parts[4].front() == '*';
  return s;
}

std::optional<std::chrono::system_clock::time_point> next_after(const Schedule& s,
                                                                std::chrono::system_clock::time_point after,
                                                                Zone zone) {
  std::time_t t = std::chrono::system_clock::to_time_t(after);
  std::tm tm = to_tm(t, zone);
  tm.tm_sec = 0;
  tm.tm_min += 1;
  t = to_time(tm, zone);
  tm = to_tm(t, zone);
  // Each step jumps to the start of the next month, day, hour or minute, so
  // five years (the longest gap a valid schedule can have, Feb 29 on a
  // weekday) take a few thousand steps at most.
  for (int steps = 0; steps < 200000; ++steps) {
    if (tm.tm_year > to_tm(std::chrono::system_clock::to_time_t(after), zone).tm_year + 8) break;
    if (!s.months[static_cast<std::size_t>(tm.tm_mon + 1)]) {
      tm.tm_mon += 1;
      tm.tm_mday = 1;
      tm.tm_hour = 0;
      tm.tm_min = 0;
    } else if (!day_matches(s, tm)) {
      tm.tm_mday += 1;
      tm.tm_hour = 0;
      tm.tm_min = 0;
    } else if (!s.hours[static_cast<std::size_t>(tm.tm_hour)]) {
      tm.tm_hour += 1;
      tm.tm_min = 0;
    } else if (!s.minutes[static_cast<std::size_t>(tm.tm_min)]) {
      tm.tm_min += 1;
    } else {
      return std::chrono::system_clock::from_time_t(to_time(tm, zone));
    }
    t = to_time(tm, zone);
    tm = to_tm(t, zone);
  }
  return std::nullopt;
}

std::vector<std::string> to_on_calendar(const Schedule& s) {
  const std::string time = component(s.hours, 0, 23) + ":" + component(s.minutes, 0, 59) + ":00";
  const std::string month = component(s.months, 1, 12);
  const std::string dom = component(s.days_of_month, 1, 31);
  const std::string dow = weekdays(s.days_of_week);
  const bool every_weekday = s.days_of_week.all();
  auto expr = [&](const std::string& weekday, const std::string& day) {
    return (weekday.empty() ? "" : weekday + " ") + "*-" + month + "-" + day + " " + time;
  };
  if (!s.day_of_month_star && !s.day_of_week_star) {
    // Cron runs on a day matching either field: one timer line for each.
    return {expr(dow, "*"), expr("", dom)};
  }
  return {expr(every_weekday ? "" : dow, dom)};
}

}  // namespace salespider::support::cron
