// The selling part of the reducer: products into the cart (scanned, typed or
// tapped), quantities and weights, line and cart discounts within the
// cashier's limit and a manager's approval beyond it (also of refunds and
// voids), the tiles' search results, parked sales and the drafts read back
// after a reload.
// Deliberately not here: looking products up or searching (the controller
// answers with ProductFound, SearchResults ...), taking payment
// (reduce_payment.cpp), and the refund itself (day_state.cpp).
#include "state/reducers.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace salespider::state {

namespace {

std::string discount_text(const AppState& s, const Discount& d) {
  return d.kind == DiscountKind::percent ? percent_text(d.value) : money_text(s, d.value);
}

// The cart with one discount changed, as compute_sale sees it.
Result<Sale> with_discount(const AppState& s, const ApprovalRequest& r) {
  Cart cart = cart_of(s);
  std::vector<Discount> ds;
  if (r.discount) ds.push_back(*r.discount);
  if (r.what == ApprovalFor::cart_discount)
    cart.discounts = ds;
  else
    cart.lines[static_cast<std::size_t>(r.line)].discounts = ds;
  return compute_sale(cart);
}

void apply_discount(AppState& s, const ApprovalRequest& r) {
  std::vector<Discount> ds;
  if (r.discount) ds.push_back(*r.discount);
  if (r.what == ApprovalFor::cart_discount)
    s.cart.discounts = std::move(ds);
  else
    s.cart.lines[static_cast<std::size_t>(r.line)].discounts = std::move(ds);
  recompute(s);
}

// A discount within the limit is applied; one beyond it waits for a manager.
void request_discount(AppState& s, ApprovalRequest r) {
  Result<Sale> sale = with_discount(s, r);
  if (!sale) {
    say(s, MessageKind::error, trf("That discount does not fit: {reason}", {{"reason", sale.error().context}}));
    return;
  }
  if (check_discount_limits(sale.value(), discount_limit(s))) {
    apply_discount(s, r);
    return;
  }
  const std::string what = r.what == ApprovalFor::cart_discount
                               ? std::string(tr("the whole sale"))
                               : s.cart.lines[static_cast<std::size_t>(r.line)].name;
  const std::int64_t limit = discount_limit(s).max_line_bp;
  r.reason = trf("A discount of {discount} on {what} is beyond your limit of {limit}. A manager's PIN approves it.",
                 {{"discount", discount_text(s, *r.discount)}, {"what", what}, {"limit", percent_text(limit)}});
  s.approval = std::move(r);
}

bool approver_may(const Approver& a, std::string_view permission) {
  return std::find(a.permissions.begin(), a.permissions.end(), permission) != a.permissions.end();
}

std::vector<ParkedSale>::iterator find_parked(AppState& s, const std::string& id) {
  return std::find_if(s.parked.begin(), s.parked.end(), [&](const ParkedSale& p) { return p.sale_id == id; });
}

void add_product(AppState& s, const ProductSnapshot& p) {
  if (!p.currency.empty() && p.currency != s.store.currency) {
    say(s, MessageKind::error, trf("{product} is priced in {currency}, the store sells in {store_currency}",
                                   {{"product", p.name}, {"currency", p.currency}, {"store_currency", s.store.currency}}));
    return;
  }
  for (std::size_t i = 0; i < s.cart.lines.size(); ++i) {
    CartLine& line = s.cart.lines[i];
    // The same product again is one more of it (ux.md), unless weighed:
    // two weighings are two lines.
    if (line.product_id == p.id && line.unit == UnitKind::each && line.unit_price == p.unit_price) {
      line.quantity.thousandths += kQuantityScale;
      s.cart.highlight = static_cast<int>(i);
      return;
    }
  }
  CartLine line;
  line.product_id = p.id;
  line.name = p.name;
  line.barcode = p.barcode;
  line.unit_price = p.unit_price;
  line.unit = p.unit;
  line.quantity = Quantity::units(1);
  line.tax = p.tax;
  s.cart.lines.push_back(std::move(line));
  s.cart.highlight = static_cast<int>(s.cart.lines.size()) - 1;
}

bool valid_line(const AppState& s, int line) {
  return line >= 0 && static_cast<std::size_t>(line) < s.cart.lines.size();
}

template <class C>
void apply(AppState& s, const C& c) {
  if constexpr (std::is_same_v<C, ScanCode>) {
    s.message.reset();
  } else if constexpr (std::is_same_v<C, ProductFound> || std::is_same_v<C, AddProduct>) {
    if (s.screen != Screen::Till || s.busy) return;
    s.completed.reset();
    add_product(s, c.product);
    // A weighed product needs its weight: the keypad opens on it.
    if (c.product.unit == UnitKind::weighed) s.cart.selected = s.cart.highlight;
    recompute(s);
  } else if constexpr (std::is_same_v<C, SaleIdIssued>) {
    if (s.cart.sale_id.empty()) s.cart.sale_id = c.sale_id;
  } else if constexpr (std::is_same_v<C, OpIdIssued>) {
    if (s.next_op_id.empty()) s.next_op_id = c.op_id;
  } else if constexpr (std::is_same_v<C, CartAlreadyRecorded>) {
    // Only the cart that was being paid: its sale is in the journal, so
    // paying it again would be a second sale for the same goods.
    if (c.sale_id.empty() || s.cart.sale_id != c.sale_id) return;
    s.busy = false;
    s.cart = CartState{};
    s.pay = PaymentState{};
    if (s.screen == Screen::Pay) s.screen = Screen::Till;
    say(s, MessageKind::info,
        c.receipt_number.empty()
            ? std::string(tr("The sale in progress had already been recorded before the till restarted: the cart was "
                             "cleared. Do not take payment for it again."))
            : trf("The sale in progress had already been recorded (receipt {receipt}) before the till restarted: the "
                  "cart was cleared. Do not take payment for it again.",
                  {{"receipt", c.receipt_number}}));
  } else if constexpr (std::is_same_v<C, SetQuantity>) {
    if (!valid_line(s, c.line)) return;
    CartLine& line = s.cart.lines[static_cast<std::size_t>(c.line)];
    if (Status ok = validate_quantity(c.quantity, line.unit); !ok) {
      say(s, MessageKind::error,
          line.unit == UnitKind::each ? tr("Quantity must be a whole number from 1.") : tr("Weight must be above 0 kg."));
      return;
    }
    line.quantity = c.quantity;
    s.cart.highlight = c.line;
    recompute(s);
  } else if constexpr (std::is_same_v<C, SelectLine>) {
    s.cart.selected = valid_line(s, c.line) && c.line != s.cart.selected ? c.line : -1;
  } else if constexpr (std::is_same_v<C, SetLineDiscount>) {
    if (!valid_line(s, c.line) || s.busy) return;
    if (c.discount && !may(s, "discount")) {
      say(s, MessageKind::error, tr("You may not give discounts."));
      return;
    }
    request_discount(s, ApprovalRequest{ApprovalFor::line_discount, c.line, c.discount, "", "", ""});
  } else if constexpr (std::is_same_v<C, SetCartDiscount>) {
    if (s.cart.lines.empty() || s.busy) return;
    if (c.discount && !may(s, "discount")) {
      say(s, MessageKind::error, tr("You may not give discounts."));
      return;
    }
    request_discount(s, ApprovalRequest{ApprovalFor::cart_discount, -1, c.discount, "", "", ""});
  } else if constexpr (std::is_same_v<C, SubmitApproval>) {
    if (!s.approval || s.busy) return;
    s.busy = true;
    s.message.reset();
  } else if constexpr (std::is_same_v<C, CancelApproval>) {
    if (s.busy) return;
    s.approval.reset();
  } else if constexpr (std::is_same_v<C, ApprovalFinished>) {
    s.busy = false;
    if (!s.approval) return;
    if (!c.approver) {
      say(s, MessageKind::error, c.error);
      return;
    }
    const ApprovalRequest r = *s.approval;
    if (r.what == ApprovalFor::refund) {
      if (!approver_may(*c.approver, "refund")) {
        say(s, MessageKind::error, trf("{manager} may not approve refunds.", {{"manager", c.approver->display_name}}));
        return;
      }
      s.approval.reset();
      if (!s.refund) return;
      s.refund->approver = *c.approver;
      s.busy = true;
      accept_effect(s, EffectKind::refund, s.refund->op_id);
      s.refund->op_id = s.effect.op_id;
      return;
    }
    if (r.what == ApprovalFor::void_parked) {
      if (!approver_may(*c.approver, "void_sale")) {
        say(s, MessageKind::error, trf("{manager} may not void sales.", {{"manager", c.approver->display_name}}));
        return;
      }
      s.approval.reset();
      s.voiding = PendingVoid{r.parked_id, r.void_reason, *c.approver};
      s.busy = true;
      accept_effect(s, EffectKind::void_sale);
      return;
    }
    if (r.what == ApprovalFor::line_discount && !valid_line(s, r.line)) {
      s.approval.reset();
      return;
    }
    Result<Sale> sale = with_discount(s, r);
    const DiscountLimit limit{limit_bp(c.approver->max_discount_percent),
                              limit_bp(c.approver->max_discount_percent)};
    if (!sale || !check_discount_limits(sale.value(), limit)) {
      say(s, MessageKind::error,
          trf("That discount is beyond {manager}'s limit too ({limit}).",
              {{"manager", c.approver->display_name}, {"limit", percent_text(limit.max_line_bp)}}));
      return;
    }
    s.approval.reset();
    s.cart.approver = *c.approver;
    apply_discount(s, r);
    say(s, MessageKind::info, trf("Discount approved by {manager}.", {{"manager", c.approver->display_name}}));
  } else if constexpr (std::is_same_v<C, Search>) {
    s.browse.text = c.text;
    s.browse.category_id = c.category_id;
    ++s.browse.generation;
  } else if constexpr (std::is_same_v<C, MoreProducts>) {
    // The controller fetches the next page.
  } else if constexpr (std::is_same_v<C, SearchResults>) {
    if (c.text != s.browse.text || c.category_id != s.browse.category_id) return;  // stale
    if (c.append)
      s.browse.products.insert(s.browse.products.end(), c.products.begin(), c.products.end());
    else
      s.browse.products = c.products;
    s.browse.more = c.more;
    s.browse.error = c.error;
  } else if constexpr (std::is_same_v<C, CategoriesChanged>) {
    s.browse.categories = c.categories;
  } else if constexpr (std::is_same_v<C, ParkSale>) {
    if (s.busy || s.screen != Screen::Till) return;
    if (s.cart.lines.empty()) {
      say(s, MessageKind::error, tr("Nothing to park: the cart is empty."));
      return;
    }
    if (s.parked.size() >= kMaxParked) {
      say(s, MessageKind::error, tr("Too many parked sales: resume or void one first."));
      return;
    }
    park(s);
    s.completed.reset();
    say(s, MessageKind::info, tr("Sale parked. F9 or Parked sales brings it back."));
  } else if constexpr (std::is_same_v<C, OpenParked>) {
    if (!s.busy && s.user) s.screen = Screen::Parked;
  } else if constexpr (std::is_same_v<C, ResumeParked>) {
    if (s.busy) return;
    auto it = find_parked(s, c.sale_id);
    if (it == s.parked.end()) return;
    ParkedSale p = std::move(*it);
    s.parked.erase(it);
    // The cart in progress takes the resumed one's place in the list.
    if (!s.cart.lines.empty()) park(s);
    s.cart = CartState{};
    s.cart.sale_id = p.sale_id;
    s.cart.lines = std::move(p.lines);
    s.cart.discounts = std::move(p.discounts);
    s.cart.approver = std::move(p.approver);
    s.pay = PaymentState{};
    s.completed.reset();
    recompute(s);
    s.screen = Screen::Till;
    say(s, MessageKind::info, tr("Parked sale resumed."));
  } else if constexpr (std::is_same_v<C, VoidParked>) {
    if (s.busy) return;
    auto it = find_parked(s, c.sale_id);
    if (it == s.parked.end()) return;
    if (c.reason.empty()) {
      say(s, MessageKind::error, tr("Say why the sale is voided."));
      return;
    }
    if (may(s, "void_sale")) {
      s.voiding = PendingVoid{c.sale_id, c.reason, std::nullopt};
      s.busy = true;
      accept_effect(s, EffectKind::void_sale);
      return;
    }
    s.approval = ApprovalRequest{ApprovalFor::void_parked, -1, std::nullopt, c.sale_id,
                                 tr("Voiding a parked sale needs a manager's PIN."), c.reason};
  } else if constexpr (std::is_same_v<C, ParkedVoided>) {
    s.busy = false;
    s.voiding.reset();
    if (!c.error.empty()) {
      say(s, MessageKind::error, c.error);
      return;
    }
    if (auto it = find_parked(s, c.sale_id); it != s.parked.end()) s.parked.erase(it);
    say(s, MessageKind::info, tr("Parked sale voided."));
  } else if constexpr (std::is_same_v<C, DraftsRestored>) {
    if (s.drafts_restored) return;
    s.drafts_restored = true;
    if (s.cart.lines.empty()) {
      s.cart = c.cart;
      s.cart.highlight = -1;
      s.cart.selected = -1;
    }
    for (const ParkedSale& p : c.parked)
      if (find_parked(s, p.sale_id) == s.parked.end() && s.parked.size() < kMaxParked) s.parked.push_back(p);
    recompute(s);
  } else if constexpr (std::is_same_v<C, ProductNotFound>) {
    say(s, MessageKind::error,
        c.error.empty() ? trf("Unknown barcode {code}: nothing added.", {{"code", c.code}}) : c.error);
  } else if constexpr (std::is_same_v<C, ChangeQuantity>) {
    if (!valid_line(s, c.line)) return;
    CartLine& line = s.cart.lines[static_cast<std::size_t>(c.line)];
    if (line.unit != UnitKind::each) return;  // a weighing is changed on the keypad
    line.quantity.thousandths += c.delta_units * kQuantityScale;
    if (line.quantity.thousandths <= 0)
      s.cart.lines.erase(s.cart.lines.begin() + c.line);
    s.cart.highlight = -1;
    recompute(s);
  } else if constexpr (std::is_same_v<C, RemoveLine>) {
    if (!valid_line(s, c.line)) return;
    s.cart.lines.erase(s.cart.lines.begin() + c.line);
    s.cart.highlight = -1;
    recompute(s);
  } else {
    static_assert(sizeof(C) == 0, "reduce_selling() does not handle this command");
  }
}

}  // namespace

void accept_effect(AppState& s, EffectKind kind, std::string op_id) {
  if (op_id.empty()) {
    op_id = std::move(s.next_op_id);
    s.next_op_id.clear();
  }
  ++s.effect.serial;
  s.effect.kind = kind;
  s.effect.op_id = std::move(op_id);
}

bool reduce_selling(AppState& state, const Command& command) {
  return reduce_listed<SellingCommands>(state, command, [](AppState& s, const auto& c) { apply(s, c); });
}

}  // namespace salespider::state
