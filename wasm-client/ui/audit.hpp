// The managers' oversight screens (audit.cpp): the audit log viewer and the
// needs-attention list with its actions. Like every screen they read the
// AppState and emit Commands; the controller talks to the server.
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

void audit_log(const state::AppState& s, std::vector<state::Command>& emitted);
void attention(const state::AppState& s, std::vector<state::Command>& emitted);

}  // namespace salespider::ui
