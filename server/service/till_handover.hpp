// Hand-over of a retired till's unsynced ops (docs/reliability.md "Hand-over
// of a retired till", docs/security.md for who may do it). Two ways in:
//   * re-enrolment: the browser that was the old till is enrolled again by a
//     manager, gets a new till, and pushes the old ops UNCHANGED (op.till_id
//     = the old till) with its new credential to POST /api/v1/sync/handover;
//   * import: `salespider ops import FILE` reads the till's export file
//     (www/storage.js exportPendingOps, format "salespider-pending-ops" v1).
// Either way the ops go through the same push engine as a till's own push,
// judged as the OLD till's (its grants, skew, receipt sequence), so each op
// is applied at most once by its op id and a replay is a duplicate. Each
// accepted batch or file is a till_handovers row with its audit row.
//
// Deliberately no HTTP and no SQL here; no rewriting of ops (a hand-over that
// changed an op would break the till's receipts and the op's signature chain).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "salespider/shared/protocol.hpp"
#include "service/auth_outcome.hpp"
#include "service/sync_push.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service::sync {

// `by` (the till now) pushes `batch`, whose till_id is the retired till's.
// Refused (Problem::forbidden, nothing recorded) unless db::check_handover
// says ok. Answers the push results as a push would.
Outcome<PushResponse> push_handover(db::Pool& pool, PushService& push, const auth::TillPrincipal& by,
                                    const PushBatch& batch, const PushContext& ctx, const std::string& raw_body);

struct ImportReport {
  std::int64_t ops = 0;         // in the file
  std::int64_t applied = 0;     // on the server now as applied (new or from before)
  std::int64_t fresh = 0;       // recorded by this import (applied or rejected)
  std::int64_t rejected = 0;    // on the server as rejected (needs attention)
  std::vector<std::string> tills;  // codes of the tills the ops were made on
};

// Validates the whole file first (format, version, every op as the push
// protocol would decode it, tills of this store): a malformed file is
// Problem::invalid and nothing is recorded. Then pushes each till's ops as
// that till's. Audited (ops.import) with a till_handovers row per till.
// `operator_name` is who ran it (the shell user), kept in the audit detail.
Outcome<ImportReport> import_export_file(db::Pool& pool, PushService& push, const std::string& store_id,
                                         const std::string& file_text, const auth::Actor& actor,
                                         const std::string& operator_name, std::int64_t now_ms);

}  // namespace salespider::service::sync
