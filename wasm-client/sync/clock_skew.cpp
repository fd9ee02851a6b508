// See clock_skew.hpp.
#include "sync/clock_skew.hpp"

namespace salespider::sync {

std::int64_t clock_offset_ms(std::int64_t local_wall_ms, std::int64_t server_date_ms) {
  return local_wall_ms - server_date_ms;
}

void ClockSkewMeter::note(int status, std::int64_t local_wall_ms, std::optional<std::int64_t> server_date_ms) {
  if (status == 0 || status == 502 || status == 503 || status == 504 || !server_date_ms) return;
  offset_ms_ = clock_offset_ms(local_wall_ms, *server_date_ms);
}

}  // namespace salespider::sync
