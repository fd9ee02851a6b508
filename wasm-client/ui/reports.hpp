// The owners' report screens (reports.cpp): the Dashboard (a period's
// figures against the one before, charts) and the Reorder list. Like every
// screen they read the AppState and emit Commands; the controller talks to
// the server.
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

void dashboard(const state::AppState& s, std::vector<state::Command>& emitted);
void reorder(const state::AppState& s, std::vector<state::Command>& emitted);

}  // namespace salespider::ui
