// AppState as the JSON object window.salespider.state() returns.
//
// The shape is a test contract (tests/browser read it): add fields, never
// rename or drop one without changing the tests. Not a persistence format.
#pragma once

#include "state/app_state.hpp"

#include <string>
#include <string_view>

namespace salespider::automation {

// `text_input`: a text field has the keyboard focus (ImGui's WantTextInput).
std::string state_json(const state::AppState& state, std::string_view version, bool text_input = false);

}  // namespace salespider::automation
