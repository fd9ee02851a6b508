// The selling screens; see selling.hpp for what they are.
#include "ui/selling.hpp"

#include "ui/printer.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>
#include <salespider/shared/i18n.hpp>
#include <salespider/shared/money_format.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

namespace salespider::ui {

using i18n::tr;
using i18n::trc;
using i18n::trf;
using i18n::trn;

namespace {

constexpr float kTileW = 172.0f;
constexpr float kTileH = 96.0f;
constexpr float kChipH = kMinTouchPx;
// Narrower than this and taller than wide: the phone layout.
constexpr float kPortraitMaxW = 760.0f;
// A scanner types a character every few ms; people type far slower. ImGui
// hands over typed characters one frame apart (its input queue trickles a
// key and its text over frames), so the gap allowed grows with the frame time.
constexpr double kBurstGapS = 0.1;
constexpr std::size_t kMinBurst = 4;

enum class Edit { quantity, percent, amount };

// What the cashier is typing on the selling screens (UI-local: not state
// until submitted).
struct SellForms {
  char search[96] = "";
  std::string searched = "\x01";  // the text last sent as Search (never matches at first)
  std::string searched_category;
  int scrolled_generation = -1;
  std::size_t more_requested_at = 0;
  char keypad[32] = "";
  int keypad_line = -2;  // the line the keypad buffer belongs to (-1: the cart discount)
  Edit edit = Edit::quantity;
  bool cart_discount = false;  // the edit panel is on the cart's discount
  char tendered[32] = "";
  bool tendered_filled = false;
  bool tendered_pristine = false;  // still the prefilled amount
  std::size_t tendered_for = 0;  // payments count the prefill was made for
  char void_reason[128] = "";
  char approver_login[128] = "";
  char approver_pin[32] = "";
  bool sheet_open = false;
  // How tall the collapsed sheet's content was in the last frame (0: not
  // drawn yet): what it holds (tax lines, a discount, a note) varies.
  float collapsed_sheet_h = 0.0f;
  bool help = false;
  bool focus_search = false;
  bool clear_search = false;  // empty the (active) search box at its next callback
  std::string search_prefix;  // typed before the search box had the focus: put in front
};
SellForms g_sell;

// Characters typed while no field has focus: a scanner's burst, or digits
// for the open keypad.
struct Burst {
  std::string text;
  double last = -1.0;
  std::string keypad_before;  // the keypad buffer before the burst began
};
Burst g_burst;

bool portrait() {
  const ImVec2 size = ImGui::GetMainViewport()->WorkSize;
  return size.x < kPortraitMaxW && size.y > size.x;
}

bool key(ImGuiKey k) {
  return ImGui::IsKeyPressed(k, false);
}

std::string percent_text(std::int64_t bp) {
  char text[32];
  if (bp % 100 == 0)
    std::snprintf(text, sizeof text, "%lld%%", static_cast<long long>(bp / 100));
  else
    std::snprintf(text, sizeof text, "%lld.%02lld%%", static_cast<long long>(bp / 100),
                  static_cast<long long>(bp % 100));
  return text;
}

std::string discount_text(const state::AppState& s, const Discount& d) {
  return "-" + (d.kind == DiscountKind::percent ? percent_text(d.value) : money(s, d.value));
}

std::string quantity_text(const CartLine& line) {
  if (line.unit == UnitKind::each) return std::to_string(line.quantity.thousandths / kQuantityScale);
  return trf("{quantity} kg", {{"quantity", format_quantity(line.quantity)}});
}


// What the keypad buffer means in the current edit mode.
std::optional<Discount> typed_discount(const state::AppState& s, const char* text) {
  if (text[0] == 0) return std::nullopt;
  if (g_sell.edit == Edit::amount) {
    std::optional<std::int64_t> a = typed_amount(s, text);
    if (!a) return std::nullopt;
    return Discount{DiscountKind::fixed, *a};
  }
  // Percent with up to two decimals, read as a quantity (three decimals).
  Result<Quantity> q = parse_quantity(text, UnitKind::weighed);
  if (!q || q.value().thousandths % 10 != 0) return std::nullopt;
  return Discount{DiscountKind::percent, q.value().thousandths / 10};
}

void open_edit(int line, Edit edit, bool cart_discount) {
  g_sell.keypad_line = cart_discount ? -1 : line;
  g_sell.edit = edit;
  g_sell.cart_discount = cart_discount;
  wipe(g_sell.keypad, sizeof g_sell.keypad);
}

void close_edit(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (s.cart.selected >= 0) emitted.emplace_back(state::SelectLine{-1});
  g_sell.cart_discount = false;
  g_sell.keypad_line = -2;
  wipe(g_sell.keypad, sizeof g_sell.keypad);
}

bool editing(const state::AppState& s) {
  return s.cart.selected >= 0 || g_sell.cart_discount;
}

// Reads what was typed with no field active. A fast burst + Enter is a scan
// (true, `code` set); slower digits go to the open keypad.
bool scanned_without_focus(const state::AppState& s, std::string& code, bool search_will_focus) {
  if (ImGui::IsAnyItemActive() || ImGui::GetIO().WantTextInput) {
    g_burst.text.clear();
    return false;
  }
  if (search_will_focus) {
    // The search box takes the focus in a frame or two: what is typed until
    // then goes into it (or, with Enter, is looked up at once), not lost.
    ImGuiIO& io = ImGui::GetIO();
    for (ImWchar c : io.InputQueueCharacters)
      if (c >= 0x20 && c < 0x80 && g_sell.search_prefix.size() < 64) g_sell.search_prefix.push_back(static_cast<char>(c));
    io.InputQueueCharacters.resize(0);
    if ((key(ImGuiKey_Enter) || key(ImGuiKey_KeypadEnter)) && !g_sell.search_prefix.empty()) {
      code = std::move(g_sell.search_prefix);
      g_sell.search_prefix.clear();
      return true;
    }
    return false;
  }
  const double now = ImGui::GetTime();
  ImGuiIO& io = ImGui::GetIO();
  const double gap = kBurstGapS + 3.0 * static_cast<double>(io.DeltaTime);
  for (ImWchar c : io.InputQueueCharacters) {
    if (c >= 0x80 || !std::isalnum(static_cast<unsigned char>(c))) {
      if (editing(s) && c == '.' && std::strlen(g_sell.keypad) + 1 < sizeof g_sell.keypad)
        std::strncat(g_sell.keypad, ".", 1);
      continue;
    }
    if (g_burst.last < 0.0 || now - g_burst.last > gap) {
      g_burst.text.clear();
      g_burst.keypad_before = g_sell.keypad;
    }
    g_burst.text.push_back(static_cast<char>(c));
    g_burst.last = now;
    if (editing(s) && std::isdigit(static_cast<unsigned char>(c)) && std::strlen(g_sell.keypad) + 1 < sizeof g_sell.keypad) {
      const char d[2] = {static_cast<char>(c), 0};
      std::strncat(g_sell.keypad, d, 1);
    }
  }
  io.InputQueueCharacters.resize(0);
  if (!key(ImGuiKey_Enter) && !key(ImGuiKey_KeypadEnter)) return false;
  const bool burst = g_burst.text.size() >= kMinBurst && now - g_burst.last <= 2.0 * gap;
  if (!burst) return false;
  code = g_burst.text;
  g_burst.text.clear();
  // The burst was a scan, not keypad input.
  std::snprintf(g_sell.keypad, sizeof g_sell.keypad, "%s", g_burst.keypad_before.c_str());
  return true;
}

// --- products: search, chips, tiles ------------------------------------------------

int search_filter(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag == ImGuiInputTextFlags_CallbackAlways) {
    // Cleared after Enter: an active field keeps its own copy of the text,
    // so it is emptied here rather than in the buffer.
    if (g_sell.clear_search && data->BufTextLen > 0) data->DeleteChars(0, data->BufTextLen);
    g_sell.clear_search = false;
    if (!g_sell.search_prefix.empty()) {
      data->InsertChars(0, g_sell.search_prefix.c_str());
      data->CursorPos = data->SelectionStart = data->SelectionEnd = data->BufTextLen;
      g_sell.search_prefix.clear();
    }
    return 0;
  }
  // +/-/= on an empty search box change the last line's quantity instead.
  const bool empty = *static_cast<const bool*>(data->UserData);
  return empty && (data->EventChar == '+' || data->EventChar == '-' || data->EventChar == '=') ? 1 : 0;
}

void search_box(const state::AppState& s, std::vector<state::Command>& emitted, bool may_focus, float width) {
  if (g_sell.searched == "\x01") {
    g_sell.searched.clear();
    emitted.emplace_back(state::Search{"", s.browse.category_id});
  }
  if (g_sell.focus_search || (may_focus && !touch_input() && !ImGui::IsAnyItemActive())) {
    ImGui::SetKeyboardFocusHere();
    g_sell.focus_search = false;
  }
  bool empty = g_sell.search[0] == 0;
  // F2 goes to the box from anywhere: said where there is a keyboard.
  const std::string hint = std::string(tr("Search or scan: name, SKU or barcode")) + (touch_input() ? "" : " (F2)");
  name_field("##code", hint.c_str());
  // The camera beside the box where the browser can scan with it.
  const float camera_w = s.camera.supported ? 150.0f : 0.0f;
  if (camera_w > 0.0f)
    ImGui::SetNextItemWidth(std::max(120.0f, width - camera_w - ImGui::GetStyle().ItemSpacing.x));
  else
    ImGui::SetNextItemWidth(width);
  const bool enter = ImGui::InputTextWithHint("##code", hint.c_str(), g_sell.search,
                                              sizeof g_sell.search,
                                              ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CallbackCharFilter |
                                                  ImGuiInputTextFlags_CallbackAlways,
                                              search_filter, &empty);
  if (camera_w > 0.0f) {
    // No taller than a touch target needs: a row as tall as the other
    // buttons would take a row of tiles from a phone.
    ImGui::SameLine();
    const bool may = state::may_scan_with_camera(s);
    ImGui::BeginDisabled(!may);
    if (ImGui::Button(lbl(tr("Camera"), "###camera").c_str(), ImVec2(camera_w, std::max(kMinTouchPx, ImGui::GetFrameHeight()))) && may)
      emitted.emplace_back(state::OpenCamera{});
    ImGui::EndDisabled();
  }
  if (g_sell.searched != g_sell.search) {
    g_sell.searched = g_sell.search;
    emitted.emplace_back(state::Search{g_sell.searched, s.browse.category_id});
  }
  if (!enter) return;
  const std::string text = g_sell.search;
  if (text.empty()) {
    if (s.completed) emitted.emplace_back(state::NewSale{});
    return;
  }
  const bool digits = std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  // A name that shows exactly one tile adds it; codes go through the scan path.
  if (!digits && s.browse.text == text && s.browse.products.size() == 1)
    emitted.emplace_back(state::AddProduct{s.browse.products.front()});
  else
    emitted.emplace_back(state::ScanCode{text});
  wipe(g_sell.search, sizeof g_sell.search);
  g_sell.clear_search = true;
}

// Each category's colour (theme.hpp category_palette), for its chip and
// its products' tiles: a stripe down the left edge of the item just drawn.
class CategoryColours {
 public:
  explicit CategoryColours(const state::AppState& s) {
    for (const state::Category& c : s.browse.categories) ids_.push_back(c.id);
    slots_ = category_slots(ids_);
  }
  void stripe(const std::string& category_id) const {
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      if (ids_[i] != category_id) continue;
      const ImVec2 min = ImGui::GetItemRectMin();
      const ImVec2 max = ImGui::GetItemRectMax();
      ImGui::GetWindowDrawList()->AddRectFilled(
          min, ImVec2(min.x + kCategoryStripePx, max.y),
          ImGui::GetColorU32(category_palette()[static_cast<std::size_t>(slots_[i])]), ImGui::GetStyle().FrameRounding,
          ImDrawFlags_RoundCornersLeft);
      return;
    }
  }

