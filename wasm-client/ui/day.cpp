// The rest of the day's screens: the shift (open with a float, cash in and
// out, X report, close with a count and its Z report), sales history (this
// till's from the local store, the store's from the server) with a sale's
// detail and reprint, and the refund of one sale. Each reads state and
// emits commands only. (The needs-attention list is in audit.cpp.)
#include "ui/day.hpp"

#include "state/sales_dates.hpp"
#include "ui/printer.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>
#include <salespider/shared/i18n.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

namespace salespider::ui {

using i18n::tr;
using i18n::trf;

namespace {

struct DayForms {
  char opening_float[32] = "";
  char amount[32] = "";
  char reason[128] = "";
  char counted[32] = "";
  char note[128] = "";
  char search[64] = "";
  char refund_reason[128] = "";
  int cash_kind = 1;  // index into kAllCashMovementKinds: pay_out by default
  // History filters: dates as typed (sent only when they are dates), and
  // whether the filters are open on a narrow screen.
  char from[16] = "";
  char to[16] = "";
  bool show_filters = false;
};
DayForms g_day;

const char* movement_label(CashMovementKind k) {
  switch (k) {
    case CashMovementKind::pay_in:
      return tr("Pay-in");
    case CashMovementKind::pay_out:
      return tr("Pay-out");
    case CashMovementKind::drop:
      return tr("Cash drop");
    case CashMovementKind::float_top_up:
      return tr("Float top-up");
  }
  return tr("Pay-in");
}

void row(const char* label, const std::string& value, const char* key) {
  ImGui::TextUnformatted(label);
  ImGui::SameLine(300.0f);
  ImGui::TextUnformatted(value.c_str());
  (void)key;
}

void report_view(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (!s.report) return;
  const state::ShiftReportView& v = *s.report;
  const ShiftReport& r = v.report;
  ImGui::Separator();
  ImGui::PushFont(title_font());
  ImGui::TextUnformatted(r.closed ? tr("Z report") : tr("X report"));
  ImGui::PopFont();
  ImGui::TextColored(kMuted, "%s", trf("{time} · computed on this till from its own records", {{"time", v.time_text}}).c_str());
  shift_report_rows(s, r);
  if (button(tr("Print report"), 220.0f)) emitted.emplace_back(state::PrintShiftReport{});
}

}  // namespace

void shift_report_rows(const state::AppState& s, const ShiftReport& r) {
  row(tr("Opening float"), money(s, r.opening_float), "float");
  row(tr("Sales"), std::to_string(r.sale_count) + " · " + money(s, r.total_sales), "sales");
  row(tr("Discounts"), money(s, r.discounts), "discounts");
  for (const ShiftTaxLine& t : r.taxes) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.2f%%", static_cast<double>(t.rate_ppm) / 10000.0);
    const std::string label = trf("Tax {code} {rate}", {{"code", t.code}, {"rate", rate}});
    row(label.c_str(), trf("{tax} on {net}", {{"tax", money(s, t.tax)}, {"net", money(s, t.net)}}), "tax");
  }
  for (const TenderAmount& t : r.tenders) row(state::tender_name(s.store, t.kind).c_str(), money(s, t.amount), "tender");
  row(tr("Refunds"), std::to_string(r.refund_count) + " · " + money(s, r.refund_total), "refunds");
  if (r.void_count > 0) row(tr("Voided sales"), std::to_string(r.void_count), "voids");
  row(tr("Cash in / out"), money(s, r.cash_in) + " / " + money(s, r.cash_out), "cash");
  row(tr("Expected cash"), money(s, r.expected_cash), "expected");
  if (r.counted_cash) row(tr("Counted cash"), money(s, *r.counted_cash), "counted");
  if (r.over_short) {
    const std::int64_t d = *r.over_short;
    ImGui::PushStyleColor(ImGuiCol_Text, d == 0 ? kOnline : kError);
    row(d >= 0 ? tr("Over") : tr("Short"), money(s, d < 0 ? -d : d), "over-short");
    ImGui::PopStyleColor();
  }
}

