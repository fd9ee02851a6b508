// Parsing the server's answers for the Staff and Tills screens:
// GET /api/v1/users, GET /api/v1/sessions, GET /api/v1/tills joined with
// GET /api/v1/sync/health, POST /api/v1/tills/enrol-codes (docs/api.md).
// Forgiving about fields the screens do not need, strict about the ones
// they use: a malformed answer is nullopt. No I/O.
#pragma once

#include "state/staff.hpp"
#include "state/tills.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::answers {

std::optional<std::vector<state::StaffMember>> parse_staff(std::string_view body);
// One user (POST /api/v1/users answers with it): its id, or "".
std::string parse_user_id(std::string_view body);
std::optional<std::vector<state::StaffSession>> parse_staff_sessions(std::string_view body);
// The tills, each with its health when `health_body` has it (it may be
// empty: no health known). Active tills first, then retired ones.
std::optional<std::vector<state::StoreTill>> parse_store_tills(std::string_view tills_body,
                                                               std::string_view health_body);
std::optional<state::EnrolCodeShown> parse_enrol_code(std::string_view body);

}  // namespace salespider::answers
