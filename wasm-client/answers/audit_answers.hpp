// The store server's answers the oversight and first-run screens read:
// GET /api/v1/audit (a page of rows, with the old and new values of a
// change picked out of each row's detail), GET /api/v1/audit/verify, the
// staff list for the actor filter, the answer to an attention action, and
// GET /api/v1/settings for the first-run setup. docs/api.md has the shapes.
// Strict about the fields used: a malformed answer is nullopt. No I/O.
#pragma once

#include "state/app_state.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::answers {

// Rows newest first; time_text and actor_name are left for the caller.
std::optional<std::vector<state::AuditRow>> parse_audit_rows(std::string_view body);
// The changed fields of a row's detail JSON text: {before, after} or
// {old, new} objects (only fields that differ), or {changed|changes: {field:
// {old, new}}} (settings.update).
std::vector<state::AuditRow::Change> detail_changes(std::string_view detail);
std::optional<state::AuditVerdict> parse_audit_verdict(std::string_view body);
std::optional<std::vector<state::AuditPerson>> parse_audit_people(std::string_view body);
// POST /api/v1/ops/{id}/retry's {op_id, status, code, message}, in words.
std::optional<std::string> retry_outcome(std::string_view body);
std::optional<state::SetupSettings> parse_setup_settings(std::string_view body);
// A refused PATCH /api/v1/settings: {"error":{field, message, current?}};
// `current` is the settings as they are now (a stale write).
struct SetupRefusal {
  std::string field;
  std::optional<state::SetupSettings> current;
};
SetupRefusal parse_setup_refusal(std::string_view body);
// POST /api/v1/tax-rates's answer: the new rate's id.
std::optional<std::string> created_id(std::string_view body);

}  // namespace salespider::answers