namespace {

bool wide() {
  return ImGui::GetContentRegionAvail().x >= 900.0f;
}

// A radio button on the current line when it fits, else on the next: a row
// of choices wraps on a phone instead of running off the screen.
bool flow_radio(const std::string& label, bool active, bool first) {
  if (!first) beside_if_fits(radio_width(label.c_str()));
  return ImGui::RadioButton(label.c_str(), active);
}

// The dates as the filter takes them; false (and nothing sent) while one is not a date.
bool dates_ok() {
  return state::date_problem(g_day.from).empty() && state::date_problem(g_day.to).empty();
}

void history_filters(const state::AppState& s, state::HistoryFilter f, std::vector<state::Command>& emitted) {
  // The fields follow the filter when it changes from elsewhere (Sales opens with none).
  static std::string shown_from, shown_to;
  if (f.from != shown_from || f.to != shown_to) {
    shown_from = f.from;
    shown_to = f.to;
    std::snprintf(g_day.from, sizeof g_day.from, "%s", f.from.c_str());
    std::snprintf(g_day.to, sizeof g_day.to, "%s", f.to.c_str());
  }
  // On a phone the filters fold away behind one button, so the list stays on screen.
  const bool narrow = ImGui::GetContentRegionAvail().x < 700.0f;
  if (narrow) {
    const bool active = !f.from.empty() || !f.to.empty() || !f.tender.empty() || !f.cashier.empty() || !f.till.empty();
    const std::string label = std::string(g_day.show_filters ? tr("Hide filters") : tr("Filters")) +
                              (active ? " •" : "") + "###history-filters-toggle";
    if (button(label.c_str(), 200.0f)) g_day.show_filters = !g_day.show_filters;
    if (!g_day.show_filters) return;
  }
  bool changed = false;
  bool enter = false;
  const float date_w = std::min(180.0f, (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f);
  date_field(tr("From"), "##history-from", g_day.from, sizeof g_day.from, enter, date_w);
  ImGui::SameLine();
  date_field(tr("To"), "##history-to", g_day.to, sizeof g_day.to, enter, date_w);
  if (ImGui::GetContentRegionAvail().x > 420.0f) ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::Dummy(ImVec2(0.0f, ImGui::GetTextLineHeight()));
  if (button(lbl(tr("Apply"), "###history-apply").c_str(), 120.0f, dates_ok())) enter = true;
  ImGui::SameLine();
  if (button(lbl(tr("Clear"), "###history-clear").c_str(), 120.0f)) {
    wipe(g_day.from, sizeof g_day.from);
    wipe(g_day.to, sizeof g_day.to);
    f.from.clear();
    f.to.clear();
    f.tender.clear();
    f.cashier.clear();
    f.till.clear();
    changed = true;
  }
  ImGui::EndGroup();
  if (enter && dates_ok()) {
    f.from = g_day.from;
    f.to = g_day.to;
    changed = true;
  }

  ImGui::TextUnformatted(tr("Paid with"));
  if (flow_radio(lbl(tr("All"), "##tender-all"), f.tender.empty(), true)) {
    f.tender.clear();
    changed = true;
  }
  for (std::size_t k = 0; k < kAllTenderKinds.size(); ++k) {
    if (!s.store.tenders[k] && f.tender != to_string(kAllTenderKinds[k])) continue;  // the store's tenders
    const std::string kind(to_string(kAllTenderKinds[k]));
    if (flow_radio(state::tender_name(s.store, kAllTenderKinds[k]) + "##tender-" + kind, f.tender == kind, false)) {
      f.tender = kind;
      changed = true;
    }
  }
  if (!s.history.cashiers.empty()) {
    ImGui::TextUnformatted(tr("Cashier"));
    if (flow_radio(lbl(tr("Anyone"), "##cashier-any"), f.cashier.empty(), true)) {
      f.cashier.clear();
      changed = true;
    }
    for (const state::HistoryChoice& c : s.history.cashiers) {
      if (flow_radio((c.name.empty() ? c.id : c.name) + "##cashier-" + c.id, f.cashier == c.id, false)) {
        f.cashier = c.id;
        changed = true;
      }
    }
  }
  if (f.server && !s.history.tills.empty()) {
    ImGui::TextUnformatted(tr("Till"));
    if (flow_radio(lbl(tr("Every till"), "##till-any"), f.till.empty(), true)) {
      f.till.clear();
      changed = true;
    }
    for (const state::HistoryChoice& t : s.history.tills) {
      if (flow_radio((t.name.empty() ? t.id : t.name) + "##till-" + t.id, f.till == t.id, false)) {
        f.till = t.id;
        changed = true;
      }
    }
  }
  if (changed && !s.history.loading) emitted.emplace_back(state::OpenHistory{f});
}

void history_totals(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::History& h = s.history;
  std::string totals = i18n::format(i18n::trn("{n} sale · {amount}", "{n} sales · {amount}", h.count),
                                    {{"n", std::to_string(h.count)}, {"amount", money(s, h.sum)}});
  if (h.refunded != 0) totals += " · " + trf("refunded {amount}", {{"amount", money(s, h.refunded)}});
  ImGui::TextUnformatted(totals.c_str());
  if (!h.filter.server || !state::may(s, "export_data")) return;
  if (ImGui::GetContentRegionAvail().x > ImGui::CalcTextSize(totals.c_str()).x + 240.0f) ImGui::SameLine();
  const std::string label = std::string(h.exporting ? tr("Exporting…") : tr("Export CSV")) + "###history-export";
  if (button(label.c_str(), 200.0f, !h.exporting && !h.loading && s.sync.online)) emitted.emplace_back(state::ExportSales{});
  if (!h.export_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kError);
    ImGui::TextWrapped("%s", h.export_error.c_str());
    ImGui::PopStyleColor();
  }
  if (!h.exported.empty()) ImGui::TextColored(kMuted, "%s", h.exported.c_str());
}

}  // namespace

