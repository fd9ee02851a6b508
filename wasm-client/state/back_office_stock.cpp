// The back office's stock and CSV screens in the reducer. A placeholder:
// the hub's Stock, Stock count, Stock lists and CSV buttons emit these
// commands, and until those screens exist the hub says so. Deliberately
// nothing else: the screens themselves come with their own state.
#include "state/app_state.hpp"
#include "state/reducers.hpp"

namespace salespider::state {

bool reduce_stock(AppState& state, const Command& command) {
  return reduce_listed<StockCommands>(state, command, [](AppState& s, const auto&) {
    if (s.screen != Screen::BackOffice) return;
    say(s, MessageKind::info, "This screen is not in this version of the till yet.");
  });
}

}  // namespace salespider::state
