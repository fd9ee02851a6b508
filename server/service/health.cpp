// See health.hpp.
#include "service/health.hpp"

#include "salespider/version.hpp"

namespace salespider::service {

Health current_health() {
  return Health{kVersion, DatabaseHealth{"none", "no database is configured: this build serves the till only"}};
}

}  // namespace salespider::service
