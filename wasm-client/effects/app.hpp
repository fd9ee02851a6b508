// The till application: owns the AppState, runs the UI each frame, applies
// the commands it emits, and answers the automation bridge.
//
// Free of Emscripten: the platform layer calls frame()/presented(), main.cpp
// wires both together and exports the bridge. Deliberately not here: storage,
// sync, sign-in and recording sales — the controller (effects/till_controller.hpp)
// sees every command after it was reduced (set_effects) and answers with
// further commands through apply().
#pragma once

#include "automation/item_collector.hpp"
#include "state/app_state.hpp"
#include "ui/theme.hpp"

#include <imgui.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace salespider::effects {

class App {
 public:
  // Creates the ImGui context, the item collector and the style.
  explicit App(std::string version);
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Where the font files sit in the wasm file system (packed into
  // salespider.data at link time): the base font, and the directory of the
  // script fonts (ui::script_fonts()).
  static constexpr const char* kFontPath = "/fonts/DejaVuSans.ttf";
  static constexpr const char* kFontDir = "/fonts";

  // Into an emptied atlas: the base glyphs plus every catalog glyph so far.
  void build_fonts(ImFontAtlas& atlas, float dpr);
  // The characters the catalog uses (store::catalog_glyphs(): distinct code
  // points above U+007F), after each pull. The set only grows: when this
  // adds characters, the atlas is emptied after the current frame and the
  // platform layer rebuilds it (build_fonts) before the next one. Callable
  // at any time, also from inside frame().
  void set_catalog_glyphs(std::vector<char32_t> glyphs);
  // Between ImGui::NewFrame() and ImGui::Render(). True when the UI emitted
  // commands, i.e. the state it drew is already out of date.
  bool frame();
  // After the frame reached the canvas.
  void presented();
  void apply(const state::Command& command);
  const state::AppState& state() const { return state_; }

  // Called after each command was reduced, with the new state.
  using Effects = std::function<void(const state::Command&, const state::AppState&)>;
  void set_effects(Effects effects) { effects_ = std::move(effects); }

  // JSON for window.salespider; the pointers stay valid until the next call.
  const char* state_json();
  const char* widgets_json();

 private:
  struct ContextDeleter {
    void operator()(ImGuiContext* ctx) const { ImGui::DestroyContext(ctx); }
  };

  std::string version_;
  // Every catalog glyph seen so far (sorted), the plan the atlas was last
  // built from (ImGui points into its ranges until the atlas is cleared),
  // and whether the atlas must be rebuilt after this frame.
  std::vector<char32_t> catalog_glyphs_;
  ui::GlyphPlan glyph_plan_;
  bool fonts_stale_ = false;
  // Declared before collector_: the collector unhooks itself from a
  // context that must still be alive.
  std::unique_ptr<ImGuiContext, ContextDeleter> imgui_;
  automation::ItemCollector collector_;
  state::AppState state_;
  std::vector<state::Command> emitted_;
  Effects effects_;
  std::string state_json_;
  std::string widgets_json_;
};

}  // namespace salespider::effects
