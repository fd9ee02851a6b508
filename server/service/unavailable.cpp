// See unavailable.hpp.
#include "service/unavailable.hpp"

#include "db/errors.hpp"

namespace salespider::service {

std::optional<std::string> database_unavailable(const std::exception_ptr& e) {
  if (!e) return std::nullopt;
  try {
    std::rethrow_exception(e);
  } catch (const db::Unavailable& u) {
    return std::string(u.what());
  } catch (...) {
    return std::nullopt;
  }
}

bool query_timed_out(const std::exception_ptr& e) {
  if (!e) return false;
  try {
    std::rethrow_exception(e);
  } catch (const db::QueryTimeout&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace salespider::service
