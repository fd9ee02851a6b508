// The shifts archive screen (back office, managers): see state/shifts_archive.hpp.
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

void shifts_archive(const state::AppState& s, std::vector<state::Command>& emitted);

}  // namespace salespider::ui
