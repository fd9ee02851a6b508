// The reducer: every change to AppState goes through reduce(). No I/O, no ImGui.
#include "state/app_state.hpp"

#include <salespider/shared/money_format.hpp>
#include <salespider/shared/payment.hpp>

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>

namespace salespider::state {

namespace {

void say(AppState& s, MessageKind kind, std::string text) {
  s.message = Message{kind, std::move(text)};
}

constexpr std::size_t kMaxParked = 50;

template <class C, class... Ts>
constexpr bool kOneOf = (std::is_same_v<C, Ts> || ...);
// The commands day_state.cpp reduces.
template <class C>
constexpr bool kDayCommand =
    kOneOf<C, OpenShiftScreen, ShiftChanged, SetShiftRequired, SubmitOpenShift, SubmitCashMovement,
           RequestShiftReport, SubmitCloseShift, ShiftOpFinished, ShiftReportReady, PrintShiftReport, OpenHistory,
           MoreHistory, HistoryLoaded, OpenSale, SaleLoaded, ReprintSale, StartRefund, SetRefundQuantity,
           SetRefundTenders, SubmitRefund, RefundRecorded, OpenAttention, AttentionLoaded>;

std::string money_text(const AppState& s, std::int64_t minor) {
  Result<Currency> c = find_currency(s.store.currency);
  if (!c) return std::to_string(minor);
  return format_money(Money{minor, c.value()}, MoneyFormat{});
}

// settle() of the payments so far against the cart's total.
void resettle(AppState& s) {
  s.pay.settlement.reset();
  s.pay.error.clear();
  if (!s.cart.sale) return;
  Result<Settlement> r = settle(s.cart.sale->totals.total, s.pay.payments, tender_settings(s.store));
  if (r)
    s.pay.settlement = r.value();
  else
    s.pay.error = r.error().context;
}

void recompute(AppState& s) {
  s.cart.sale.reset();
  s.cart.error.clear();
  if (s.cart.lines.empty()) {
    s.cart.discounts.clear();
    s.cart.approver.reset();
    s.cart.selected = -1;
  } else {
    Result<Sale> sale = compute_sale(cart_of(s));
    if (sale)
      s.cart.sale = std::move(sale).value();
    else
      s.cart.error = sale.error().context;
  }
  if (s.cart.selected >= static_cast<int>(s.cart.lines.size())) s.cart.selected = -1;
  resettle(s);
}

std::string percent_text(std::int64_t bp) {
  std::string t = std::to_string(bp / 100);
  if (bp % 100 != 0) t += "." + std::to_string((bp % 100) / 10) + (bp % 10 ? std::to_string(bp % 10) : "");
  return t + "%";
}

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
    say(s, MessageKind::error, "That discount does not fit: " + sale.error().context);
    return;
  }
  if (check_discount_limits(sale.value(), discount_limit(s))) {
    apply_discount(s, r);
    return;
  }
  const std::string what = r.what == ApprovalFor::cart_discount
                               ? std::string("the whole sale")
                               : s.cart.lines[static_cast<std::size_t>(r.line)].name;
  const std::int64_t limit = discount_limit(s).max_line_bp;
  r.reason = "A discount of " + discount_text(s, *r.discount) + " on " + what + " is beyond your limit of " +
             percent_text(limit) + ". A manager's PIN approves it.";
  s.approval = std::move(r);
}

std::int64_t limit_bp(std::int64_t percent) {
  return std::clamp<std::int64_t>(percent, 0, 100) * 100;
}

bool approver_may(const Approver& a, std::string_view permission) {
  return std::find(a.permissions.begin(), a.permissions.end(), permission) != a.permissions.end();
}

void park(AppState& s) {
  ParkedSale p;
  p.sale_id = s.cart.sale_id;
  p.lines = std::move(s.cart.lines);
  p.discounts = std::move(s.cart.discounts);
  p.approver = std::move(s.cart.approver);
  p.parked_at_ms = s.sync.now_ms;
  p.cashier = s.user ? s.user->display_name : std::string();
  p.total = s.cart.sale ? s.cart.sale->totals.total : 0;
  s.parked.push_back(std::move(p));
  s.cart = CartState{};
  s.pay = PaymentState{};
  recompute(s);
}

// A till that sells only within a shift refuses payment without one.
bool needs_shift(AppState& s) {
  if (!s.shift_required || s.shift) return false;
  say(s, MessageKind::error, "No shift is open on this till: open one (Shift) before taking payment.");
  return true;
}

