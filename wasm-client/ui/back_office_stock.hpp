// The Back office's stock screens (back_office_stock.cpp): stock operations,
// the stock count, the server's stock lists, CSV import and export.
#pragma once

#include "state/app_state.hpp"

#include <vector>

namespace salespider::ui {

void stock(const state::AppState& s, std::vector<state::Command>& emitted);
void stock_count(const state::AppState& s, std::vector<state::Command>& emitted);
void stock_lists(const state::AppState& s, std::vector<state::Command>& emitted);
void csv(const state::AppState& s, std::vector<state::Command>& emitted);

}  // namespace salespider::ui