void shift(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Shift##screen", true)) {
    title_with_back(tr("Shift"), s, emitted);
    message_line(s, emitted);
    if (!s.shift) {
      ImGui::TextWrapped("%s", s.shift_required ? tr("No shift is open: this till takes payment only within a shift.")
                                                : tr("No shift is open."));
      bool submit = field(tr("Opening float (cash in the drawer)"), "##opening-float", g_day.opening_float,
                          sizeof g_day.opening_float, ImGuiInputTextFlags_CharsDecimal);
      const std::optional<std::int64_t> f = typed_amount(s, g_day.opening_float[0] ? g_day.opening_float : "0");
      if (primary_button(lbl(tr("Open shift"), "###open-shift").c_str(), ImVec2(field_width(), kPrimaryButtonPx), f && !s.busy) ||
          (submit && f && !s.busy)) {
        emitted.emplace_back(state::SubmitOpenShift{*f});
        wipe(g_day.opening_float, sizeof g_day.opening_float);
      }
    } else {
      ImGui::TextUnformatted(trf("Open since {time} by {person} · float {amount}",
                                 {{"time", s.shift->opened_text}, {"person", s.shift->opened_by},
                                  {"amount", money(s, s.shift->opening_float)}})
                                 .c_str());
      ImGui::Separator();
      const bool two = wide();
      if (two) ImGui::BeginTable("##shift-columns", 2, ImGuiTableFlags_SizingStretchSame);
      if (two) ImGui::TableNextColumn();
      ImGui::TextUnformatted(tr("Cash in or out"));
      for (std::size_t i = 0; i < kAllCashMovementKinds.size(); ++i) {
        const std::string label = std::string(movement_label(kAllCashMovementKinds[i])) + "##kind-" +
                                  std::string(to_string(kAllCashMovementKinds[i]));
        if (i > 0) beside_if_fits(radio_width(label.c_str()));
        if (ImGui::RadioButton(label.c_str(), g_day.cash_kind == static_cast<int>(i))) g_day.cash_kind = static_cast<int>(i);
      }
      field(tr("Amount"), "##cash-amount", g_day.amount, sizeof g_day.amount, ImGuiInputTextFlags_CharsDecimal);
      field(tr("Reason"), "##cash-reason", g_day.reason, sizeof g_day.reason);
      const std::optional<std::int64_t> a = typed_amount(s, g_day.amount);
      if (button(lbl(tr("Record cash movement"), "###cash-move").c_str(), field_width(), a && *a > 0 && g_day.reason[0] != 0 && !s.busy)) {
        emitted.emplace_back(state::SubmitCashMovement{kAllCashMovementKinds[static_cast<std::size_t>(g_day.cash_kind)], *a,
                                                       g_day.reason});
        wipe(g_day.amount, sizeof g_day.amount);
        wipe(g_day.reason, sizeof g_day.reason);
      }
      if (button(lbl(tr("X report"), "###x-report").c_str(), 220.0f, !s.busy)) emitted.emplace_back(state::RequestShiftReport{});
      if (state::may_open_drawer(s)) {
        const std::string no_sale = lbl(tr("No sale (open drawer)"), "###no-sale");
        const float no_sale_w = std::max(260.0f, button_width(no_sale.c_str()));
        beside_if_fits(no_sale_w);
        if (button(no_sale.c_str(), no_sale_w, !s.busy && !s.printer.opening_drawer))
          emitted.emplace_back(state::OpenDrawer{});
      }
      if (two) ImGui::TableNextColumn();
      else ImGui::Separator();
      ImGui::TextUnformatted(tr("Close the shift"));
      field(tr("Counted cash"), "##counted-cash", g_day.counted, sizeof g_day.counted, ImGuiInputTextFlags_CharsDecimal);
      field(tr("Note (optional)"), "##close-note", g_day.note, sizeof g_day.note);
      const std::optional<std::int64_t> counted = typed_amount(s, g_day.counted);
      if (primary_button(lbl(tr("Close shift"), "###close-shift").c_str(), ImVec2(field_width(), kPrimaryButtonPx), counted && !s.busy)) {
        emitted.emplace_back(state::SubmitCloseShift{*counted, g_day.note});
        wipe(g_day.counted, sizeof g_day.counted);
        wipe(g_day.note, sizeof g_day.note);
      }
      if (two) ImGui::EndTable();
    }
    report_view(s, emitted);
  }
  ImGui::End();
}

