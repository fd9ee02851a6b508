// The back office's hub and catalog screens: products (list and editor),
// categories, tax rates. Like every screen they read the AppState and emit
// Commands; the controller talks to the server. See back_office.cpp.
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

void back_office(const state::AppState& s, std::vector<state::Command>& emitted);
void products(const state::AppState& s, std::vector<state::Command>& emitted);
void product_editor(const state::AppState& s, std::vector<state::Command>& emitted);
void categories(const state::AppState& s, std::vector<state::Command>& emitted);
void tax_rates(const state::AppState& s, std::vector<state::Command>& emitted);

// For the other back-office screens (staff, tills, reports, audit): the
// title with its Back button, and the one line that says why a screen that
// needs the store server cannot use it now (no server, or an offline
// sign-in: state/server_session.hpp); true when it said so.
void back_office_title(const char* text, const state::AppState& s, std::vector<state::Command>& emitted);
bool needs_server_notice(const state::AppState& s);

}  // namespace salespider::ui
