// See clock.hpp.
#include "support/clock.hpp"

#include <chrono>

namespace salespider::support {

Clock Clock::system() {
  return Clock([] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  });
}

Clock Clock::fixed(std::int64_t ms) {
  return Clock([ms] { return ms; });
}

}  // namespace salespider::support
