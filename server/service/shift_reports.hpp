// A shift's report from what the server recorded for it: the stored inputs
// (db/history.hpp ShiftReportInputs) turned into shared/'s ShiftInputs and
// added up by shared/'s compute_shift_report, the same function the till
// uses, so the server's X and Z reports equal the till's for the same ops.
// Used at a shift's close (its expected cash) and by GET /api/v1/shifts/{id}/report.
// Deliberately no SQL and no HTTP here.
#pragma once

#include "db/history.hpp"
#include "salespider/shared/shift_report.hpp"

namespace salespider::service {

// Errors: a stored sale payload that no longer decodes or computes, a
// currency the library does not know, and compute_shift_report's own.
Result<ShiftReport> shift_report_of(const db::ShiftReportInputs& inputs);

}  // namespace salespider::service
