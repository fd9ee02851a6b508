// The store settings' use cases (docs/api.md "Settings"): read the settings
// object, and change it from a PATCH body (the route and `salespider
// settings set` both send one).
//
// Here: every field's rule, a failure naming the field (400 for a wrong
// type or an unknown field, 422 for a value out of its rule, 409 for a stale
// row_version with the current settings, 409 "currency" once the store has
// sold), and the currency change's exponent shift for the product rescale.
// Deliberately no HTTP, no SQL and no permission check (the route declares
// manage_settings; the CLI runs on the server itself).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "auth/principal.hpp"
#include "db/settings.hpp"
#include "service/auth_outcome.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service {

using db::settings::settings_json;
using db::settings::SettingsRow;

// The fields PATCH may carry besides row_version, in the order of the
// settings object.
const std::vector<std::string>& writable_settings_fields();

Outcome<SettingsRow> read_settings(db::Pool& pool, const std::string& store_id);

// `body`: {row_version, any writable field}. Audited "settings.update".
Outcome<SettingsRow> update_settings(db::Pool& pool, const std::string& store_id, const nlohmann::json& body,
                                     const auth::Actor& actor);

}  // namespace salespider::service