 private:
  static constexpr float kCategoryStripePx = 8.0f;
  std::vector<std::string> ids_;
  std::vector<int> slots_;
};

void chips(const state::AppState& s, std::vector<state::Command>& emitted) {
  ImGui::BeginChild("##chips", ImVec2(0.0f, kChipH + ImGui::GetStyle().ScrollbarSize + 8.0f), ImGuiChildFlags_None,
                    ImGuiWindowFlags_HorizontalScrollbar);
  const CategoryColours colours(s);
  auto chip = [&](const std::string& name, const std::string& id) {
    const bool on = s.browse.category_id == id;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.10f, 0.45f, 0.30f, 1.0f));
    if (on) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 1.0f, 1.0f, 1.0f));
    const std::string label = name + "##chip-" + (id.empty() ? std::string("all") : id);
    if (ImGui::Button(label.c_str(), ImVec2(0.0f, kChipH)) && !on)
      emitted.emplace_back(state::Search{g_sell.search, id});
    colours.stripe(id);
    if (on) ImGui::PopStyleColor(2);
    ImGui::SameLine();
  };
  chip(tr("All"), "");
  for (const state::Category& c : s.browse.categories) chip(c.name, c.id);
  ImGui::NewLine();
  ImGui::EndChild();
}

std::string fit(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  std::string t = text;
  while (!t.empty() && ImGui::CalcTextSize((t + "…").c_str()).x > width) {
    t.pop_back();
    while (!t.empty() && (static_cast<unsigned char>(t.back()) & 0xC0) == 0x80) t.pop_back();  // whole UTF-8 characters
  }
  return t + "…";
}

