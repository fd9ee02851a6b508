// The till's look: fonts, sizes and colours shared by every screen, and the
// plan of which glyphs the font atlas bakes.
//
// All sizes are CSS pixels (ImGui's display is measured in CSS pixels; the
// platform layer maps them to device pixels). Glyphs are baked ahead of
// time (ImGui 1.90): a fixed base set (Latin-1, punctuation, every currency
// symbol the till prints) plus the characters the catalog uses, which the
// app hands over after each pull; script fonts (Noto) are merged into the
// body font only for the scripts the catalog uses, so the atlas stays small.
// Deliberately not here: deciding when to rebuild (the app says the glyph
// set grew, the platform layer rebuilds before the next frame and on
// devicePixelRatio changes), where the TTFs come from (the caller passes
// paths), text shaping, right-to-left text and CJK (docs/till.md says what
// is not supported).
#pragma once

#include <imgui.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::ui {

// ux.md: text >= 16 px, touch targets >= 44 px, primary actions >= 56 px.
inline constexpr float kBodyFontPx = 18.0f;
inline constexpr float kTitleFontPx = 40.0f;
inline constexpr float kMinTouchPx = 44.0f;
inline constexpr float kPrimaryButtonPx = 64.0f;
inline constexpr float kButtonPx = 56.0f;

// At most this many catalog characters are baked (the lowest code points
// first); beyond it the atlas texture would outgrow what cheap tablets'
// GPUs take at devicePixelRatio 3. Real catalogs use a few hundred.
inline constexpr std::size_t kMaxCatalogGlyphs = 2048;

void apply_style(ImGuiStyle& style);

// A Noto font from Debian's fonts-noto-core merged into the body font when
// the catalog uses a character of one of its blocks.
struct ScriptFont {
  std::string_view script;  // "Devanagari"
  std::string_view file;    // "NotoSansDevanagari-Regular.ttf"
  // Rasterised at the body size times this: Noto's letters are small beside
  // DejaVu Sans' large x-height at the same pixel size.
  float size_scale;
  struct Block {
    char32_t first, last;
  };
  std::span<const Block> blocks;
};
// Devanagari, Bengali, Thai, Ethiopic (in this order).
std::span<const ScriptFont> script_fonts();

// Where the fonts are: the base font (DejaVu Sans: Latin, Greek, Cyrillic,
// Armenian, Georgian, Hebrew, currency symbols) and the directory holding
// the script fonts under their ScriptFont::file names.
struct FontFiles {
  std::string base;
  std::string script_dir;
};

// Zero-terminated ImGui glyph ranges for one atlas build. ImGui keeps
// pointers into them until the atlas is cleared: the owner keeps the plan
// alive (and unchanged) as long as the atlas it was built into.
struct GlyphPlan {
  std::vector<ImWchar> body;   // base + catalog characters not in a script font's blocks
  std::vector<ImWchar> title;  // base only: titles and totals, never product names
  struct Script {
    const ScriptFont* font;
    std::vector<ImWchar> ranges;  // the catalog's characters in the font's blocks
  };
  std::vector<Script> scripts;  // only the scripts the catalog uses
};

// catalog: distinct code points (any order; ASCII, code points above U+FFFF
// — ImGui's 16-bit ImWchar — and all beyond kMaxCatalogGlyphs are ignored).
GlyphPlan plan_glyphs(std::span<const char32_t> catalog);

// Adds the characters of `incoming` that `have` lacks to `have` (kept sorted
// and distinct; only code points plan_glyphs would use count). Returns
// whether it grew, i.e. whether the atlas must be rebuilt.
bool merge_glyphs(std::vector<char32_t>& have, std::span<const char32_t> incoming);

// Adds the body font (first, hence ImGui's default) with its merged script
// fonts, then the title font, to an empty atlas, rasterised at size x dpr so
// glyphs map 1:1 to device pixels; the caller sets io.FontGlobalScale =
// 1/dpr. A missing script font is skipped (its characters show as '?').
// Falls back to ImGui's built-in font (and returns false) when the base TTF
// cannot be read.
bool build_fonts(ImFontAtlas& atlas, const FontFiles& files, const GlyphPlan& plan, float dpr);

// The large font for screen titles and totals; never null after build_fonts().
ImFont* title_font();

// Category colours: each category's tiles and chip carry a stripe of one of
// these, so a cashier finds the drinks by colour without reading. Dark
// enough to stand out on a button (WCAG 1.4.11, 3:1 for what is not text).
std::span<const ImVec4> category_palette();
// The palette slot of each category id (in the order given): its id's hash
// picks the slot, a taken slot moves it to the next free one, in id order,
// so every till of the store gives a category the same colour and, up to
// the palette's size, no two the same. More categories than colours share.
std::vector<int> category_slots(std::span<const std::string> ids);

}  // namespace salespider::ui
