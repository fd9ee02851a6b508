// The Tills screen's effects: GET /api/v1/tills joined with
// GET /api/v1/sync/health, rename, retire, and POST
// /api/v1/tills/enrol-codes (docs/api.md "Tills"), with the signed-in
// person's session; answered with TillsLoaded and TillActionDone
// (state/tills.hpp). Also enrolling this browser with a code (the Enrol
// screen's "Enrol with a code"), which needs no session.
//
// Acts only on what the reducer accepted. Deliberately not here: the rules
// (state/tills.cpp), parsing (answers/people_answers.*), storing the
// identity after a code enrolment (effects/session.cpp does, as for every
// enrolment).
#pragma once

#include "effects/context.hpp"
#include "state/app_state.hpp"

namespace salespider::effects {

class TillsEffects {
 public:
  explicit TillsEffects(Context& ctx) : ctx_(ctx) {}
  TillsEffects(const TillsEffects&) = delete;
  TillsEffects& operator=(const TillsEffects&) = delete;

  // `s` is the state right after the command was reduced.
  void handle(const state::Command& command, const state::AppState& s);

 private:
  void load();
  void send(const state::TillAction& action);

  Context& ctx_;
};

}  // namespace salespider::effects
