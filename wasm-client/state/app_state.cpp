// The reducer: every change to AppState goes through reduce(). No I/O, no ImGui.
#include "state/app_state.hpp"

#include <salespider/shared/payment.hpp>

#include <string>
#include <type_traits>
#include <utility>

namespace salespider::state {

namespace {

void say(AppState& s, MessageKind kind, std::string text) {
  s.message = Message{kind, std::move(text)};
}

void recompute(AppState& s) {
  s.cart.sale.reset();
  s.cart.error.clear();
  if (s.cart.lines.empty()) return;
  Result<Sale> sale = compute_sale(cart_of(s));
  if (sale)
    s.cart.sale = std::move(sale).value();
  else
    s.cart.error = sale.error().context;
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
  return cart;
}

std::int64_t cash_due(const AppState& state) {
  if (!state.cart.sale) return 0;
  TenderSettings tenders;
  tenders.cash_rounding_step = state.store.cash_rounding_minor;
  return cash_needed(state.cart.sale->totals.total, {}, tenders);
}

AppState reduce(AppState state, const Command& command) {
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
              s.screen = Screen::Till;
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
          s.user.reset();
          s.cart = CartState{};
          s.completed.reset();
          s.screen = home_screen(s);
        } else if constexpr (std::is_same_v<C, SwitchCashier>) {
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
        } else if constexpr (std::is_same_v<C, ProductFound>) {
          s.completed.reset();
          add_product(s, c.product);
          recompute(s);
        } else if constexpr (std::is_same_v<C, ProductNotFound>) {
          say(s, MessageKind::error,
              c.error.empty() ? "Unknown barcode " + c.code + ": nothing added." : c.error);
        } else if constexpr (std::is_same_v<C, ChangeQuantity>) {
          if (!valid_line(s, c.line)) return;
          CartLine& line = s.cart.lines[static_cast<std::size_t>(c.line)];
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
          if (s.cart.sale && !s.busy) s.screen = Screen::Pay;
        } else if constexpr (std::is_same_v<C, CompleteSale>) {
          if (!s.cart.sale || s.busy) return;
          if (c.tendered < cash_due(s)) {
            say(s, MessageKind::error, "The cash handed over is less than the total.");
            return;
          }
          s.busy = true;
          s.message.reset();
        } else if constexpr (std::is_same_v<C, SaleRecorded>) {
          s.busy = false;
          s.completed = c.completed;
          s.last_receipt_number = c.completed.receipt_number;
          s.cart = CartState{};
          s.screen = Screen::Till;
        } else if constexpr (std::is_same_v<C, SaleFailed>) {
          s.busy = false;
          say(s, MessageKind::error, c.error);
        } else if constexpr (std::is_same_v<C, NewSale>) {
          s.completed.reset();
          s.message.reset();
          if (s.screen == Screen::Pay) s.screen = Screen::Till;
        } else {
          static_assert(sizeof(C) == 0, "reduce() does not handle this command");
        }
      },
      command);
  return state;
}

}  // namespace salespider::state
