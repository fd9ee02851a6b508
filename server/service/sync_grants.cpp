// See sync_grants.hpp.
#include "service/sync_grants.hpp"

#include <algorithm>

#include "auth/permissions.hpp"
#include "service/grants.hpp"

namespace salespider::service::sync {

GrantCheckFn grant_check(GrantService& grants) {
  return [&grants](const GrantQuery& q) {
    GrantVerdict v;  // no role, no permissions, no discount until a grant verifies
    if (q.grant.empty()) {
      v.problems.emplace_back(grant_flag::no_grant);
      return v;
    }
    const auto check = grants.verify_grant(q.grant, q.till_id, q.op_time_ms, q.now_ms);
    v.problems = check.flags;
    if (check.revoked_at_ms && q.acked_until_ms && *q.acked_until_ms > *check.revoked_at_ms &&
        std::find(v.problems.begin(), v.problems.end(), grant_flag::revoked) == v.problems.end())
      v.problems.emplace_back(grant_flag::revoked);
    if (!check.valid) {
      if (v.problems.empty()) v.problems.emplace_back("invalid");
      return v;
    }
    v.user_id = check.user_id;
    // Revoked, expired, another till's, a disabled person's: the op is kept
    // and flagged, but nothing the grant says is granted.
    if (!v.problems.empty()) return v;
    v.max_discount_bp = static_cast<std::int64_t>(check.limits.max_discount_percent) * 100;
    v.role = check.role;
    v.permissions = check.permissions;
    return v;
  };
}

}  // namespace salespider::service::sync
