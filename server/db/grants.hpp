// Offline grant records: whether a signed grant is known, revoked, and
// whether its user is still active. No <pqxx/...> here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/audit.hpp"

namespace salespider::db {

class Pool;

struct GrantState {
  std::string user_id;
  std::string till_id;
  std::optional<std::int64_t> revoked_at_ms;
  std::string user_status;
};
std::optional<GrantState> grant_state(Pool& pool, const std::string& grant_id);

std::vector<std::string> revoked_unexpired_grants(Pool& pool, const std::string& till_id,
                                                  std::int64_t now_ms);

// false when no such unrevoked grant in the store.
bool revoke_grant(Pool& pool, const std::string& store_id, const std::string& grant_id,
                  const std::string& reason, AuditEntry audit);

}  // namespace salespider::db
