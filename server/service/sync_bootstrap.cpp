// See sync_bootstrap.hpp.
#include "service/sync_bootstrap.hpp"

#include "db/bootstrap_catalog.hpp"
#include "db/restore_epoch.hpp"
#include "salespider/shared/ids.hpp"

namespace salespider::service::sync {
namespace {

bool is_uuid(const std::string& text) {
  auto id = parse_uuid(text);
  return id && id->to_string() == text;
}

}  // namespace

Result<CatalogPlanAnswer> BootstrapService::plan(const auth::TillPrincipal& till, int part_rows) {
  if (part_rows < 100 || part_rows > kMaxPartRows)
    return make_error(Errc::out_of_range, "part_rows: 100 to " + std::to_string(kMaxPartRows));
  db::CatalogPlan p = db::read_catalog_plan(pool_, till.store_id, till.till_id, part_rows);
  CatalogPlanAnswer a;
  a.small.changes.reserve(p.small.size());
  for (auto& r : p.small)
    a.small.changes.push_back(Change{std::move(r.entity), std::move(r.id), r.row_version, false, std::move(r.data)});
  a.cursor = "f1." + std::to_string(p.cutoff_txid) + ".0";
  a.products = p.products;
  std::string after;
  for (auto& upto : p.bounds) {
    a.parts.emplace_back(after, upto);
    after = std::move(upto);
  }
  a.small.epoch = db::current_restore_epoch(pool_);
  return a;
}

Result<std::string> BootstrapService::part(const auth::TillPrincipal& till, const std::string& after,
                                           const std::string& upto) {
  if ((!after.empty() && !is_uuid(after)) || !is_uuid(upto))
    return make_error(Errc::invalid_value, "after, upto: product ids from the plan");
  return db::read_catalog_part(pool_, till.store_id, after, upto);
}

}  // namespace salespider::service::sync