void tiles(const state::AppState& s, std::vector<state::Command>& emitted, float height) {
  ImGui::BeginChild("##tiles", ImVec2(0.0f, height));
  if (g_sell.scrolled_generation != s.browse.generation) {
    g_sell.scrolled_generation = s.browse.generation;
    g_sell.more_requested_at = 0;
    ImGui::SetScrollY(0.0f);
  }
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float avail = ImGui::GetContentRegionAvail().x;
  const int columns = std::max(1, static_cast<int>((avail + gap) / (kTileW + gap)));
  const float tile_w = std::max(kTileW * 0.8f, (avail - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns));
  const int count = static_cast<int>(s.browse.products.size());
  const int rows = (count + columns - 1) / columns;
  const CategoryColours colours(s);
  if (!s.browse.error.empty()) {
    ImGui::TextColored(kError, "%s", s.browse.error.c_str());
  } else if (count == 0) {
    ImGui::TextColored(kMuted, "%s",
                       s.browse.text.empty() ? tr("No products yet: they arrive with the first sync.")
                                             : tr("No product matches. Scan it, or check the spelling."));
  }
  ImGuiListClipper clipper;
  clipper.Begin(rows, kTileH + ImGui::GetStyle().ItemSpacing.y);
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      for (int col = 0; col < columns; ++col) {
        const int i = row * columns + col;
        if (i >= count) break;
        const state::ProductSnapshot& p = s.browse.products[static_cast<std::size_t>(i)];
        if (col > 0) ImGui::SameLine();
        std::string badge;
        if (p.on_hand_milli) {
          const std::int64_t units = *p.on_hand_milli / kQuantityScale;
          badge = units <= 0 ? std::string(" · ") + tr("out of stock")
                             : " · " + trf("{n} left", {{"n", std::to_string(units)}});
        }
        const float text_w = tile_w - 2.0f * ImGui::GetStyle().FramePadding.x;
        const std::string label = fit(p.name, text_w) + "\n" + fit(money(s, p.unit_price) +
                                  (p.unit == UnitKind::weighed ? tr("/kg") : "") + badge, text_w) + "##tile-" + p.id;
        if (ImGui::Button(label.c_str(), ImVec2(tile_w, kTileH))) emitted.emplace_back(state::AddProduct{p});
        colours.stripe(p.category_id);
      }
    }
  }
  clipper.End();
  if (s.browse.more) {
    // Near the end of what is loaded: the next page, once.
    if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2.0f * kTileH && g_sell.more_requested_at != s.browse.products.size()) {
      g_sell.more_requested_at = s.browse.products.size();
      emitted.emplace_back(state::MoreProducts{});
    }
    if (button(tr("More products"), 240.0f)) emitted.emplace_back(state::MoreProducts{});
  }
  ImGui::EndChild();
}

// Chips and tiles; the search box is drawn by the caller, in the screen's
// own window (keyboard focus requests reach it there, not in a child).
void products(const state::AppState& s, std::vector<state::Command>& emitted, float height) {
  ImGui::BeginChild("##products", ImVec2(0.0f, height));
  chips(s, emitted);
  tiles(s, emitted, ImGui::GetContentRegionAvail().y);
  ImGui::EndChild();
}

// --- the cart ------------------------------------------------------------------------

void completed_banner(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (!s.completed) return;
  const state::Completed& c = *s.completed;
  ImGui::PushFont(title_font());
  ImGui::TextColored(kOnline, "%s", tr("Sale complete"));
  ImGui::PopFont();
  ImGui::TextWrapped("%s", (c.offline ? trf("Receipt {receipt} · {time} · recorded offline",
                                           {{"receipt", c.receipt_number}, {"time", c.time_text}})
                                      : trf("Receipt {receipt} · {time}", {{"receipt", c.receipt_number}, {"time", c.time_text}}))
                               .c_str());
  ImGui::TextUnformatted(trf("Total {total} · paid {paid}", {{"total", money(s, c.total)},
                                                             {"paid", money(s, c.settlement.cash_tendered + c.settlement.non_cash)}})
                             .c_str());
  ImGui::PushFont(title_font());
  ImGui::TextUnformatted(trf("Change {change}", {{"change", money(s, c.change)}}).c_str());
  ImGui::PopFont();
  const float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  if (button(with_key(c.prints > 0 ? tr("Print copy") : tr("Print receipt"), "F7", "print").c_str(), w) || key(ImGuiKey_F7))
    emitted.emplace_back(state::PrintReceipt{});
  ImGui::SameLine();
  if (primary_button(with_key(tr("New sale"), "Esc", "new-sale").c_str(), ImVec2(w, kPrimaryButtonPx)) ||
      (key(ImGuiKey_Escape) && !editing(s)))
    emitted.emplace_back(state::NewSale{});
  print_job_line(s, emitted);
  ImGui::Separator();
}

