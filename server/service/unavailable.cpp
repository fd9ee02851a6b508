// See unavailable.hpp.
#include "service/unavailable.hpp"

#include "db/outage.hpp"

namespace salespider::service {

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
