// The rest of the day's screens: the shift (open with a float, cash in and
// out, X report, close with a count and its Z report), sales history (this
// till's from the local store, the store's from the server) with a sale's
// detail and reprint, and the refund of one sale. Each reads state and
// emits commands only. (The needs-attention list is in audit.cpp.)
#include "ui/day.hpp"

#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

namespace salespider::ui {

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
};
DayForms g_day;

const char* movement_label(CashMovementKind k) {
  switch (k) {
    case CashMovementKind::pay_in:
      return "Pay-in";
    case CashMovementKind::pay_out:
      return "Pay-out";
    case CashMovementKind::drop:
      return "Cash drop";
    case CashMovementKind::float_top_up:
      return "Float top-up";
  }
  return "Pay-in";
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
  ImGui::TextUnformatted(r.closed ? "Z report" : "X report");
  ImGui::PopFont();
  ImGui::TextColored(kMuted, "%s · computed on this till from its own records", v.time_text.c_str());
  row("Opening float", money(s, r.opening_float), "float");
  row("Sales", std::to_string(r.sale_count) + " · " + money(s, r.total_sales), "sales");
  row("Discounts", money(s, r.discounts), "discounts");
  for (const ShiftTaxLine& t : r.taxes) {
    char label[64];
    std::snprintf(label, sizeof label, "Tax %s %.2f%%", t.code.c_str(), static_cast<double>(t.rate_ppm) / 10000.0);
    row(label, money(s, t.tax) + " on " + money(s, t.net), "tax");
  }
  for (const TenderAmount& t : r.tenders) row(state::tender_name(s.store, t.kind).c_str(), money(s, t.amount), "tender");
  row("Refunds", std::to_string(r.refund_count) + " · " + money(s, r.refund_total), "refunds");
  if (r.void_count > 0) row("Voided sales", std::to_string(r.void_count), "voids");
  row("Cash in / out", money(s, r.cash_in) + " / " + money(s, r.cash_out), "cash");
  row("Expected cash", money(s, r.expected_cash), "expected");
  if (r.counted_cash) row("Counted cash", money(s, *r.counted_cash), "counted");
  if (r.over_short) {
    const std::int64_t d = *r.over_short;
    ImGui::PushStyleColor(ImGuiCol_Text, d == 0 ? kOnline : kError);
    row(d >= 0 ? "Over" : "Short", money(s, d < 0 ? -d : d), "over-short");
    ImGui::PopStyleColor();
  }
  if (button("Print report", 220.0f)) emitted.emplace_back(state::PrintShiftReport{});
}

// The screen's title with Back beside it, so Back is never scrolled away.
void title_with_back(const char* text, const state::AppState& s, std::vector<state::Command>& emitted) {
  title(text);
  ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 24.0f, ImGui::GetWindowWidth() - 200.0f));
  if (button("Back", 160.0f, !s.busy) || (!s.busy && !s.approval && ImGui::IsKeyPressed(ImGuiKey_Escape, false)))
    emitted.emplace_back(state::Back{});
}

bool wide() {
  return ImGui::GetContentRegionAvail().x >= 900.0f;
}

}  // namespace