void cart_lines(const state::AppState& s, std::vector<state::Command>& emitted, float height) {
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("cart", 3, flags, ImVec2(0.0f, height))) return;
  ImGui::TableSetupColumn(trc("cart column", "Item"), ImGuiTableColumnFlags_WidthStretch, 3.0f);
  const bool narrow = ImGui::GetContentRegionAvail().x < 480.0f;
  ImGui::TableSetupColumn(trc("cart column", "Qty"), ImGuiTableColumnFlags_WidthFixed, 2.0f * kMinTouchPx + (narrow ? 44.0f : 70.0f));
  ImGui::TableSetupColumn(trc("cart column", "Total"), ImGuiTableColumnFlags_WidthFixed, narrow ? 90.0f : 130.0f);
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableHeadersRow();
  for (std::size_t i = 0; i < s.cart.lines.size(); ++i) {
    const CartLine& line = s.cart.lines[i];
    const int index = static_cast<int>(i);
    ImGui::PushID(index);
    ImGui::TableNextRow(0, kMinTouchPx);
    if (index == s.cart.highlight || index == s.cart.selected)
      ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, ImGui::GetColorU32(index == s.cart.selected
                                                                               ? ImVec4(0.80f, 0.88f, 0.97f, 1.0f)
                                                                               : ImVec4(0.85f, 0.95f, 0.88f, 1.0f)));
    ImGui::TableNextColumn();
    // The whole name cell opens the edit panel (keypad, discount, remove).
    const std::string label = line.name + "##line";
    if (ImGui::Selectable(label.c_str(), index == s.cart.selected, 0, ImVec2(0.0f, kMinTouchPx * 0.5f))) {
      emitted.emplace_back(state::SelectLine{index});
      open_edit(index, Edit::quantity, false);
    }
    std::string detail = quantity_text(line) + " × " + money(s, line.unit_price);
    for (const Discount& d : line.discounts) detail += "  " + discount_text(s, d);
    ImGui::TextColored(kMuted, "%s", detail.c_str());
    ImGui::TableNextColumn();
    if (line.unit == UnitKind::each) {
      if (ImGui::Button("-", ImVec2(kMinTouchPx, kMinTouchPx))) emitted.emplace_back(state::ChangeQuantity{index, -1});
      ImGui::SameLine();
      ImGui::Text("%lld", static_cast<long long>(line.quantity.thousandths / kQuantityScale));
      ImGui::SameLine();
      if (ImGui::Button("+", ImVec2(kMinTouchPx, kMinTouchPx))) emitted.emplace_back(state::ChangeQuantity{index, 1});
    } else {
      ImGui::TextUnformatted(quantity_text(line).c_str());
    }
    ImGui::TableNextColumn();
    if (s.cart.sale && i < s.cart.sale->lines.size()) ImGui::TextUnformatted(money(s, s.cart.sale->lines[i].total).c_str());
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void edit_panel(const state::AppState& s, std::vector<state::Command>& emitted) {
  const bool cart = g_sell.cart_discount;
  const int line = s.cart.selected;
  if (!cart && (line < 0 || line >= static_cast<int>(s.cart.lines.size()))) return;
  if (!cart && g_sell.keypad_line != line) open_edit(line, Edit::quantity, false);
  const CartLine* l = cart ? nullptr : &s.cart.lines[static_cast<std::size_t>(line)];
  ImGui::Separator();
  ImGui::TextUnformatted(cart ? tr("Discount on the whole sale") : l->name.c_str());
  auto mode = [&](const char* label, Edit e) {
    const bool on = g_sell.edit == e;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.80f, 0.88f, 0.97f, 1.0f));
    if (ImGui::Button(label, ImVec2(0.0f, kMinTouchPx)) && !on) {
      g_sell.edit = e;
      wipe(g_sell.keypad, sizeof g_sell.keypad);
    }
    if (on) ImGui::PopStyleColor();
    ImGui::SameLine();
  };
  if (!cart) mode(lbl(l->unit == UnitKind::weighed ? tr("Weight (kg)") : tr("Quantity"), "##mode-qty").c_str(), Edit::quantity);
  mode(lbl(tr("% off"), "##mode-percent").c_str(), Edit::percent);
  mode(lbl(tr("Amount off"), "##mode-amount").c_str(), Edit::amount);
  ImGui::NewLine();
  const char* hint = g_sell.edit == Edit::quantity ? (l && l->unit == UnitKind::weighed ? tr("kg, e.g. 0.455") : tr("how many"))
                     : g_sell.edit == Edit::percent ? tr("percent, e.g. 10")
                                                    : tr("amount");
  // Keypad on the left, the value and the actions beside it: the panel
  // stays one keypad tall, so the totals and Pay stay on screen.
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float pad_w = 3.0f * kKeypadKeyPx + 2.0f * gap;
  const bool beside = ImGui::GetContentRegionAvail().x >= pad_w + gap + 180.0f;
  ImGui::BeginGroup();
  keypad("edit", g_sell.keypad, sizeof g_sell.keypad, g_sell.edit != Edit::quantity || (l && l->unit == UnitKind::weighed),
         kKeypadKeyPx);
  ImGui::EndGroup();
  if (beside) ImGui::SameLine();
  ImGui::BeginGroup();
  const float side = std::max(140.0f, ImGui::GetContentRegionAvail().x - 4.0f);
  ImGui::SetNextItemWidth(side);
  ImGui::InputTextWithHint("##keypad-value", hint, g_sell.keypad, sizeof g_sell.keypad,
                           ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_ReadOnly);
  const bool apply_key = !ImGui::IsAnyItemActive() && (key(ImGuiKey_Enter) || key(ImGuiKey_KeypadEnter));
  bool closed = false;
  if (primary_button(with_key(tr("Apply"), "Enter", "apply").c_str(), ImVec2(side, kButtonPx), g_sell.keypad[0] != 0) ||
      (apply_key && g_sell.keypad[0] != 0)) {
    if (g_sell.edit == Edit::quantity) {
      Result<Quantity> q = parse_quantity(g_sell.keypad, l->unit);
      // An unreadable quantity goes through as 0: the reducer says what is wrong.
      emitted.emplace_back(state::SetQuantity{line, q ? q.value() : Quantity{0}});
    } else if (std::optional<Discount> d = typed_discount(s, g_sell.keypad)) {
      if (cart) emitted.emplace_back(state::SetCartDiscount{d});
      else emitted.emplace_back(state::SetLineDiscount{line, d});
    }
    closed = true;
  }
  const bool has_discount = cart ? !s.cart.discounts.empty() : !l->discounts.empty();
  if (!closed && has_discount && button(lbl(tr("Clear discount"), "##clear-discount").c_str(), side)) {
    if (cart) emitted.emplace_back(state::SetCartDiscount{std::nullopt});
    else emitted.emplace_back(state::SetLineDiscount{line, std::nullopt});
  }
  if (!closed && !cart &&
      (button(with_key(tr("Remove line"), "Del", "remove-line").c_str(), side) ||
       (!ImGui::IsAnyItemActive() && key(ImGuiKey_Delete)))) {
    emitted.emplace_back(state::RemoveLine{line});
    closed = true;
  }
  if (!closed && (button(with_key(tr("Close"), "Esc", "close-edit").c_str(), side) || key(ImGuiKey_Escape))) closed = true;
  ImGui::EndGroup();
  if (closed) close_edit(s, emitted);
}

void totals(const state::AppState& s) {
  if (s.cart.sale) {
    const SaleTotals& t = s.cart.sale->totals;
    ImGui::TextUnformatted(trf("Subtotal {amount}", {{"amount", money(s, t.subtotal)}}).c_str());
    if (t.line_discounts + t.cart_discounts > 0) {
      const std::string amount = money(s, t.line_discounts + t.cart_discounts);
      ImGui::TextUnformatted((s.cart.approver ? trf("Discounts -{amount} · approved by {manager}",
                                                    {{"amount", amount}, {"manager", s.cart.approver->display_name}})
                                              : trf("Discounts -{amount}", {{"amount", amount}}))
                                 .c_str());
    }
    for (const TaxLine& tax : t.taxes) {
      if (tax.tax == 0 && tax.rate.rate_ppm == 0) continue;
      const std::string rate = percent_text(tax.rate.rate_ppm / 100);
      ImGui::TextUnformatted(
          (s.cart.sale->price_mode == PriceMode::tax_inclusive
               ? trf("{code} {rate} incl. {amount}", {{"code", tax.rate.code}, {"rate", rate}, {"amount", money(s, tax.tax)}})
               : trf("{code} {rate} {amount}", {{"code", tax.rate.code}, {"rate", rate}, {"amount", money(s, tax.tax)}}))
              .c_str());
    }
    ImGui::PushFont(title_font());
    ImGui::TextUnformatted(trf("TOTAL {amount}", {{"amount", money(s, t.total)}}).c_str());
    ImGui::PopFont();
  } else if (!s.cart.error.empty()) {
    ImGui::TextColored(kError, "%s", s.cart.error.c_str());
  } else if (!s.completed) {
    ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
    ImGui::TextWrapped("%s", tr("Scan, search or tap a product to start a sale."));
    ImGui::PopStyleColor();
  }
}

