// state().staff and state().tills for tests: the Staff and Tills screens as
// JSON (the people with their status and whether the signed-in person may
// change them, the person open with their sessions, the last refusal; the
// tills with their health, the enrolment code just made). The shape is
// documented in www/app.js with the rest of state().
#pragma once

#include "automation/json_writer.hpp"
#include "state/app_state.hpp"

namespace salespider::automation {

void staff_json(JsonWriter& json, const state::AppState& state);
void tills_json(JsonWriter& json, const state::TillsState& tills);

}  // namespace salespider::automation
