// state() for tests: the History's filters and totals, and the shifts
// archive, as JSON —
// history_filters: {filter: {server, text, from, to, tender, refunded_only,
//   cashier, till}, refunded, cashiers: [{id, name}], tills: [{id, name}],
//   exporting, exported, export_error},
// shifts_archive: {filter: {from, to, till}, loading, error, next, items:
//   [{id, till, cashier, opened, closed, expected, counted, over_short,
//   sales_count, sales_total}], selected, report_loading, report_error,
//   report: {shift_id, closed, till, cashier, json} | null, over_short_loading,
//   over_short_error, over_short: {cashiers: [{user_id, name, shifts, over,
//   short, net}], shifts, over, short, net} | null, tills: [{id, code}]}.
// (history keeps its older keys in state_json.cpp; these sit beside it.)
#pragma once

#include "automation/json_writer.hpp"
#include "state/app_state.hpp"

namespace salespider::automation {

// Writes the keys "history_filters" and "shifts_archive" into the object being written.
void sales_reports_json(JsonWriter& json, const state::AppState& s);

}  // namespace salespider::automation
