// See customer_display.hpp.
#include "effects/customer_display.hpp"

#include "automation/json_writer.hpp"

#include <salespider/shared/i18n.hpp>
#include <salespider/shared/money_format.hpp>
#include <salespider/shared/quantity.hpp>

namespace salespider::effects {

namespace {

std::string money(const state::AppState& s, std::int64_t minor) {
  Result<Currency> c = find_currency(s.store.currency);
  if (!c) return std::to_string(minor);
  return format_money(Money{minor, c.value()}, i18n::money_format(s.language));
}

const char* state_name(const state::AppState& s) {
  if (s.completed) return "complete";
  if (s.screen == state::Screen::Pay && s.cart.sale) return "pay";
  if (!s.cart.lines.empty()) return "cart";
  return "idle";
}

}  // namespace

std::string customer_display_json(const state::AppState& s) {
  automation::JsonWriter j;
  j.begin_object();
  j.key("state").value(state_name(s));
  j.key("store").value(s.store.name);
  j.key("lang").value(s.language);
  j.key("labels").begin_object();
  j.key("total").value(i18n::tr("Total"));
  j.key("paid").value(i18n::tr("Paid"));
  j.key("due").value(i18n::tr("To pay"));
  j.key("change").value(i18n::tr("Change"));
  j.key("welcome").value(i18n::tr("Welcome"));
  j.key("thanks").value(i18n::tr("Thank you!"));
  j.end_object();
  j.key("lines").begin_array();
  static const std::vector<SaleLine> kNoLines;
  const std::vector<SaleLine>& lines =
      s.completed ? s.completed->sale.lines : s.cart.sale ? s.cart.sale->lines : kNoLines;
  for (const SaleLine& l : lines) {
    j.begin_object();
    j.key("name").value(l.item.name);
    j.key("qty").value(format_quantity(l.item.quantity));
    j.key("total").value(money(s, l.total));
    j.end_object();
  }
  j.end_array();
  if (s.completed) {
    const state::Completed& c = *s.completed;
    j.key("total").value(money(s, c.total));
    j.key("paid").value(money(s, c.settlement.cash_tendered + c.settlement.non_cash));
    j.key("due").value("");
    j.key("change").value(c.change > 0 ? money(s, c.change) : std::string());
    j.key("receipt").value(c.receipt_number);
  } else {
    const std::int64_t total = s.cart.sale ? s.cart.sale->totals.total : 0;
    j.key("total").value(s.cart.sale ? money(s, total) : std::string());
    const std::optional<Settlement>& st = s.pay.settlement;
    const bool paying = st && !s.pay.payments.empty();
    j.key("paid").value(paying ? money(s, st->cash_tendered + st->non_cash) : std::string());
    j.key("due").value(paying && st->remaining > 0 ? money(s, st->remaining) : std::string());
    j.key("change").value(paying && st->change > 0 ? money(s, st->change) : std::string());
    j.key("receipt").value("");
  }
  j.end_object();
  return j.str();
}

}  // namespace salespider::effects
