// The dates the History and Shifts screens filter by: "YYYY-MM-DD" as a
// person types it, checked here, and a range of such dates turned into the
// instants the till's own records are compared with. A date is the whole day
// in the store's time zone (as the server reads ?from=&to=, docs/api.md
// "Sales history and shifts"), `to` included.
//
// Pure: the zone's offset comes from the caller (platform's Intl in the
// browser, a fixed rule in tests), so a day of 23 or 25 hours (a DST change)
// is right without a time zone database here. Deliberately not here: what
// the server does with the dates (it parses them itself).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace salespider::state {

// The one calendar of the till's date screens (History, Shifts, Dashboard):
// days since 1970-01-01 of a proleptic Gregorian date, and back.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
struct CivilDate {
  std::int64_t y = 0;
  unsigned m = 1, d = 1;
};
CivilDate civil_from_days(std::int64_t days);

// Days since 1970-01-01 of a real calendar date "YYYY-MM-DD"; nullopt for
// any other text (2026-02-30 too).
std::optional<std::int64_t> parse_date_days(std::string_view text);
// "YYYY-MM-DD" of days since 1970-01-01.
std::string date_of_days(std::int64_t days);

// Local time minus UTC at the instant utc_ms, in minutes (Berlin in summer: +120).
using ZoneOffset = std::function<int(std::int64_t utc_ms)>;

// The instant the local day `days` starts in the zone.
std::int64_t local_day_start_ms(std::int64_t days, const ZoneOffset& offset);

// [from_ms, to_ms) covering the local days from .. to (to included); an
// empty date leaves that end open (INT64_MIN / INT64_MAX). nullopt when a
// date is not a date or `to` is before `from`.
struct InstantRange {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
};
std::optional<InstantRange> local_date_range(std::string_view from, std::string_view to, const ZoneOffset& offset);

// What is wrong with a typed date, in words ("" when it is fine or empty).
std::string date_problem(std::string_view text);

}  // namespace salespider::state
