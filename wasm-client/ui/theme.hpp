// The till's look: fonts, sizes and colours shared by every screen.
//
// All sizes are CSS pixels (ImGui's display is measured in CSS pixels; the
// platform layer maps them to device pixels). Deliberately not here: deciding
// when to rebuild fonts (the platform layer knows when devicePixelRatio
// changes) or where the TTF comes from (the app passes the path).
#pragma once

#include <imgui.h>

namespace salespider::ui {

// ux.md: text >= 16 px, touch targets >= 44 px, primary actions >= 56 px.
inline constexpr float kBodyFontPx = 18.0f;
inline constexpr float kTitleFontPx = 40.0f;
inline constexpr float kMinTouchPx = 44.0f;
inline constexpr float kPrimaryButtonPx = 64.0f;
inline constexpr float kButtonPx = 56.0f;

void apply_style(ImGuiStyle& style);

// Adds the body (first, hence ImGui's default) and title fonts to an empty
// atlas, rasterised at size x dpr so glyphs map 1:1 to device pixels; the
// caller sets io.FontGlobalScale = 1/dpr. Falls back to ImGui's built-in
// font (and returns false) when the TTF cannot be read.
bool build_fonts(ImFontAtlas& atlas, const char* ttf_path, float dpr);

// The large font for screen titles and totals; never null after build_fonts().
ImFont* title_font();

}  // namespace salespider::ui
