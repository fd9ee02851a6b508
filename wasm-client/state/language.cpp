// The till's active language; see language.hpp.
#include "state/language.hpp"

#include <salespider/shared/i18n.hpp>

#include <variant>

namespace salespider::state {

namespace {
bool usable(const std::string& lang) {
  return !lang.empty() && i18n::has_language(lang);
}
}  // namespace

std::string active_language_of(const AppState& s) {
  if (s.user && usable(s.user->language)) return s.user->language;
  // Before anyone signs in, the device's own pick beats the store's default:
  // someone chose it on this very till.
  if (!s.user && usable(s.device_language)) return s.device_language;
  if (usable(s.store.language)) return s.store.language;
  return "en";
}

bool reduce_language(AppState& s, const Command& command) {
  if (const auto* c = std::get_if<SetLanguage>(&command)) {
    const std::string lang = c->language.empty() || i18n::has_language(c->language) ? c->language : std::string();
    if (s.user) {
      s.user->language = lang;
      for (KnownUser& k : s.known_users)
        if (k.id == s.user->id) k.language = lang;
    } else {
      s.device_language = lang;
    }
    return true;
  }
  if (const auto* c = std::get_if<DeviceLanguageLoaded>(&command)) {
    s.device_language = c->language;
    return true;
  }
  return false;
}

}  // namespace salespider::state

namespace salespider::state {

std::string date_pattern_of(const AppState& s) {
  if (!s.store.date_format.empty()) return s.store.date_format;
  return i18n::date_pattern(s.language);
}


}  // namespace salespider::state