bool can_pay(const state::AppState& s) {
  return s.cart.sale.has_value() && !s.busy && !s.storage.read_only;
}

void pay_button(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (primary_button(with_key(tr("Pay"), "F6", "pay").c_str(), ImVec2(-1.0f, kPrimaryButtonPx), can_pay(s)))
    emitted.emplace_back(state::StartPayment{});
}

// The cart's actions, in two groups (the sale; the rest of the day), each
// in as few rows as its widest label allows: a narrow cart (a desktop's
// right column, a long language) takes another row rather than cutting a
// label.
struct CartAction {
  std::string label;
  bool enabled;
  std::function<void()> pressed;
};

std::vector<std::vector<CartAction>> cart_actions_of(const state::AppState& s, std::vector<state::Command>& emitted) {
  std::vector<std::vector<CartAction>> groups(2);
  groups[0].push_back({with_key(tr("Park"), "F8", "park"), !s.cart.lines.empty() && !s.busy,
                       [&] { emitted.emplace_back(state::ParkSale{}); }});
  groups[0].push_back({with_key(trf("Parked {n}", {{"n", std::to_string(s.parked.size())}}).c_str(), "F9", "parked"),
                       !s.busy, [&] { emitted.emplace_back(state::OpenParked{}); }});
  groups[0].push_back({lbl(tr("Discount"), "###cart-discount"), !s.cart.lines.empty() && !s.busy, [&] {
                         close_edit(s, emitted);
                         open_edit(-1, Edit::percent, true);
                       }});
  groups[1].push_back({lbl(s.shift ? tr("Shift") : tr("Open shift"), "###shift"), !s.busy,
                       [&] { emitted.emplace_back(state::OpenShiftScreen{}); }});
  groups[1].push_back({lbl(tr("Sales"), "###history"), !s.busy,
                       [&] { emitted.emplace_back(state::OpenHistory{state::HistoryFilter{}}); }});
  if (s.user && state::is_manager_role(s.user->role))
    groups[1].push_back({trf("Attention {n}", {{"n", std::to_string(s.storage.needs_attention)}}) + "###attention",
                         !s.busy, [&] { emitted.emplace_back(state::OpenAttention{}); }});
  groups[1].push_back({lbl(tr("Switch cashier"), "###switch"), !s.busy,
                       [&] { emitted.emplace_back(state::SwitchCashier{}); }});
  groups[1].push_back({std::string(tr("Device")), !s.busy, [&] { emitted.emplace_back(state::OpenDevice{}); }});
  return groups;
}

// The cart's action buttons keep less room beside their words than others:
// more of them fit a row.
constexpr float kCartActionPadX = 8.0f;

// `group`'s buttons in rows `avail` wide: each takes its label's width, the
// next row starts when the label would not fit whole, and each row's spare
// room is shared out so its buttons fill it. A narrow cart (a phone, a long
// language) takes another row rather than cutting a label; a wide one keeps
// a group on one row.
std::vector<std::vector<std::pair<std::size_t, float>>> cart_action_layout(const std::vector<CartAction>& group,
                                                                           float avail) {
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  std::vector<std::vector<std::pair<std::size_t, float>>> rows;
  float used = 0.0f;
  for (std::size_t i = 0; i < group.size(); ++i) {
    const float w = ImGui::CalcTextSize(group[i].label.c_str(), nullptr, true).x + 2.0f * kCartActionPadX;
    if (rows.empty() || used + gap + w > avail) {
      rows.emplace_back();
      used = w;
    } else {
      used += gap + w;
    }
    rows.back().emplace_back(i, w);
  }
  for (auto& row : rows) {
    float natural = 0.0f;
    for (const auto& [i, w] : row) natural += w;
    const float spare = std::max(0.0f, avail - natural - gap * static_cast<float>(row.size() - 1));
    for (auto& [i, w] : row) w += spare / static_cast<float>(row.size());
  }
  return rows;
}

int cart_action_rows(const state::AppState& s, std::vector<state::Command>& emitted, float avail) {
  int rows = 0;
  for (const auto& group : cart_actions_of(s, emitted)) rows += static_cast<int>(cart_action_layout(group, avail).size());
  return rows;
}

void cart_actions(const state::AppState& s, std::vector<state::Command>& emitted) {
  const float avail = ImGui::GetContentRegionAvail().x;
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(kCartActionPadX, ImGui::GetStyle().FramePadding.y));
  for (const auto& group : cart_actions_of(s, emitted)) {
    for (const auto& row : cart_action_layout(group, avail)) {
      for (std::size_t k = 0; k < row.size(); ++k) {
        if (k > 0) ImGui::SameLine();
        const CartAction& a = group[row[k].first];
        if (button(a.label.c_str(), row[k].second, a.enabled)) a.pressed();
      }
    }
  }
  ImGui::PopStyleVar();
}

void cart_panel(const state::AppState& s, std::vector<state::Command>& emitted, bool with_actions) {
  completed_banner(s, emitted);
  message_line(s, emitted);
  const float below = (editing(s) ? 4.0f * kKeypadKeyPx + 3.0f * ImGui::GetStyle().ItemSpacing.y +
                                        2.0f * ImGui::GetTextLineHeightWithSpacing() + kMinTouchPx + 24.0f
                                  : 0.0f) +
                      4.0f * ImGui::GetTextLineHeightWithSpacing() + 50.0f + kPrimaryButtonPx +
                      (with_actions ? static_cast<float>(cart_action_rows(s, emitted, ImGui::GetContentRegionAvail().x)) *
                                          (kButtonPx + ImGui::GetStyle().ItemSpacing.y)
                                    : 0.0f) +
                      (s.shift || !s.shift_required ? 0.0f : 40.0f);
  const float rest = ImGui::GetContentRegionAvail().y - below;
  // Under "Sale complete" the cart is empty: its table would only push Pay
  // and the actions out of a small screen, which keep their place instead.
  if (s.completed && s.cart.lines.empty())
    ImGui::Dummy(ImVec2(0.0f, std::max(0.0f, rest)));
  else
    cart_lines(s, emitted, std::max(3.0f * kMinTouchPx, rest));
  edit_panel(s, emitted);
  totals(s);
  if (s.shift_required && !s.shift) ImGui::TextColored(kOffline, "%s", tr("No shift open: open one before taking payment."));
  pay_button(s, emitted);
  if (with_actions) cart_actions(s, emitted);
}

