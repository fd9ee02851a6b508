// Report effects: the Dashboard's and Reorder's calls to the store server
// (GET /api/v1/reports/dashboard, /reorder), answered with DashboardLoaded /
// ReorderLoaded. Today's date comes from the clock in the store's time zone
// here; the period's dates from it in state::period_range (pure, tested).
//
// Acts only on what the reducer accepted (loading set). Deliberately not
// here: the rules (state/reports.cpp), parsing (answers/reports_answers.cpp).
#pragma once

#include "effects/context.hpp"
#include "state/app_state.hpp"

namespace salespider::effects {

class ReportsEffects {
 public:
  explicit ReportsEffects(Context& ctx) : ctx_(ctx) {}
  ReportsEffects(const ReportsEffects&) = delete;
  ReportsEffects& operator=(const ReportsEffects&) = delete;

  // `s` is the state right after the command was reduced.
  void handle(const state::Command& command, const state::AppState& s);

 private:
  void load_dashboard(const state::AppState& s);
  void load_reorder(const state::AppState& s);

  Context& ctx_;
};

}  // namespace salespider::effects
