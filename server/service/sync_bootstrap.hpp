// The compact catalog bootstrap for a new till (docs/sync-protocol.md
// "Bootstrap in parts"): a plan (the small entities as a pull page, the feed
// cursor to continue from, the parts the products are split into), then the
// parts as tab-separated text (db/bootstrap_catalog.hpp has the columns).
// The till downloads several parts at once and pulls the feed from the plan's
// cursor afterwards, so nothing committed after the plan is missed.
// Deliberately no HTTP here.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "auth/principal.hpp"
#include "salespider/shared/protocol.hpp"
#include "salespider/shared/result.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service::sync {

inline constexpr int kDefaultPartRows = 5000;
inline constexpr int kMaxPartRows = 20000;

struct CatalogPlanAnswer {
  PullPage small;  // next_cursor empty: the feed starts at `cursor` only after every part
  std::string cursor;
  std::int64_t products = 0;
  std::vector<std::pair<std::string, std::string>> parts;  // (after, upto]; after "" = from the start
};

class BootstrapService {
 public:
  explicit BootstrapService(db::Pool& pool) : pool_(pool) {}

  // Errc::out_of_range for part_rows outside 100..kMaxPartRows.
  Result<CatalogPlanAnswer> plan(const auth::TillPrincipal& till, int part_rows);
  // Errc::invalid_value unless `after` is empty or a UUID and `upto` a UUID.
  Result<std::string> part(const auth::TillPrincipal& till, const std::string& after, const std::string& upto);

 private:
  db::Pool& pool_;
};

}  // namespace salespider::service::sync
