// The sync engine's grant check (sync_push.hpp GrantCheckFn) backed by the
// offline grants of service/grants.hpp: an op made under a grant is checked
// for signature, till, validity at the op's time, revocation and the user
// being disabled; its discount limit is the one the grant carries. An op
// made online (empty grant) gets its user's current role's limit. A valid
// grant also gives the role and permissions it was signed with (what a
// manager's approval is checked against); otherwise the sync engine uses the
// person's role in the database.
#pragma once

#include "service/sync_push.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service {
class GrantService;
}

namespace salespider::service::sync {

GrantCheckFn grant_check(GrantService& grants, db::Pool& pool);

}  // namespace salespider::service::sync
