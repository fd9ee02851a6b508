// Charts drawn with ImGui's ImDrawList, for the Dashboard: a column chart
// (revenue by day, by hour of day) with a value axis at nice steps, and a
// list of horizontal bars (a label and its value on one line, the bar under
// them across the whole width) that stays readable on a 360 px phone.
//
// The pure parts (nice axis steps) are separate so tests check them without
// a frame. Deliberately not here: what the values mean and how they are
// written (the caller passes the axis and value texts: the store's money
// format lives in widgets' money()), any state or command.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace salespider::ui {

// An axis from 0 to at least `max` in about `target` steps of 1, 2 or 5
// times a power of ten: {0, step, 2*step, ..., top} with top >= max.
// max <= 0 gives {0, 1}.
std::vector<std::int64_t> nice_ticks(std::int64_t max, int target = 4);

// `text` cut to `width` pixels of the current font with "…" at the end
// (whole UTF-8 characters); unchanged when it fits.
std::string elide(const std::string& text, float width);

struct Column {
  std::string label;  // under the column ("03", "Mon 2"); may be skipped when crowded
  std::int64_t value = 0;
};

// Columns across the available width, `height` px tall including the
// labels; `axis` writes a tick's value (money for revenue).
void column_chart(const char* id, std::span<const Column> columns, float height,
                  const std::function<std::string(std::int64_t)>& axis, const ImVec4& colour);

struct HBar {
  std::string label;
  std::string value_text;  // written at the right end of the label's line
  std::int64_t value = 0;  // the bar's length against the largest
};

// One bar per row, full width. Nothing drawn for no rows (the caller says
// "nothing in this period").
void bar_list(const char* id, std::span<const HBar> rows, const ImVec4& colour);

}  // namespace salespider::ui
