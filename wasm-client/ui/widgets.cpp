// Shared screen pieces; see widgets.hpp.
#include "ui/widgets.hpp"

#include "state/sales_dates.hpp"
#include "ui/theme.hpp"

#include <imgui_internal.h>

#include <salespider/shared/i18n.hpp>
#include <salespider/shared/money_format.hpp>

#include <algorithm>
#include <cstring>
#include <string>

namespace salespider::ui {

const ImVec4 kOnline(0.10f, 0.45f, 0.30f, 1.0f);
const ImVec4 kOffline(0.55f, 0.35f, 0.0f, 1.0f);
const ImVec4 kError(0.70f, 0.10f, 0.10f, 1.0f);
const ImVec4 kMuted(0.40f, 0.42f, 0.45f, 1.0f);
const ImVec4 kPrimary(0.10f, 0.45f, 0.30f, 1.0f);
const ImVec4 kPrimaryHovered(0.12f, 0.52f, 0.35f, 1.0f);
const ImVec4 kPrimaryActive(0.08f, 0.38f, 0.25f, 1.0f);
const ImVec4 kOnPrimary(1.0f, 1.0f, 1.0f, 1.0f);

namespace {

constexpr ImGuiWindowFlags kScreenFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                          ImGuiWindowFlags_NoSavedSettings |
                                          ImGuiWindowFlags_NoBringToFrontOnFocus;
constexpr float kFieldWidthPx = 420.0f;
float g_status_bar_h = 44.0f;

}  // namespace

float status_bar_height() {
  return g_status_bar_h;
}

void set_status_bar_height(float h) {
  g_status_bar_h = h;
}

void wipe(char* buffer, std::size_t size) {
  std::memset(buffer, 0, size);
}

std::string money(const state::AppState& s, std::int64_t minor) {
  Result<Currency> c = find_currency(s.store.currency);
  if (!c) return std::to_string(minor);
  return format_money(Money{minor, c.value()}, i18n::money_format(i18n::active_language()));
}

std::string plain_money(const state::AppState& s, std::int64_t minor) {
  Result<Currency> c = find_currency(s.store.currency);
  if (!c) return std::to_string(minor);
  MoneyFormat plain;
  plain.display = CurrencyDisplay::none;
  plain.grouping = Grouping::none;
  return format_money(Money{minor, c.value()}, plain);
}

std::optional<std::int64_t> typed_amount(const state::AppState& s, const char* text) {
  Result<Currency> c = find_currency(s.store.currency);
  if (!c) return std::nullopt;
  // "12,50" is read like "12.50": people type the decimal comma of their language.
  std::string typed = text;
  if (typed.find('.') == std::string::npos && std::count(typed.begin(), typed.end(), ',') == 1)
    typed[typed.find(',')] = '.';
  Result<Money> m = parse_money(typed, c.value(), MoneyFormat{});
  if (!m) return std::nullopt;
  return m.value().minor;
}

bool begin_screen(const char* name, bool with_status_bar) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float top = with_status_bar ? g_status_bar_h : 0.0f;
  ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x, viewport->WorkPos.y + top));
  ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x, viewport->WorkSize.y - top));
  return ImGui::Begin(name, nullptr, kScreenFlags);
}

void title(const char* text) {
  ImGui::PushFont(title_font());
  ImGui::TextUnformatted(text);
  ImGui::PopFont();
}

void centered_text(const char* text) {
  const float width = ImGui::CalcTextSize(text).x;
  ImGui::SetCursorPosX(std::max(ImGui::GetStyle().WindowPadding.x, (ImGui::GetWindowWidth() - width) * 0.5f));
  ImGui::TextUnformatted(text);
}

