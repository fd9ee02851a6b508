// GET /api/v1/server/alerts: {alerts: [{code, since, message, detail}]}
// (docs/api.md "Server alerts"). Strict about the fields used: a malformed
// answer is nullopt. No I/O.
#pragma once

#include "state/server_alerts.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace salespider::answers {

// since_text is left for the caller (it needs the store's zone and format).
std::optional<std::vector<state::ServerAlert>> parse_server_alerts(std::string_view body);

}  // namespace salespider::answers
