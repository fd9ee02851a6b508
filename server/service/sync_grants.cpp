// See sync_grants.hpp.
#include "service/sync_grants.hpp"

#include "auth/permissions.hpp"
#include "db/ops.hpp"
#include "service/grants.hpp"

namespace salespider::service::sync {

GrantCheckFn grant_check(GrantService& grants, db::Pool& pool) {
  return [&grants, &pool](const GrantQuery& q) {
    GrantVerdict v;
    if (q.grant.empty()) {
      const auto role = auth::role_from_string(db::user_role(pool, q.user_id));
      v.max_discount_bp = role ? auth::limits_of(*role).max_discount_percent * 100 : 0;
      return v;
    }
    const auto check = grants.verify_grant(q.grant, q.till_id, q.op_time_ms, q.now_ms);
    v.problems = check.flags;
    if (!check.valid) {
      if (v.problems.empty()) v.problems.push_back("invalid");
      const auto role = auth::role_from_string(db::user_role(pool, q.user_id));
      v.max_discount_bp = role ? auth::limits_of(*role).max_discount_percent * 100 : 0;
      return v;
    }
    v.user_id = check.user_id;
    v.max_discount_bp = static_cast<std::int64_t>(check.limits.max_discount_percent) * 100;
    v.role = check.role;
    v.permissions = check.permissions;
    return v;
  };
}

}  // namespace salespider::service::sync
