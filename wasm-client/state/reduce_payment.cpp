// The payment part of the reducer: the pay screen, split tenders settled
// against the cart's total (cash rounding, change only from cash), the
// one-key cash sale, the recorded or failed sale, receipts and the next sale.
// Deliberately not here: recording the sale (the controller journals it and
// answers SaleRecorded or SaleFailed), printing (receipt/), refunds
// (day_state.cpp).
#include "state/reducers.hpp"
#include "state/tender_label.hpp"

#include <salespider/shared/i18n.hpp>
#include <salespider/shared/payment.hpp>

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace salespider::state {

namespace {

// A till that sells only within a shift refuses payment without one.
// So does every till of a store that sells only within a shift (a store
// setting, whatever this till's own option says).
bool needs_shift(AppState& s) {
  if (s.shift || (!s.shift_required && !s.store.sell_only_in_shift)) return false;
  if (s.store.sell_only_in_shift)
    say(s, MessageKind::error, i18n::tr("This store sells only within a shift: open one (Shift) before taking payment."));
  else
    say(s, MessageKind::error, i18n::tr("No shift is open on this till: open one (Shift) before taking payment."));
  return true;
}

// The cart is completing (busy): one token for its sale, under the cart's
// sale id (a cart without one, e.g. restored from an older build's drafts,
// takes the reserved id now and keeps it).
void accept_sale(AppState& s) {
  accept_effect(s, EffectKind::sale, s.cart.sale_id);
  s.cart.sale_id = s.effect.op_id;
}

template <class C>
void apply(AppState& s, const C& c) {
  if constexpr (std::is_same_v<C, AddPayment>) {
    if (!s.cart.sale || s.busy || s.screen != Screen::Pay) return;
    std::vector<Payment> payments = s.pay.payments;
    payments.push_back(c.payment);
    Result<Settlement> r = settle(s.cart.sale->totals.total, payments, tender_settings(s.store));
    if (!r) {
      s.pay.error = r.error().code == Errc::overpaid_non_cash
                        ? i18n::trf("Only cash gives change: {tender} can pay at most {amount}.",
                                    {{"tender", tender_label(c.payment.kind)}, {"amount", money_text(s, remaining_due(s))}})
                        : r.error().context;
      return;
    }
    s.pay.payments = std::move(payments);
    s.pay.settlement = r.value();
    s.pay.error.clear();
    if (r.value().complete) {
      s.busy = true;
      s.message.reset();
      accept_sale(s);
    }
  } else if constexpr (std::is_same_v<C, RemovePayment>) {
    if (s.busy || c.index < 0 || static_cast<std::size_t>(c.index) >= s.pay.payments.size()) return;
    s.pay.payments.erase(s.pay.payments.begin() + c.index);
    resettle(s);
  } else if constexpr (std::is_same_v<C, PrintReceipt>) {
    if (s.completed) ++s.completed->prints;
  } else if constexpr (std::is_same_v<C, SetReceiptPaper>) {
    s.receipt_58mm = c.narrow;
  } else if constexpr (std::is_same_v<C, StartPayment>) {
    if (s.cart.sale && !s.busy && s.screen == Screen::Till && needs_shift(s)) return;
    if (s.cart.sale && !s.busy && s.screen == Screen::Till) {
      s.screen = Screen::Pay;
      s.cart.selected = -1;
      resettle(s);
    }
  } else if constexpr (std::is_same_v<C, CompleteSale>) {
    if (!s.cart.sale || s.busy || (s.screen != Screen::Till && s.screen != Screen::Pay)) return;
    if (needs_shift(s)) return;
    const std::int64_t due = cash_due(s);
    if (c.tendered < due) {
      say(s, MessageKind::error, i18n::trf("The cash handed over ({tendered}) is less than {due}.",
                                           {{"tendered", money_text(s, c.tendered)}, {"due", money_text(s, due)}}));
      return;
    }
    std::vector<Payment> payments = s.pay.payments;
    if (due > 0 || c.tendered > 0) payments.push_back(Payment{TenderKind::cash, c.tendered, ""});
    Result<Settlement> r = settle(s.cart.sale->totals.total, payments, tender_settings(s.store));
    if (!r || !r.value().complete) {
      say(s, MessageKind::error, r ? std::string(i18n::tr("The payments do not cover the total.")) : r.error().context);
      return;
    }
    s.pay.payments = std::move(payments);
    s.pay.settlement = r.value();
    s.busy = true;
    s.message.reset();
    accept_sale(s);
  } else if constexpr (std::is_same_v<C, SaleRecorded>) {
    s.busy = false;
    s.completed = c.completed;
    s.last_receipt_number = c.completed.receipt_number;
    s.cart = CartState{};
    s.pay = PaymentState{};
    s.screen = Screen::Till;
    s.message.reset();
  } else if constexpr (std::is_same_v<C, SaleFailed>) {
    s.busy = false;
    // The last payment did not make it into a sale: take it off again
    // so the cashier can retry or change it.
    if (s.pay.settlement && s.pay.settlement->complete && !s.pay.payments.empty()) {
      s.pay.payments.pop_back();
      resettle(s);
    }
    say(s, MessageKind::error, c.error);
  } else if constexpr (std::is_same_v<C, NewSale>) {
    s.completed.reset();
    s.message.reset();
    if (s.screen == Screen::Pay || s.screen == Screen::Parked) s.screen = Screen::Till;
  } else {
    static_assert(sizeof(C) == 0, "reduce_payment() does not handle this command");
  }
}

}  // namespace

bool reduce_payment(AppState& state, const Command& command) {
  return reduce_listed<PaymentCommands>(state, command, [](AppState& s, const auto& c) { apply(s, c); });
}

}  // namespace salespider::state
