// The till's glyph plan and font atlas (wasm-client/ui/theme.cpp) against
// the real TTFs the build packs (DejaVu Sans, Noto script fonts), read from
// the host through NODERAWFS: every currency symbol is baked, script fonts
// are merged only for scripts the catalog uses, and the atlas stays within
// what a tablet's GPU takes.
#include "ui/theme.hpp"

#include <salespider/shared/currency.hpp>

#include <imgui_internal.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#ifndef SALESPIDER_TEST_FONT_FILE
#error "SALESPIDER_TEST_FONT_FILE must name the base TTF (tests/client/CMakeLists.txt)"
#endif

namespace salespider::ui {
namespace {

FontFiles files() {
  return FontFiles{SALESPIDER_TEST_FONT_FILE, SALESPIDER_TEST_SCRIPT_FONT_DIR};
}

// One built atlas and the plan it points into.
struct Built {
  GlyphPlan plan;
  std::unique_ptr<ImFontAtlas> atlas = std::make_unique<ImFontAtlas>();
  bool base_found = false;
  ImFont* body() const { return atlas->Fonts[0]; }
};

std::unique_ptr<Built> build(const std::vector<char32_t>& catalog, float dpr = 1.0f, FontFiles f = files()) {
  auto b = std::make_unique<Built>();
  b->plan = plan_glyphs(catalog);
  b->base_found = build_fonts(*b->atlas, f, b->plan, dpr);
  EXPECT_TRUE(b->atlas->Build());
  return b;
}

std::vector<char32_t> code_points(std::string_view utf8) {
  std::vector<char32_t> out;
  const char* p = utf8.data();
  const char* end = p + utf8.size();
  while (p < end) {
    unsigned int c = 0;
    p += ImTextCharFromUtf8(&c, p, end);
    out.push_back(c);
  }
  return out;
}

std::string hex(char32_t cp) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(cp));
  return text;
}

TEST(Fonts, EveryCurrencySymbolIsBakedInTheBodyAndTitleFonts) {
  const auto b = build({});
  ASSERT_TRUE(b->base_found) << SALESPIDER_TEST_FONT_FILE;
  for (const CurrencyInfo& c : known_currencies()) {
    for (char32_t cp : code_points(c.symbol)) {
      EXPECT_NE(b->body()->FindGlyphNoFallback(static_cast<ImWchar>(cp)), nullptr) << c.code << " " << hex(cp);
      EXPECT_NE(title_font()->FindGlyphNoFallback(static_cast<ImWchar>(cp)), nullptr) << c.code << " " << hex(cp);
    }
  }
}

TEST(Fonts, ThePunctuationTheTillPrintsIsBaked) {
  const auto b = build({});
  for (char32_t cp : code_points("×·…–—‘’“”•●○")) {
    EXPECT_NE(b->body()->FindGlyphNoFallback(static_cast<ImWchar>(cp)), nullptr) << hex(cp);
  }
}

TEST(Fonts, ALatinGreekOrCyrillicCatalogNeedsNoScriptFont) {
  const std::vector<char32_t> catalog = code_points("éñşƙɗẹọΩЖ");
  const auto b = build(catalog);
  EXPECT_TRUE(b->plan.scripts.empty());
  EXPECT_EQ(b->atlas->ConfigData.Size, 2) << "body and title only";
  for (char32_t cp : catalog) EXPECT_NE(b->body()->FindGlyphNoFallback(static_cast<ImWchar>(cp)), nullptr) << hex(cp);
}

TEST(Fonts, EachScriptFontIsMergedOnlyForTheScriptTheCatalogUses) {
  struct Case {
    const char* script;
    const char* sample;
  };
  for (const Case& c : {Case{"Devanagari", "कि"}, Case{"Bengali", "কা"}, Case{"Thai", "กา"}, Case{"Ethiopic", "ሀለ"}}) {
    const std::vector<char32_t> catalog = code_points(c.sample);
    const auto without = build({});
    EXPECT_EQ(without->body()->FindGlyphNoFallback(static_cast<ImWchar>(catalog[0])), nullptr)
        << c.script << ": not in the base font, so the test shows the merge works";
    const auto b = build(catalog);
    ASSERT_EQ(b->plan.scripts.size(), 1u) << c.script;
    EXPECT_EQ(b->plan.scripts[0].font->script, c.script);
    EXPECT_EQ(b->atlas->ConfigData.Size, 3) << c.script;
    for (char32_t cp : catalog)
      EXPECT_NE(b->body()->FindGlyphNoFallback(static_cast<ImWchar>(cp)), nullptr) << c.script << " " << hex(cp);
    EXPECT_EQ(title_font()->FindGlyphNoFallback(static_cast<ImWchar>(catalog[0])), nullptr)
        << "titles and totals never show product names";
  }
}

