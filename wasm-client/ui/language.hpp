// The language picker: one button per catalogue language, named in its own
// language ("Deutsch", "Français"). On the Device screen it sets the signed-in
// person's language (the device's when nobody is signed in); on the Login
// screen the device's, before anyone signs in.
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

void language_picker(const state::AppState& s, std::vector<state::Command>& emitted);

}  // namespace salespider::ui