void shortcuts(const state::AppState& s, std::vector<state::Command>& emitted, bool scanned) {
  const bool idle = !ImGui::IsAnyItemActive();
  if (key(ImGuiKey_F1)) g_sell.help = !g_sell.help;
  if (key(ImGuiKey_F2)) {
    close_edit(s, emitted);
    g_sell.focus_search = true;
  }
  if (key(ImGuiKey_F3) && !s.cart.lines.empty()) {
    const int last = static_cast<int>(s.cart.lines.size()) - 1;
    if (s.cart.selected != last) emitted.emplace_back(state::SelectLine{last});
    open_edit(last, Edit::quantity, false);
  }
  if (can_pay(s) && key(ImGuiKey_F6)) emitted.emplace_back(state::StartPayment{});
  if (can_pay(s) && key(ImGuiKey_F4)) emitted.emplace_back(state::CompleteSale{state::cash_due(s)});
  if (key(ImGuiKey_F8)) emitted.emplace_back(state::ParkSale{});
  if (key(ImGuiKey_F9)) emitted.emplace_back(state::OpenParked{});
  // +/- typed into the empty search box are filtered out of it (search_filter).
  const bool quantity_keys = idle || g_sell.search[0] == 0;
  if (!scanned && quantity_keys && !editing(s) && !s.cart.lines.empty()) {
    const int last = static_cast<int>(s.cart.lines.size()) - 1;
    if (key(ImGuiKey_KeypadAdd) || key(ImGuiKey_Equal)) emitted.emplace_back(state::ChangeQuantity{last, 1});
    if (key(ImGuiKey_KeypadSubtract) || key(ImGuiKey_Minus)) emitted.emplace_back(state::ChangeQuantity{last, -1});
    if (key(ImGuiKey_Delete)) emitted.emplace_back(state::RemoveLine{last});
  }
}

void help_window() {
  if (!g_sell.help) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowFocus();
  if (ImGui::Begin(lbl(tr("Keyboard"), "###help").c_str(), nullptr,
                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse |
                       ImGuiWindowFlags_NoMove)) {
    static const char* const kKeys[][2] = {
        {i18n::N_("Scan / type + Enter"), i18n::N_("add by barcode or SKU")}, {"F2", i18n::N_("search")},
        {"F3", i18n::N_("quantity of the last line")},  {"+ / -", i18n::N_("one more / one less")},
        {i18n::NC_("key", "Del"), i18n::N_("remove the last line")},
        {"F6", i18n::N_("pay")},                        {"F4", i18n::N_("cash, exact amount")},
        {"F7", i18n::N_("print the receipt")},          {"F8", i18n::N_("park the sale")},
        {"F9", i18n::N_("parked sales")},               {i18n::NC_("key", "Esc"), i18n::N_("back / new sale")},
        {i18n::NC_("key", "Enter"), i18n::N_("confirm")}, {"F1", i18n::N_("this help")},
    };
    for (const auto& k : kKeys) {
      // Key names are of context "key"; F-keys and "+ / -" are not in the catalogue and stay as they are.
      const char* cap = trc("key", k[0]);
      ImGui::TextUnformatted(cap == k[0] ? tr(k[0]) : cap);
      ImGui::SameLine(260.0f);
      ImGui::TextColored(kMuted, "%s", tr(k[1]));
    }
    if (button(lbl(tr("Close"), "##help-close").c_str(), 160.0f) || key(ImGuiKey_Escape)) g_sell.help = false;
  }
  ImGui::End();
}

// The payment screen's keypad on the amount field.
void cash_keypad() {
  char before[sizeof g_sell.tendered];
  std::memcpy(before, g_sell.tendered, sizeof before);
  keypad("cash", g_sell.tendered, sizeof g_sell.tendered, true, portrait() ? 84.0f : 96.0f);
  if (std::strcmp(before, g_sell.tendered) == 0) return;
  if (g_sell.tendered_pristine) {
    // The first key replaces the prefilled amount instead of extending it.
    const std::size_t n = std::strlen(g_sell.tendered);
    if (n > std::strlen(before))
      std::snprintf(g_sell.tendered, sizeof g_sell.tendered, "%c", g_sell.tendered[n - 1]);
    else
      g_sell.tendered[0] = 0;
  }
  g_sell.tendered_pristine = false;
}

// Quick cash amounts: exact, then the next round amounts a customer hands over.
std::vector<std::int64_t> quick_amounts(const state::AppState& s, std::int64_t due) {
  std::vector<std::int64_t> out{due};
  Result<Currency> c = find_currency(s.store.currency);
  std::int64_t major = 1;
  if (c)
    for (int i = 0; i < c.value().exponent(); ++i) major *= 10;
  static const std::int64_t kSteps[] = {1, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000};
  for (std::int64_t step : kSteps) {
    const std::int64_t unit = step * major;
    const std::int64_t next = (due / unit + 1) * unit;
    if (next > due && std::find(out.begin(), out.end(), next) == out.end()) out.push_back(next);
    if (out.size() >= 4) break;
  }
  return out;
}

}  // namespace

