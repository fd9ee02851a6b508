// The reducer: every change to AppState goes through reduce(). No I/O, no ImGui.
#include "state/app_state.hpp"

#include <type_traits>
#include <utility>

namespace salespider::state {

std::string_view screen_name(Screen screen) {
  switch (screen) {
    case Screen::Welcome:
      return "welcome";
    case Screen::Till:
      return "till";
  }
  return "unknown";
}

AppState reduce(AppState state, const Command& command) {
  std::visit(
      [&state](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, OpenTill>) {
          // A second tap that lands while the till is already open must
          // not count twice.
          if (state.screen != Screen::Till) {
            state.screen = Screen::Till;
            ++state.tills_opened;
          }
        } else if constexpr (std::is_same_v<C, Back>) {
          state.screen = Screen::Welcome;
        } else if constexpr (std::is_same_v<C, FirstFrameRendered>) {
          state.ready = true;
        } else if constexpr (std::is_same_v<C, StartupFailed>) {
          state.startup_error = c.reason;
        } else if constexpr (std::is_same_v<C, StorageChanged>) {
          state.storage = c.status;
        } else {
          static_assert(sizeof(C) == 0, "reduce() does not handle this command");
        }
      },
      command);
  return state;
}

}  // namespace salespider::state
