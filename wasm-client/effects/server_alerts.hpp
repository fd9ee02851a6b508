// Fetching the store server's alerts for a manager or an owner signed in
// online: at sign-in (a new session token), every 5 minutes while online,
// and when the list screen opens or asks again. Offline nothing is fetched:
// the state keeps the last list and when it was fetched.
// Deliberately not here: the rules (state/server_alerts.cpp), parsing
// (answers/server_alerts_answers.cpp).
#pragma once

#include "effects/context.hpp"
#include "state/app_state.hpp"

#include <string>

namespace salespider::effects {

class ServerAlertsEffects {
 public:
  explicit ServerAlertsEffects(Context& ctx) : ctx_(ctx) {}
  ServerAlertsEffects(const ServerAlertsEffects&) = delete;
  ServerAlertsEffects& operator=(const ServerAlertsEffects&) = delete;

  void handle(const state::Command& command, const state::AppState& s);
  // Once per frame: fetch at sign-in and every 5 minutes.
  void tick(const state::AppState& s);

 private:
  void fetch();

  Context& ctx_;
  bool fetching_ = false;
  std::string fetched_for_;      // the session token of the last fetch
  double last_fetch_ms_ = 0.0;   // monotonic
};

}  // namespace salespider::effects
