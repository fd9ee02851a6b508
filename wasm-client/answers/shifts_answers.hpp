// The store server's answers the shifts archive reads: a page of
// GET /api/v1/shifts, one shift's report (GET /api/v1/shifts/{id}/report:
// the "report" object is encode_shift_report_json of the server's
// ShiftReport, read back here into the same struct the till's own X/Z
// reports use), and over/short per cashier (GET /api/v1/shifts/over-short).
// docs/api.md has the shapes. Strict about the fields used: a malformed
// answer is nullopt, never a half-filled value. Times come back as ms; the
// caller formats them in the store's time zone. No I/O.
#pragma once

#include "state/shifts_archive.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::answers {

struct ShiftsPage {
  std::vector<state::ArchivedShift> items;  // opened_text / closed_text left empty
  std::string next_cursor;
};
std::optional<ShiftsPage> parse_shifts_page(std::string_view body);

// The whole /report answer: its "shift" (as in the list) and "report".
struct ShiftReportAnswer {
  state::ArchivedShift shift;
  ShiftReport report;
};
std::optional<ShiftReportAnswer> parse_shift_report(std::string_view body);

std::optional<state::OverShort> parse_over_short(std::string_view body);

}  // namespace salespider::answers
