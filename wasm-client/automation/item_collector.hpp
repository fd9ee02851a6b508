// Collects the interactive items Dear ImGui submitted in a frame, through
// ImGui's own test-engine hooks (IMGUI_ENABLE_TEST_ENGINE), and publishes
// them at the end of the frame for window.salespider.widgets().
//
// Because the list comes from ImGui's ItemAdd/ItemInfo calls, it is exactly
// what the last frame drew: nothing is kept by hand. Deliberately not here:
// driving input (tests use real mouse/touch events on the canvas), the full
// Dear ImGui Test Engine (not packaged), and anything browser-specific
// (the JS bridge lives in main.cpp + www/app.js).
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

#include <span>
#include <string>
#include <vector>

namespace salespider::automation {

enum class Role {
  Button,
  Checkbox,
  Input,
  Openable,
  Scrollbar,
  TitleBar,
  // Interactive item that told us nothing about itself (no ItemInfo call).
  Item,
};

const char* role_name(Role role);

struct Widget {
  ImGuiID id = 0;
  ImGuiID window_id = 0;
  // Copied at publish time so widgets_json() needs no ImGui lookups
  // between frames.
  std::string window_name;
  // The label as submitted, including any "##"/"###" suffix.
  std::string full_label;
  // What the user sees: full_label without the "##..." part.
  std::string label;
  // How wide `label` is drawn in the widget's font (its widest line), in CSS
  // pixels, and whether that is cut: a button draws its label from its left
  // padding and clips it at its right edge (the layout test checks none is).
  float label_w = 0.0f;
  bool label_cut = false;
  Role role = Role::Item;
  // CSS pixels, relative to the canvas' top-left corner (io.DisplaySize is
  // in CSS pixels and the canvas is ImGui's whole display).
  ImRect rect;
  bool enabled = true;
  // True when part of rect lies outside its window's clip rect.
  bool clipped = false;
  bool checked = false;
  bool opened = false;
  bool has_info = false;
};

class ItemCollector {
 public:
  // Installs the hooks on ctx; ctx must outlive the collector.
  explicit ItemCollector(ImGuiContext& ctx);
  ~ItemCollector();
  ItemCollector(const ItemCollector&) = delete;
  ItemCollector& operator=(const ItemCollector&) = delete;

  // The items of the last completed frame, in submission order.
  std::span<const Widget> widgets() const { return published_; }
  // JSON array for window.salespider.widgets().
  std::string widgets_json() const;

  // Entry points for the ImGuiTestEngineHook_* functions.
  void on_item_add(ImGuiID id, const ImRect& bb, const ImGuiLastItemData* item_data);
  void on_item_info(ImGuiID id, const char* label, ImGuiItemStatusFlags flags);
  const char* debug_label(ImGuiID id) const;
  // The name of item `id` in this frame when its label shows none (a text
  // field whose words are drawn above it: ui::field()); what widgets()
  // reports as its label, for tests and the screen reader mirror.
  void name_item(ImGuiID id, std::string name);

 private:
  void begin_frame();
  void publish();

  ImGuiContext& ctx_;
  std::vector<Widget> building_;
  std::vector<std::pair<ImGuiID, std::string>> names_;  // this frame's name_item()
  std::vector<Widget> published_;
  ImGuiID new_frame_hook_ = 0;
  ImGuiID end_frame_hook_ = 0;
};

}  // namespace salespider::automation
