// The till's screens. Each frame, draw() reads the AppState and appends the
// Commands the user triggered; it never changes state itself and never calls
// into platform/, store/ or sync/.
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

void draw(const state::AppState& state, std::vector<state::Command>& emitted);

}  // namespace salespider::ui
