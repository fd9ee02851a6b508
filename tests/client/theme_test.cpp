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
#include <string>

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

TEST(Theme, TheContrastFormulaMatchesWcagsExamples) {
  // Black on white is 21:1; #777 on white is 4.48:1 (just under AA).
  EXPECT_NEAR(contrast(ImVec4(0, 0, 0, 1), ImVec4(1, 1, 1, 1)), 21.0, 1e-9);
  const float g = 0x77 / 255.0f;
  EXPECT_NEAR(contrast(ImVec4(g, g, g, 1), ImVec4(1, 1, 1, 1)), 4.48, 0.01);
}

}  // namespace
