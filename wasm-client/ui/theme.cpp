// Fonts and style. The glyph ranges list every character the till prints:
// ImGui 1.90 bakes glyphs ahead of time, so a missing range shows as '?'.
#include "ui/theme.hpp"

#include <imgui_internal.h>

#include <cstddef>

namespace salespider::ui {

namespace {

// Latin-1, dashes and quotes, bullet, ellipsis, the currency block
// (₦ € £ ₹ ...), and the circles of the status bar's online mark. Must stay alive as long as the atlas: static storage.
const ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF, 0x2013, 0x2014, 0x2018, 0x201E, 0x2022, 0x2022, 0x2026, 0x2026, 0x20A0, 0x20C0,
    0x25CB, 0x25CF, 0,
};

// Owned by the ImGui atlas; only borrowed here.
ImFont* g_title_font = nullptr;

ImFont* add_ttf(ImFontAtlas& atlas, const char* ttf_path, float size_px) {
  std::size_t size = 0;
  void* data = ImFileLoadToMemory(ttf_path, "rb", &size);
  if (data == nullptr || size == 0) return nullptr;
  ImFontConfig config;
  // The atlas frees the data with IM_FREE, matching ImFileLoadToMemory.
  config.FontDataOwnedByAtlas = true;
  return atlas.AddFontFromMemoryTTF(data, static_cast<int>(size), size_px, &config, kGlyphRanges);
}

}  // namespace

bool build_fonts(ImFontAtlas& atlas, const char* ttf_path, float dpr) {
  ImFont* body = add_ttf(atlas, ttf_path, kBodyFontPx * dpr);
  if (body == nullptr) {
    ImFontConfig config;
    config.SizePixels = 13.0f * dpr;
    atlas.AddFontDefault(&config);
    g_title_font = atlas.Fonts[0];
    return false;
  }
  g_title_font = add_ttf(atlas, ttf_path, kTitleFontPx * dpr);
  if (g_title_font == nullptr) g_title_font = body;
  return true;
}

ImFont* title_font() {
  IM_ASSERT(g_title_font != nullptr && "build_fonts() not called");
  return g_title_font;
}

void apply_style(ImGuiStyle& style) {
  ImGui::StyleColorsLight(&style);
  style.WindowPadding = ImVec2(24.0f, 24.0f);
  style.FramePadding = ImVec2(16.0f, 12.0f);
  style.ItemSpacing = ImVec2(12.0f, 12.0f);
  style.ItemInnerSpacing = ImVec2(10.0f, 8.0f);
  style.ScrollbarSize = 20.0f;
  style.GrabMinSize = 24.0f;
  style.WindowRounding = 0.0f;
  style.FrameRounding = 8.0f;
  style.WindowBorderSize = 0.0f;

  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1.0f);
  c[ImGuiCol_Text] = ImVec4(0.10f, 0.11f, 0.12f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.86f, 0.87f, 0.89f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.78f, 0.80f, 0.83f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.70f, 0.72f, 0.76f, 1.0f);
}

}  // namespace salespider::ui
