// The `from` / `to` filters of the list endpoints (sales, shifts, audit), read
// strictly: an ISO 8601 date (2024-05-01) or timestamp (2024-05-01T08:00,
// seconds and up to 6 fraction digits optional, Z or ±hh[:mm] optional),
// years 0001-9999, and only days, hours and minutes that exist — so that
// 2026-02-30, 2026-13-01, year 0 or 25:00 are a 400 naming the field, never a
// value PostgreSQL refuses half way through a query (a 500).
//
// Deliberately not here: time zones by name (the store's zone is applied in
// SQL), week dates, ordinal dates, leap seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "db/history.hpp"

namespace salespider::service {

// A checked date or timestamp.
struct IsoTime {
  std::int64_t local_us = 0;          // µs since 1970-01-01T00:00 of its wall clock
  std::optional<int> offset_minutes;  // set when it carries Z or ±hh[:mm]
  bool date_only = false;
};

// nullopt when malformed or not a real date and time.
std::optional<IsoTime> parse_iso_time(std::string_view text);

// A date or timestamp as the API takes it, for `from` (upper = false) or
// `to` (upper = true: a date then means "up to the end of that day").
// nullopt when malformed or out of range.
std::optional<db::TimeBound> parse_time_bound(const std::string& text, bool upper);

// True when the range [from, to] is surely empty: `from` after `to` (a date
// as `to` includes its whole day). When one carries an offset and the other
// is a wall-clock time in the store's zone, up to 26 hours apart are allowed
// (the zone is not known here).
bool range_is_backwards(const IsoTime& from, const IsoTime& to);

}  // namespace salespider::service
