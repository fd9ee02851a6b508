// Fonts, glyph plan and style. The base glyph ranges list every character
// the till itself prints: ImGui 1.90 bakes glyphs ahead of time, so a
// missing range shows as '?'. The catalog's characters come on top
// (plan_glyphs); fonts_test checks that every currency symbol is baked.
#include "ui/theme.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>

namespace salespider::ui {

namespace {

// Latin-1, Latin Extended-A, General Punctuation (dashes, quotes, bullet,
// ellipsis, narrow no-break space), the currency block (₦ € £ ₹ ₵ ...), and
// the circles of the status bar's online mark.
// Static storage: the title font points into it for the atlas' lifetime.
const ImWchar kBaseRanges[] = {
    // Latin-1 and Latin Extended-A (the catalogue's French, Spanish and German
    // and most European names), General Punctuation (typographic quotes,
    // dashes, the narrow no-break space French groups digits with), arrows
    // ("Back office → Tills").
    0x0020, 0x00FF, 0x0100, 0x017F, 0x2000, 0x206F, 0x20A0, 0x20C0, 0x2190, 0x21FF,
    0x25CB, 0x25CF, 0,
};

// Devanagari and Devanagari Extended.
constexpr std::array<ScriptFont::Block, 2> kDevanagari{{{0x0900, 0x097F}, {0xA8E0, 0xA8FF}}};
constexpr std::array<ScriptFont::Block, 1> kBengali{{{0x0980, 0x09FF}}};
constexpr std::array<ScriptFont::Block, 1> kThai{{{0x0E00, 0x0E7F}}};
// Ethiopic, its Supplement (1380-139F), Extended and Extended-A.
constexpr std::array<ScriptFont::Block, 3> kEthiopic{{{0x1200, 0x139F}, {0x2D80, 0x2DDF}, {0xAB00, 0xAB2F}}};

// Keep the file names in sync with the --preload-file list in
// wasm-client/CMakeLists.txt.
const std::array<ScriptFont, 4> kScriptFonts{{
    {"Devanagari", "NotoSansDevanagari-Regular.ttf", 1.15f, kDevanagari},
    {"Bengali", "NotoSansBengali-Regular.ttf", 1.15f, kBengali},
    {"Thai", "NotoSansThai-Regular.ttf", 1.25f, kThai},
    {"Ethiopic", "NotoSansEthiopic-Regular.ttf", 1.15f, kEthiopic},
}};

// Owned by the ImGui atlas; only borrowed here.
ImFont* g_title_font = nullptr;

bool usable(char32_t cp) {
  return cp > 0x7F && cp <= 0xFFFF;
}

const ScriptFont* script_of(char32_t cp) {
  for (const ScriptFont& f : kScriptFonts) {
    for (const ScriptFont::Block& b : f.blocks) {
      if (cp >= b.first && cp <= b.last) return &f;
    }
  }
  return nullptr;
}

std::vector<ImWchar> to_ranges(ImFontGlyphRangesBuilder& builder) {
  ImVector<ImWchar> built;
  builder.BuildRanges(&built);
  return std::vector<ImWchar>(built.begin(), built.end());
}

ImFont* add_ttf(ImFontAtlas& atlas, const std::string& path, float size_px, const ImWchar* ranges, bool merge) {
  std::size_t size = 0;
  void* data = ImFileLoadToMemory(path.c_str(), "rb", &size);
  if (data == nullptr || size == 0) return nullptr;
  ImFontConfig config;
  // The atlas frees the data with IM_FREE, matching ImFileLoadToMemory.
  config.FontDataOwnedByAtlas = true;
  config.MergeMode = merge;
  // Horizontal oversampling sharpens small text at fractional positions;
  // from 36 px (the title font, any font on a 2x screen) it shows no
  // difference but doubles what stb_truetype rasterises on every start
  // (Dear ImGui 1.92 picks the same by default).
  config.OversampleH = size_px >= 36.0f ? 1 : 2;
  return atlas.AddFontFromMemoryTTF(data, static_cast<int>(size), size_px, &config, ranges);
}

}  // namespace

std::span<const ScriptFont> script_fonts() {
  return kScriptFonts;
}

GlyphPlan plan_glyphs(std::span<const char32_t> catalog) {
  std::vector<char32_t> chosen;
  for (char32_t cp : catalog) {
    if (usable(cp)) chosen.push_back(cp);
  }
  std::sort(chosen.begin(), chosen.end());
  chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
  if (chosen.size() > kMaxCatalogGlyphs) chosen.resize(kMaxCatalogGlyphs);

  GlyphPlan plan;
  ImFontGlyphRangesBuilder body;
  body.AddRanges(kBaseRanges);
  std::vector<ImFontGlyphRangesBuilder> scripts(kScriptFonts.size());
  std::vector<bool> used(kScriptFonts.size(), false);
  for (char32_t cp : chosen) {
    const auto c = static_cast<ImWchar>(cp);
    if (const ScriptFont* f = script_of(cp)) {
      const auto i = static_cast<std::size_t>(f - kScriptFonts.data());
      scripts[i].AddChar(c);
      used[i] = true;
    } else {
      body.AddChar(c);
    }
  }
  plan.body = to_ranges(body);
  plan.title.assign(std::begin(kBaseRanges), std::end(kBaseRanges));
  for (std::size_t i = 0; i < kScriptFonts.size(); ++i) {
    if (used[i]) plan.scripts.push_back({&kScriptFonts[i], to_ranges(scripts[i])});
  }
  return plan;
}

bool merge_glyphs(std::vector<char32_t>& have, std::span<const char32_t> incoming) {
  std::vector<char32_t> add;
  for (char32_t cp : incoming) {
    if (usable(cp)) add.push_back(cp);
  }
  std::sort(add.begin(), add.end());
  add.erase(std::unique(add.begin(), add.end()), add.end());
  std::vector<char32_t> merged;
  merged.reserve(have.size() + add.size());
  std::set_union(have.begin(), have.end(), add.begin(), add.end(), std::back_inserter(merged));
  if (merged.size() == have.size()) return false;
  // Only the first kMaxCatalogGlyphs are baked: growth beyond them changes
  // nothing on screen, so it asks for no rebuild.
  const std::size_t n = std::min(merged.size(), kMaxCatalogGlyphs);
  const bool grew = have.size() < n || !std::equal(merged.begin(), merged.begin() + static_cast<std::ptrdiff_t>(n),
                                                   have.begin());
  have = std::move(merged);
  return grew;
}

bool build_fonts(ImFontAtlas& atlas, const FontFiles& files, const GlyphPlan& plan, float dpr) {
  IM_ASSERT(!plan.body.empty() && !plan.title.empty() && "use plan_glyphs()");
  ImFont* body = add_ttf(atlas, files.base, kBodyFontPx * dpr, plan.body.data(), false);
  if (body == nullptr) {
    ImFontConfig config;
    config.SizePixels = 13.0f * dpr;
    atlas.AddFontDefault(&config);
    g_title_font = atlas.Fonts[0];
    return false;
  }
  // Merged into the font added last, so before the title font.
  for (const GlyphPlan::Script& s : plan.scripts) {
    add_ttf(atlas, files.script_dir + "/" + std::string(s.font->file), kBodyFontPx * s.font->size_scale * dpr,
            s.ranges.data(), true);
  }
  g_title_font = add_ttf(atlas, files.base, kTitleFontPx * dpr, plan.title.data(), false);
  if (g_title_font == nullptr) g_title_font = body;
  return true;
}

ImFont* title_font() {
  IM_ASSERT(g_title_font != nullptr && "build_fonts() not called");
  return g_title_font;
}

std::span<const ImVec4> category_palette() {
  static const std::array<ImVec4, 10> palette = {
      ImVec4(0.08f, 0.40f, 0.75f, 1.0f),  // blue
      ImVec4(0.78f, 0.16f, 0.16f, 1.0f),  // red
      ImVec4(0.18f, 0.49f, 0.20f, 1.0f),  // green
      ImVec4(0.42f, 0.11f, 0.60f, 1.0f),  // purple
      ImVec4(0.72f, 0.24f, 0.00f, 1.0f),  // orange
      ImVec4(0.00f, 0.41f, 0.36f, 1.0f),  // teal
      ImVec4(0.36f, 0.25f, 0.22f, 1.0f),  // brown
      ImVec4(0.68f, 0.08f, 0.34f, 1.0f),  // pink
      ImVec4(0.16f, 0.21f, 0.58f, 1.0f),  // indigo
      ImVec4(0.42f, 0.39f, 0.06f, 1.0f),  // olive
  };
  return palette;
}

std::vector<int> category_slots(std::span<const std::string> ids) {
  const int n = static_cast<int>(category_palette().size());
  std::vector<std::size_t> order(ids.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
  std::vector<int> slots(ids.size(), 0);
  std::vector<bool> taken(static_cast<std::size_t>(n), false);
  std::size_t used = 0;
  for (const std::size_t i : order) {
    std::uint32_t h = 2166136261u;  // FNV-1a: the same on every till
    for (const char c : ids[i]) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    int slot = static_cast<int>(h % static_cast<std::uint32_t>(n));
    if (used < taken.size()) {
      while (taken[static_cast<std::size_t>(slot)]) slot = (slot + 1) % n;
      taken[static_cast<std::size_t>(slot)] = true;
      ++used;
    }
    slots[i] = slot;
  }
  return slots;
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
