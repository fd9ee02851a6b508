// The back office's Staff screen in the till's state: the store's people as
// GET /api/v1/users gives them, the person open with their sessions, and the
// rank rules the screen follows before the server does (docs/security.md
// "Who may do what"): a role acts only on people ranked below it and gives
// only roles below it; the owner acts on anyone. The server enforces the
// same; when it refuses anyway (the list was stale), its words are shown.
//
// Online only. Deliberately not here: drawing (ui/staff.cpp), HTTP
// (effects/staff.cpp), parsing (answers/people_answers.*).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace salespider::state {

struct AppState;

struct StaffMember {
  std::string id;
  std::string email;  // "" when none
  std::string username;
  std::string display_name;
  std::string role;    // super_admin | manager | cashier
  std::string status;  // active | disabled
  bool has_pin = false;
  std::string locked_until;  // "" when not locked (the server gives it only while it holds)
};
// "active", "disabled" or "locked" (a disabled person is "disabled" first).
std::string_view staff_status(const StaffMember& m);

struct StaffSession {
  std::string id;
  std::string till_id;  // "" when not on a till
  std::string created_at;
  std::string last_seen_at;
  std::string client_ip;
  bool active = false;
};

struct StaffState {
  std::vector<StaffMember> people;
  bool loading = false;
  std::string error;     // why the list could not be read
  std::string search;    // the list's filter, as typed
  std::string open_id;   // the person open; "" none
  bool adding = false;   // the "Add a person" form is open
  int generation = 0;    // bumps when another person opens: the form refills
  std::vector<StaffSession> sessions;
  std::string sessions_error;
  bool writing = false;  // a change is on its way
  std::string write_error;  // the server's (or the rules') words for the last refusal
  std::string write_field;  // the field it names, "" for the top of the form
};

// Ranks: cashier 0, manager 1, owner (super_admin) 2; -1 unknown.
int role_rank(std::string_view role);
// The roles the signed-in person may give, lowest first.
std::vector<std::string> assignable_roles(const AppState& s);
// Why the signed-in person may not change this person ("" when they may).
std::string staff_refusal(const AppState& s, const StaffMember& m);
// The people whose name, login or e-mail contain the search (any case).
std::vector<const StaffMember*> staff_matching(const StaffState& staff);
const StaffMember* open_member(const StaffState& staff);

// --- commands (in the Command variant of app_state.hpp) ---------------------
struct OpenStaff {};
struct StaffLoaded {
  std::vector<StaffMember> people;
  std::string error;
};
struct SearchStaff {
  std::string text;
};
// Opens a person (id) or the form for a new one (id "").
struct OpenStaffMember {
  std::string id;
};
struct StaffSessionsLoaded {
  std::string user_id;
  std::vector<StaffSession> sessions;
  std::string error;
};
enum class StaffActionKind {
  create,
  edit,
  set_role,
  reset_password,
  set_pin,
  remove_pin,
  disable,
  enable,
  unlock,
  revoke_session
};
struct StaffAction {
  StaffActionKind kind = StaffActionKind::edit;
  std::string user_id;  // "" for create
  std::string username;
  std::string display_name;
  std::string email;
  std::string role;
  std::string password;
  std::string pin;
  std::string session_id;  // revoke_session
};
struct StaffActionDone {
  StaffActionKind kind = StaffActionKind::edit;
  std::string error;  // "" = done
  std::string field;
  std::string created_id;  // create: the new person's id
};

}  // namespace salespider::state
