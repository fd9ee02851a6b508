// What the till prints, filled from the app state: the receipt of the sale
// just completed, a reprint of a sale from the history (both through one
// fill of receipt/'s ReceiptInput), and the X/Z shift report as HTML.
//
// Value in, text out; the effects hand the result to platform/page.hpp.
// Deliberately not here: the receipt's layout (receipt/), what a sale or a
// report adds up to (shared/), and printing itself.
#pragma once

#include "receipt/receipt.hpp"
#include "state/app_state.hpp"

#include <string>

namespace salespider::effects {

// The receipt's store part (name, address, tax id, header, footer, time
// zone, till, paper) for a sale printed on this till.
receipt::ReceiptInput store_receipt(const state::AppState& s);
// s.completed, the sale just recorded; a copy from the second print on.
receipt::ReceiptInput completed_receipt(const state::AppState& s);
// s.sale_detail, a sale from the history, always marked as a copy.
receipt::ReceiptInput reprint_receipt(const state::AppState& s);
// s.report as a printable 80 mm page, with the report's JSON for tests.
std::string shift_report_html(const state::AppState& s);
// The same for any shift's report (the shifts archive: another till's Z report).
std::string shift_report_html(const state::AppState& s, const state::ShiftReportView& v, const std::string& till_code);

}  // namespace salespider::effects
