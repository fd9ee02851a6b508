// See unavailable.hpp.
#include "service/unavailable.hpp"

#include <atomic>

#include "db/outage.hpp"

namespace salespider::service {
namespace {
std::atomic<std::int64_t> g_last_disk_full_ms{0};  // steady clock; 0 = never

std::int64_t steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

void note_outage(const DatabaseOutage& outage) {
  if (outage.why == Unavailability::disk_full) g_last_disk_full_ms = steady_now_ms();
}

bool disk_full_within(std::chrono::seconds window) {
  const auto last = g_last_disk_full_ms.load();
  return last != 0 && steady_now_ms() - last <= std::chrono::duration_cast<std::chrono::milliseconds>(window).count();
}

std::optional<DatabaseOutage> database_outage(const std::exception_ptr& e) {
  if (!e) return std::nullopt;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    const auto o = db::outage_of(x);
    if (!o) return std::nullopt;
    switch (o->kind) {
      case db::OutageKind::unavailable: return DatabaseOutage{Unavailability::unavailable, o->detail};
      case db::OutageKind::down: return DatabaseOutage{Unavailability::down, o->detail};
      case db::OutageKind::disk_full: return DatabaseOutage{Unavailability::disk_full, o->detail};
      case db::OutageKind::busy: return DatabaseOutage{Unavailability::busy, o->detail};
      case db::OutageKind::timed_out: return DatabaseOutage{Unavailability::timed_out, o->detail};
    }
  } catch (...) {
  }
  return std::nullopt;
}

std::optional<std::string> database_unavailable(const std::exception_ptr& e) {
  if (auto o = database_outage(e)) return o->detail;
  return std::nullopt;
}

bool query_timed_out(const std::exception_ptr& e) {
  const auto o = database_outage(e);
  return o && o->why == Unavailability::timed_out;
}

}  // namespace salespider::service
