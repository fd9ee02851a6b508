// App: the per-frame cycle (draw, collect commands, reduce) and the bridge
// answers. Commands are applied after the whole UI was drawn, so one frame
// always shows one consistent state.
#include "effects/app.hpp"

#include "automation/state_json.hpp"
#include "ui/screens.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <cstdio>
#include <utility>

namespace salespider::effects {

namespace {

// The collector must be built on a live context, so the context is created
// in the member initialiser list through this helper; App owns it.
ImGuiContext* create_imgui_context() {
  IMGUI_CHECKVERSION();
  ImGuiContext* ctx = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  // Window layout is code, not user state: no imgui.ini in the wasm FS.
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  // Enter in a text field confirms and keeps the field active with its text
  // selected: a barcode scanner's next code replaces the last one instead
  // of losing its first characters while the field is re-focused.
  io.ConfigInputTextEnterKeepActive = true;
  ui::apply_style(ImGui::GetStyle());
  return ctx;
}

}  // namespace

App::App(std::string version)
    : version_(std::move(version)), imgui_(create_imgui_context()), collector_(*imgui_) {
  ui::set_field_name_sink([this](ImGuiID id, std::string name) { collector_.name_item(id, std::move(name)); });
}

void App::build_fonts(ImFontAtlas& atlas, float dpr) {
  glyph_plan_ = ui::plan_glyphs(catalog_glyphs_);
  if (!ui::build_fonts(atlas, ui::FontFiles{kFontPath, kFontDir}, glyph_plan_, dpr))
    std::fprintf(stderr, "salespider: font %s missing, using ImGui's built-in font\n", kFontPath);
  fonts_stale_ = false;
}

void App::set_catalog_glyphs(std::vector<char32_t> glyphs) {
  if (ui::merge_glyphs(catalog_glyphs_, glyphs)) fonts_stale_ = true;
}

bool App::frame() {
  ui::draw(state_, emitted_);
  const bool changed = !emitted_.empty();
  for (const state::Command& command : emitted_) apply(command);
  emitted_.clear();
  return changed;
}

void App::presented() {
  if (!state_.ready) apply(state::FirstFrameRendered{});
  // Outside NewFrame/Render, where the atlas may change. The platform layer
  // rebuilds an empty atlas before the next frame.
  if (fonts_stale_) {
    ImGui::GetIO().Fonts->Clear();
    fonts_stale_ = false;
  }
}

void App::apply(const state::Command& command) {
  state_ = state::reduce(std::move(state_), command);
  // May apply() further commands (a synchronous answer such as a barcode
  // found in the local catalog); they are reduced before this returns.
  if (effects_) effects_(command, state_);
}

const char* App::state_json() {
  state_json_ = automation::state_json(state_, version_, ImGui::GetIO().WantTextInput);
  return state_json_.c_str();
}

const char* App::widgets_json() {
  widgets_json_ = collector_.widgets_json();
  return widgets_json_.c_str();
}

}  // namespace salespider::effects
