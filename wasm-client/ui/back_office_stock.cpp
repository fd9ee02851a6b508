// The Back office's stock screens: stock operations (receive, adjust, write
// off one product), the stock count, the server's stock lists and the CSV
// import/export screen. Each reads state and emits commands only; what is
// being typed stays here until it is submitted (like the other screens).
// Field ids keep their label after "##" so tests find them (widgets()).
#include "ui/back_office_stock.hpp"

#include "ui/back_office.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>
#include <salespider/shared/i18n.hpp>
#include <salespider/shared/money_format.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

namespace salespider::ui {

using i18n::tr;
using i18n::trc;
using i18n::trf;

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
      return tr("Damaged");
    case WriteOffReason::expired:
      return tr("Expired");
    case WriteOffReason::stolen:
      return tr("Stolen");
    case WriteOffReason::lost:
      return tr("Lost");
    case WriteOffReason::returned_to_supplier:
      return tr("Returned to supplier");
    case WriteOffReason::other:
      return trc("write-off reason", "Other");
  }
  return trc("write-off reason", "Other");
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

std::string on_hand_text(const state::StockProduct& p) {
  if (!p.track_stock) return tr("stock not tracked");
  if (!p.on_hand_milli) return tr("on hand unknown (not synced yet)");
  return trf("on hand {quantity}", {{"quantity", qty(*p.on_hand_milli)}});
}

// Scan or search the local catalog; a tap on a result picks it.
void picker(const state::AppState& s, const char* id, std::vector<state::Command>& emitted) {
  const bool enter = field(tr("Scan a barcode or search by name or SKU"), id, g_stock.search, sizeof g_stock.search);
  ImGui::SameLine();
  if (button(lbl(tr("Find"), "##stock-find").c_str(), 120.0f, g_stock.search[0] != 0) || (enter && g_stock.search[0] != 0)) {
    emitted.emplace_back(state::StockSearch{g_stock.search});
    g_stock.search[0] = 0;
  }
  if (!s.stock.picker.error.empty()) ImGui::TextColored(kError, "%s", s.stock.picker.error.c_str());
  for (std::size_t i = 0; i < s.stock.picker.found.size(); ++i) {
    const state::StockProduct& p = s.stock.picker.found[i];
    const std::string label = p.name + (p.sku.empty() ? "" : " · " + p.sku) + " · " + on_hand_text(p) +
                              (p.active ? "" : std::string(" · ") + tr("inactive")) + "##pick-" + std::to_string(i);
    if (ImGui::Selectable(label.c_str(), false, 0, ImVec2(0.0f, kMinTouchPx)))
      emitted.emplace_back(state::PickStockProduct{p});
  }
}

std::string op_button(int op) {
  switch (op) {
    case 0:
      return lbl(tr("Record receipt"), "###stock-record");
    case 1:
      return lbl(tr("Record adjustment"), "###stock-record");
    default:
      return lbl(tr("Write off"), "###stock-record");
  }
}

