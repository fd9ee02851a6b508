// Cron schedules as the guide writes them (BACKUP_SCHEDULE_FULL="0 2 * * 0"):
// the five fields minute hour day-of-month month day-of-week with numbers,
// `*`, ranges `a-b`, lists `a,b`, steps `*/n` and `a-b/n`, month and day
// names (jan, sun...), 7 as Sunday, and the @daily-style shortcuts. Cron's
// own rule for the two day fields: when both are restricted (neither starts
// with `*`) a day matching either runs.
// Pure: parsing, the next run after a time, and the equivalent systemd
// OnCalendar= expressions for the timers `deploy` writes.
// Deliberately not here: @reboot, seconds, years, Quartz extensions (L, W, #).
#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salespider/shared/result.hpp"

namespace salespider::support::cron {

struct Schedule {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<32> days_of_month;  // 1..31
  std::bitset<13> months;         // 1..12
  std::bitset<7> days_of_week;    // 0 = Sunday
  // Whether the day field started with `*` (cron's AND/OR rule for days).
  bool day_of_month_star = true;
  bool day_of_week_star = true;
};

// Errors name the field: `day-of-week: "8" is out of range 0-7`.
Result<Schedule> parse(std::string_view text);

enum class Zone { local, utc };

// The first minute strictly after `after` that the schedule matches, in
// local time (like cron and systemd) or UTC; nullopt when it never matches
// (e.g. "0 0 30 2 *").
std::optional<std::chrono::system_clock::time_point> next_after(const Schedule& schedule,
                                                                std::chrono::system_clock::time_point after,
                                                                Zone zone = Zone::local);

// systemd OnCalendar= values that together fire exactly when the schedule
// does (two when cron's either-day rule applies): "0 2 * * 0" ->
// {"Sun *-*-* 02:00:00"}.
std::vector<std::string> to_on_calendar(const Schedule& schedule);

}  // namespace salespider::support::cron