void history(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("History##screen", true)) {
    title_with_back(tr("Sales"), s, emitted);
    message_line(s, emitted);
    state::HistoryFilter f = s.history.filter;
    if (ImGui::RadioButton(lbl(tr("This till"), "##src-local").c_str(), !f.server)) {
      f.server = false;
      emitted.emplace_back(state::OpenHistory{f});
    }
    ImGui::SameLine();
    if (ImGui::RadioButton(lbl(tr("Whole store (server)"), "##src-server").c_str(), f.server)) {
      f.server = true;
      emitted.emplace_back(state::OpenHistory{f});
    }
    if (f.server && !s.sync.online)
      ImGui::TextColored(kOffline, "%s", tr("Needs the store server — you are offline. “This till” shows what this till sold."));
    ImGui::SetNextItemWidth(field_width());
    if (ImGui::InputTextWithHint("##history-search", tr("receipt number or product"), g_day.search, sizeof g_day.search,
                                 ImGuiInputTextFlags_EnterReturnsTrue)) {
      f.text = g_day.search;
      emitted.emplace_back(state::OpenHistory{f});
    }
    if (ImGui::GetContentRegionAvail().x > field_width() + 220.0f) ImGui::SameLine();
    if (ImGui::Checkbox(lbl(tr("Refunded only"), "##refunded").c_str(), &f.refunded_only)) emitted.emplace_back(state::OpenHistory{f});
    history_filters(s, f, emitted);
    if (!s.history.error.empty()) ImGui::TextColored(kError, "%s", s.history.error.c_str());
    history_totals(s, emitted);

    const float detail_w = s.sale_detail ? ImGui::GetContentRegionAvail().x * 0.45f : 0.0f;
    // The list keeps at least six rows' room: when a store's many cashiers
    // and tills fill the screen with filters, the screen scrolls instead.
    const float list_h = std::max(ImGui::GetContentRegionAvail().y, 6.0f * kMinTouchPx);
    ImGui::BeginChild("##history-list", ImVec2(s.sale_detail ? ImGui::GetContentRegionAvail().x - detail_w - 12.0f : 0.0f,
                                               list_h));
    for (const state::HistoryItem& it : s.history.items) {
      // After the receipt number (and the time, where it fits).
      const std::string rest = "  " + money(s, it.total) +
                               (it.refunded > 0 ? "  " + trf("refunded {amount}", {{"amount", money(s, it.refunded)}}) : "") +
                               (it.voided ? std::string("  ") + tr("voided") : "");
      // One line where it fits; on a phone the time goes under the rest.
      const std::string one = it.receipt_number + "  " + it.time_text + rest;
      const bool one_line = ImGui::CalcTextSize(one.c_str()).x <= ImGui::GetContentRegionAvail().x;
      const std::string label = (one_line ? one : it.receipt_number + rest + "\n" + it.time_text) + "##sale-" + it.sale_id;
      const bool selected = s.sale_detail && s.sale_detail->sale_op_id == it.sale_id;
      const float row_h = one_line ? kMinTouchPx : std::max(kMinTouchPx, 2.0f * ImGui::GetTextLineHeightWithSpacing());
      if (ImGui::Selectable(label.c_str(), selected, 0, ImVec2(0.0f, row_h)))
        emitted.emplace_back(state::OpenSale{it.sale_id, f.server});
    }
    if (s.history.loading) ImGui::TextColored(kMuted, "%s", tr("Loading…"));
    if (!s.history.next.empty() && button(lbl(tr("More"), "###history-more").c_str(), 200.0f, !s.history.loading))
      emitted.emplace_back(state::MoreHistory{});
    ImGui::EndChild();
    if (s.sale_detail) {
      ImGui::SameLine();
      ImGui::BeginChild("##sale-detail", ImVec2(0.0f, list_h), ImGuiChildFlags_Border);
      const state::SaleDetail& d = *s.sale_detail;
      ImGui::TextUnformatted(trf("Receipt {receipt}", {{"receipt", d.receipt_number}}).c_str());
      ImGui::TextColored(kMuted, "%s",
                         (d.voided ? trf("{time} · {cashier} · till {till} · voided",
                                         {{"time", d.time_text}, {"cashier", d.cashier}, {"till", d.till_code}})
                                   : trf("{time} · {cashier} · till {till}",
                                         {{"time", d.time_text}, {"cashier", d.cashier}, {"till", d.till_code}}))
                             .c_str());
      for (std::size_t i = 0; i < d.sale.lines.size(); ++i) {
        const SaleLine& l = d.sale.lines[i];
        const std::int64_t back = i < d.ledger.quantity.size() ? d.ledger.quantity[i].thousandths : 0;
        ImGui::Text("%s  %s × %s  %s%s", l.item.name.c_str(), format_quantity(l.item.quantity).c_str(),
                    money(s, l.item.unit_price).c_str(), money(s, l.total).c_str(),
                    back > 0 ? ("  " + trf("({quantity} refunded)", {{"quantity", format_quantity(Quantity{back})}})).c_str() : "");
      }
      ImGui::TextUnformatted(trf("Total {total} · change {change}",
                                 {{"total", money(s, d.sale.totals.total)}, {"change", money(s, d.settlement.change)}})
                                 .c_str());
      for (const std::string& flag : d.flags)
        ImGui::TextColored(kError, "%s", trf("Server: {flag}", {{"flag", flag}}).c_str());
      if (button(lbl(tr("Reprint"), "###reprint").c_str(), 180.0f)) emitted.emplace_back(state::ReprintSale{});
      ImGui::SameLine();
      if (button(lbl(tr("Refund"), "###start-refund").c_str(), 180.0f, !d.voided && !s.busy)) emitted.emplace_back(state::StartRefund{});
      // A reprint prints in the background: how it went, and Print again.
      print_job_line(s, emitted);
      ImGui::EndChild();
    }
  }
  ImGui::End();
}

