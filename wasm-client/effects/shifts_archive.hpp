// The shifts archive's API calls: the closed shifts of a period (pages),
// over/short by cashier for the same period, the tills for the filter, one
// shift's report (the server's, never recomputed here) and its reprint
// through the till's Z report printing (effects/printing.hpp).
// Deliberately not here: the rules (state/shifts_archive.cpp), parsing
// (answers/shifts_answers.cpp).
#pragma once

#include "effects/context.hpp"
#include "state/app_state.hpp"

#include <string>

namespace salespider::effects {

class ShiftsArchiveEffects {
 public:
  explicit ShiftsArchiveEffects(Context& ctx) : ctx_(ctx) {}
  ShiftsArchiveEffects(const ShiftsArchiveEffects&) = delete;
  ShiftsArchiveEffects& operator=(const ShiftsArchiveEffects&) = delete;

  void handle(const state::Command& command, const state::AppState& s);

 private:
  void load(const state::AppState& s, bool more);
  void load_over_short(const state::AppState& s);
  void load_report(const state::AppState& s, const std::string& shift_id);
  void print(const state::AppState& s);

  Context& ctx_;
};

}  // namespace salespider::effects
