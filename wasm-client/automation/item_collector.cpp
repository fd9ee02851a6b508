// ItemCollector + the four functions Dear ImGui calls when compiled with
// IMGUI_ENABLE_TEST_ENGINE (declared in imgui_internal.h, "Test Engine
// specific hooks"). The hooks find the collector through ctx->TestEngine.
//
// Frame protocol: NewFramePre clears the list being built, ItemAdd appends
// items whose rect touches the current clip rect (ImGui calls it for clipped
// items too), ItemInfo adds label and kind, EndFramePost drops items of
// windows that ended up hidden and publishes the list.
#include "automation/item_collector.hpp"

#include "automation/json_writer.hpp"

#include <algorithm>
#include <cstdio>

namespace salespider::automation {

namespace {

ItemCollector* collector_of(ImGuiContext* ctx) {
  return ctx ? static_cast<ItemCollector*>(ctx->TestEngine) : nullptr;
}

std::string hex_id(ImGuiID id) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", id);
  return buf;
}

Role role_from_flags(ImGuiItemStatusFlags flags) {
  if (flags & ImGuiItemStatusFlags_Inputable) return Role::Input;
  if (flags & ImGuiItemStatusFlags_Checkable) return Role::Checkbox;
  if (flags & ImGuiItemStatusFlags_Openable) return Role::Openable;
  return Role::Button;
}

}  // namespace

const char* role_name(Role role) {
  switch (role) {
    case Role::Button:
      return "button";
    case Role::Checkbox:
      return "checkbox";
    case Role::Input:
      return "input";
    case Role::Openable:
      return "openable";
    case Role::Scrollbar:
      return "scrollbar";
    case Role::TitleBar:
      return "titlebar";
    case Role::Item:
      return "item";
  }
  return "item";
}

ItemCollector::ItemCollector(ImGuiContext& ctx) : ctx_(ctx) {
  IM_ASSERT(ctx_.TestEngine == nullptr && "another test engine is attached");
  ctx_.TestEngine = this;
  ctx_.TestEngineHookItems = true;

  ImGuiContextHook hook;
  hook.Type = ImGuiContextHookType_NewFramePre;
  hook.UserData = this;
  hook.Callback = [](ImGuiContext*, ImGuiContextHook* h) {
    static_cast<ItemCollector*>(h->UserData)->begin_frame();
  };
  new_frame_hook_ = ImGui::AddContextHook(&ctx_, &hook);

  hook.Type = ImGuiContextHookType_EndFramePost;
  hook.Callback = [](ImGuiContext*, ImGuiContextHook* h) {
    static_cast<ItemCollector*>(h->UserData)->publish();
  };
  end_frame_hook_ = ImGui::AddContextHook(&ctx_, &hook);
}

ItemCollector::~ItemCollector() {
  ImGui::RemoveContextHook(&ctx_, new_frame_hook_);
  ImGui::RemoveContextHook(&ctx_, end_frame_hook_);
  ctx_.TestEngineHookItems = false;
  ctx_.TestEngine = nullptr;
}

void ItemCollector::begin_frame() {
  building_.clear();
  names_.clear();
}

void ItemCollector::name_item(ImGuiID id, std::string name) {
  names_.emplace_back(id, std::move(name));
}

void ItemCollector::on_item_add(ImGuiID id, const ImRect& bb, const ImGuiLastItemData* item_data) {
  const ImGuiWindow* window = ctx_.CurrentWindow;
  if (id == 0 || window == nullptr) return;
  // Begin() registers the window itself (id == window->ID, no item data):
  // a window is not something a test clicks.
  if (item_data == nullptr && id == window->ID) return;
  const ImRect& clip = window->ClipRect;
  if (!clip.Overlaps(bb)) return;

  const ImGuiItemFlags in_flags = item_data ? item_data->InFlags : ctx_.CurrentItemFlags;

  // ButtonBehavior() may register an item that ItemAdd() already did.
  Widget* widget = nullptr;
  if (!building_.empty() && building_.back().id == id)
    widget = &building_.back();
  else
    widget = &building_.emplace_back();

  widget->id = id;
  widget->window_id = window->ID;
  widget->rect = bb;
  widget->enabled = (in_flags & ImGuiItemFlags_Disabled) == 0;
  widget->clipped = !clip.Contains(bb);
}

