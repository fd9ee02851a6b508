// The receipt printer on screen: its own screen (from Device), and one
// line about the newest print job (under "Sale complete" and on the Device
// screen) with "Print again" when it failed.
// Ids for the automation bridge: "##printer-<link>" (dialog, serial, usb,
// network), "###printer-choose", "##printer-baud", "##printer-net-<id>",
// "###printer-refresh", "##paper-80"/"##paper-58", "##printer-code-page",
// "##printer-qr", "##printer-cut", "##printer-drawer", "##printer-auto",
// "###printer-test", "###print-again".
// Deliberately not here: the jobs and transports (effects/receipt_printer.cpp),
// the rules (state/printer.cpp).
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

// The printer screen (Device → "Receipt printer").
void printer_screen(const state::AppState& s, std::vector<state::Command>& emitted);
// "Receipt paper: (o) 80 mm ( ) 58 mm", on Device and the printer screen.
void paper_choice(const state::AppState& s, std::vector<state::Command>& emitted);
// Nothing when this page printed nothing yet.
void print_job_line(const state::AppState& s, std::vector<state::Command>& emitted);

}  // namespace salespider::ui
