// Whether a clock offset is worth telling a person, and how: the till's
// own offset on its status bar ("Clock 10 min slow"), a till's offset as
// the server measured it on the Tills screen. Pure.
//
// More than a minute off is told: below that, network delay and the Date
// header's whole seconds blur the reading, and nothing the server judges
// depends on it (it corrects op times by the measured skew).
#pragma once

#include <salespider/shared/i18n.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace salespider::state {

inline constexpr std::int64_t kClockOffTellMs = 60 * 1000;

struct ClockOff {
  bool slow = false;     // behind the server's clock (else ahead: fast)
  bool hours = false;    // `amount` counts hours (two hours off or more), else minutes
  std::int64_t amount = 0;  // rounded to the nearest unit, at least 1
};

// `offset_ms`: the till's clock minus the server's. None when within a
// minute, or unknown.
inline std::optional<ClockOff> clock_off(std::optional<std::int64_t> offset_ms) {
  if (!offset_ms || (*offset_ms <= kClockOffTellMs && *offset_ms >= -kClockOffTellMs)) return std::nullopt;
  ClockOff c;
  c.slow = *offset_ms < 0;
  const std::int64_t magnitude = c.slow ? -*offset_ms : *offset_ms;
  constexpr std::int64_t kMinute = 60 * 1000;
  constexpr std::int64_t kHour = 60 * kMinute;
  c.hours = magnitude >= 2 * kHour;
  const std::int64_t unit = c.hours ? kHour : kMinute;
  c.amount = (magnitude + unit / 2) / unit;
  if (c.amount < 1) c.amount = 1;
  return c;
}

// "Clock 10 min slow", "Clock 3 h fast": what the status bar and the Tills
// screen say.
inline std::string clock_off_text(const ClockOff& c) {
  const std::string n = std::to_string(c.amount);
  if (c.hours) return c.slow ? i18n::trf("Clock {n} h slow", {{"n", n}}) : i18n::trf("Clock {n} h fast", {{"n", n}});
  return c.slow ? i18n::trf("Clock {n} min slow", {{"n", n}}) : i18n::trf("Clock {n} min fast", {{"n", n}});
}

}  // namespace salespider::state
