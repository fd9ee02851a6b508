// The first-run setup in the reducer: when the wizard opens (an owner,
// online, on the till screen), which step follows which, one save at a
// time, a tax rate checked before it is sent, the wizard closed once the
// server took setup_completed. The controller (effects/setup.cpp) asks the
// server and writes. Deliberately not here: HTTP, drawing.
#include "state/setup.hpp"

#include "state/app_state.hpp"
#include "state/reducers.hpp"

#include <salespider/shared/i18n.hpp>

#include <type_traits>
#include <utility>

namespace salespider::state {

using i18n::N_;
using i18n::tr;

namespace {

bool owner_online(const AppState& s) {
  return s.user && !s.user->offline && (s.user->role == "owner" || s.user->role == "super_admin") &&
         s.sync.online;
}

void start_saving(SetupWizard& w) {
  w.saving = true;
  w.error.clear();
  w.error_field.clear();
  w.done.clear();
}

template <class C>
void apply(AppState& s, const C& c) {
  SetupWizard& w = s.setup;
  if constexpr (std::is_same_v<C, SetupNeeded>) {
    w.checked = true;
    // Only over the till screen with nothing going on: never in the middle of a sale.
    if (!c.settings || !s.user || s.user->offline || !(s.user->role == "owner" || s.user->role == "super_admin")) return;
    if (s.screen != Screen::Till || s.busy || !s.cart.lines.empty()) return;
    if (c.settings->setup_completed || c.settings->currency_locked) return;
    w = SetupWizard{};
    w.checked = true;
    w.active = true;
    w.settings = *c.settings;
    w.setup_url = c.setup_url;
    ++w.generation;
    s.screen = Screen::Setup;
  } else if constexpr (std::is_same_v<C, SetupGoTo>) {
    if (!w.active || w.saving) return;
    w.step = c.step;
    w.error.clear();
    w.error_field.clear();
  } else if constexpr (std::is_same_v<C, SaveSetup> || std::is_same_v<C, RenameThisTill>) {
    if (!w.active || w.saving || s.screen != Screen::Setup) return;
    if (!owner_online(s)) {
      w.error = tr("Needs the store server — you are offline.");
      return;
    }
    if constexpr (std::is_same_v<C, RenameThisTill>) {
      if (c.name.empty()) {
        w.error = tr("Type the till's new name.");
        w.error_field = "till_name";
        return;
      }
    }
    start_saving(w);
  } else if constexpr (std::is_same_v<C, SetupTaxRate>) {
    if (!w.active || w.saving || s.screen != Screen::Setup) return;
    if (c.code.empty()) {
      w.error = tr("Type the tax rate's code, e.g. VAT.");
      w.error_field = "code";
      return;
    }
    if (!parse_percent_ppm(c.rate)) {
      w.error = tr("The rate is a percentage, e.g. 7.5.");
      w.error_field = "rate";
      return;
    }
    if (!owner_online(s)) {
      w.error = tr("Needs the store server — you are offline.");
      return;
    }
    start_saving(w);
  } else if constexpr (std::is_same_v<C, SetupSaved>) {
    if (!w.active) return;
    w.saving = false;
    if (!c.error.empty()) {
      w.error = c.error;
      w.error_field = c.field;
      if (c.settings) {  // a stale save: the form shows the settings as they are now
        w.settings = *c.settings;
        ++w.generation;
      }
      return;
    }
    if (c.settings) {
      w.settings = *c.settings;
      ++w.generation;
    }
    w.done = c.done;
    if (c.complete) {
      w.active = false;
      if (s.screen == Screen::Setup) s.screen = home_screen(s);
      say(s, MessageKind::info, tr("Setup finished. Everything can be changed later in the back office."));
      return;
    }
    w.step = c.next;
  } else if constexpr (std::is_same_v<C, TillRenamed>) {
    w.saving = false;
    if (!c.error.empty()) {
      w.error = c.error;
      w.error_field = "till_name";
      return;
    }
    s.till.name = c.name;
    w.done = i18n::trf("This till is now called {name}.", {{"name", c.name}});
  } else if constexpr (std::is_same_v<C, SetupOpenProducts>) {
    if (!w.active || w.saving || s.screen != Screen::Setup) return;
    // The back office's own screens open from the hub's place (the
    // controller follows with OpenProducts / OpenCsv); their Back returns here.
    s.screen = Screen::BackOffice;
  }
}

}  // namespace

const char* setup_step_title(SetupStep step) {
  switch (step) {
    case SetupStep::store:
      return N_("Store");
    case SetupStep::money:
      return N_("Money");
    case SetupStep::time:
      return N_("Time");
    case SetupStep::tax:
      return N_("Tax");
    case SetupStep::tenders:
      return N_("Payment methods");
    case SetupStep::products:
      return N_("Products");
    case SetupStep::till:
      return N_("This till");
  }
  return N_("Store");
}

const std::vector<std::string>& setup_tender_kinds() {
  static const std::vector<std::string> kinds = {"cash",         "card",    "bank_transfer",
                                                 "mobile_money", "voucher", "other"};
  return kinds;
}

bool reduce_setup(AppState& state, const Command& command) {
  return reduce_listed<SetupCommands>(state, command, [](AppState& s, const auto& c) { apply(s, c); });
}

}  // namespace salespider::state