std::vector<ParkedSale>::iterator find_parked(AppState& s, const std::string& id) {
  return std::find_if(s.parked.begin(), s.parked.end(), [&](const ParkedSale& p) { return p.sale_id == id; });
}

std::string pending_refusal(int pending, const char* what) {
  return std::string(what) + " is not possible while " + std::to_string(pending) +
         (pending == 1 ? " sale or change is" : " sales or changes are") +
         " not yet on the store server. Connect to the server and let the till sync first.";
}

void add_product(AppState& s, const ProductSnapshot& p) {
  if (!p.currency.empty() && p.currency != s.store.currency) {
    say(s, MessageKind::error, p.name + " is priced in " + p.currency + ", the store sells in " + s.store.currency);
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

}  // namespace

std::string_view screen_name(Screen screen) {
  switch (screen) {
    case Screen::Welcome:
      return "welcome";
    case Screen::Enrol:
      return "enrol";
    case Screen::Login:
      return "login";
    case Screen::Till:
      return "till";
    case Screen::Pay:
      return "pay";
    case Screen::Parked:
      return "parked";
    case Screen::Shift:
      return "shift";
    case Screen::History:
      return "history";
    case Screen::Refund:
      return "refund";
    case Screen::Attention:
      return "attention";
    case Screen::Device:
      return "device";
  }
  return "unknown";
}

Screen home_screen(const AppState& state) {
  if (!state.till.enrolled) return Screen::Enrol;
  if (!state.user) return Screen::Login;
  return Screen::Till;
}

Cart cart_of(const AppState& state) {
  Cart cart;
  if (Result<Currency> c = find_currency(state.store.currency)) cart.currency = c.value();
  cart.price_mode = state.store.price_mode;
  cart.lines = state.cart.lines;
  cart.discounts = state.cart.discounts;
  return cart;
}

TenderSettings tender_settings(const StoreInfo& store) {
  TenderSettings t;
  t.enabled = store.tenders;
  t.cash_rounding_step = store.cash_rounding_minor;
  return t;
}

std::int64_t cash_due(const AppState& state) {
  if (!state.cart.sale) return 0;
  return cash_needed(state.cart.sale->totals.total, state.pay.payments, tender_settings(state.store));
}

std::int64_t remaining_due(const AppState& state) {
  if (!state.cart.sale) return 0;
  if (state.pay.settlement) return state.pay.settlement->remaining;
  return state.cart.sale->totals.total;
}

DiscountLimit discount_limit(const AppState& state) {
  std::int64_t percent = state.user ? state.user->max_discount_percent : 0;
  if (state.cart.approver) percent = std::max(percent, state.cart.approver->max_discount_percent);
  return DiscountLimit{limit_bp(percent), limit_bp(percent)};
}

bool is_manager_role(std::string_view role) {
  return role == "manager" || role == "owner" || role == "super_admin";
}

bool may(const AppState& state, std::string_view permission) {
  if (state.user && std::find(state.user->permissions.begin(), state.user->permissions.end(), permission) !=
                        state.user->permissions.end())
    return true;
  return false;
}

AppState reduce(AppState state, const Command& command) {
  if (reduce_day(state, command)) return state;
  std::visit(
      [&state](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        AppState& s = state;
        if constexpr (std::is_same_v<C, OpenTill>) {
          // A second tap that lands while the till is already open must
          // not count twice.
          if (s.screen == Screen::Welcome) {
            s.screen = home_screen(s);
            ++s.tills_opened;
          }
        } else if constexpr (std::is_same_v<C, Back>) {
          if (s.busy) return;
          switch (s.screen) {
            case Screen::Pay:
            case Screen::Parked:
            case Screen::Shift:
            case Screen::History:
            case Screen::Attention:
              s.screen = home_screen(s);
              break;
            case Screen::Refund:
              s.screen = Screen::History;
              s.refund.reset();
              break;
            case Screen::Device:
              s.screen = home_screen(s);
              break;
            default:
              s.screen = Screen::Welcome;
              break;
          }
        } else if constexpr (std::is_same_v<C, FirstFrameRendered>) {
          s.ready = true;
        } else if constexpr (std::is_same_v<C, StartupFailed>) {
          s.startup_error = c.reason;
        } else if constexpr (std::is_same_v<C, StorageChanged>) {
          s.storage = c.status;
        } else if constexpr (std::is_same_v<C, DismissMessage>) {
          s.message.reset();
        } else if constexpr (std::is_same_v<C, SubmitEnrol> || std::is_same_v<C, SubmitLogin> ||
                             std::is_same_v<C, SubmitPin>) {
          if (s.storage.read_only) {
            say(s, MessageKind::error, "This tab is read-only: the till is open in another tab.");
            return;
          }
          s.busy = true;
          s.message.reset();
        } else if constexpr (std::is_same_v<C, EnrolFinished>) {
          s.busy = false;
          if (c.till) {
            s.till = *c.till;
            s.screen = home_screen(s);
            say(s, MessageKind::info, "This browser is now till " + c.till->code + ".");
          } else {
            say(s, MessageKind::error, c.error);
          }
        } else if constexpr (std::is_same_v<C, TillChanged>) {
          s.till = c.till;
          if (s.screen == Screen::Enrol || s.screen == Screen::Login) s.screen = home_screen(s);
        } else if constexpr (std::is_same_v<C, LoginFinished>) {
          s.busy = false;
          if (c.user) {
            s.user = *c.user;
            s.message.reset();
            if (s.screen != Screen::Welcome) s.screen = Screen::Till;
          } else {
            say(s, MessageKind::error, c.error);
          }
        } else if constexpr (std::is_same_v<C, KnownUsersChanged>) {
          s.known_users = c.users;
        } else if constexpr (std::is_same_v<C, SignOut>) {
          if (s.storage.pending_ops > 0) {
            say(s, MessageKind::error, pending_refusal(s.storage.pending_ops, "Signing out"));
            return;
          }
          // A cart in progress is parked, not lost: the next person resumes it.
          if (!s.cart.lines.empty() && s.parked.size() < kMaxParked) park(s);
          s.user.reset();
          s.cart = CartState{};
          s.pay = PaymentState{};
          s.approval.reset();
          s.completed.reset();
          s.screen = home_screen(s);
        } else if constexpr (std::is_same_v<C, SwitchCashier>) {
          s.approval.reset();
          // The cart stays with the till; the next person continues it.
          s.user.reset();
          s.completed.reset();
          s.screen = home_screen(s);
        } else if constexpr (std::is_same_v<C, ResetLocalData>) {
          if (s.storage.pending_ops > 0) {
            say(s, MessageKind::error, pending_refusal(s.storage.pending_ops, "Resetting local data"));
            return;
          }
          s.busy = true;
        } else if constexpr (std::is_same_v<C, ResetRefused>) {
          s.busy = false;
          say(s, MessageKind::error, c.reason);
        } else if constexpr (std::is_same_v<C, OpenDevice>) {
          if (!s.busy) s.screen = Screen::Device;
        } else if constexpr (std::is_same_v<C, SyncNow> || std::is_same_v<C, ExportPendingOps>) {
          // The controller acts; nothing changes here.
        } else if constexpr (std::is_same_v<C, SyncChanged>) {
          s.sync = c.sync;
        } else if constexpr (std::is_same_v<C, StoreChanged>) {
          s.store = c.store;
          recompute(s);
        } else if constexpr (std::is_same_v<C, ScanCode>) {
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
        } else if constexpr (std::is_same_v<C, SetQuantity>) {
          if (!valid_line(s, c.line)) return;
          CartLine& line = s.cart.lines[static_cast<std::size_t>(c.line)];
          if (Status ok = validate_quantity(c.quantity, line.unit); !ok) {
            say(s, MessageKind::error,
                line.unit == UnitKind::each ? "Quantity must be a whole number from 1." : "Weight must be above 0 kg.");
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
            say(s, MessageKind::error, "You may not give discounts.");
            return;
          }
          request_discount(s, ApprovalRequest{ApprovalFor::line_discount, c.line, c.discount, "", "", ""});
        } else if constexpr (std::is_same_v<C, SetCartDiscount>) {
          if (s.cart.lines.empty() || s.busy) return;
          if (c.discount && !may(s, "discount")) {
            say(s, MessageKind::error, "You may not give discounts.");
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
              say(s, MessageKind::error, c.approver->display_name + " may not approve refunds.");
              return;
            }
            s.approval.reset();
            if (!s.refund) return;
            s.refund->approver = *c.approver;
            s.busy = true;
            return;
          }
          if (r.what == ApprovalFor::void_parked) {
            if (!approver_may(*c.approver, "void_sale")) {
              say(s, MessageKind::error, c.approver->display_name + " may not void sales.");
              return;
            }
            s.approval.reset();
            s.voiding = PendingVoid{r.parked_id, r.void_reason, *c.approver};
            s.busy = true;
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
                "That discount is beyond " + c.approver->display_name + "'s limit too (" +
                    percent_text(limit.max_line_bp) + ").");
            return;
          }
          s.approval.reset();
          s.cart.approver = *c.approver;
          apply_discount(s, r);
          say(s, MessageKind::info, "Discount approved by " + c.approver->display_name + ".");
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
            say(s, MessageKind::error, "Nothing to park: the cart is empty.");
            return;
          }
          if (s.parked.size() >= kMaxParked) {
            say(s, MessageKind::error, "Too many parked sales: resume or void one first.");
            return;
          }
          park(s);
          s.completed.reset();
          say(s, MessageKind::info, "Sale parked. F9 or Parked sales brings it back.");
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
          say(s, MessageKind::info, "Parked sale resumed.");
        } else if constexpr (std::is_same_v<C, VoidParked>) {
          if (s.busy) return;
          auto it = find_parked(s, c.sale_id);
          if (it == s.parked.end()) return;
          if (c.reason.empty()) {
            say(s, MessageKind::error, "Say why the sale is voided.");
            return;
          }
          if (may(s, "void_sale")) {
            s.voiding = PendingVoid{c.sale_id, c.reason, std::nullopt};
            s.busy = true;
            return;
          }
          s.approval = ApprovalRequest{ApprovalFor::void_parked, -1, std::nullopt, c.sale_id,
                                       "Voiding a parked sale needs a manager's PIN.", c.reason};
        } else if constexpr (std::is_same_v<C, ParkedVoided>) {
          s.busy = false;
          s.voiding.reset();
          if (!c.error.empty()) {
            say(s, MessageKind::error, c.error);
            return;
          }
          if (auto it = find_parked(s, c.sale_id); it != s.parked.end()) s.parked.erase(it);
          say(s, MessageKind::info, "Parked sale voided.");
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
        } else if constexpr (std::is_same_v<C, AddPayment>) {
          if (!s.cart.sale || s.busy || s.screen != Screen::Pay) return;
          std::vector<Payment> payments = s.pay.payments;
          payments.push_back(c.payment);
          Result<Settlement> r = settle(s.cart.sale->totals.total, payments, tender_settings(s.store));
          if (!r) {
            s.pay.error = r.error().code == Errc::overpaid_non_cash
                              ? "Only cash gives change: " + std::string(to_string(c.payment.kind)) +
                                    " can pay at most " + money_text(s, remaining_due(s)) + "."
                              : r.error().context;
            return;
          }
          s.pay.payments = std::move(payments);
          s.pay.settlement = r.value();
          s.pay.error.clear();
          if (r.value().complete) {
            s.busy = true;
            s.message.reset();
          }
        } else if constexpr (std::is_same_v<C, RemovePayment>) {
          if (s.busy || c.index < 0 || static_cast<std::size_t>(c.index) >= s.pay.payments.size()) return;
          s.pay.payments.erase(s.pay.payments.begin() + c.index);
          resettle(s);
        } else if constexpr (std::is_same_v<C, PrintReceipt>) {
          if (s.completed) ++s.completed->prints;
        } else if constexpr (std::is_same_v<C, SetReceiptPaper>) {
          s.receipt_58mm = c.narrow;
        } else if constexpr (std::is_same_v<C, ProductNotFound>) {
          say(s, MessageKind::error,
              c.error.empty() ? "Unknown barcode " + c.code + ": nothing added." : c.error);
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
            say(s, MessageKind::error, "The cash handed over (" + money_text(s, c.tendered) + ") is less than " +
                                           money_text(s, due) + ".");
            return;
          }
          std::vector<Payment> payments = s.pay.payments;
          if (due > 0 || c.tendered > 0) payments.push_back(Payment{TenderKind::cash, c.tendered, ""});
          Result<Settlement> r = settle(s.cart.sale->totals.total, payments, tender_settings(s.store));
          if (!r || !r.value().complete) {
            say(s, MessageKind::error, r ? "The payments do not cover the total." : r.error().context);
            return;
          }
          s.pay.payments = std::move(payments);
          s.pay.settlement = r.value();
          s.busy = true;
          s.message.reset();
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
        } else if constexpr (kDayCommand<C>) {
          // reduce_day() took it before this visit.
        } else {
          static_assert(sizeof(C) == 0, "reduce() does not handle this command");
        }
      },
      command);
  return state;
}

}  // namespace salespider::state
