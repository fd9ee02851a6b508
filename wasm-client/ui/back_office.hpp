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

}  // namespace salespider::ui
