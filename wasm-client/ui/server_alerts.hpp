// The store server's alerts for managers and owners (server_alerts.cpp):
// the one-line banner on the back office hub, and the list screen. Cashiers
// never see either (state::alerts_visible). Like every screen they read the
// AppState and emit Commands; the controller talks to the server.
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

// On the hub, under its title: nothing when there is nothing to say.
void server_alerts_banner(const state::AppState& s, std::vector<state::Command>& emitted);
void server_alerts(const state::AppState& s, std::vector<state::Command>& emitted);

}  // namespace salespider::ui
