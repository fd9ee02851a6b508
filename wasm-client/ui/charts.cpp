// The Dashboard's charts with ImDrawList; see charts.hpp.
#include "ui/charts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace salespider::ui {

namespace {

constexpr const char* kEllipsis = "\xE2\x80\xA6";  // …

ImU32 colour_u32(const ImVec4& c) {
  return ImGui::ColorConvertFloat4ToU32(c);
}

// The fraction value / top for drawing, 0..1 (negatives draw nothing).
float share(std::int64_t value, std::int64_t top) {
  if (value <= 0 || top <= 0) return 0.0f;
  return static_cast<float>(std::min(1.0L, static_cast<long double>(value) / static_cast<long double>(top)));
}

}  // namespace

std::vector<std::int64_t> nice_ticks(std::int64_t max, int target) {
  if (max <= 0) return {0, 1};
  target = std::max(1, target);
  const std::int64_t raw = max / target + (max % target != 0 ? 1 : 0);  // ceil(max / target), >= 1
  std::int64_t magnitude = 1;
  while (magnitude <= std::numeric_limits<std::int64_t>::max() / 10 && magnitude * 10 <= raw) magnitude *= 10;
  std::int64_t step = magnitude;
  for (std::int64_t m : {1, 2, 5, 10}) {
    if (magnitude > std::numeric_limits<std::int64_t>::max() / m) break;
    step = m * magnitude;
    if (step >= raw) break;
  }
  std::vector<std::int64_t> out{0};
  for (std::int64_t v = 0; v < max;) {
    if (v > std::numeric_limits<std::int64_t>::max() - step) break;  // the int64 edge: stop at the last step
    v += step;
    out.push_back(v);
  }
  return out;
}

std::string elide(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  const float room = width - ImGui::CalcTextSize(kEllipsis).x;
  std::string cut = text;
  while (!cut.empty()) {
    // Drop one whole UTF-8 character from the end: its continuation bytes, then its lead.
    while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80) cut.pop_back();
    if (!cut.empty()) cut.pop_back();
    if (ImGui::CalcTextSize(cut.c_str()).x <= room) break;
  }
  return cut + kEllipsis;
}

void column_chart(const char* id, std::span<const Column> columns, float height,
                  const std::function<std::string(std::int64_t)>& axis, const ImVec4& colour) {
  ImGui::PushID(id);
  const float width = ImGui::GetContentRegionAvail().x;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeight();
  std::int64_t max = 0;
  for (const Column& c : columns) max = std::max(max, c.value);
  const std::vector<std::int64_t> ticks = nice_ticks(max, height >= 200.0f ? 4 : 3);
  const std::int64_t top = ticks.back();
  std::vector<std::string> tick_text;
  float axis_w = 0.0f;
  for (std::int64_t t : ticks) {
    tick_text.push_back(axis(t));
    axis_w = std::max(axis_w, ImGui::CalcTextSize(tick_text.back().c_str()).x);
  }
  axis_w = std::min(axis_w + 6.0f, width * 0.45f);
  const float plot_x = origin.x + axis_w;
  const float plot_w = std::max(10.0f, width - axis_w);
  const float plot_top = origin.y + line * 0.5f;
  const float plot_bottom = origin.y + height - line - 4.0f;
  const float plot_h = std::max(10.0f, plot_bottom - plot_top);
  const ImU32 grid = colour_u32(ImGui::GetStyleColorVec4(ImGuiCol_Separator));
  const ImU32 text = colour_u32(ImGui::GetStyleColorVec4(ImGuiCol_Text));
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    const float y = plot_bottom - plot_h * share(ticks[i], top);
    draw->AddLine(ImVec2(plot_x, y), ImVec2(plot_x + plot_w, y), grid);
    const std::string label = elide(tick_text[i], axis_w - 6.0f);
    const float tw = ImGui::CalcTextSize(label.c_str()).x;
    draw->AddText(ImVec2(plot_x - 6.0f - tw, y - line * 0.5f), text, label.c_str());
  }
  if (!columns.empty()) {
    const float slot = plot_w / static_cast<float>(columns.size());
    const float bar = std::max(1.0f, slot * 0.7f);
    float label_w = 0.0f;
    for (const Column& c : columns) label_w = std::max(label_w, ImGui::CalcTextSize(c.label.c_str()).x);
    // Every k-th label, so neighbours never overlap.
    const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((label_w + 8.0f) / slot)));
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const float x = plot_x + slot * static_cast<float>(i) + (slot - bar) * 0.5f;
      const float h = plot_h * share(columns[i].value, top);
      if (h > 0.0f) draw->AddRectFilled(ImVec2(x, plot_bottom - h), ImVec2(x + bar, plot_bottom), colour_u32(colour));
      if (i % every == 0) {
        const float tw = ImGui::CalcTextSize(columns[i].label.c_str()).x;
        const float lx = std::clamp(x + bar * 0.5f - tw * 0.5f, plot_x, origin.x + width - tw);
        draw->AddText(ImVec2(lx, plot_bottom + 2.0f), text, columns[i].label.c_str());
      }
    }
  }
  ImGui::Dummy(ImVec2(width, height));
  ImGui::PopID();
}

void bar_list(const char* id, std::span<const HBar> rows, const ImVec4& colour) {
  if (rows.empty()) return;
  ImGui::PushID(id);
  std::int64_t max = 0;
  for (const HBar& r : rows) max = std::max(max, r.value);
  const float bar_h = 8.0f;
  const ImU32 fill = colour_u32(colour);
  const ImU32 track = colour_u32(ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
  for (const HBar& r : rows) {
    const float width = ImGui::GetContentRegionAvail().x;
    const float value_w = ImGui::CalcTextSize(r.value_text.c_str()).x;
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    // The value keeps its whole width; the label gets the rest, cut only when it must be.
    const std::string label = elide(r.label, std::max(20.0f, width - value_w - gap));
    // Screen positions: SameLine's offset would count a table column's offset twice.
    const float left = ImGui::GetCursorScreenPos().x;
    ImGui::TextUnformatted(label.c_str());
    ImGui::SameLine();
    ImGui::SetCursorScreenPos(ImVec2(left + std::max(0.0f, width - value_w), ImGui::GetCursorScreenPos().y));
    ImGui::TextUnformatted(r.value_text.c_str());
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(at, ImVec2(at.x + width, at.y + bar_h), track, 2.0f);
    const float w = width * share(r.value, max > 0 ? max : 1);
    if (w > 0.0f) draw->AddRectFilled(at, ImVec2(at.x + std::max(2.0f, w), at.y + bar_h), fill, 2.0f);
    ImGui::Dummy(ImVec2(width, bar_h + 4.0f));
  }
  ImGui::PopID();
}

}  // namespace salespider::ui
