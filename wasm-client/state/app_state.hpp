// The till's application state and the only function that changes it.
//
// Pure values: ui/ reads an AppState and emits Commands; the app applies them
// with reduce() after the frame. Nothing here knows ImGui, the browser, the
// clock or storage, so it can be unit-tested natively. Deliberately not here
// yet: cart, catalog, session, sync status (they arrive with their issues).
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace salespider::state {

enum class Screen {
    Welcome,
    Till,
};

// The name the automation bridge reports in state().screen.
std::string_view screen_name(Screen screen);

struct AppState {
    // True once the first frame has reached the canvas: before that, tests
    // and the loading text must not assume anything is clickable.
    bool ready = false;
    Screen screen = Screen::Welcome;
    // How often the till was opened in this page's lifetime; lets tests see
    // that one tap produced exactly one command.
    int tills_opened = 0;
    // Why the till cannot run (e.g. no WebGL2); empty when all is well.
    std::string startup_error;
};

// Commands: what happened, not how to change the state.
struct OpenTill {};
struct Back {};
struct FirstFrameRendered {};
struct StartupFailed {
    std::string reason;
};

using Command = std::variant<OpenTill, Back, FirstFrameRendered, StartupFailed>;

AppState reduce(AppState state, const Command& command);

} // namespace salespider::state
