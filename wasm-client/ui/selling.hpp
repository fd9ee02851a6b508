// The selling screens (ux.md "Layout" and "Flow of a sale"): the till
// (search, category chips, product tiles, the cart with its edit keypad and
// totals, Pay), the payment screen (tenders, split, cash quick amounts and
// keypad), parked sales, and the manager's approval on top of them.
//
// Layouts: landscape puts products left (~60%) and the cart right; portrait
// (a phone) gives products the screen and the cart a bottom sheet whose
// total and Pay button never scroll away.
// Keyboard (docs/till.md "Keyboard"): F1 help, F2 search, F3 quantity of
// the last line, F4 cash exact, F6 pay, F7 print receipt, F8 park, F9
// parked sales, +/- quantity, Del remove line, Esc back, Enter confirm. A
// keyboard-wedge scanner's fast burst of characters + Enter is a scan even
// when no field has focus.
// Deliberately not here: shifts, history and refunds ([9/9]).
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

void till(const state::AppState& s, std::vector<state::Command>& emitted);
void pay(const state::AppState& s, std::vector<state::Command>& emitted);
void parked(const state::AppState& s, std::vector<state::Command>& emitted);
void approval(const state::AppState& s, std::vector<state::Command>& emitted);

}  // namespace salespider::ui