void refund(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Refund##screen", true)) {
    title_with_back(tr("Refund"), s, emitted);
    message_line(s, emitted);
    if (!s.refund || !s.sale_detail) {
      ImGui::TextUnformatted(tr("No sale chosen."));
    } else {
      const state::SaleDetail& d = *s.sale_detail;
      const state::RefundDraft& r = *s.refund;
      ImGui::TextUnformatted(trf("Receipt {receipt}", {{"receipt", d.receipt_number}}).c_str());
      for (std::size_t i = 0; i < d.sale.lines.size(); ++i) {
        const SaleLine& l = d.sale.lines[i];
        const std::int64_t sold = l.item.quantity.thousandths;
        const std::int64_t back = i < d.ledger.quantity.size() ? d.ledger.quantity[i].thousandths : 0;
        const std::int64_t now = i < r.quantities.size() ? r.quantities[i].thousandths : 0;
        const std::int64_t step = l.item.unit == UnitKind::each ? kQuantityScale : sold - back;
        ImGui::PushID(static_cast<int>(i));
        ImGui::TextUnformatted(trf("{product} · sold {sold}, refunded {refunded}",
                                   {{"product", l.item.name}, {"sold", format_quantity(l.item.quantity)},
                                    {"refunded", format_quantity(Quantity{back})}})
                                   .c_str());
        if (ImGui::Button("-##refund-less", ImVec2(kMinTouchPx, kMinTouchPx)) && now > 0)
          emitted.emplace_back(state::SetRefundQuantity{static_cast<int>(i), Quantity{std::max<std::int64_t>(0, now - step)}});
        ImGui::SameLine();
        ImGui::Text("%s", format_quantity(Quantity{now}).c_str());
        ImGui::SameLine();
        // One more than what remains is offered too: the refund says why it is impossible.
        if (ImGui::Button("+##refund-more", ImVec2(kMinTouchPx, kMinTouchPx)))
          emitted.emplace_back(state::SetRefundQuantity{static_cast<int>(i), Quantity{now + std::max<std::int64_t>(step, 1)}});
        ImGui::PopID();
      }
      if (!r.error.empty()) ImGui::TextColored(kError, "%s", r.error.c_str());
      if (r.computed) {
        ImGui::PushFont(title_font());
        ImGui::TextUnformatted(trf("Refund {amount}", {{"amount", money(s, r.computed->total)}}).c_str());
        ImGui::PopFont();
        for (std::size_t k = 0; k < r.computed->tenders.size(); ++k)
          if (r.computed->tenders[k] > 0)
            ImGui::TextUnformatted(trf("{tender} back {amount}", {{"tender", state::tender_name(s.store, kAllTenderKinds[k])},
                                                                   {"amount", money(s, r.computed->tenders[k])}})
                                       .c_str());
        if (s.store.tenders[0] && r.computed->tenders[0] != r.computed->total &&
            button(lbl(tr("All back in cash"), "###refund-cash").c_str(), 260.0f, !s.busy))
          emitted.emplace_back(state::SetRefundTenders{{Payment{TenderKind::cash, r.computed->total, ""}}});
      }
      field(tr("Reason"), "##refund-reason", g_day.refund_reason, sizeof g_day.refund_reason);
      const bool ready = r.computed && r.computed->total > 0 && g_day.refund_reason[0] != 0 && !s.busy;
      if (primary_button(lbl(s.busy ? tr("Recording…") : tr("Refund"), "###refund").c_str(), ImVec2(field_width(), kPrimaryButtonPx),
                         ready)) {
        emitted.emplace_back(state::SubmitRefund{g_day.refund_reason});
      }
    }
  }
  ImGui::End();
  if (s.screen != state::Screen::Refund) wipe(g_day.refund_reason, sizeof g_day.refund_reason);
}

}  // namespace salespider::ui
