// The Back office's stock screens: stock operations (receive, adjust, write
// off one product), the stock count, the server's stock lists and the CSV
// import/export screen. Each reads state and emits commands only; what is
// being typed stays here until it is submitted (like the other screens).
// Field ids keep their label after "##" so tests find them (widgets()).
#include "ui/back_office_stock.hpp"

#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>
#include <salespider/shared/money_format.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

namespace salespider::ui {

namespace {

struct StockForms {
  char search[128] = "";
  char quantity[32] = "";
  char unit_cost[32] = "";
  char note[256] = "";
  int op = 0;      // StockOpKind
  int reason = 0;  // WriteOffReason
  // The count's typed quantities, per product id, until the count changes.
  std::string count_id;
  std::map<std::string, std::array<char, 32>> counted;
};
StockForms g_stock;

constexpr std::array<WriteOffReason, 6> kReasons{WriteOffReason::damaged, WriteOffReason::expired,
                                                 WriteOffReason::stolen,  WriteOffReason::lost,
                                                 WriteOffReason::returned_to_supplier, WriteOffReason::other};

const char* reason_label(WriteOffReason r) {
  switch (r) {
    case WriteOffReason::damaged:
      return "Damaged";
    case WriteOffReason::expired:
      return "Expired";
    case WriteOffReason::stolen:
      return "Stolen";
    case WriteOffReason::lost:
      return "Lost";
    case WriteOffReason::returned_to_supplier:
      return "Returned to supplier";
    case WriteOffReason::other:
      return "Other";
  }
  return "Other";
}

std::string qty(std::int64_t milli) {
  return format_quantity(Quantity{milli});
}

std::string signed_qty(std::int64_t milli) {
  return (milli > 0 ? "+" : "") + qty(milli);
}

std::string signed_money(const state::AppState& s, std::int64_t minor) {
  return (minor > 0 ? "+" : "") + money(s, minor);
}

// "12", "-3", "+0.5": a signed quantity as typed; nullopt when it does not read.
std::optional<std::int64_t> typed_quantity(const char* text, UnitKind unit, bool allow_sign) {
  std::string t = text;
  bool negative = false;
  if (allow_sign && !t.empty() && (t[0] == '-' || t[0] == '+')) {
    negative = t[0] == '-';
    t.erase(0, 1);
  }
  // The each/weighed rule is the reducer's (it names the product); read any three decimals here.
  (void)unit;
  Result<Quantity> q = parse_quantity(t, UnitKind::weighed);
  if (!q) return std::nullopt;
  return negative ? -q.value().thousandths : q.value().thousandths;
}

void title_with_back(const char* text, const state::AppState& s, std::vector<state::Command>& emitted) {
  title(text);
  ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 24.0f, ImGui::GetWindowWidth() - 200.0f));
  if (button("Back", 160.0f, !s.busy) || (!s.busy && ImGui::IsKeyPressed(ImGuiKey_Escape, false)))
    emitted.emplace_back(state::Back{});
}

bool offline_line(const state::AppState& s) {
  if (s.sync.online) return false;
  ImGui::TextColored(kOffline, "%s", "Needs the store server — you are offline");
  return true;
}

std::string on_hand_text(const state::StockProduct& p) {
  if (!p.track_stock) return "stock not tracked";
  if (!p.on_hand_milli) return "on hand unknown (not synced yet)";
  return "on hand " + qty(*p.on_hand_milli);
}

// Scan or search the local catalog; a tap on a result picks it.
void picker(const state::AppState& s, const char* id, std::vector<state::Command>& emitted) {
  const bool enter = field("Scan a barcode or search by name or SKU", id, g_stock.search, sizeof g_stock.search);
  ImGui::SameLine();
  if (button("Find##stock-find", 120.0f, g_stock.search[0] != 0) || (enter && g_stock.search[0] != 0)) {
    emitted.emplace_back(state::StockSearch{g_stock.search});
    g_stock.search[0] = 0;
  }
  if (!s.stock.picker.error.empty()) ImGui::TextColored(kError, "%s", s.stock.picker.error.c_str());
  for (std::size_t i = 0; i < s.stock.picker.found.size(); ++i) {
    const state::StockProduct& p = s.stock.picker.found[i];
    const std::string label = p.name + (p.sku.empty() ? "" : " · " + p.sku) + " · " + on_hand_text(p) +
                              (p.active ? "" : " · inactive") + "##pick-" + std::to_string(i);
    if (ImGui::Selectable(label.c_str(), false, 0, ImVec2(0.0f, kMinTouchPx)))
      emitted.emplace_back(state::PickStockProduct{p});
  }
}

