// The store server's report answers the Dashboard and Reorder screens read:
// GET /api/v1/reports/dashboard and GET /api/v1/reports/reorder (docs/api.md).
// Strict about the fields the screens need (a malformed answer is nullopt),
// forgiving about optional arrays (missing reads as empty) and nulls (cost,
// gross margin, days of cover). A sum beyond int64 comes as a decimal
// string and is kept exactly (state::Sum). No I/O.
#pragma once

#include "state/reports.hpp"

#include <optional>
#include <string_view>

namespace salespider::answers {

std::optional<state::DashboardData> parse_dashboard(std::string_view body);
std::optional<state::ReorderData> parse_reorder(std::string_view body);

}  // namespace salespider::answers
