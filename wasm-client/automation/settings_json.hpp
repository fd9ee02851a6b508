// state().settings for tests: the Settings screen (loading, offline, the
// last error and the field it names, a stale save's conflict, the settings
// as read and as drafted) and state().store's new fields. The shape is
// documented in www/app.js with the rest of state().
#pragma once

#include "automation/json_writer.hpp"
#include "state/app_state.hpp"

namespace salespider::automation {

void settings_json(JsonWriter& json, const state::SettingsScreen& screen);
// The store settings the till applies (StoreInfo), inside state().store.
void store_settings_fields(JsonWriter& json, const state::StoreInfo& store);

}  // namespace salespider::automation
