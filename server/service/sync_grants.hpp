// The sync engine's grant check (sync_push.hpp GrantCheckFn) backed by the
// offline grants of service/grants.hpp: an op made under a grant is checked
// for signature, till, validity at the op's time (corrected by the till's
// measured clock skew), revocation and the user being disabled; its role,
// permissions and discount limit are the ones the grant was signed with.
//
// An op's authority is the person's, never the till's: an op without a
// grant (no_grant), or with one that does not verify or does not fit (any
// problem: revoked, expired, another till's, ...), gets no role, no
// permissions and no discount, whatever user id it names; the sync engine
// flags it and keeps it for a manager. Tills always send the grant the
// server issued at the person's online login, so genuine ops have one.
//
// A revoked grant is also flagged for an op dated before its revocation
// when the till has acknowledged a push after the revocation: every op it
// genuinely made before then has already arrived.
#pragma once

#include "service/sync_push.hpp"

namespace salespider::service {
class GrantService;
}

namespace salespider::service::sync {

GrantCheckFn grant_check(GrantService& grants);

}  // namespace salespider::service::sync
