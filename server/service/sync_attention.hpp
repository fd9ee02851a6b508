// Needs attention: the ops a manager must look at (rejected, or applied with
// flags), and what a manager does about them: resolve (handled by other
// means), dismiss (nothing to do), retry (record a rejected op again through
// the push path, e.g. a refund whose sale has synced since). Every action is
// audited in the transaction that performs it. Used by `salespider ops` and
// the /api/v1/ops endpoints. Deliberately no HTTP or SQL here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "db/ops.hpp"
#include "salespider/shared/protocol.hpp"
#include "service/auth_outcome.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service::sync {

class PushService;

class AttentionService {
 public:
  AttentionService(db::Pool& pool, PushService& push) : pool_(pool), push_(push) {}

  // state: open | rejected | flagged | resolved | all; limit 1..1000.
  Outcome<std::vector<db::OpInfo>> list(const std::string& store_id, const db::OpQuery& query);
  Outcome<db::OpInfo> show(const std::string& store_id, const std::string& op_id);
  // resolution: "resolved" or "dismissed"; note up to 1000 bytes.
  Outcome<db::OpInfo> close(const std::string& store_id, const std::string& op_id, const std::string& resolution,
                            const std::string& note, const auth::Actor& actor);
  // The op's new result: applied, or still rejected (with the new reason).
  Outcome<OpResult> retry(const std::string& store_id, const std::string& op_id, const auth::Actor& actor,
                          std::int64_t now_ms);

  std::vector<db::TillHealth> till_health(const std::string& store_id);

 private:
  db::Pool& pool_;
  PushService& push_;
};

// An active till that has not synced (push or pull) for more than
// `stale_after_seconds`, or never: `till list` and `status` warn about it.
inline constexpr std::int64_t kDefaultStaleAfterSeconds = 3600;
bool till_sync_stale(const db::TillHealth& till, std::int64_t stale_after_seconds);

}  // namespace salespider::service::sync