void till(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Till##screen", true)) {
    read_only_notice(s);
    if (s.sync.bootstrapping && s.sync.bootstrap_total > 0) {
      // Selling works meanwhile: what is loaded already can be scanned.
      const float done = static_cast<float>(s.sync.bootstrap_done) / static_cast<float>(s.sync.bootstrap_total);
      const std::string label = trf("Loading the catalog: {done} of {total}", {{"done", std::to_string(s.sync.bootstrap_done)},
                                                                             {"total", std::to_string(s.sync.bootstrap_total)}});
      ImGui::ProgressBar(std::min(1.0f, done), ImVec2(-1.0f, kMinTouchPx), label.c_str());
    }
    if (!editing(s) && g_sell.keypad_line != -2) close_edit(s, emitted);
    std::string code;
    const bool may_focus = !editing(s) && !s.approval && !g_sell.help && !s.busy;
    const bool scanned = !s.approval && scanned_without_focus(s, code, may_focus && !touch_input());
    if (scanned) emitted.emplace_back(state::ScanCode{code});
    if (portrait()) {
      search_box(s, emitted, may_focus, ImGui::GetContentRegionAvail().x);
      const float avail_h = ImGui::GetContentRegionAvail().y;
      // Products fill the screen; the cart is a bottom sheet whose total
      // and Pay button are always there.
      const float sheet_h = g_sell.sheet_open || editing(s) || s.completed ? avail_h * 0.78f
                            : g_sell.collapsed_sheet_h > 0.0f
                                ? std::min(g_sell.collapsed_sheet_h, avail_h * 0.78f)
                                : 2.0f * ImGui::GetTextLineHeightWithSpacing() + kPrimaryButtonPx + kMinTouchPx + 48.0f;
      products(s, emitted, std::max(120.0f, avail_h - sheet_h - ImGui::GetStyle().ItemSpacing.y));
      ImGui::BeginChild("##sheet", ImVec2(0.0f, 0.0f), ImGuiChildFlags_Border);
      const std::int64_t n = static_cast<std::int64_t>(s.cart.lines.size());
      const std::string toggle = std::string(g_sell.sheet_open ? tr("Hide cart") : tr("Cart")) + " · " +
                                 i18n::format(trn("{n} line", "{n} lines", n), {{"n", std::to_string(n)}}) +
                                 "###sheet-toggle";
      if (g_sell.sheet_open || editing(s) || s.completed) {
        if (ImGui::Button(toggle.c_str(), ImVec2(-1.0f, kMinTouchPx))) g_sell.sheet_open = !g_sell.sheet_open;
        cart_panel(s, emitted, true);
      } else {
        // Collapsed: the total and Pay first, so they are always in view.
        totals(s);
        pay_button(s, emitted);
        if (s.shift_required && !s.shift && button(lbl(tr("Open shift"), "###shift").c_str(), -1.0f, !s.busy))
          emitted.emplace_back(state::OpenShiftScreen{});
        if (ImGui::Button(toggle.c_str(), ImVec2(-1.0f, kMinTouchPx))) g_sell.sheet_open = !g_sell.sheet_open;
        message_line(s, emitted);
        // All of it shows in the next frame: the products give up what it needs.
        g_sell.collapsed_sheet_h = ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y + ImGui::GetStyle().WindowPadding.y;
      }
      ImGui::EndChild();
    } else {
      const float gap = ImGui::GetStyle().ItemSpacing.x;
      const float left = (ImGui::GetContentRegionAvail().x - gap) * 0.6f;
      const float top = ImGui::GetCursorPosY();
      const float avail_h = ImGui::GetContentRegionAvail().y;
      ImGui::BeginGroup();
      search_box(s, emitted, may_focus, left);
      ImGui::BeginChild("##left", ImVec2(left, ImGui::GetContentRegionAvail().y));
      products(s, emitted, ImGui::GetContentRegionAvail().y);
      ImGui::EndChild();
      ImGui::EndGroup();
      ImGui::SameLine();
      ImGui::SetCursorPosY(top);
      ImGui::BeginChild("##cart-panel", ImVec2(0.0f, avail_h));
      cart_panel(s, emitted, true);
      ImGui::EndChild();
    }
    if (!s.approval) shortcuts(s, emitted, scanned);
  }
  ImGui::End();
  help_window();
}

void pay(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Pay##screen", true)) {
    const std::int64_t due = state::cash_due(s);
    const std::int64_t remaining = state::remaining_due(s);
    const bool phone = portrait();
    if (!phone) title(tr("Payment"));
    ImGui::PushFont(title_font());
    ImGui::TextUnformatted(trf("To pay {amount}", {{"amount", money(s, remaining)}}).c_str());
    ImGui::PopFont();
    if (s.cart.sale)
      ImGui::TextColored(kMuted, "%s", trf("Sale total {amount}", {{"amount", money(s, s.cart.sale->totals.total)}}).c_str());
    if (due != remaining && due > 0)
      ImGui::TextColored(kMuted, "%s", trf("In cash {amount} (rounded)", {{"amount", money(s, due)}}).c_str());
    // Payments taken so far (split tender).
    for (std::size_t i = 0; i < s.pay.payments.size(); ++i) {
      const Payment& p = s.pay.payments[i];
      ImGui::Text("%s %s", state::tender_name(s.store, p.kind).c_str(), money(s, p.amount).c_str());
      ImGui::SameLine();
      const std::string label = std::string(tr("Remove")) + "##payment-" + std::to_string(i);
      if (ImGui::Button(label.c_str(), ImVec2(0.0f, kMinTouchPx)) && !s.busy)
        emitted.emplace_back(state::RemovePayment{static_cast<int>(i)});
    }
    if (!s.pay.error.empty()) ImGui::TextColored(kError, "%s", s.pay.error.c_str());
    message_line(s, emitted);
    ImGui::Separator();

    if (!g_sell.tendered_filled || g_sell.tendered_for != s.pay.payments.size()) {
      // Prefilled with what is left in cash, in the format parse_money reads.
      std::snprintf(g_sell.tendered, sizeof g_sell.tendered, "%s", plain_money(s, due).c_str());
      g_sell.tendered_filled = true;
      g_sell.tendered_pristine = true;
      g_sell.tendered_for = s.pay.payments.size();
      if (!touch_input()) ImGui::SetKeyboardFocusHere();
    }
    const float col = phone ? ImGui::GetContentRegionAvail().x
                                 : (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    ImGui::BeginGroup();
    ImGui::TextWrapped("%s", tr("Amount (cash handed over, or the part paid by another tender)"));
    ImGui::SetNextItemWidth(std::min(col, 420.0f));
    const bool enter = ImGui::InputText("##tendered", g_sell.tendered, sizeof g_sell.tendered,
                                        ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_EnterReturnsTrue);
    const std::optional<std::int64_t> typed = typed_amount(s, g_sell.tendered);
    if (typed && *typed > due && due > 0) {
      ImGui::PushFont(title_font());
      ImGui::TextUnformatted(trf("Change {change}", {{"change", money(s, *typed - due)}}).c_str());
      ImGui::PopFont();
    } else if (typed && *typed < due) {
      ImGui::TextColored(kMuted, "%s", trf("{amount} left after this", {{"amount", money(s, due - *typed)}}).c_str());
    } else if (!typed) {
      ImGui::TextColored(kMuted, "%s", tr("Type or tap the amount."));
    }
    // Cash: quick amounts, then the typed amount.
    const std::vector<std::int64_t> quick = quick_amounts(s, due);
    for (std::size_t i = 0; i < quick.size(); ++i) {
      const std::string label = i == 0 ? with_key(tr("Exact"), "F4", "quick-0")
                                       : money(s, quick[i]) + "###quick-" + std::to_string(i);
      if (i > 0) beside_if_fits(button_width(label.c_str()));
      if (button(label.c_str(), 0.0f, !s.busy && due > 0) || (i == 0 && !s.busy && key(ImGuiKey_F4)))
        emitted.emplace_back(state::CompleteSale{quick[i]});
    }
    const bool covers = typed && *typed >= due;
    const bool cash_ready = typed && *typed > 0 && !s.busy && s.store.tenders[0];
    if (primary_button(lbl(s.busy ? tr("Recording…") : (covers ? tr("Complete sale") : tr("Cash part payment")),
                           "###complete").c_str(),
                       ImVec2(std::min(col, 420.0f), kPrimaryButtonPx), cash_ready) ||
        (enter && cash_ready)) {
      if (covers)
        emitted.emplace_back(state::CompleteSale{*typed});
      else
        emitted.emplace_back(state::AddPayment{Payment{TenderKind::cash, *typed, ""}});
    }
    // Other tenders pay the typed amount (at most what is left) or all that is left.
    for (TenderKind k : kAllTenderKinds) {
      if (k == TenderKind::cash || !s.store.tenders[static_cast<std::size_t>(k)]) continue;
      const std::int64_t amount = typed && *typed > 0 && *typed < remaining ? *typed : remaining;
      const std::string label = state::tender_name(s.store, k) + " " + money(s, amount) + "###tender-" + std::string(to_string(k));
      if (button(label.c_str(), std::min(col, 420.0f), !s.busy && amount > 0))
        emitted.emplace_back(state::AddPayment{Payment{k, amount, ""}});
    }
    // On a phone the keypad comes under the amount's buttons: Exact and
    // Complete sale stay on a small screen (360×640), the keypad scrolls
    // if it must. Elsewhere it stands beside them.
    if (phone) cash_keypad();
    ImGui::EndGroup();
    if (!phone) {
      ImGui::SameLine();
      ImGui::BeginGroup();
      cash_keypad();
      ImGui::EndGroup();
    }
    if (button(with_key(tr("Back"), "Esc", "back").c_str(), 200.0f, !s.busy) || (!s.busy && key(ImGuiKey_Escape))) {
      g_sell.tendered_filled = false;
      emitted.emplace_back(state::Back{});
    }
  }
  ImGui::End();
  if (s.screen != state::Screen::Pay) g_sell.tendered_filled = false;
}

