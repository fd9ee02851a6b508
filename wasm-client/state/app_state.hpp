// The till's application state and the only function that changes it.
//
// Pure values: ui/ reads an AppState and emits Commands; the app applies them
// with reduce() after the frame. Nothing here knows ImGui, the browser, the
// clock or storage, so it can be unit-tested natively. Deliberately not here
// yet: cart, catalog, session, sync status (they arrive with their issues).
#pragma once

#include <cstdint>
#include <optional>
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

// What the local store reports about itself (till_storage.cpp fills it in).
struct StorageStatus {
  bool opened = false;     // the store has opened (false: still loading, or failed)
  bool available = false;  // IndexedDB is usable in this browser / profile
  // Another tab owns the till (or there is no IndexedDB): this tab records
  // nothing; the UI says so.
  bool read_only = false;
  std::string db;                 // restored | created | recovered | too_new
  std::optional<bool> persisted;  // navigator.storage.persist()'s answer, once known
  double usage = -1.0;            // bytes, navigator.storage.estimate(); -1 unknown
  double quota = -1.0;
  int pending_ops = 0;            // recorded, not yet acknowledged by the server
  int needs_attention = 0;        // rejected by the server, waiting for a manager
  std::int64_t last_receipt = 0;  // highest receipt sequence handed out; 0 none
  double open_ms = 0.0;           // opening the store: image check, migrations, replay
  std::string error;              // the last storage failure, empty when none
};

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
  StorageStatus storage;
};

// Commands: what happened, not how to change the state.
struct OpenTill {};
struct Back {};
struct FirstFrameRendered {};
struct StartupFailed {
  std::string reason;
};
struct StorageChanged {
  StorageStatus status;
};

using Command = std::variant<OpenTill, Back, FirstFrameRendered, StartupFailed, StorageChanged>;

AppState reduce(AppState state, const Command& command);

}  // namespace salespider::state
