// The default theme against WCAG 2.2 AA: every text colour the till draws
// on its backgrounds has a contrast ratio of at least 4.5:1 (normal text;
// the till's smallest text is 18 px, not "large"). Disabled widgets are
// exempt (WCAG 1.4.3, "inactive user interface components").
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

namespace {

using salespider::ui::apply_style;

double channel(float c) {
  return c <= 0.04045f ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const ImVec4& c) {
  return 0.2126 * channel(c.x) + 0.7152 * channel(c.y) + 0.0722 * channel(c.z);
}

// A translucent colour as it looks over an opaque one.
ImVec4 over(const ImVec4& top, const ImVec4& under) {
  return ImVec4(top.x * top.w + under.x * (1 - top.w), top.y * top.w + under.y * (1 - top.w),
                top.z * top.w + under.z * (1 - top.w), 1.0f);
}

double contrast(const ImVec4& a, const ImVec4& b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

TEST(Theme, EveryTextColourMeetsAaContrastOnItsBackgrounds) {
  ImGuiStyle style;
  apply_style(style);
  const ImVec4* c = style.Colors;
  const ImVec4 window = c[ImGuiCol_WindowBg];
  struct Pair {
    std::string what;
    ImVec4 text;
    ImVec4 background;
  };
  const Pair pairs[] = {
      {"text on the window", c[ImGuiCol_Text], window},
      {"text on a button", c[ImGuiCol_Text], over(c[ImGuiCol_Button], window)},
      {"text on a hovered button", c[ImGuiCol_Text], over(c[ImGuiCol_ButtonHovered], window)},
      {"text on a pressed button", c[ImGuiCol_Text], over(c[ImGuiCol_ButtonActive], window)},
      {"text in a field", c[ImGuiCol_Text], over(c[ImGuiCol_FrameBg], window)},
      {"text in a popup", c[ImGuiCol_Text], over(c[ImGuiCol_PopupBg], window)},
      {"text on a selected row", c[ImGuiCol_Text], over(c[ImGuiCol_Header], window)},
      {"text on a hovered row", c[ImGuiCol_Text], over(c[ImGuiCol_HeaderHovered], window)},
      {"online (green) text", salespider::ui::kOnline, window},
      {"offline (amber) text", salespider::ui::kOffline, window},
      {"error text", salespider::ui::kError, window},
      {"muted text", salespider::ui::kMuted, window},
      {"the primary button", salespider::ui::kOnPrimary, salespider::ui::kPrimary},
      {"the hovered primary button", salespider::ui::kOnPrimary, salespider::ui::kPrimaryHovered},
      {"the pressed primary button", salespider::ui::kOnPrimary, salespider::ui::kPrimaryActive},
  };
  for (const Pair& p : pairs) EXPECT_GE(contrast(p.text, p.background), 4.5) << p.what;
}

TEST(Theme, CategoryStripesStandOutFromTheTiles) {
  // Not text: WCAG 1.4.11 asks 3:1 for what identifies a component.
  ImGuiStyle style;
  apply_style(style);
  const ImVec4 window = style.Colors[ImGuiCol_WindowBg];
  for (const ImVec4& colour : salespider::ui::category_palette()) {
    EXPECT_GE(contrast(colour, over(style.Colors[ImGuiCol_Button], window)), 3.0);
    EXPECT_GE(contrast(colour, over(style.Colors[ImGuiCol_ButtonHovered], window)), 3.0);
  }
}

TEST(Theme, EachCategoryKeepsItsColourOnEveryTill) {
  using salespider::ui::category_slots;
  const std::vector<std::string> ids = {"0191a0b0-0000-7000-8000-000000000001", "0191a0b0-0000-7000-8000-000000000002",
                                        "0191a0b0-0000-7000-8000-000000000003", "0191a0b0-0000-7000-8000-000000000004",
                                        "0191a0b0-0000-7000-8000-000000000005", "0191a0b0-0000-7000-8000-000000000006"};
  const std::vector<int> slots = category_slots(ids);
  // No two the same while there are colours left.
  EXPECT_EQ(std::set<int>(slots.begin(), slots.end()).size(), ids.size());
  // In another order (another till's list, sorted by name), the same colours.
  const std::vector<std::string> reversed(ids.rbegin(), ids.rend());
  const std::vector<int> again = category_slots(reversed);
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(again[ids.size() - 1 - i], slots[i]);
  // Twelve categories: ten colours, all used, then shared.
  std::vector<std::string> many = ids;
  for (int i = 7; i <= 12; ++i) many.push_back("0191a0b0-0000-7000-8000-0000000000" + std::to_string(i + 10));
  const std::vector<int> twelve = category_slots(many);
  EXPECT_EQ(std::set<int>(twelve.begin(), twelve.end()).size(), salespider::ui::category_palette().size());
  for (const int slot : twelve) EXPECT_LT(static_cast<std::size_t>(slot), salespider::ui::category_palette().size());
}

TEST(Theme, TheContrastFormulaMatchesWcagsExamples) {
  // Black on white is 21:1; #777 on white is 4.48:1 (just under AA).
  EXPECT_NEAR(contrast(ImVec4(0, 0, 0, 1), ImVec4(1, 1, 1, 1)), 21.0, 1e-9);
  const float g = 0x77 / 255.0f;
  EXPECT_NEAR(contrast(ImVec4(g, g, g, 1), ImVec4(1, 1, 1, 1)), 4.48, 0.01);
}

}  // namespace
