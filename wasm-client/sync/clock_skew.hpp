// The till's clock against the server's: every HTTP answer from our server
// carries a Date header (RFC 9110, whole seconds), and the till's offset is
// its own wall clock when the answer arrived minus that date. The sync
// engine feeds every answer in; the status bar and the automation state
// show the latest offset (AppState's SyncView::clock_skew_ms).
//
// The server measures the same skew from X-Till-Time and judges op times
// with it (docs/reliability.md, "Clocks"), so this is for people: a till
// more than a minute off says so (state/clock_off.hpp words it).
//
// Deliberately not here: correcting the till's clock (the browser cannot,
// and op times stay the till's own, as stamped), and averaging: a clock
// that was just fixed must show as fixed on the next answer.
#pragma once

#include <cstdint>
#include <optional>

namespace salespider::sync {

// The Date header truncates the server's time to the second, so one
// reading is up to a second high; far below what anyone is told about.
std::int64_t clock_offset_ms(std::int64_t local_wall_ms, std::int64_t server_date_ms);

class ClockSkewMeter {
 public:
  // An answer arrived at `local_wall_ms`; `status` 0 = no answer (nothing
  // to measure), and an answer without a Date header measures nothing.
  // 502/503/504 come from whatever is in front of the server (a proxy), not
  // from our server's clock, and are ignored too.
  void note(int status, std::int64_t local_wall_ms, std::optional<std::int64_t> server_date_ms);

  // The latest offset (till minus server, ms); none before the first answer.
  std::optional<std::int64_t> offset_ms() const { return offset_ms_; }

 private:
  std::optional<std::int64_t> offset_ms_;
};

}  // namespace salespider::sync
