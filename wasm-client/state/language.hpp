// Which language the till speaks: the signed-in person's own choice, else
// the store's default (the pulled settings), else the language picked on
// this device before anyone signed in, else English. Only languages of the
// message catalogue count (i18n::has_language); anything else falls through.
//
// Deliberately only the choice: effects/ tell i18n (set_active_language),
// save it on the server and keep it locally.
#pragma once

#include "state/app_state.hpp"

#include <string>

namespace salespider::state {

std::string active_language_of(const AppState& state);

// SetLanguage and DeviceLanguageLoaded; false for any other command.
bool reduce_language(AppState& state, const Command& command);

}  // namespace salespider::state

namespace salespider::state {

// The pattern dates are shown in: the store's date_format when set, else
// the active language's default (i18n::date_pattern).
std::string date_pattern_of(const AppState& state);

}  // namespace salespider::state