TEST(Fonts, AllFourScriptsMergeIntoTheOneBodyFont) {
  const auto b = build(code_points("कকกሀ€"));
  EXPECT_EQ(b->plan.scripts.size(), 4u);
  EXPECT_EQ(b->atlas->Fonts.Size, 2) << "merged fonts add no ImFont";
  for (char32_t cp : code_points("कকกሀ€"))
    EXPECT_NE(b->body()->FindGlyphNoFallback(static_cast<ImWchar>(cp)), nullptr) << hex(cp);
}

TEST(Fonts, AMissingScriptFontLeavesItsCharactersOutAndTheRestWorks) {
  const auto b = build(code_points("कé"), 1.0f, FontFiles{SALESPIDER_TEST_FONT_FILE, "/nonexistent"});
  EXPECT_TRUE(b->base_found);
  EXPECT_EQ(b->atlas->ConfigData.Size, 2);
  EXPECT_EQ(b->body()->FindGlyphNoFallback(static_cast<ImWchar>(0x0915)), nullptr);
  EXPECT_NE(b->body()->FindGlyphNoFallback(static_cast<ImWchar>(0x00E9)), nullptr);
}

TEST(Fonts, AMissingBaseFontFallsBackToImGuisOwn) {
  const auto b = build({}, 1.0f, FontFiles{"/nonexistent.ttf", "/nonexistent"});
  EXPECT_FALSE(b->base_found);
  EXPECT_EQ(b->atlas->Fonts.Size, 1);
  EXPECT_EQ(title_font(), b->body());
}

TEST(Fonts, AsciiAndCodePointsBeyondTheBasicPlaneAreIgnored) {
  const GlyphPlan base = plan_glyphs({});
  const std::vector<char32_t> catalog{U'A', U'z', 0x1F600, 0x20000};
  EXPECT_EQ(plan_glyphs(catalog).body, base.body);
}

TEST(Fonts, TheCatalogIsCappedAtItsLowestCodePoints) {
  std::vector<char32_t> catalog;
  for (char32_t cp = 0x0100; cp < 0x0100 + kMaxCatalogGlyphs + 500; ++cp) catalog.push_back(cp);
  const GlyphPlan plan = plan_glyphs(catalog);
  // Latin-1 and U+0100.. are contiguous: one range 0x20 .. 0xFF + kMax.
  ASSERT_GE(plan.body.size(), 3u);
  EXPECT_EQ(plan.body[0], 0x0020);
  EXPECT_EQ(plan.body[1], static_cast<ImWchar>(0x0100 + kMaxCatalogGlyphs - 1));
}

TEST(Fonts, MergingGlyphsSaysWhenTheSetGrew) {
  std::vector<char32_t> have;
  EXPECT_TRUE(merge_glyphs(have, code_points("éक")));
  EXPECT_EQ(have, (std::vector<char32_t>{0x00E9, 0x0915}));
  EXPECT_FALSE(merge_glyphs(have, code_points("कé"))) << "the same characters again";
  EXPECT_FALSE(merge_glyphs(have, code_points("abc"))) << "ASCII is always baked";
  EXPECT_FALSE(merge_glyphs(have, {})) << "a smaller catalog keeps what was baked";
  EXPECT_TRUE(merge_glyphs(have, code_points("ก")));
  EXPECT_EQ(have, (std::vector<char32_t>{0x00E9, 0x0915, 0x0E01}));
}

