// What the till says about the guards of issue 23 ("nothing lost"): storage
// the browser may evict while sales wait to go up, and pulled changes kept
// because this build could not apply them yet (for managers). The status
// bar shows the short lines; the Device screen explains what to do.
// Deliberately not here: deciding any of it (state/, effects/, sync/).
#pragma once

#include "state/app_state.hpp"

#include <string>
#include <vector>

namespace salespider::ui {

// The status bar's warnings, in order; empty when all is well.
std::vector<std::string> guard_status_notes(const state::AppState& s);

// The Device screen's explanation (how to install the app, what the kept
// changes mean). Draws ImGui text; nothing when all is well.
void guard_device_notes(const state::AppState& s);

}  // namespace salespider::ui
