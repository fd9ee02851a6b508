// The language picker; see language.hpp. Buttons keep the id "##lang-<code>"
// so tests find them whatever language the till speaks.
#include "ui/language.hpp"

#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>
#include <salespider/shared/i18n.hpp>

#include <string>

namespace salespider::ui {

void language_picker(const state::AppState& s, std::vector<state::Command>& emitted) {
  ImGui::TextUnformatted(s.user ? i18n::tr("My language:") : i18n::tr("Language of this device:"));
  for (const std::string& lang : i18n::languages()) {
    const std::string label = i18n::language_name(lang) + "##lang-" + lang;
    beside_if_fits(button_width(label.c_str()));
    const bool on = s.language == lang;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.80f, 0.88f, 0.97f, 1.0f));
    if (ImGui::Button(label.c_str(), ImVec2(0.0f, kMinTouchPx)) && !on && !s.busy)
      emitted.emplace_back(state::SetLanguage{lang});
    if (on) ImGui::PopStyleColor();
  }
}

}  // namespace salespider::ui
