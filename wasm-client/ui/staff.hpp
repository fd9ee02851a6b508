// The back office's Staff screen (staff.cpp) and Tills screen (tills.cpp),
// and the Enrol screen's "Enrol with a code" form (tills.cpp). Like every
// screen they read the AppState and emit Commands.
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

void staff(const state::AppState& s, std::vector<state::Command>& emitted);
void tills(const state::AppState& s, std::vector<state::Command>& emitted);
// Drawn on the Enrol screen under the manager sign-in.
void enrol_with_code(const state::AppState& s, std::vector<state::Command>& emitted);

}  // namespace salespider::ui
