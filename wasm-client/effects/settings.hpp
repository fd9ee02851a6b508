// Settings effects: the Settings screen's calls to the store server (GET
// and PATCH /api/v1/settings, GET /api/v1/tax-rates for the default tax rate
// picker) with the signed-in person's session, answered with SettingsLoaded
// and SettingsSaved; offline (no answer, or an offline sign-in) the screen
// gets the till's own copy, read-only. And the logo: a PNG or JPEG chosen
// through platform/files, read as a data: URL.
//
// Acts only on what the reducer accepted (state/settings.cpp). Deliberately
// not here: the rules (the server's), parsing (answers/settings_answers).
#pragma once

#include "effects/context.hpp"
#include "state/app_state.hpp"

namespace salespider::effects {

class SettingsEffects {
 public:
  explicit SettingsEffects(Context& ctx) : ctx_(ctx) {}
  SettingsEffects(const SettingsEffects&) = delete;
  SettingsEffects& operator=(const SettingsEffects&) = delete;

  // `s` is the state right after the command was reduced.
  void handle(const state::Command& command, const state::AppState& s);

 private:
  void load(const state::AppState& s);
  void save(const state::AppState& s);
  void pick_logo();

  Context& ctx_;
};

}  // namespace salespider::effects
