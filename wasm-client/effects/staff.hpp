// The Staff screen's effects: the staff API calls (docs/api.md "Staff") with
// the signed-in person's session, answered with StaffLoaded,
// StaffSessionsLoaded and StaffActionDone (state/staff.hpp). After a change
// the list (and the open person's sessions) are read again.
//
// Acts only on what the reducer accepted (the screen open, staff.writing
// set). Deliberately not here: the rank rules (state/staff.cpp), parsing
// (answers/people_answers.*).
#pragma once

#include "effects/context.hpp"
#include "state/app_state.hpp"

#include <string>

namespace salespider::effects {

class StaffEffects {
 public:
  explicit StaffEffects(Context& ctx) : ctx_(ctx) {}
  StaffEffects(const StaffEffects&) = delete;
  StaffEffects& operator=(const StaffEffects&) = delete;

  // `s` is the state right after the command was reduced.
  void handle(const state::Command& command, const state::AppState& s);

 private:
  void load_people();
  void load_sessions(const std::string& user_id);
  void send(const state::StaffAction& action);

  Context& ctx_;
};

}  // namespace salespider::effects
