// The language effects: after every command the till speaks
// state.language (i18n::set_active_language); a pick is saved where it
// belongs: the signed-in person's on the server (PUT /api/v1/me/language,
// when a session is there) and with their local account (so an offline
// sign-in speaks it too), the device's own in the local settings.
//
// Deliberately not the choice itself (state/language.hpp) nor the picker (ui/language.cpp).
#pragma once

#include "effects/context.hpp"
#include "state/app_state.hpp"

#include <string>

namespace salespider::effects {

class Language {
 public:
  explicit Language(Context& ctx) : ctx_(ctx) {}
  Language(const Language&) = delete;
  Language& operator=(const Language&) = delete;

  // Reads the device's language back (start-up).
  void start();
  void handle(const state::Command& command, const state::AppState& s);
  // Makes i18n speak the state's language (after every command).
  static void follow(const state::AppState& s);

 private:
  void save_person(const state::User& user);
  Context& ctx_;
};

}  // namespace salespider::effects