bool primary_button(const char* label, ImVec2 size, bool enabled) {
  ImGui::BeginDisabled(!enabled);
  ImGui::PushStyleColor(ImGuiCol_Button, kPrimary);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, kPrimaryHovered);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, kPrimaryActive);
  ImGui::PushStyleColor(ImGuiCol_Text, kOnPrimary);
  const bool pressed = ImGui::Button(label, size);
  ImGui::PopStyleColor(4);
  ImGui::EndDisabled();
  return pressed && enabled;
}

bool button(const char* label, float width, bool enabled) {
  ImGui::BeginDisabled(!enabled);
  const bool pressed = ImGui::Button(label, ImVec2(width, kButtonPx));
  ImGui::EndDisabled();
  return pressed && enabled;
}

void title_with_back(const char* text, const state::AppState& s, std::vector<state::Command>& emitted) {
  title(text);
  constexpr float kBackW = 160.0f;
  const float title_end = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x;
  const float x = std::max(title_end + 24.0f, ImGui::GetWindowWidth() - ImGui::GetStyle().WindowPadding.x - kBackW);
  if (x + kBackW <= ImGui::GetWindowWidth() - ImGui::GetStyle().WindowPadding.x) ImGui::SameLine(x);
  const std::string back = std::string(i18n::tr("Back")) + "###back";
  if (button(back.c_str(), kBackW, !s.busy) || (!s.busy && !s.approval && ImGui::IsKeyPressed(ImGuiKey_Escape, false)))
    emitted.emplace_back(state::Back{});
}

void beside_if_fits(float width) {
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width <= right) ImGui::SameLine();
}

float button_width(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + 2.0f * ImGui::GetStyle().FramePadding.x;
}

float radio_width(const char* label) {
  return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
}

bool wrapped_radio(const char* id, const char* text, bool active) {
  name_field(id, text);
  bool pressed = ImGui::RadioButton(id, active);
  ImGui::SameLine(0.0f, ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  pressed |= ImGui::IsItemClicked();
  return pressed;
}

float field_width() {
  return std::min(kFieldWidthPx, ImGui::GetContentRegionAvail().x);
}

namespace {
std::function<void(ImGuiID, std::string)> g_name_sink;
}  // namespace

void set_field_name_sink(std::function<void(ImGuiID, std::string)> sink) { g_name_sink = std::move(sink); }

void name_field(const char* id_label, const char* name) {
  if (g_name_sink) g_name_sink(ImGui::GetID(id_label), name);
}

bool field(const char* label, const char* id, char* buffer, std::size_t size, ImGuiInputTextFlags flags) {
  ImGui::TextUnformatted(label);
  name_field(id, label);
  ImGui::SetNextItemWidth(field_width());
  return ImGui::InputText(id, buffer, size, flags | ImGuiInputTextFlags_EnterReturnsTrue);
}

void message_line(const state::AppState& s, std::vector<state::Command>& emitted) {
  // A confirmation is a toast (below); only an error holds a line.
  if (!s.message || s.message->kind != state::MessageKind::error) return;
  ImGui::PushStyleColor(ImGuiCol_Text, kError);
  ImGui::TextWrapped("%s", s.message->text.c_str());
  ImGui::PopStyleColor();
  if (ImGui::Button(lbl(i18n::tr("Dismiss"), "##message").c_str(), ImVec2(0.0f, kMinTouchPx))) emitted.emplace_back(state::DismissMessage{});
}

void toast(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (!s.message || s.message->kind != state::MessageKind::info) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float w = vp->WorkSize.x;
  const float text_w = w - 2.0f * style.WindowPadding.x;
  const float text_h = ImGui::CalcTextSize(s.message->text.c_str(), nullptr, false, text_w).y;
  // Over the status bar, as tall as it (taller only for a long message):
  // the screen below keeps its place and every button of it stays where
  // it was. A fixed size: an auto-sized window is laid out elsewhere in its
  // first frame, where a tap would miss.
  const float h = std::max({status_bar_height(), kMinTouchPx, text_h + 2.0f * style.WindowPadding.y});
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(ImVec2(w, h));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, kPrimary);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  constexpr ImGuiWindowFlags kToastFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                           ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                           ImGuiWindowFlags_NoNav;
  if (ImGui::Begin("##toast", nullptr, kToastFlags)) {
    ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());
    ImGui::SetCursorPosY((h - text_h) * 0.5f);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + text_w);
    ImGui::PushStyleColor(ImGuiCol_Text, kOnPrimary);
    ImGui::TextUnformatted(s.message->text.c_str());
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
    // A tap anywhere on it dismisses it before its time.
    ImGui::SetCursorPos(ImVec2(0.0f, 0.0f));
    if (ImGui::InvisibleButton(lbl(i18n::tr("Dismiss"), "##message").c_str(), ImVec2(w, h)))
      emitted.emplace_back(state::DismissMessage{});
  }
  ImGui::End();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
}