void parked(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Parked##screen", true)) {
    title(tr("Parked sales"));
    message_line(s, emitted);
    if (s.parked.empty()) ImGui::TextColored(kMuted, "%s", tr("No parked sales."));
    ImGui::TextUnformatted(tr("Reason, to void a sale"));
    ImGui::SetNextItemWidth(field_width());
    ImGui::InputTextWithHint("##void-reason", tr("e.g. customer left"), g_sell.void_reason, sizeof g_sell.void_reason);
    for (const state::ParkedSale& p : s.parked) {
      ImGui::PushID(p.sale_id.c_str());
      ImGui::Separator();
      std::size_t items = p.lines.size();
      const std::int64_t n = static_cast<std::int64_t>(items);
      ImGui::TextUnformatted(trf("{cashier} · {lines} · {total}",
                                 {{"cashier", p.cashier.empty() ? std::string("—") : p.cashier},
                                  {"lines", i18n::format(trn("{n} line", "{n} lines", n), {{"n", std::to_string(n)}})},
                                  {"total", money(s, p.total)}})
                                 .c_str());
      if (!p.lines.empty()) ImGui::TextColored(kMuted, "%s", p.lines.front().name.c_str());
      if (primary_button(tr("Resume"), ImVec2(200.0f, kButtonPx), !s.busy))
        emitted.emplace_back(state::ResumeParked{p.sale_id});
      ImGui::SameLine();
      if (button(tr("Void"), 160.0f, !s.busy && g_sell.void_reason[0] != 0)) {
        emitted.emplace_back(state::VoidParked{p.sale_id, g_sell.void_reason});
      }
      ImGui::PopID();
    }
    ImGui::Separator();
    if (button(with_key(tr("Back"), "Esc", "back").c_str(), 200.0f, !s.busy) || (!s.busy && !s.approval && key(ImGuiKey_Escape)))
      emitted.emplace_back(state::Back{});
    if (!s.busy && key(ImGuiKey_F9)) emitted.emplace_back(state::Back{});
  }
  ImGui::End();
}

void approval(const state::AppState& s, std::vector<state::Command>& emitted) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  // A fixed size: an auto-sized window lays out its first frame elsewhere,
  // and a tap in that frame would miss.
  ImGui::SetNextWindowSize(ImVec2(std::min(560.0f, vp->WorkSize.x - 16.0f), std::min(560.0f, vp->WorkSize.y - 16.0f)));
  ImGui::SetNextWindowFocus();
  if (ImGui::Begin(lbl(tr("Manager approval"), "###approval").c_str(), nullptr,
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove)) {
    ImGui::TextWrapped("%s", s.approval->reason.c_str());
    if (s.message && s.message->kind == state::MessageKind::error) ImGui::TextColored(kError, "%s", s.message->text.c_str());
    for (const state::KnownUser& u : s.known_users) {
      if (!u.has_pin) continue;
      const std::string label = u.display_name + "##approver-" + u.id;
      if (ImGui::Button(label.c_str(), ImVec2(0.0f, kMinTouchPx)))
        std::snprintf(g_sell.approver_login, sizeof g_sell.approver_login, "%s", u.username.c_str());
      ImGui::SameLine();
    }
    ImGui::NewLine();
    bool submit = field(tr("Manager's username"), "##approver-login", g_sell.approver_login, sizeof g_sell.approver_login);
    submit |= field(tr("Manager's PIN"), "##approver-pin", g_sell.approver_pin, sizeof g_sell.approver_pin,
                    ImGuiInputTextFlags_Password | ImGuiInputTextFlags_CharsDecimal);
    const bool ready = !s.busy && g_sell.approver_login[0] != 0 && g_sell.approver_pin[0] != 0;
    if (primary_button(lbl(s.busy ? tr("Checking…") : tr("Approve"), "###approve").c_str(), ImVec2(field_width(), kPrimaryButtonPx),
                       ready) ||
        (submit && ready)) {
      emitted.emplace_back(state::SubmitApproval{g_sell.approver_login, g_sell.approver_pin});
      wipe(g_sell.approver_pin, sizeof g_sell.approver_pin);
    }
    if (button(lbl(tr("Cancel"), "###cancel-approval").c_str(), 200.0f, !s.busy) || (!s.busy && key(ImGuiKey_Escape))) {
      wipe(g_sell.approver_pin, sizeof g_sell.approver_pin);
      emitted.emplace_back(state::CancelApproval{});
    }
  }
  ImGui::End();
}

}  // namespace salespider::ui
