// The rest of a cashier's day in the reducer: shifts (open with a float,
// cash in/out, close with a count), sales history, refunds, and the
// managers' "needs attention" list. The controller does the recording and
// the loading; this decides what is allowed and what the screens show.
#include "state/app_state.hpp"

#include "state/reducers.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>

namespace salespider::state {

namespace {

bool is_manager(const AppState& s) {
  return s.user && is_manager_role(s.user->role);
}

bool same_filter(const HistoryFilter& a, const HistoryFilter& b) {
  return a.server == b.server && a.text == b.text && a.from == b.from && a.to == b.to && a.tender == b.tender &&
         a.refunded_only == b.refunded_only && a.cashier == b.cashier && a.till == b.till;
}

// New choices join the known ones (a filter narrows the pages, never the choices).
void merge_choices(std::vector<HistoryChoice>& known, const std::vector<HistoryChoice>& seen) {
  for (const HistoryChoice& c : seen) {
    if (c.id.empty()) continue;
    auto it = std::find_if(known.begin(), known.end(), [&c](const HistoryChoice& k) { return k.id == c.id; });
    if (it == known.end())
      known.push_back(c);
    else if (it->name.empty())
      it->name = c.name;
  }
}

}  // namespace

void recompute_refund(AppState& s) {
  if (!s.refund || !s.sale_detail) return;
  RefundDraft& r = *s.refund;
  r.computed.reset();
  r.error.clear();
  std::vector<RefundRequestLine> request;
  for (std::size_t i = 0; i < r.quantities.size(); ++i)
    if (r.quantities[i].thousandths > 0) request.push_back(RefundRequestLine{i, r.quantities[i]});
  if (request.empty()) return;
  Result<Refund> refund = compute_refund(s.sale_detail->sale, s.sale_detail->settlement, s.sale_detail->ledger, request);
  if (!refund) {
    r.error = refund.error().context;
    return;
  }
  if (!r.tenders.empty()) {
    std::int64_t sum = 0;
    for (const Payment& p : r.tenders) sum += p.amount;
    if (sum != refund.value().total) {
      r.error = trf("The tenders add up to {sum}; the refund is {refund}.",
                    {{"sum", money_text(s, sum)}, {"refund", money_text(s, refund.value().total)}});
      return;
    }
  }
  r.computed = std::move(refund).value();
}

bool reduce_day(AppState& s, const Command& command) {
  return std::visit(
      [&s](const auto& c) -> bool {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, OpenShiftScreen>) {
          if (s.user && !s.busy) {
            s.screen = Screen::Shift;
            s.report.reset();
          }
        } else if constexpr (std::is_same_v<C, ShiftChanged>) {
          s.shift = c.shift;
        } else if constexpr (std::is_same_v<C, SetShiftRequired>) {
          if (!is_manager(s)) {
            say(s, MessageKind::error, tr("Only a manager or owner decides whether this till needs a shift."));
            return true;
          }
          s.shift_required = c.required;
        } else if constexpr (std::is_same_v<C, SubmitOpenShift>) {
          if (s.busy || !s.user) return true;
          if (s.shift) {
            say(s, MessageKind::error, "A shift is already open on this till.");
          } else if (!may(s, "shift")) {
            say(s, MessageKind::error, tr("You may not open a shift."));
          } else if (c.opening_float < 0) {
            say(s, MessageKind::error, tr("The float cannot be negative."));
          } else {
            s.busy = true;
            s.message.reset();
            accept_effect(s, EffectKind::shift_open);
          }
        } else if constexpr (std::is_same_v<C, SubmitCashMovement>) {
          if (s.busy || !s.user) return true;
          if (!s.shift) {
            say(s, MessageKind::error, tr("Open a shift first: cash in and out belongs to a shift."));
          } else if (!may(s, "cash_in_out")) {
            say(s, MessageKind::error, tr("You may not pay cash in or out."));
          } else if (c.amount <= 0) {
            say(s, MessageKind::error, tr("Type an amount above zero."));
          } else if (c.reason.empty()) {
            say(s, MessageKind::error, tr("Say why the cash goes in or out."));
          } else {
            s.busy = true;
            s.message.reset();
            accept_effect(s, EffectKind::cash_movement);
          }
        } else if constexpr (std::is_same_v<C, SubmitCloseShift>) {
          if (s.busy || !s.user) return true;
          if (!s.shift) {
            say(s, MessageKind::error, tr("No shift is open on this till."));
          } else if (!may(s, "shift")) {
            say(s, MessageKind::error, tr("You may not close a shift."));
          } else if (c.counted_cash < 0) {
            say(s, MessageKind::error, tr("The counted cash cannot be negative."));
          } else if (!s.cart.lines.empty()) {
            say(s, MessageKind::error, tr("Finish or park the sale in progress before closing the shift."));
          } else {
            s.busy = true;
            s.message.reset();
            accept_effect(s, EffectKind::shift_close);
          }
        } else if constexpr (std::is_same_v<C, ShiftOpFinished>) {
          s.busy = false;
          if (!c.error.empty()) {
            say(s, MessageKind::error, c.error);
            return true;
          }
          s.shift = c.shift;
          if (!c.done.empty()) say(s, MessageKind::info, c.done);
        } else if constexpr (std::is_same_v<C, RequestShiftReport>) {
          s.report.reset();
        } else if constexpr (std::is_same_v<C, ShiftReportReady>) {
          if (c.report)
            s.report = c.report;
          else
            say(s, MessageKind::error, c.error);
        } else if constexpr (std::is_same_v<C, PrintShiftReport>) {
          // The controller prints s.report.
        } else if constexpr (std::is_same_v<C, OpenHistory>) {
          if (!s.user || s.busy) return true;
          s.screen = Screen::History;
          // The filter's choices stay (they are the store's, not the page's);
          // switching between this till and the whole store drops them.
          History next;
          if (s.history.filter.server == c.filter.server) {
            next.cashiers = std::move(s.history.cashiers);
            next.tills = std::move(s.history.tills);
          }
          next.exporting = s.history.exporting;
          s.history = std::move(next);
          s.history.filter = c.filter;
          s.history.loading = true;
          s.sale_detail.reset();
          s.refund.reset();
        } else if constexpr (std::is_same_v<C, MoreHistory>) {
          if (!s.history.next.empty()) s.history.loading = true;
        } else if constexpr (std::is_same_v<C, HistoryLoaded>) {
          if (!same_filter(c.filter, s.history.filter)) return true;  // stale
          s.history.loading = false;
          s.history.error = c.error;
          if (c.append)
            s.history.items.insert(s.history.items.end(), c.items.begin(), c.items.end());
          else
            s.history.items = c.items;
          s.history.next = c.next;
          s.history.count = c.count;
          s.history.sum = c.sum;
          s.history.refunded = c.refunded;
          merge_choices(s.history.cashiers, c.cashiers);
          merge_choices(s.history.tills, c.tills);
        } else if constexpr (std::is_same_v<C, HistoryChoicesLoaded>) {
          if (!s.history.filter.server) return true;  // the store's, asked for the whole store's list
          merge_choices(s.history.cashiers, c.cashiers);
          merge_choices(s.history.tills, c.tills);
        } else if constexpr (std::is_same_v<C, ExportSales>) {
          if (s.screen != Screen::History || !s.history.filter.server || s.history.exporting ||
              !may(s, "export_data"))
            return true;
          s.history.exporting = true;
          s.history.exported.clear();
          s.history.export_error.clear();
        } else if constexpr (std::is_same_v<C, SalesExported>) {
          s.history.exporting = false;
          s.history.exported = c.done;
          s.history.export_error = c.error;
        } else if constexpr (std::is_same_v<C, OpenSale>) {
          s.sale_detail.reset();
          s.refund.reset();
        } else if constexpr (std::is_same_v<C, SaleLoaded>) {
          if (c.detail)
            s.sale_detail = c.detail;
          else
            say(s, MessageKind::error, c.error);
        } else if constexpr (std::is_same_v<C, ReprintSale>) {
          // The controller prints s.sale_detail as a copy.
        } else if constexpr (std::is_same_v<C, StartRefund>) {
          if (!s.sale_detail || s.busy) return true;
          if (s.sale_detail->voided) {
            say(s, MessageKind::error, tr("This sale was voided: there is nothing to refund."));
            return true;
          }
          RefundDraft d;
          d.quantities.assign(s.sale_detail->sale.lines.size(), Quantity{0});
          // The refund's op id is fixed now: however often it is submitted,
          // it is one op.
          d.op_id = std::move(s.next_op_id);
          s.next_op_id.clear();
          s.refund = std::move(d);
          s.screen = Screen::Refund;
          s.message.reset();
        } else if constexpr (std::is_same_v<C, SetRefundQuantity>) {
          if (!s.refund || s.busy || c.line < 0 || static_cast<std::size_t>(c.line) >= s.refund->quantities.size())
            return true;
          s.refund->quantities[static_cast<std::size_t>(c.line)] =
              c.quantity.thousandths < 0 ? Quantity{0} : c.quantity;
          recompute_refund(s);
        } else if constexpr (std::is_same_v<C, SetRefundTenders>) {
          if (!s.refund || s.busy) return true;
          s.refund->tenders = c.tenders;
          recompute_refund(s);
        } else if constexpr (std::is_same_v<C, SubmitRefund>) {
          if (!s.refund || s.busy) return true;
          recompute_refund(s);
          if (!s.refund->computed || s.refund->computed->total <= 0) {
            say(s, MessageKind::error,
                s.refund->error.empty() ? std::string(tr("Choose what is refunded first.")) : s.refund->error);
            return true;
          }
          if (c.reason.empty()) {
            say(s, MessageKind::error, tr("Say why the sale is refunded."));
            return true;
          }
          s.refund->reason = c.reason;
          if (!may(s, "refund") && !s.refund->approver) {
            s.approval = ApprovalRequest{ApprovalFor::refund, -1, std::nullopt, "",
                                         trf("A refund of {amount} needs a manager's PIN.",
                                             {{"amount", money_text(s, s.refund->computed->total)}}),
                                         ""};
            return true;
          }
          s.busy = true;
          s.message.reset();
          accept_effect(s, EffectKind::refund, s.refund->op_id);
          s.refund->op_id = s.effect.op_id;
        } else if constexpr (std::is_same_v<C, RefundRecorded>) {
          s.busy = false;
          if (!c.error.empty()) {
            say(s, MessageKind::error, c.error);
            return true;
          }
          const std::int64_t total = s.refund && s.refund->computed ? s.refund->computed->total : 0;
          s.refund.reset();
          s.screen = Screen::History;
          say(s, MessageKind::info, trf("Refund of {amount} recorded.", {{"amount", money_text(s, total)}}));
        } else if constexpr (std::is_same_v<C, OpenAttention>) {
          if (!is_manager(s)) {
            say(s, MessageKind::error, tr("The needs-attention list is for managers."));
            return true;
          }
          s.attention_from_hub = s.screen == Screen::BackOffice;
          s.screen = Screen::Attention;
          s.attention.clear();
          s.attention_error.clear();
        } else if constexpr (std::is_same_v<C, AttentionLoaded>) {
          s.attention = c.items;
          s.attention_error = c.error;
        } else {
          static_assert(!kIn<C, DayCommands>, "reduce_day() does not handle this command");
          return false;
        }
        return true;
      },
      command);
}

}  // namespace salespider::state
