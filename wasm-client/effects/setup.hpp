// First-run setup effects: after an owner's online sign-in, GET
// /api/v1/settings says whether the wizard opens (SetupNeeded); each step's
// save is a PATCH /api/v1/settings with the row_version last read, the tax
// step first creates the rate (POST /api/v1/tax-rates), the till step
// renames this till (PATCH /api/v1/tills/{id}); answered with SetupSaved /
// TillRenamed. Nothing is asked for managers, cashiers or offline
// sign-ins.
//
// Acts only on what the reducer accepted (setup.saving set). Deliberately
// not here: the steps' order and checks (state/setup.cpp), drawing.
#pragma once

#include "effects/context.hpp"
#include "state/app_state.hpp"

#include <string>

namespace salespider::effects {

class SetupEffects {
 public:
  explicit SetupEffects(Context& ctx) : ctx_(ctx) {}
  SetupEffects(const SetupEffects&) = delete;
  SetupEffects& operator=(const SetupEffects&) = delete;

  void handle(const state::Command& command, const state::AppState& s);

 private:
  void check_needed();
  void save(const state::SetupPatch& patch, std::int64_t row_version, state::SetupStep next, std::string done);
  void create_tax_rate(const state::SetupTaxRate& c, std::int64_t row_version);
  void rename_till(const std::string& name);

  Context& ctx_;
};

}  // namespace salespider::effects