const char* op_button(int op) {
  switch (op) {
    case 0:
      return "Record receipt###stock-record";
    case 1:
      return "Record adjustment###stock-record";
    default:
      return "Write off###stock-record";
  }
}

void operation_form(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::StockProduct& p = *s.stock.product;
  ImGui::Separator();
  ImGui::Text("%s%s · %s", p.name.c_str(), p.sku.empty() ? "" : (" · " + p.sku).c_str(), on_hand_text(p).c_str());
  ImGui::TextColored(kMuted, "%s", "On hand here is the till's copy; it changes after the next sync.");
  static const char* const kOps[3] = {"Receive##op-receive", "Adjust##op-adjust", "Write off##op-write-off"};
  for (int i = 0; i < 3; ++i) {
    if (i > 0) ImGui::SameLine();
    if (ImGui::RadioButton(kOps[i], g_stock.op == i)) g_stock.op = i;
  }
  const bool adjust = g_stock.op == 1;
  field(adjust ? "Quantity (+ in, - out)" : "Quantity", "##stock-qty", g_stock.quantity, sizeof g_stock.quantity);
  if (g_stock.op == 0)
    field("Unit cost (optional)", "##unit-cost", g_stock.unit_cost, sizeof g_stock.unit_cost,
          ImGuiInputTextFlags_CharsDecimal);
  if (g_stock.op == 2) {
    ImGui::TextUnformatted("Reason");
    for (std::size_t i = 0; i < kReasons.size(); ++i) {
      if (i > 0 && i % 3 != 0) ImGui::SameLine();
      const std::string label = std::string(reason_label(kReasons[i])) + "##reason-" + std::string(to_string(kReasons[i]));
      if (ImGui::RadioButton(label.c_str(), g_stock.reason == static_cast<int>(i))) g_stock.reason = static_cast<int>(i);
    }
  }
  field(g_stock.op == 0 ? "Supplier note" : (adjust ? "Why (required)" : "Note"), "##stock-note", g_stock.note,
        sizeof g_stock.note);
  const std::optional<std::int64_t> q = typed_quantity(g_stock.quantity, p.unit, adjust);
  const std::optional<std::int64_t> cost =
      g_stock.unit_cost[0] ? typed_amount(s, g_stock.unit_cost) : std::optional<std::int64_t>();
  const bool cost_ok = g_stock.unit_cost[0] == 0 || cost.has_value();
  const bool ready = q && *q != 0 && cost_ok && !s.stock.recording && (!adjust || g_stock.note[0] != 0);
  if (primary_button(op_button(g_stock.op), ImVec2(field_width(), kPrimaryButtonPx), ready)) {
    state::SubmitStockOp op;
    op.kind = static_cast<state::StockOpKind>(g_stock.op);
    op.quantity_milli = *q;
    if (g_stock.op == 0) op.unit_cost_minor = cost;
    if (g_stock.op == 2) op.reason = kReasons[static_cast<std::size_t>(g_stock.reason)];
    op.note = g_stock.note;
    emitted.emplace_back(std::move(op));
    wipe(g_stock.quantity, sizeof g_stock.quantity);
    wipe(g_stock.unit_cost, sizeof g_stock.unit_cost);
    wipe(g_stock.note, sizeof g_stock.note);
  }
}

// --- the count --------------------------------------------------------------------

std::array<char, 32>& counted_buffer(const state::StockCountLine& l) {
  auto it = g_stock.counted.find(l.product.id);
  if (it != g_stock.counted.end()) return it->second;
  std::array<char, 32> b{};
  if (l.counted_milli) std::snprintf(b.data(), b.size(), "%s", qty(*l.counted_milli).c_str());
  return g_stock.counted.emplace(l.product.id, b).first->second;
}

