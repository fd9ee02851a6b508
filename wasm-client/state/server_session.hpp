// Whether this session can work with the store server now: the server is
// reachable and the signed-in user's session is the server's (an offline
// sign-in has none: that user signs in again online). The back office's
// server-side screens (staff, tills, reports, audit, alerts) ask this.
#pragma once

#include "state/app_state.hpp"

namespace salespider::state {

inline bool server_session(const AppState& s) {
  return s.sync.online && s.user && !s.user->offline;
}

}  // namespace salespider::state
