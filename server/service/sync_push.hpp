// Push: a till's batch of ops, each applied at most once (invariants 2-4).
//
// For every op the answer is applied, duplicate (with the original result in
// the message) or rejected (code, message); a rejected op is stored for a
// manager and never stops the ops after it. Ops are recorded in chunks: one
// transaction takes up to SyncOptions::chunk_ops ops (and stops taking more
// after chunk_ms, so no transaction holds back the pull feed for long). If
// any op of a chunk hits a database error, the chunk is rolled back and its
// ops are recorded again one per transaction, where the failing op is
// stored as rejected on its own.
//
// The server's re-checks never refuse money already taken; they flag:
// arithmetic differences (the sale recomputed with shared/), unit prices
// other than the price in force at the op's time, discounts above the
// role's limit in the grant (or the approving manager's), oversell, ops
// dated in the future, receipt-number collisions, unknown products, grant problems, a shift
// that is not this till's, a manager's approval that does not verify, an op
// by someone whose grant lacks the permission its kind needs (and, for
// refunds and voids, without an approval), refund tenders that do not add
// up or are not enabled, ops dated before the till's last acknowledged push.
//
// An op's authority is its person's grant only (sync_grants.hpp): without
// one that verifies and fits it may do nothing that needs a permission.
// Op times are judged on the server's clock: created_at corrected by the
// till's clock skew measured at this push (X-Till-Time; else the last one
// measured, at a push, a pull or an online sign-in). A wrong clock is never
// a flag of its own: the skew is kept on the till's health.
//
// An op carrying an approval (sale, refund, void) has the approver's grant
// verified like the op's own: signature, till, validity at the op's time,
// revocation; the approver must be a manager or owner with the permission.
//
// Deliberately no HTTP and no SQL here (http/sync_routes.cpp, db/sync_push.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/permissions.hpp"
#include "auth/principal.hpp"
#include "db/sync_push.hpp"
#include "salespider/shared/protocol.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service::sync {

// What the sync engine asks about an op's offline grant. The real answer
// comes from service/grants.hpp (sync_grants.cpp adapts it); tests pass
// doubles for this check only.
struct GrantQuery {
  std::string grant;  // "" = none: the op has nobody's authority
  std::string till_id;
  std::string user_id;  // the op's user
  std::int64_t op_time_ms = 0;  // the op's time on the server's clock (created_at corrected by the till's skew)
  std::int64_t now_ms = 0;
  // The arrival of the till's last push that emptied its outbox (server
  // clock), before this one; none for the demo seeder and retries.
  std::optional<std::int64_t> acked_until_ms;
};

struct GrantVerdict {
  std::int64_t max_discount_bp = 0;   // the role's limit, on a line and on the cart (10'000 = 100%)
  std::string user_id;                // whom the grant names; "" = no grant to compare
  std::vector<std::string> problems;  // why it does not fit (no_grant, expired, revoked...); empty = fine
  // The role and permissions the grant carries, when it verifies and fits.
  // Without a role the op may do nothing that needs a permission (flagged
  // needs_approval); the person's role in the database is never used.
  std::optional<auth::Role> role;
  std::vector<auth::Permission> permissions;
};

using GrantCheckFn = std::function<GrantVerdict(const GrantQuery&)>;

struct SyncOptions {
  // An op judged (skew-corrected) this much after its arrival is dated in
  // the future (a clock turned back between the sale and its push).
  std::int64_t future_slack_ms = 5 * 60 * 1000;
  // An op dated this much before the till's last acknowledged push is
  // back-dated (the slack absorbs network delay in the measured skew).
  std::int64_t backdate_slack_ms = 60 * 1000;
  // A till sends up to 100 ops per push (SyncEngine::kMaxOpsPerPush): one
  // transaction for all of them, as the bulk-load limit does.
  std::size_t chunk_ops = 100;
  std::int64_t chunk_ms = 250;
  int conflict_retries = 3;  // deadlock / serialization failure of a single op
};

struct PushContext {
  std::int64_t now_ms = 0;
  // The till's own clock when it sent the batch (X-Till-Time), for skew.
  std::optional<std::int64_t> till_clock_ms;
  db::TillReport report;
  // The demo seeder's own path: it writes past days' trading, so its ops
  // are not judged against the till's push history or skew. Never set for
  // a till's push.
  bool replaying_history = false;
  // A hand-over or an import (service/till_handover.hpp): the ops are a
  // retired till's, sent by someone else, so this push is not that till's
  // contact (no last push, outbox depth or acked_until recorded for it).
  bool on_behalf = false;
};

// An online sign-in on a till that sent X-Till-Time: the till's skew is
// measured there too (kept on its health like a push's), so a push that
// arrives without the header is still judged on the corrected clock.
void note_till_clock(db::Pool& pool, const auth::TillPrincipal& till, std::int64_t till_clock_ms,
                     std::int64_t now_ms);

class PushService {
 public:
  PushService(db::Pool& pool, GrantCheckFn grants, SyncOptions options = {});

  // A decoded batch (its till_id must be the principal's; the HTTP layer
  // answers 403 otherwise). `raw_body` lets ops the decoder refused be stored
  // as they were sent; "" stores them without their text.
  PushResponse push(const auth::TillPrincipal& till, const PushBatch& batch, const PushContext& ctx,
                    const std::string& raw_body = {});

  // Needs attention: records a stored, rejected op again, through the same
  // checks; on success it becomes applied (retried_at/retried_by set).
  // Returns the new result (still rejected, with the new reason, if it fails).
  // Audited (op.retried) in the same transaction; `via` is "http" or "cli".
  OpResult retry(const std::string& store_id, const std::string& op_id, const std::optional<std::string>& by_user,
                 std::int64_t now_ms, const std::string& via = "cli");

  const SyncOptions& options() const { return options_; }

 private:
  db::Pool& pool_;
  GrantCheckFn grants_;
  SyncOptions options_;
};

}  // namespace salespider::service::sync
