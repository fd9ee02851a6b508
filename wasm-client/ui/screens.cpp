// Welcome and till screens. Each screen is one full-viewport ImGui window
// with its own name, so item ids (and thus widgets() ids) differ per screen
// and stay stable across reloads. Keyboard: Enter opens the till, Esc goes
// back (ux.md).
#include "ui/screens.hpp"

#include "ui/theme.hpp"

#include <imgui.h>

#include <algorithm>

namespace salespider::ui {

namespace {

constexpr ImGuiWindowFlags kScreenFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                          ImGuiWindowFlags_NoSavedSettings |
                                          ImGuiWindowFlags_NoBringToFrontOnFocus;

bool begin_screen(const char* name) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  return ImGui::Begin(name, nullptr, kScreenFlags);
}

void centered_text(const char* text) {
  const float width = ImGui::CalcTextSize(text).x;
  ImGui::SetCursorPosX(std::max(ImGui::GetStyle().WindowPadding.x, (ImGui::GetWindowWidth() - width) * 0.5f));
  ImGui::TextUnformatted(text);
}

bool primary_button(const char* label, ImVec2 size) {
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.10f, 0.45f, 0.30f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.12f, 0.52f, 0.35f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(0.08f, 0.38f, 0.25f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 1.0f, 1.0f, 1.0f));
  const bool pressed = ImGui::Button(label, size);
  ImGui::PopStyleColor(4);
  return pressed;
}

// Another tab owns the till: say so plainly, in words (ux.md: never colour only).
void read_only_notice(const state::AppState& state) {
  if (!state.storage.read_only) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.60f, 0.30f, 0.0f, 1.0f));
  centered_text(
      state.storage.available
          ? "Read-only: the till is open in another tab. Close that tab, then reload this one to sell here."
          : "Read-only: this browser gives the till no storage, so nothing can be recorded.");
  ImGui::PopStyleColor();
}

void welcome(const state::AppState& state, std::vector<state::Command>& emitted) {
  if (begin_screen("Welcome##screen")) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float title_h = title_font()->FontSize * ImGui::GetIO().FontGlobalScale;
    const float content_h = title_h + style.ItemSpacing.y + ImGui::GetTextLineHeight() +
                            2.0f * style.ItemSpacing.y + kPrimaryButtonPx;
    ImGui::SetCursorPosY(std::max(style.WindowPadding.y, (ImGui::GetWindowHeight() - content_h) * 0.5f));

    ImGui::PushFont(title_font());
    centered_text("SaleSpider");
    ImGui::PopFont();
    centered_text("Point of sale that keeps selling offline");
    read_only_notice(state);
    ImGui::Dummy(ImVec2(0.0f, style.ItemSpacing.y));

    const float button_w = std::min(360.0f, ImGui::GetContentRegionAvail().x);
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - button_w) * 0.5f);
    if (primary_button("Open till", ImVec2(button_w, kPrimaryButtonPx)) ||
        ImGui::IsKeyPressed(ImGuiKey_Enter, false))
      emitted.emplace_back(state::OpenTill{});
  }
  ImGui::End();
}

void till(const state::AppState& state, std::vector<state::Command>& emitted) {
  if (begin_screen("Till##screen")) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const ImVec2 row = ImGui::GetCursorPos();
    constexpr float kBackWidth = 120.0f;
    // The title is placed first, on a line of its own, then the button is
    // put back at the row's start: vertical centring with SameLine()
    // would inherit the button's text baseline offset.
    ImGui::PushFont(title_font());
    const float title_h = ImGui::GetTextLineHeight();
    ImGui::SetCursorPos(
        ImVec2(row.x + kBackWidth + style.ItemSpacing.x * 2.0f, row.y + (kButtonPx - title_h) * 0.5f));
    ImGui::TextUnformatted("Till");
    ImGui::PopFont();
    ImGui::SetCursorPos(row);
    if (ImGui::Button("Back", ImVec2(kBackWidth, kButtonPx)) || ImGui::IsKeyPressed(ImGuiKey_Escape, false))
      emitted.emplace_back(state::Back{});
    ImGui::Separator();

    ImGui::TextWrapped("The till is open. Products, the cart and Pay arrive in the next issues.");
    ImGui::Text("Opened %d %s in this session.", state.tills_opened,
                state.tills_opened == 1 ? "time" : "times");
  }
  ImGui::End();
}

}  // namespace

void draw(const state::AppState& state, std::vector<state::Command>& emitted) {
  switch (state.screen) {
    case state::Screen::Welcome:
      welcome(state, emitted);
      break;
    case state::Screen::Till:
      till(state, emitted);
      break;
  }
}

}  // namespace salespider::ui
