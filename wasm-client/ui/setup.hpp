// The first-run setup wizard (setup.cpp): the owner's steps through a new
// store's settings. Reads the AppState and emits Commands only.
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

void setup_wizard(const state::AppState& s, std::vector<state::Command>& emitted);

}  // namespace salespider::ui
