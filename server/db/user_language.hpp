// A person's own UI language (users.language, migration 0012): read it, and
// set it in one transaction with its audit row ("user.language"); and the
// store's default that applies when a person has none.
// Deliberately no validation: the service checks the code against the
// message catalogue; the column's CHECK only keeps malformed codes out.
#pragma once

#include <optional>
#include <string>

#include "db/audit.hpp"

namespace salespider::db {

class Pool;

struct UserLanguage {
  bool found = false;                   // the user exists in the store
  std::optional<std::string> language;  // NULL: the store's default
};

UserLanguage user_language(Pool& pool, const std::string& store_id, const std::string& user_id);

// The store's default UI language (settings.language, migration 0011); "en"
// when the store has no settings row.
std::string store_language(Pool& pool, const std::string& store_id);

// False when the user is not in the store (nothing written).
bool set_user_language(Pool& pool, const std::string& store_id, const std::string& user_id,
                       const std::optional<std::string>& language, AuditEntry audit);

}  // namespace salespider::db