void count_lines(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::StockCount& c = *s.stock.count;
  if (g_stock.count_id != c.count_id || c.lines.empty()) {
    g_stock.count_id = c.count_id;
    if (c.lines.empty()) g_stock.counted.clear();
  }
  constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("##count-lines", 6, kFlags)) return;
  ImGui::TableSetupColumn("Product", ImGuiTableColumnFlags_WidthStretch, 3.0f);
  ImGui::TableSetupColumn("Expected", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn("Counted", ImGuiTableColumnFlags_WidthStretch, 1.4f);
  ImGui::TableSetupColumn("Variance", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn("Value", ImGuiTableColumnFlags_WidthStretch, 1.4f);
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableHeadersRow();
  for (std::size_t i = 0; i < c.lines.size(); ++i) {
    const state::StockCountLine& l = c.lines[i];
    const int line = static_cast<int>(i);
    ImGui::TableNextRow(0, kMinTouchPx);
    ImGui::TableNextColumn();
    ImGui::Text("%s%s%s", l.product.name.c_str(), l.product.sku.empty() ? "" : (" · " + l.product.sku).c_str(),
                l.recorded ? " (applied)" : "");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(qty(l.expected_milli).c_str());
    ImGui::TableNextColumn();
    std::array<char, 32>& b = counted_buffer(l);
    const std::string id = "##counted-" + std::to_string(i);
    ImGui::SetNextItemWidth(-1.0f);
    ImGui::BeginDisabled(l.recorded || c.applying);
    if (ImGui::InputText(id.c_str(), b.data(), b.size(), ImGuiInputTextFlags_CharsDecimal)) {
      const std::optional<std::int64_t> typed = b[0] ? typed_quantity(b.data(), l.product.unit, false) : std::nullopt;
      if (typed != l.counted_milli) emitted.emplace_back(state::SetCountedQuantity{line, typed});
    }
    ImGui::EndDisabled();
    ImGui::TableNextColumn();
    if (l.counted_milli) {
      const std::int64_t v = state::variance_milli(l);
      ImGui::TextColored(v == 0 ? kOnline : kError, "%s", signed_qty(v).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(signed_money(s, state::variance_value_minor(l)).c_str());
    } else {
      ImGui::TextColored(kMuted, "%s", "not counted");
      ImGui::TableNextColumn();
    }
    ImGui::TableNextColumn();
    const std::string remove = "Remove##remove-" + std::to_string(i);
    ImGui::BeginDisabled(l.recorded || c.applying);
    if (ImGui::Button(remove.c_str(), ImVec2(-1.0f, kMinTouchPx))) {
      g_stock.counted.erase(l.product.id);
      emitted.emplace_back(state::RemoveCountLine{line});
    }
    ImGui::EndDisabled();
  }
  const state::CountTotals t = state::count_totals(c);
  ImGui::TableNextRow(0, kMinTouchPx);
  ImGui::TableNextColumn();
  ImGui::Text("Total · %d of %d counted", t.counted, t.lines);
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(qty(t.expected_milli).c_str());
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(qty(t.counted_milli).c_str());
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(signed_qty(t.variance_milli).c_str());
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(signed_money(s, t.variance_value_minor).c_str());
  ImGui::EndTable();
}

// --- lists --------------------------------------------------------------------------

// A money sum sent as a decimal string of minor units ("123456" -> "1,234.56 ₦").
std::string sum_money(const state::AppState& s, const std::string& minor_text) {
  char* end = nullptr;
  const long long v = std::strtoll(minor_text.c_str(), &end, 10);
  if (end && *end == 0 && !minor_text.empty()) return money(s, v);
  return minor_text + " (minor units)";
}

const char* kKinds[] = {"", "sale", "refund", "receive", "adjust", "count", "write_off"};

void movements_tab(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::StockLists& l = s.stock.lists;
  ImGui::TextUnformatted("Kind:");
  for (const char* k : kKinds) {
    ImGui::SameLine();
    const std::string label = std::string(k[0] ? k : "all") + "##kind-" + (k[0] ? k : "all");
    if (ImGui::RadioButton(label.c_str(), l.filter.kind == k)) {
      state::MovementFilter f = l.filter;
      f.kind = k;
      emitted.emplace_back(state::ShowStockList{state::StockListTab::movements, f, false});
    }
  }
  if (!l.filter.product_id.empty()) {
    ImGui::Text("Product: %s", l.filter.product_name.c_str());
    ImGui::SameLine();
    if (button("All products##movements-all-products", 220.0f)) {
      state::MovementFilter f = l.filter;
      f.product_id.clear();
      f.product_name.clear();
      emitted.emplace_back(state::ShowStockList{state::StockListTab::movements, f, false});
    }
  }
  picker(s, "##movements-product", emitted);
  constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("##movements", 6, kFlags)) {
    ImGui::TableSetupColumn("When");
    ImGui::TableSetupColumn("Product");
    ImGui::TableSetupColumn("Kind");
    ImGui::TableSetupColumn("Quantity");
    ImGui::TableSetupColumn("Reason / note");
    ImGui::TableSetupColumn("By");
    ImGui::TableHeadersRow();
    for (const state::StockListMovement& m : l.movements) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(m.time_text.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(m.product_name.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(m.kind.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(signed_qty(m.quantity_milli).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted((m.reason.empty() ? m.note : m.reason + (m.note.empty() ? "" : " · " + m.note)).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted((m.user + (m.till_code.empty() ? "" : " · " + m.till_code)).c_str());
    }
    ImGui::EndTable();
  }
  if (!l.next.empty() && button("More##movements-more", 200.0f, !l.loading))
    emitted.emplace_back(state::ShowStockList{state::StockListTab::movements, l.filter, true});
}

// --- CSV ------------------------------------------------------------------------------

void csv_check_view(const state::AppState& s, const state::CsvCheck& c, std::vector<state::Command>& emitted) {
  ImGui::Text("%lld created · %lld updated · %lld unchanged · %lld with errors", static_cast<long long>(c.created),
              static_cast<long long>(c.updated), static_cast<long long>(c.unchanged), static_cast<long long>(c.errors));
  if (c.error_rows.empty()) return;
  const int pages = static_cast<int>((c.error_rows.size() + state::kCsvErrorsPerPage - 1) / state::kCsvErrorsPerPage);
  const int page = std::min(s.stock.csv.error_page, pages - 1);
  constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("##csv-errors", 3, kFlags)) {
    ImGui::TableSetupColumn("Line", ImGuiTableColumnFlags_WidthStretch, 0.5f);
    ImGui::TableSetupColumn("Column", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Problem", ImGuiTableColumnFlags_WidthStretch, 4.0f);
    ImGui::TableHeadersRow();
    const std::size_t from = static_cast<std::size_t>(page) * state::kCsvErrorsPerPage;
    for (std::size_t i = from; i < std::min(c.error_rows.size(), from + state::kCsvErrorsPerPage); ++i) {
      const state::CsvRowError& e = c.error_rows[i];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(e.line));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(e.column.c_str());
      ImGui::TableNextColumn();
      ImGui::TextColored(kError, "%s", e.message.c_str());
    }
    ImGui::EndTable();
  }
  if (pages > 1) {
    if (button("Previous##csv-prev", 160.0f, page > 0)) emitted.emplace_back(state::CsvErrorPage{page - 1});
    ImGui::SameLine();
    ImGui::Text("Page %d of %d", page + 1, pages);
    ImGui::SameLine();
    if (button("Next##csv-next", 160.0f, page + 1 < pages)) emitted.emplace_back(state::CsvErrorPage{page + 1});
  }
}

}  // namespace

void stock(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Stock##screen", true)) {
    title_with_back("Stock", s, emitted);
    message_line(s, emitted);
    ImGui::TextColored(kMuted, "%d pending · recorded on this till and sent to the server when it answers",
                       s.storage.pending_ops);
    picker(s, "##stock-search", emitted);
    if (s.stock.product) operation_form(s, emitted);
  }
  ImGui::End();
}

void stock_count(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("StockCount##screen", true)) {
    title_with_back("Stock count", s, emitted);
    message_line(s, emitted);
    ImGui::TextColored(kMuted, "%d pending", s.storage.pending_ops);
    if (!s.stock.count) {
      ImGui::TextWrapped("%s",
                         "Count what is on the shelf: each line compares it with what this till expects, and "
                         "\"Apply count\" records one count movement per line (offline too).");
      if (primary_button("Start a count###count-start", ImVec2(field_width(), kPrimaryButtonPx), !s.busy))
        emitted.emplace_back(state::StartStockCount{});
    } else {
      const state::StockCount& c = *s.stock.count;
      ImGui::Text("Count %s · %zu lines", c.count_id.empty() ? "…" : c.count_id.substr(c.count_id.size() - 8).c_str(),
                  c.lines.size());
      if (!c.applying) picker(s, "##count-search", emitted);
      count_lines(s, emitted);
      const state::CountTotals t = state::count_totals(c);
      const bool ready = !c.applying && t.lines > 0 && t.counted == t.lines && !c.count_id.empty();
      if (primary_button(c.applying ? "Applying…###count-apply" : "Apply count###count-apply",
                         ImVec2(field_width(), kPrimaryButtonPx), ready))
        emitted.emplace_back(state::ApplyStockCount{});
      ImGui::SameLine();
      if (button("Discard count##count-discard", 240.0f, !c.applying)) {
        g_stock.counted.clear();
        emitted.emplace_back(state::DiscardStockCount{});
      }
    }
  }
  ImGui::End();
}

void stock_lists(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("StockLists##screen", true)) {
    title_with_back("Stock lists", s, emitted);
    const state::StockLists& l = s.stock.lists;
    static const char* const kTabs[3] = {"Low stock##tab-low", "Movements##tab-movements", "Inventory value##tab-value"};
    for (int i = 0; i < 3; ++i) {
      if (i > 0) ImGui::SameLine();
      const bool current = static_cast<int>(l.tab) == i;
      if (button(kTabs[i], 240.0f, !current))
        emitted.emplace_back(state::ShowStockList{static_cast<state::StockListTab>(i), l.filter, false});
    }
    if (offline_line(s)) {
      ImGui::End();
      return;
    }
    if (l.loading) ImGui::TextColored(kMuted, "%s", "Loading…");
    if (!l.error.empty()) ImGui::TextColored(kError, "%s", l.error.c_str());
    switch (l.tab) {
      case state::StockListTab::low:
        if (!l.loading && l.error.empty() && l.low.empty()) ImGui::TextUnformatted("No tracked product is low or out.");
        for (const state::StockListProduct& p : l.low)
          ImGui::Text("%s%s · on hand %s%s · %s", p.name.c_str(), p.sku.empty() ? "" : (" · " + p.sku).c_str(),
                      qty(p.on_hand_milli).c_str(),
                      p.low_stock_milli ? (" (low at " + qty(*p.low_stock_milli) + ")").c_str() : "",
                      p.stock_status.c_str());
        break;
      case state::StockListTab::movements:
        movements_tab(s, emitted);
        break;
      case state::StockListTab::value:
        if (l.value) {
          ImGui::Text("At cost: %s", sum_money(s, l.value->at_cost_minor).c_str());
          ImGui::Text("At price: %s", sum_money(s, l.value->at_price_minor).c_str());
          ImGui::Text("%lld products · %lld without a cost · %lld below zero", static_cast<long long>(l.value->products),
                      static_cast<long long>(l.value->without_cost), static_cast<long long>(l.value->below_zero));
        }
        break;
    }
  }
  ImGui::End();
}