void operation_form(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::StockProduct& p = *s.stock.product;
  ImGui::Separator();
  ImGui::Text("%s%s · %s", p.name.c_str(), p.sku.empty() ? "" : (" · " + p.sku).c_str(), on_hand_text(p).c_str());
  ImGui::TextColored(kMuted, "%s", tr("On hand here is the till's copy; it changes after the next sync."));
  const std::string ops[3] = {lbl(tr("Receive"), "##op-receive"), lbl(tr("Adjust"), "##op-adjust"),
                              lbl(tr("Write off"), "##op-write-off")};
  for (int i = 0; i < 3; ++i) {
    if (i > 0) ImGui::SameLine();
    if (ImGui::RadioButton(ops[i].c_str(), g_stock.op == i)) g_stock.op = i;
  }
  const bool adjust = g_stock.op == 1;
  field(adjust ? tr("Quantity (+ in, - out)") : tr("Quantity"), "##stock-qty", g_stock.quantity, sizeof g_stock.quantity);
  if (g_stock.op == 0)
    field(tr("Unit cost (optional)"), "##unit-cost", g_stock.unit_cost, sizeof g_stock.unit_cost,
          ImGuiInputTextFlags_CharsDecimal);
  if (g_stock.op == 2) {
    ImGui::TextUnformatted(tr("Reason"));
    for (std::size_t i = 0; i < kReasons.size(); ++i) {
      if (i > 0 && i % 3 != 0) ImGui::SameLine();
      const std::string label = std::string(reason_label(kReasons[i])) + "##reason-" + std::string(to_string(kReasons[i]));
      if (ImGui::RadioButton(label.c_str(), g_stock.reason == static_cast<int>(i))) g_stock.reason = static_cast<int>(i);
    }
  }
  field(g_stock.op == 0 ? tr("Supplier note") : (adjust ? tr("Why (required)") : tr("Note")), "##stock-note", g_stock.note,
        sizeof g_stock.note);
  const std::optional<std::int64_t> q = typed_quantity(g_stock.quantity, p.unit, adjust);
  const std::optional<std::int64_t> cost =
      g_stock.unit_cost[0] ? typed_amount(s, g_stock.unit_cost) : std::optional<std::int64_t>();
  const bool cost_ok = g_stock.unit_cost[0] == 0 || cost.has_value();
  const bool ready = q && *q != 0 && cost_ok && !s.stock.recording && (!adjust || g_stock.note[0] != 0);
  if (primary_button(op_button(g_stock.op).c_str(), ImVec2(field_width(), kPrimaryButtonPx), ready)) {
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
  ImGui::TableSetupColumn(tr("Product"), ImGuiTableColumnFlags_WidthStretch, 3.0f);
  ImGui::TableSetupColumn(tr("Expected"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn(tr("Counted"), ImGuiTableColumnFlags_WidthStretch, 1.4f);
  ImGui::TableSetupColumn(tr("Variance"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn(tr("Value"), ImGuiTableColumnFlags_WidthStretch, 1.4f);
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableHeadersRow();
  for (std::size_t i = 0; i < c.lines.size(); ++i) {
    const state::StockCountLine& l = c.lines[i];
    const int line = static_cast<int>(i);
    ImGui::TableNextRow(0, kMinTouchPx);
    ImGui::TableNextColumn();
    ImGui::Text("%s%s%s", l.product.name.c_str(), l.product.sku.empty() ? "" : (" · " + l.product.sku).c_str(),
                l.recorded ? (std::string(" ") + tr("(applied)")).c_str() : "");
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
      ImGui::TextColored(kMuted, "%s", tr("not counted"));
      ImGui::TableNextColumn();
    }
    ImGui::TableNextColumn();
    const std::string remove = std::string(tr("Remove")) + "##remove-" + std::to_string(i);
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
  ImGui::TextUnformatted(trf("Total · {counted} of {lines} counted", {{"counted", std::to_string(t.counted)},
                                                                      {"lines", std::to_string(t.lines)}})
                             .c_str());
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
  return trf("{amount} (minor units)", {{"amount", minor_text}});
}

const char* kKinds[] = {"", "sale", "refund", "receive", "adjust", "count", "write_off"};
// A movement kind as people read it.
const char* kind_label(std::string_view k) {
  if (k.empty()) return trc("movement kind", "all");
  if (k == "sale") return trc("movement kind", "sale");
  if (k == "refund") return trc("movement kind", "refund");
  if (k == "receive") return trc("movement kind", "receive");
  if (k == "adjust") return trc("movement kind", "adjust");
  if (k == "count") return trc("movement kind", "count");
  if (k == "write_off") return trc("movement kind", "write-off");
  return k.data();
}

void movements_tab(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::StockLists& l = s.stock.lists;
  ImGui::TextUnformatted(tr("Kind:"));
  for (const char* k : kKinds) {
    ImGui::SameLine();
    const std::string label = std::string(kind_label(k)) + "##kind-" + (k[0] ? k : "all");
    if (ImGui::RadioButton(label.c_str(), l.filter.kind == k)) {
      state::MovementFilter f = l.filter;
      f.kind = k;
      emitted.emplace_back(state::ShowStockList{state::StockListTab::movements, f, false});
    }
  }
  if (!l.filter.product_id.empty()) {
    ImGui::TextUnformatted(trf("Product: {product}", {{"product", l.filter.product_name}}).c_str());
    ImGui::SameLine();
    if (button(lbl(tr("All products"), "##movements-all-products").c_str(), 220.0f)) {
      state::MovementFilter f = l.filter;
      f.product_id.clear();
      f.product_name.clear();
      emitted.emplace_back(state::ShowStockList{state::StockListTab::movements, f, false});
    }
  }
  picker(s, "##movements-product", emitted);
  constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("##movements", 6, kFlags)) {
    ImGui::TableSetupColumn(tr("When"));
    ImGui::TableSetupColumn(tr("Product"));
    ImGui::TableSetupColumn(tr("Kind"));
    ImGui::TableSetupColumn(tr("Quantity"));
    ImGui::TableSetupColumn(tr("Reason / note"));
    ImGui::TableSetupColumn(tr("By"));
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
  if (!l.next.empty() && button(lbl(tr("More"), "##movements-more").c_str(), 200.0f, !l.loading))
    emitted.emplace_back(state::ShowStockList{state::StockListTab::movements, l.filter, true});
}

// --- CSV ------------------------------------------------------------------------------

void csv_check_view(const state::AppState& s, const state::CsvCheck& c, std::vector<state::Command>& emitted) {
  ImGui::TextUnformatted(trf("{created} created · {updated} updated · {unchanged} unchanged · {errors} with errors",
                             {{"created", std::to_string(c.created)}, {"updated", std::to_string(c.updated)},
                              {"unchanged", std::to_string(c.unchanged)}, {"errors", std::to_string(c.errors)}})
                             .c_str());
  if (c.error_rows.empty()) return;
  const int pages = static_cast<int>((c.error_rows.size() + state::kCsvErrorsPerPage - 1) / state::kCsvErrorsPerPage);
  const int page = std::min(s.stock.csv.error_page, pages - 1);
  constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("##csv-errors", 3, kFlags)) {
    ImGui::TableSetupColumn(trc("csv", "Line"), ImGuiTableColumnFlags_WidthStretch, 0.5f);
    ImGui::TableSetupColumn(trc("csv", "Column"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn(tr("Problem"), ImGuiTableColumnFlags_WidthStretch, 4.0f);
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
    if (button(lbl(tr("Previous"), "##csv-prev").c_str(), 160.0f, page > 0)) emitted.emplace_back(state::CsvErrorPage{page - 1});
    ImGui::SameLine();
    ImGui::TextUnformatted(trf("Page {page} of {pages}", {{"page", std::to_string(page + 1)}, {"pages", std::to_string(pages)}}).c_str());
    ImGui::SameLine();
    if (button(lbl(tr("Next"), "##csv-next").c_str(), 160.0f, page + 1 < pages)) emitted.emplace_back(state::CsvErrorPage{page + 1});
  }
}

}  // namespace

void stock(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Stock##screen", true)) {
    title_with_back(tr("Stock"), s, emitted);
    message_line(s, emitted);
    ImGui::TextColored(kMuted, "%s",
                       trf("{n} pending · recorded on this till and sent to the server when it answers",
                           {{"n", std::to_string(s.storage.pending_ops)}})
                           .c_str());
    picker(s, "##stock-search", emitted);
    if (s.stock.product) operation_form(s, emitted);
  }
  ImGui::End();
}

void stock_count(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("StockCount##screen", true)) {
    title_with_back(tr("Stock count"), s, emitted);
    message_line(s, emitted);
    ImGui::TextColored(kMuted, "%s", trf("{n} pending", {{"n", std::to_string(s.storage.pending_ops)}}).c_str());
    if (!s.stock.count) {
      ImGui::TextWrapped("%s",
                         tr("Count what is on the shelf: each line compares it with what this till expects, and "
                            "“Apply count” records one count movement per line (offline too)."));
      if (primary_button(lbl(tr("Start a count"), "###count-start").c_str(), ImVec2(field_width(), kPrimaryButtonPx), !s.busy))
        emitted.emplace_back(state::StartStockCount{});
    } else {
      const state::StockCount& c = *s.stock.count;
      const std::int64_t n = static_cast<std::int64_t>(c.lines.size());
      ImGui::TextUnformatted(
          trf("Count {count} · {lines}",
              {{"count", c.count_id.empty() ? std::string("…") : c.count_id.substr(c.count_id.size() - 8)},
               {"lines", i18n::format(i18n::trn("{n} line", "{n} lines", n), {{"n", std::to_string(n)}})}})
              .c_str());
      if (!c.applying) picker(s, "##count-search", emitted);
      count_lines(s, emitted);
      const state::CountTotals t = state::count_totals(c);
      const bool ready = !c.applying && t.lines > 0 && t.counted == t.lines && !c.count_id.empty();
      if (primary_button(lbl(c.applying ? tr("Applying…") : tr("Apply count"), "###count-apply").c_str(),
                         ImVec2(field_width(), kPrimaryButtonPx), ready))
        emitted.emplace_back(state::ApplyStockCount{});
      ImGui::SameLine();
      if (button(lbl(tr("Discard count"), "##count-discard").c_str(), 240.0f, !c.applying)) {
        g_stock.counted.clear();
        emitted.emplace_back(state::DiscardStockCount{});
      }
    }
  }
  ImGui::End();
}

void stock_lists(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("StockLists##screen", true)) {
    title_with_back(tr("Stock lists"), s, emitted);
    const state::StockLists& l = s.stock.lists;
    const std::string tabs[3] = {lbl(tr("Low stock"), "##tab-low"), lbl(tr("Movements"), "##tab-movements"),
                                 lbl(tr("Inventory value"), "##tab-value")};
    for (int i = 0; i < 3; ++i) {
      if (i > 0) beside_if_fits(240.0f);
      const bool current = static_cast<int>(l.tab) == i;
      if (button(tabs[i].c_str(), 240.0f, !current))
        emitted.emplace_back(state::ShowStockList{static_cast<state::StockListTab>(i), l.filter, false});
    }
    if (needs_server_notice(s)) {
      ImGui::End();
      return;
    }
    if (l.loading) ImGui::TextColored(kMuted, "%s", tr("Loading…"));
    if (!l.error.empty()) ImGui::TextColored(kError, "%s", l.error.c_str());
    switch (l.tab) {
      case state::StockListTab::low:
        if (!l.loading && l.error.empty() && l.low.empty()) ImGui::TextUnformatted(tr("No tracked product is low or out."));
        for (const state::StockListProduct& p : l.low) {
          const std::string name = p.name + (p.sku.empty() ? "" : " · " + p.sku);
          const std::string status = p.stock_status == "low" ? trc("stock", "Low")
                                     : p.stock_status == "out" ? trc("stock", "Out") : p.stock_status;
          ImGui::TextUnformatted(
              (p.low_stock_milli
                   ? trf("{product} · on hand {quantity} (low at {level}) · {status}",
                         {{"product", name}, {"quantity", qty(p.on_hand_milli)}, {"level", qty(*p.low_stock_milli)},
                          {"status", status}})
                   : trf("{product} · on hand {quantity} · {status}",
                         {{"product", name}, {"quantity", qty(p.on_hand_milli)}, {"status", status}}))
                  .c_str());
        }
        break;
      case state::StockListTab::movements:
        movements_tab(s, emitted);
        break;
      case state::StockListTab::value:
        if (l.value) {
          ImGui::TextUnformatted(trf("At cost: {amount}", {{"amount", sum_money(s, l.value->at_cost_minor)}}).c_str());
          ImGui::TextUnformatted(trf("At price: {amount}", {{"amount", sum_money(s, l.value->at_price_minor)}}).c_str());
          ImGui::TextUnformatted(trf("{products} products · {without_cost} without a cost · {below_zero} below zero",
                                     {{"products", std::to_string(l.value->products)},
                                      {"without_cost", std::to_string(l.value->without_cost)},
                                      {"below_zero", std::to_string(l.value->below_zero)}})
                                     .c_str());
        }
        break;
    }
  }
  ImGui::End();
}

void csv(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Csv##screen", true)) {
    title_with_back(tr("CSV import and export"), s, emitted);
    message_line(s, emitted);
    const state::CsvState& c = s.stock.csv;
    const bool online = !needs_server_notice(s);
    ImGui::SeparatorText(tr("Import products"));
    // Not disabled while a chooser is open: a browser without the input's
    // cancel event would otherwise leave it disabled for good.
    if (button(lbl(tr("Choose CSV file…"), "##csv-choose").c_str(), 280.0f, !c.checking && !c.importing))
      emitted.emplace_back(state::PickCsvFile{});
    ImGui::SameLine();
    if (c.file_name.empty())
      ImGui::TextColored(kMuted, "%s", tr("no file chosen"));
    else
      ImGui::TextUnformatted(
          trf("{file} · {size} bytes", {{"file", c.file_name}, {"size", std::to_string(c.text.size())}}).c_str());
    if (button(lbl(c.checking ? tr("Checking…") : tr("Check file"), "###csv-check").c_str(), 240.0f,
               online && !c.text.empty() && !c.checking && !c.importing))
      emitted.emplace_back(state::CheckCsv{});
    beside_if_fits(240.0f);
    const bool importable = online && c.check && c.check->errors == 0 && !c.checking && !c.importing;
    if (button(lbl(c.importing ? tr("Importing…") : tr("Import"), "###csv-import").c_str(), 240.0f, importable))
      emitted.emplace_back(state::ImportCsv{});
    if (!c.error.empty()) ImGui::TextColored(kError, "%s", c.error.c_str());
    if (c.check) {
      ImGui::TextUnformatted(c.check->errors == 0 ? tr("Checked: nothing is written until you import.")
                                                  : tr("Checked: fix the rows below; nothing is imported while any has an error."));
      csv_check_view(s, *c.check, emitted);
    }
    if (!c.done.empty()) ImGui::TextColored(kOnline, "%s", c.done.c_str());
    ImGui::SeparatorText(tr("Export"));
    if (button(lbl(tr("Export products (CSV)"), "##csv-export-products").c_str(), 320.0f, online && !c.exporting))
      emitted.emplace_back(state::ExportCsv{state::CsvExport::products});
    ImGui::SameLine();
    if (button(lbl(tr("Export stock movements (CSV)"), "##csv-export-movements").c_str(), 380.0f, online && !c.exporting))
      emitted.emplace_back(state::ExportCsv{state::CsvExport::movements});
  }
  ImGui::End();
}

}  // namespace salespider::ui
