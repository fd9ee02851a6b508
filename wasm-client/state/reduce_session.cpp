// The session part of the reducer: opening the till, enrolment and sign-in,
// signing out, switching cashier, resetting local data, the device screen,
// and what the controller reports about storage, sync and the store.
// Deliberately not here: checking a password or PIN and the enrolment
// itself (the controller and auth/ answer with EnrolFinished and
// LoginFinished), and anything about the cart beyond parking it on sign-out.
#include "state/reducers.hpp"

#include <string>
#include <type_traits>

namespace salespider::state {

namespace {

// `what` is one of the two refusals' own sentences (a plural form each).
std::string pending_refusal(int pending, bool signing_out) {
  const std::string n = std::to_string(pending);
  return signing_out
             ? i18n::format(i18n::trn("Signing out is not possible while {n} sale or change is not yet on the store "
                                      "server. Connect to the server and let the till sync first.",
                                      "Signing out is not possible while {n} sales or changes are not yet on the store "
                                      "server. Connect to the server and let the till sync first.",
                                      pending),
                            {{"n", n}})
             : i18n::format(i18n::trn("Resetting local data is not possible while {n} sale or change is not yet on the "
                                      "store server. Connect to the server and let the till sync first.",
                                      "Resetting local data is not possible while {n} sales or changes are not yet on "
                                      "the store server. Connect to the server and let the till sync first.",
                                      pending),
                            {{"n", n}});
}

template <class C>
void apply(AppState& s, const C& c) {
  if constexpr (std::is_same_v<C, OpenTill>) {
    // A second tap that lands while the till is already open must
    // not count twice.
    if (s.screen == Screen::Welcome) {
      s.screen = home_screen(s);
      ++s.tills_opened;
    }
  } else if constexpr (std::is_same_v<C, Back>) {
    if (s.busy) return;
    if (oversight_back(s) || server_alerts_back(s) || shifts_archive_back(s) || reports_back(s) || back_office_back(s))
      return;
    switch (s.screen) {
      case Screen::Pay:
      case Screen::Parked:
      case Screen::Shift:
      case Screen::History:
        s.screen = home_screen(s);
        break;
      case Screen::Attention:
        s.screen = s.attention_from_hub ? back_office_screen(s) : home_screen(s);
        break;
      case Screen::Refund:
        s.screen = Screen::History;
        s.refund.reset();
        break;
      case Screen::Device:
        s.screen = home_screen(s);
        break;
      case Screen::Printer:
        s.screen = Screen::Device;
        break;
      case Screen::Stock:
      case Screen::StockCount:
      case Screen::StockLists:
      case Screen::Csv:
      case Screen::Settings:
        s.screen = back_office_screen(s);
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
    // Said once, when the store opened on a fresh image: the till sells on,
    // the cashier (and whoever reads the screen) knows why the catalog is
    // loading again.
    const bool recovered_now = c.status.db == "recovered" && s.storage.db != "recovered";
    s.storage = c.status;
    if (recovered_now)
      say(s, MessageKind::info,
          c.status.db_damage.empty()
              ? std::string(i18n::tr("This till's saved database could not be used, so a fresh one was started: it is "
                                     "refilled from the sales recorded on this till and from the server. Nothing "
                                     "recorded here was lost; selling goes on."))
              : i18n::trf("This till's saved database could not be used ({reason}), so a fresh one was started: it "
                          "is refilled from the sales recorded on this till and from the server. Nothing recorded "
                          "here was lost; selling goes on.",
                          {{"reason", c.status.db_damage}}));
  } else if constexpr (std::is_same_v<C, DismissMessage>) {
    s.message.reset();
  } else if constexpr (std::is_same_v<C, SubmitEnrol> || std::is_same_v<C, SubmitLogin> ||
                       std::is_same_v<C, SubmitPin>) {
    if (s.storage.read_only) {
      say(s, MessageKind::error, i18n::tr("This tab is read-only: the till is open in another tab."));
      return;
    }
    s.busy = true;
    s.message.reset();
  } else if constexpr (std::is_same_v<C, EnrolFinished>) {
    s.busy = false;
    if (c.till) {
      s.till = *c.till;
      s.screen = home_screen(s);
      say(s, MessageKind::info, i18n::trf("This browser is now till {code}.", {{"code", c.till->code}}));
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
      say(s, MessageKind::error, pending_refusal(s.storage.pending_ops, true));
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
      say(s, MessageKind::error, pending_refusal(s.storage.pending_ops, false));
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
  } else {
    static_assert(sizeof(C) == 0, "reduce_session() does not handle this command");
  }
}

}  // namespace

bool reduce_session(AppState& state, const Command& command) {
  return reduce_listed<SessionCommands>(state, command, [](AppState& s, const auto& c) { apply(s, c); });
}

}  // namespace salespider::state
