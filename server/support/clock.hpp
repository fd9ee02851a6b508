// The server's one wall clock: milliseconds since the Unix epoch. `serve` and
// the CLI create one (Clock::system()) and hand it to the services; tests hand
// them a fixed one. Services never read std::chrono's clocks themselves, so a
// service's notion of "now" is always the one its owner chose.
// Base layer (support/, see openssl_ptr.hpp). Not for timeouts or deadlines
// (those use std::chrono::steady_clock where they are measured).
#pragma once

#include <cstdint>
#include <functional>
#include <utility>

namespace salespider::support {

class Clock {
 public:
  using Source = std::function<std::int64_t()>;

  // std::chrono::system_clock, in milliseconds.
  static Clock system();
  // Always `ms` (tests, a demo's chosen "today").
  static Clock fixed(std::int64_t ms);

  explicit Clock(Source source) : source_(std::move(source)) {}

  std::int64_t now_ms() const { return source_(); }

 private:
  Source source_;
};

}  // namespace salespider::support
