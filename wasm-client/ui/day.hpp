// The rest of the day's screens ([9/9]): shift, sales history with a sale's
// detail, refund (day.cpp). The needs-attention list is in audit.hpp.
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

void shift(const state::AppState& s, std::vector<state::Command>& emitted);
void history(const state::AppState& s, std::vector<state::Command>& emitted);
void refund(const state::AppState& s, std::vector<state::Command>& emitted);
// A shift's X or Z report as rows (the Shift screen's and the archive's).
void shift_report_rows(const state::AppState& s, const ShiftReport& r);

}  // namespace salespider::ui