void keypad(const char* id, char* buffer, std::size_t size, bool allow_dot, float max_key_px) {
  static const char* const kKeys[12] = {"7", "8", "9", "4", "5", "6", "1", "2", "3", ".", "0", "<"};
  ImGui::PushID(id);
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float key = std::max(kKeypadKeyPx, std::min(max_key_px, (ImGui::GetContentRegionAvail().x - 2 * gap) / 3.0f));
  for (int i = 0; i < 12; ++i) {
    if (i % 3 != 0) ImGui::SameLine();
    const char* k = kKeys[i];
    const bool dot = k[0] == '.';
    const std::string label = std::string(k[0] == '<' ? i18n::trc("key", "Del") : k) + "##key-" + (k[0] == '<' ? "back" : k);
    ImGui::BeginDisabled(dot && !allow_dot);
    if (ImGui::Button(label.c_str(), ImVec2(key, key))) {
      const std::size_t n = std::strlen(buffer);
      if (k[0] == '<') {
        if (n > 0) buffer[n - 1] = 0;
      } else if (n + 1 < size && !(dot && std::strchr(buffer, '.') != nullptr)) {
        buffer[n] = k[0];
        buffer[n + 1] = 0;
      }
    }
    ImGui::EndDisabled();
  }
  ImGui::PopID();
}

// Another tab owns the till: say so plainly, in words (ux.md: never colour only).
void read_only_notice(const state::AppState& state) {
  if (!state.storage.read_only) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.60f, 0.30f, 0.0f, 1.0f));
  ImGui::TextWrapped("%s",
                     state.storage.available
                         ? i18n::tr("Read-only: the till is open in another tab. Close that tab, then reload this one to sell here.")
                         : i18n::tr("Read-only: this browser gives the till no storage, so nothing can be recorded."));
  ImGui::PopStyleColor();
}

bool touch_input() {
  return ImGui::GetIO().MouseSource == ImGuiMouseSource_TouchScreen;
}

std::string lbl(const char* text, const char* id) {
  return std::string(text) + id;
}

std::string with_key(const char* label, const char* key, const char* id) {
  std::string out = label;
  // Key caps with words on them are named as the keyboards of the language print them.
  const std::string_view k = key;
  const char* cap = k == "Esc" ? i18n::trc("key", "Esc") : k == "Enter" ? i18n::trc("key", "Enter")
                    : k == "Del" ? i18n::trc("key", "Del") : key;
  if (!touch_input()) out += std::string(" (") + cap + ")";
  return out + "###" + id;
}

void date_field(const char* label, const char* id, char* buffer, std::size_t size, bool& enter, float width) {
  ImGui::BeginGroup();
  ImGui::TextUnformatted(label);
  ImGui::SetNextItemWidth(width);
  name_field(id, label);
  enter |= ImGui::InputTextWithHint(id, "YYYY-MM-DD", buffer, size, ImGuiInputTextFlags_EnterReturnsTrue);
  const std::string problem = state::date_problem(buffer);
  if (!problem.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::TextColored(kError, "%s", problem.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::EndGroup();
}

}  // namespace salespider::ui