void shift(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Shift##screen", true)) {
    title_with_back("Shift", s, emitted);
    message_line(s, emitted);
    if (!s.shift) {
      ImGui::TextWrapped("%s", s.shift_required ? "No shift is open: this till takes payment only within a shift."
                                                : "No shift is open.");
      bool submit = field("Opening float (cash in the drawer)", "##opening-float", g_day.opening_float,
                          sizeof g_day.opening_float, ImGuiInputTextFlags_CharsDecimal);
      const std::optional<std::int64_t> f = typed_amount(s, g_day.opening_float[0] ? g_day.opening_float : "0");
      if (primary_button("Open shift###open-shift", ImVec2(field_width(), kPrimaryButtonPx), f && !s.busy) ||
          (submit && f && !s.busy)) {
        emitted.emplace_back(state::SubmitOpenShift{*f});
        wipe(g_day.opening_float, sizeof g_day.opening_float);
      }
    } else {
      ImGui::Text("Open since %s by %s · float %s", s.shift->opened_text.c_str(), s.shift->opened_by.c_str(),
                  money(s, s.shift->opening_float).c_str());
      ImGui::Separator();
      const bool two = wide();
      if (two) ImGui::BeginTable("##shift-columns", 2, ImGuiTableFlags_SizingStretchSame);
      if (two) ImGui::TableNextColumn();
      ImGui::TextUnformatted("Cash in or out");
      for (std::size_t i = 0; i < kAllCashMovementKinds.size(); ++i) {
        if (i > 0) ImGui::SameLine();
        const std::string label = std::string(movement_label(kAllCashMovementKinds[i])) + "##kind-" +
                                  std::string(to_string(kAllCashMovementKinds[i]));
        if (ImGui::RadioButton(label.c_str(), g_day.cash_kind == static_cast<int>(i))) g_day.cash_kind = static_cast<int>(i);
      }
      field("Amount", "##cash-amount", g_day.amount, sizeof g_day.amount, ImGuiInputTextFlags_CharsDecimal);
      field("Reason", "##cash-reason", g_day.reason, sizeof g_day.reason);
      const std::optional<std::int64_t> a = typed_amount(s, g_day.amount);
      if (button("Record cash movement###cash-move", field_width(), a && *a > 0 && g_day.reason[0] != 0 && !s.busy)) {
        emitted.emplace_back(state::SubmitCashMovement{kAllCashMovementKinds[static_cast<std::size_t>(g_day.cash_kind)], *a,
                                                       g_day.reason});
        wipe(g_day.amount, sizeof g_day.amount);
        wipe(g_day.reason, sizeof g_day.reason);
      }
      if (button("X report###x-report", 220.0f, !s.busy)) emitted.emplace_back(state::RequestShiftReport{});
      if (two) ImGui::TableNextColumn();
      else ImGui::Separator();
      ImGui::TextUnformatted("Close the shift");
      field("Counted cash", "##counted-cash", g_day.counted, sizeof g_day.counted, ImGuiInputTextFlags_CharsDecimal);
      field("Note (optional)", "##close-note", g_day.note, sizeof g_day.note);
      const std::optional<std::int64_t> counted = typed_amount(s, g_day.counted);
      if (primary_button("Close shift###close-shift", ImVec2(field_width(), kPrimaryButtonPx), counted && !s.busy)) {
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
    title_with_back("Sales", s, emitted);
    message_line(s, emitted);
    state::HistoryFilter f = s.history.filter;
    if (ImGui::RadioButton("This till##src-local", !f.server)) {
      f.server = false;
      emitted.emplace_back(state::OpenHistory{f});
    }
    ImGui::SameLine();
    if (ImGui::RadioButton("Whole store (server)##src-server", f.server)) {
      f.server = true;
      emitted.emplace_back(state::OpenHistory{f});
    }
    if (f.server && !s.sync.online)
      ImGui::TextColored(kOffline, "%s", "Needs the store server — you are offline. \"This till\" shows what this till sold.");
    ImGui::SetNextItemWidth(field_width());
    if (ImGui::InputTextWithHint("##history-search", "receipt number or product", g_day.search, sizeof g_day.search,
                                 ImGuiInputTextFlags_EnterReturnsTrue)) {
      f.text = g_day.search;
      emitted.emplace_back(state::OpenHistory{f});
    }
    ImGui::SameLine();
    if (ImGui::Checkbox("Refunded only##refunded", &f.refunded_only)) emitted.emplace_back(state::OpenHistory{f});
    if (!s.history.error.empty()) ImGui::TextColored(kError, "%s", s.history.error.c_str());
    ImGui::Text("%lld sales · %s", static_cast<long long>(s.history.count), money(s, s.history.sum).c_str());

    const float detail_w = s.sale_detail ? ImGui::GetContentRegionAvail().x * 0.45f : 0.0f;
    ImGui::BeginChild("##history-list", ImVec2(s.sale_detail ? ImGui::GetContentRegionAvail().x - detail_w - 12.0f : 0.0f,
                                               0.0f));
    for (const state::HistoryItem& it : s.history.items) {
      const std::string label = it.receipt_number + "  " + it.time_text + "  " + money(s, it.total) +
                                (it.refunded > 0 ? "  refunded " + money(s, it.refunded) : "") +
                                (it.voided ? "  voided" : "") + "##sale-" + it.sale_id;
      const bool selected = s.sale_detail && s.sale_detail->sale_op_id == it.sale_id;
      if (ImGui::Selectable(label.c_str(), selected, 0, ImVec2(0.0f, kMinTouchPx)))
        emitted.emplace_back(state::OpenSale{it.sale_id, f.server});
    }
    if (s.history.loading) ImGui::TextColored(kMuted, "%s", "Loading…");
    if (!s.history.next.empty() && button("More###history-more", 200.0f, !s.history.loading))
      emitted.emplace_back(state::MoreHistory{});
    ImGui::EndChild();
    if (s.sale_detail) {
      ImGui::SameLine();
      ImGui::BeginChild("##sale-detail", ImVec2(0.0f, 0.0f), ImGuiChildFlags_Border);
      const state::SaleDetail& d = *s.sale_detail;
      ImGui::Text("Receipt %s", d.receipt_number.c_str());
      ImGui::TextColored(kMuted, "%s · %s · till %s%s", d.time_text.c_str(), d.cashier.c_str(), d.till_code.c_str(),
                         d.voided ? " · voided" : "");
      for (std::size_t i = 0; i < d.sale.lines.size(); ++i) {
        const SaleLine& l = d.sale.lines[i];
        const std::int64_t back = i < d.ledger.quantity.size() ? d.ledger.quantity[i].thousandths : 0;
        ImGui::Text("%s  %s × %s  %s%s", l.item.name.c_str(), format_quantity(l.item.quantity).c_str(),
                    money(s, l.item.unit_price).c_str(), money(s, l.total).c_str(),
                    back > 0 ? ("  (" + format_quantity(Quantity{back}) + " refunded)").c_str() : "");
      }
      ImGui::Text("Total %s · change %s", money(s, d.sale.totals.total).c_str(), money(s, d.settlement.change).c_str());
      for (const std::string& flag : d.flags) ImGui::TextColored(kError, "Server: %s", flag.c_str());
      if (button("Reprint###reprint", 180.0f)) emitted.emplace_back(state::ReprintSale{});
      ImGui::SameLine();
      if (button("Refund###start-refund", 180.0f, !d.voided && !s.busy)) emitted.emplace_back(state::StartRefund{});
      ImGui::EndChild();
    }
  }
  ImGui::End();
}

void refund(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Refund##screen", true)) {
    title_with_back("Refund", s, emitted);
    message_line(s, emitted);
    if (!s.refund || !s.sale_detail) {
      ImGui::TextUnformatted("No sale chosen.");
    } else {
      const state::SaleDetail& d = *s.sale_detail;
      const state::RefundDraft& r = *s.refund;
      ImGui::Text("Receipt %s", d.receipt_number.c_str());
      for (std::size_t i = 0; i < d.sale.lines.size(); ++i) {
        const SaleLine& l = d.sale.lines[i];
        const std::int64_t sold = l.item.quantity.thousandths;
        const std::int64_t back = i < d.ledger.quantity.size() ? d.ledger.quantity[i].thousandths : 0;
        const std::int64_t now = i < r.quantities.size() ? r.quantities[i].thousandths : 0;
        const std::int64_t step = l.item.unit == UnitKind::each ? kQuantityScale : sold - back;
        ImGui::PushID(static_cast<int>(i));
        ImGui::Text("%s · sold %s, refunded %s", l.item.name.c_str(), format_quantity(l.item.quantity).c_str(),
                    format_quantity(Quantity{back}).c_str());
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
        ImGui::Text("Refund %s", money(s, r.computed->total).c_str());
        ImGui::PopFont();
        for (std::size_t k = 0; k < r.computed->tenders.size(); ++k)
          if (r.computed->tenders[k] > 0)
            ImGui::Text("%s back %s", state::tender_name(s.store, kAllTenderKinds[k]).c_str(), money(s, r.computed->tenders[k]).c_str());
        if (s.store.tenders[0] && r.computed->tenders[0] != r.computed->total &&
            button("All back in cash###refund-cash", 260.0f, !s.busy))
          emitted.emplace_back(state::SetRefundTenders{{Payment{TenderKind::cash, r.computed->total, ""}}});
      }
      field("Reason", "##refund-reason", g_day.refund_reason, sizeof g_day.refund_reason);
      const bool ready = r.computed && r.computed->total > 0 && g_day.refund_reason[0] != 0 && !s.busy;
      if (primary_button(s.busy ? "Recording…###refund" : "Refund###refund", ImVec2(field_width(), kPrimaryButtonPx),
                         ready)) {
        emitted.emplace_back(state::SubmitRefund{g_day.refund_reason});
      }
    }
  }
  ImGui::End();
  if (s.screen != state::Screen::Refund) wipe(g_day.refund_reason, sizeof g_day.refund_reason);
}

}  // namespace salespider::ui