void ItemCollector::on_item_info(ImGuiID id, const char* label, ImGuiItemStatusFlags flags) {
  if (label == nullptr) return;
  // Items ImGui reported as clipped were never added; their info is skipped
  // too. Search from the back: info follows its ItemAdd closely.
  const auto it =
      std::find_if(building_.rbegin(), building_.rend(), [id](const Widget& w) { return w.id == id; });
  if (it == building_.rend()) return;
  it->full_label = label;
  it->label.assign(label, ImGui::FindRenderedTextEnd(label));
  it->label_w = ImGui::CalcTextSize(label, nullptr, true).x;
  it->role = role_from_flags(flags);
  it->checked = (flags & ImGuiItemStatusFlags_Checked) != 0;
  it->opened = (flags & ImGuiItemStatusFlags_Opened) != 0;
  it->has_info = true;
  it->label_cut = it->role == Role::Button && it->label_w > it->rect.GetWidth() - ctx_.Style.FramePadding.x;
}

void ItemCollector::publish() {
  published_.clear();
  for (Widget& w : building_) {
    ImGuiWindow* window = ImGui::FindWindowByID(w.window_id);
    // EndFrame() deactivates windows nobody wrote to (the implicit
    // "Debug##Default") and auto-sized windows are hidden on their first
    // frame: their items were never drawn.
    if (window == nullptr || !window->Active || window->Hidden) continue;
    w.window_name = window->Name;
    if (!w.has_info) {
      if (w.id == window->MoveId) {
        w.role = Role::TitleBar;
        const char* name = window->Name;
        w.label.assign(name, ImGui::FindRenderedTextEnd(name));
      } else if (w.id == ImGui::GetWindowScrollbarID(window, ImGuiAxis_X) ||
                 w.id == ImGui::GetWindowScrollbarID(window, ImGuiAxis_Y)) {
        w.role = Role::Scrollbar;
      }
    }
    if (w.label.empty()) {
      for (auto& [id, name] : names_)
        if (id == w.id) w.label = name;
    }
    published_.push_back(std::move(w));
  }
  building_.clear();
}

const char* ItemCollector::debug_label(ImGuiID id) const {
  for (const auto* list : {&building_, &published_}) {
    for (const Widget& w : *list) {
      if (w.id == id && w.has_info) return w.full_label.c_str();
    }
  }
  return nullptr;
}

std::string ItemCollector::widgets_json() const {
  JsonWriter json;
  json.begin_array();
  for (const Widget& w : published_) {
    json.begin_object();
    json.key("id").value(hex_id(w.id));
    json.key("label").value(w.label);
    json.key("full_label").value(w.full_label);
    json.key("role").value(role_name(w.role));
    json.key("window").value(w.window_name);
    json.key("rect").begin_object();
    json.key("x").value(static_cast<double>(w.rect.Min.x));
    json.key("y").value(static_cast<double>(w.rect.Min.y));
    json.key("w").value(static_cast<double>(w.rect.GetWidth()));
    json.key("h").value(static_cast<double>(w.rect.GetHeight()));
    json.end_object();
    json.key("label_w").value(static_cast<double>(w.label_w));
    json.key("label_cut").value(w.label_cut);
    json.key("enabled").value(w.enabled);
    json.key("visible").value(true);
    json.key("clipped").value(w.clipped);
    if (w.role == Role::Checkbox) json.key("checked").value(w.checked);
    if (w.role == Role::Openable) json.key("open").value(w.opened);
    json.end_object();
  }
  json.end_array();
  return json.str();
}

}  // namespace salespider::automation

// --- Dear ImGui's test-engine hooks (global namespace, names fixed by ImGui) ---

void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, ImGuiID id, const ImRect& bb,
                                 const ImGuiLastItemData* item_data) {
  if (auto* collector = salespider::automation::collector_of(ctx)) collector->on_item_add(id, bb, item_data);
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext* ctx, ImGuiID id, const char* label,
                                  ImGuiItemStatusFlags flags) {
  if (auto* collector = salespider::automation::collector_of(ctx)) collector->on_item_info(id, label, flags);
}

// ImGui's own log lines (IMGUI_TEST_ENGINE_LOG) are debugging aids for the
// real Test Engine; the till has no use for them.
void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext* ctx, ImGuiID id) {
  if (auto* collector = salespider::automation::collector_of(ctx)) return collector->debug_label(id);
  return nullptr;
}