void csv(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Csv##screen", true)) {
    title_with_back("CSV import and export", s, emitted);
    message_line(s, emitted);
    const state::CsvState& c = s.stock.csv;
    const bool online = !offline_line(s);
    ImGui::SeparatorText("Import products");
    // Not disabled while a chooser is open: a browser without the input's
    // cancel event would otherwise leave it disabled for good.
    if (button("Choose CSV file…##csv-choose", 280.0f, !c.checking && !c.importing))
      emitted.emplace_back(state::PickCsvFile{});
    ImGui::SameLine();
    if (c.file_name.empty())
      ImGui::TextColored(kMuted, "%s", "no file chosen");
    else
      ImGui::Text("%s · %zu bytes", c.file_name.c_str(), c.text.size());
    if (button(c.checking ? "Checking…###csv-check" : "Check file###csv-check", 240.0f,
               online && !c.text.empty() && !c.checking && !c.importing))
      emitted.emplace_back(state::CheckCsv{});
    ImGui::SameLine();
    const bool importable = online && c.check && c.check->errors == 0 && !c.checking && !c.importing;
    if (button(c.importing ? "Importing…###csv-import" : "Import###csv-import", 240.0f, importable))
      emitted.emplace_back(state::ImportCsv{});
    if (!c.error.empty()) ImGui::TextColored(kError, "%s", c.error.c_str());
    if (c.check) {
      ImGui::TextUnformatted(c.check->errors == 0 ? "Checked: nothing is written until you import."
                                                  : "Checked: fix the rows below; nothing is imported while any has an error.");
      csv_check_view(s, *c.check, emitted);
    }
    if (!c.done.empty()) ImGui::TextColored(kOnline, "%s", c.done.c_str());
    ImGui::SeparatorText("Export");
    if (button("Export products (CSV)##csv-export-products", 320.0f, online && !c.exporting))
      emitted.emplace_back(state::ExportCsv{state::CsvExport::products});
    ImGui::SameLine();
    if (button("Export stock movements (CSV)##csv-export-movements", 380.0f, online && !c.exporting))
      emitted.emplace_back(state::ExportCsv{state::CsvExport::movements});
  }
  ImGui::End();
}

}  // namespace salespider::ui
