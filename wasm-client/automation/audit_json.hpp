// state() for tests: the oversight and first-run screens as JSON —
// audit: {filter, rows: [{id, action, entity, actor, changes, request_id,
// hash, chain_pos}], selected, older, newer, loading, error, verdict,
// verdict_text, verify_error, exporting, exported, people}, attention_ops:
// [{op_id, kind, status, code}], attention_desk: {acting_on, answer,
// answer_error, may_act}, setup: {checked, active, step, saving, error,
// error_field, done, settings}. The shape is documented in www/app.js with
// the rest of state().
#pragma once

#include "automation/json_writer.hpp"
#include "state/app_state.hpp"

namespace salespider::automation {

// Writes the keys "audit", "attention_ops", "attention_desk" and "setup"
// into the object being written.
void oversight_json(JsonWriter& json, const state::AppState& s);

}  // namespace salespider::automation
