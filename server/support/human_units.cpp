// See human_units.hpp.
#include "support/human_units.hpp"

#include <cstdio>

namespace salespider::support {

std::string human_bytes(std::uint64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024.0 && u < 4) {
    v /= 1024.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

std::string human_bytes(std::int64_t n) { return human_bytes(static_cast<std::uint64_t>(n < 0 ? 0 : n)); }

}  // namespace salespider::support