TEST(Fonts, GrowthBeyondTheCapAsksForNoRebuild) {
  std::vector<char32_t> have;
  std::vector<char32_t> full;
  for (char32_t cp = 0x0100; cp < 0x0100 + kMaxCatalogGlyphs; ++cp) full.push_back(cp);
  EXPECT_TRUE(merge_glyphs(have, full));
  EXPECT_FALSE(merge_glyphs(have, std::vector<char32_t>{0xFF00})) << "would not be baked";
  EXPECT_TRUE(merge_glyphs(have, std::vector<char32_t>{0x00E9})) << "below the others: baked, the highest drops out";
}

// The till's French, Spanish and German (and any other Latin-script
// catalogue language): every character of every translation in the .po
// files is baked in the body and title fonts, so no screen shows a '?'.
std::vector<std::string> po_files(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec))
    if (e.path().extension() == ".po") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// The text of every msgstr line (and its continuation lines) of a .po file.
std::string translations(const std::string& path) {
  std::ifstream in(path);
  std::string line, out;
  bool in_msgstr = false;
  while (std::getline(in, line)) {
    if (line.rfind("msgstr", 0) == 0) in_msgstr = true;
    else if (line.rfind("msgid", 0) == 0 || line.rfind("msgctxt", 0) == 0 || line.rfind("#", 0) == 0) in_msgstr = false;
    if (!in_msgstr) continue;
    const auto open = line.find('"');
    const auto close = line.rfind('"');
    if (open != std::string::npos && close > open) out += line.substr(open + 1, close - open - 1);
  }
  return out;
}

TEST(Fonts, TheCataloguesTranslationsShowWithoutMissingGlyphs) {
  const auto b = build({});
  ASSERT_TRUE(b->base_found) << SALESPIDER_TEST_FONT_FILE;
  // What French and German money, quotes and dates need, whatever the files say.
  std::string text = "Größe · Déjà vu – « Reçu » … „Kasse“ ‘ok’ — 1\u202F234,56\u00A0€ ÆŒœŸ ĳ ŁŚŻ";
  const std::vector<std::string> files = po_files(SALESPIDER_TEST_MESSAGES_DIR);
  for (const std::string& f : files) text += translations(f);
  std::printf("checked %zu .po files, %zu bytes of translations\n", files.size(), text.size());
  for (char32_t cp : code_points(text)) {
    if (cp < 0x20) continue;
    EXPECT_NE(b->body()->FindGlyphNoFallback(static_cast<ImWchar>(cp)), nullptr) << hex(cp);
    EXPECT_NE(title_font()->FindGlyphNoFallback(static_cast<ImWchar>(cp)), nullptr) << hex(cp);
  }
}

// Sizes at the device pixel ratios of cheap tablets and phones; the worst
// case (kMaxCatalogGlyphs characters the base font has, at ratio 3) must
// still fit a 4096 x 4096 texture, the WebGL maximum of older tablets.
TEST(Fonts, TheAtlasFitsATabletTextureEvenForTheLargestCatalog) {
  std::vector<char32_t> typical = code_points("éñşƙɗẹọ");
  for (char32_t cp = 0x0900; cp <= 0x097F; ++cp) typical.push_back(cp);
  std::vector<char32_t> largest;
  for (char32_t cp = 0x0080; largest.size() < kMaxCatalogGlyphs; ++cp) largest.push_back(cp);
  struct Case {
    const char* name;
    const std::vector<char32_t>* catalog;
    float dpr;
  };
  const std::vector<char32_t> none;
  for (const Case& c : {Case{"base", &none, 1.0f}, Case{"base", &none, 2.0f}, Case{"base", &none, 3.0f},
                        Case{"latin+devanagari", &typical, 2.0f}, Case{"largest", &largest, 3.0f}}) {
    const auto b = build(*c.catalog, c.dpr);
    std::printf("atlas %-17s dpr %.0f: %d glyphs, %d x %d\n", c.name, static_cast<double>(c.dpr),
                b->body()->Glyphs.Size + title_font()->Glyphs.Size, b->atlas->TexWidth, b->atlas->TexHeight);
    EXPECT_LE(b->atlas->TexWidth, 4096) << c.name;
    EXPECT_LE(b->atlas->TexHeight, 4096) << c.name;
  }
}

}  // namespace
}  // namespace salespider::ui
