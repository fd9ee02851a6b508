// The back office's Settings screen (owner: manage_settings). See settings.cpp.
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

void settings(const state::AppState& s, std::vector<state::Command>& emitted);

}  // namespace salespider::ui
