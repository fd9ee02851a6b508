// The reducer: every change to AppState goes through reduce(), which hands
// each command to the reducer of its part of the till (reducers.hpp says
// which), and the helpers the reducers and ui/ share. No I/O, no ImGui.
#include "state/app_state.hpp"

#include "state/language.hpp"
#include "state/reducers.hpp"

#include <salespider/shared/i18n.hpp>
#include <salespider/shared/money_format.hpp>
#include <salespider/shared/payment.hpp>

#include <algorithm>
#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace salespider::state {

namespace {

// Every command belongs to exactly one reducer's list.
template <class C>
constexpr int kReducersOf = int{kIn<C, SessionCommands>} + int{kIn<C, SellingCommands>} +
                            int{kIn<C, PaymentCommands>} + int{kIn<C, DayCommands>} +
                            int{kIn<C, BackOfficeCommands>} + int{kIn<C, StockCommands>} +
                            int{kIn<C, SettingsCommands>} +
                            int{kIn<C, StaffCommands>} + int{kIn<C, TillsCommands>} +
                            int{kIn<C, AuditCommands>} + int{kIn<C, SetupCommands>} +
                            int{kIn<C, LanguageCommands>} + int{kIn<C, ServerAlertsCommands>} +
                            int{kIn<C, ShiftsArchiveCommands>} +
                            int{kIn<C, ReportsCommands>} + int{kIn<C, PrinterCommands>};
template <class... Cs>
constexpr bool each_reduced_once(std::variant<Cs...>*) {
  return ((kReducersOf<Cs> == 1) && ...);
}
static_assert(each_reduced_once(static_cast<Command*>(nullptr)),
              "a command is in no reducer's list, or in more than one (reducers.hpp)");

}  // namespace

void say(AppState& s, MessageKind kind, std::string text) {
  s.message = Message{kind, std::move(text)};
}

std::string money_text(const AppState& s, std::int64_t minor) {
  Result<Currency> c = find_currency(s.store.currency);
  if (!c) return std::to_string(minor);
  return format_money(Money{minor, c.value()}, i18n::money_format(s.language));
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

std::int64_t limit_bp(std::int64_t percent) {
  return std::clamp<std::int64_t>(percent, 0, 100) * 100;
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
    case Screen::Printer:
      return "printer";
    case Screen::Stock:
      return "stock";
    case Screen::StockCount:
      return "stock_count";
    case Screen::StockLists:
      return "stock_lists";
    case Screen::Csv:
      return "csv";
    case Screen::Settings:
      return "settings";
    case Screen::Staff:
      return "staff";
    case Screen::Tills:
      return "tills";
    case Screen::BackOffice:
      return "back_office";
    case Screen::Products:
      return "products";
    case Screen::ProductEditor:
      return "product_editor";
    case Screen::Categories:
      return "categories";
    case Screen::TaxRates:
      return "tax_rates";
    case Screen::Audit:
      return "audit";
    case Screen::Setup:
      return "setup";
    case Screen::ServerAlerts:
      return "server_alerts";
    case Screen::ShiftsArchive:
      return "shifts_archive";
    case Screen::Dashboard:
      return "dashboard";
    case Screen::Reorder:
      return "reorder";
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
  [[maybe_unused]] const bool reduced = reduce_day(state, command) || reduce_session(state, command) ||
                                        reduce_selling(state, command) || reduce_payment(state, command) ||
                                        reduce_back_office(state, command) || reduce_stock(state, command) ||
                                        reduce_settings(state, command) ||
                                        reduce_people(state, command) ||
                                        reduce_audit(state, command) || reduce_setup(state, command) ||
                                        reduce_language(state, command) || reduce_server_alerts(state, command) ||
                                        reduce_shifts_archive(state, command) ||
                                        reduce_reports(state, command) || reduce_printer(state, command);
  assert(reduced);
  // Signing in or out, a store setting or a pick may change it.
  state.language = active_language_of(state);
  return state;
}

}  // namespace salespider::state
