// The first-run setup wizard (setup.cpp): the owner's steps through a new
// store's settings. Reads the AppState and emits Commands only.
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

void setup_wizard(const state::AppState& s, std::vector<state::Command>& emitted);

// Shown while the server refuses this till's credential (retired, replaced,
// unknown): how many ops are not on the server yet, an Export button, and
// the enrolment-code form a manager re-enrols this browser with (the old ops
// are then handed over, docs/reliability.md "Hand-over of a retired till").
void retired_till_notice(const state::AppState& s, std::vector<state::Command>& emitted);

}  // namespace salespider::ui
