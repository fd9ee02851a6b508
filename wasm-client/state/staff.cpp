// The Staff screen in the reducer: opening it, the list and its search, the
// person open, and which changes the signed-in person may ask for (the rank
// rules of staff.hpp). The controller (effects/staff.cpp) sends what was
// accepted here.
#include "state/staff.hpp"

#include "state/app_state.hpp"
#include "state/reducers.hpp"
#include "state/server_session.hpp"

#include <salespider/shared/i18n.hpp>

#include <algorithm>
#include <cctype>
#include <type_traits>

namespace salespider::state {

namespace {

using i18n::tr;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const StaffMember* find_member(const StaffState& staff, const std::string& id) {
  for (const StaffMember& m : staff.people)
    if (m.id == id) return &m;
  return nullptr;
}

const char* done_text(StaffActionKind kind) {
  switch (kind) {
    case StaffActionKind::create:
      return tr("Person added.");
    case StaffActionKind::edit:
      return tr("Changes saved.");
    case StaffActionKind::set_role:
      return tr("Role changed. Their offline sign-ins on tills end.");
    case StaffActionKind::reset_password:
      return tr("Password reset. Their sessions ended.");
    case StaffActionKind::set_pin:
      return tr("PIN set.");
    case StaffActionKind::remove_pin:
      return tr("PIN removed.");
    case StaffActionKind::disable:
      return tr("Disabled. Their sessions ended at once.");
    case StaffActionKind::enable:
      return tr("Enabled.");
    case StaffActionKind::unlock:
      return tr("Unlocked.");
    case StaffActionKind::revoke_session:
      return tr("Session ended.");
  }
  return "";
}

template <class C>
void apply(AppState& s, const C& c) {
  StaffState& st = s.staff;
  if constexpr (std::is_same_v<C, OpenStaff>) {
    if (s.busy) return;
    if (!may(s, "manage_staff")) {
      say(s, MessageKind::error, tr("Staff is for people who manage staff."));
      return;
    }
    s.screen = Screen::Staff;
    s.message.reset();
    st.loading = true;
    st.error.clear();
    st.open_id.clear();
    st.adding = false;
    st.sessions.clear();
    st.write_error.clear();
    st.write_field.clear();
  } else if constexpr (std::is_same_v<C, StaffLoaded>) {
    if (s.screen != Screen::Staff) return;
    st.loading = false;
    st.error = c.error;
    if (!c.error.empty()) return;
    st.people = c.people;
    if (!st.open_id.empty() && !find_member(st, st.open_id)) st.open_id.clear();
  } else if constexpr (std::is_same_v<C, SearchStaff>) {
    st.search = c.text;
  } else if constexpr (std::is_same_v<C, OpenStaffMember>) {
    if (s.screen != Screen::Staff || st.writing) return;
    if (!c.id.empty() && !find_member(st, c.id)) return;
    st.open_id = c.id;
    st.adding = c.id.empty();
    st.sessions.clear();
    st.sessions_error.clear();
    st.write_error.clear();
    st.write_field.clear();
    ++st.generation;
  } else if constexpr (std::is_same_v<C, StaffSessionsLoaded>) {
    if (c.user_id != st.open_id) return;
    st.sessions = c.sessions;
    st.sessions_error = c.error;
  } else if constexpr (std::is_same_v<C, StaffAction>) {
    if (s.screen != Screen::Staff || st.writing || !server_session(s)) return;
    st.write_error.clear();
    st.write_field.clear();
    if (c.kind == StaffActionKind::create) {
      const auto roles = assignable_roles(s);
      if (std::find(roles.begin(), roles.end(), c.role) == roles.end()) {
        st.write_error = tr("You may not give that role.");
        st.write_field = "role";
        return;
      }
    } else {
      const StaffMember* m = find_member(st, c.user_id);
      if (!m) return;
      const std::string why = staff_refusal(s, *m);
      // Ending one's own session is always allowed.
      const bool own = s.user && s.user->id == m->id && c.kind == StaffActionKind::revoke_session;
      if (!why.empty() && !own) {
        st.write_error = why;
        return;
      }
      if (c.kind == StaffActionKind::set_role) {
        const auto roles = assignable_roles(s);
        if (std::find(roles.begin(), roles.end(), c.role) == roles.end()) {
          st.write_error = tr("You may not give that role.");
          st.write_field = "role";
          return;
        }
      }
    }
    st.writing = true;
  } else if constexpr (std::is_same_v<C, StaffActionDone>) {
    st.writing = false;
    st.write_error = c.error;
    st.write_field = c.field;
    if (!c.error.empty()) return;
    say(s, MessageKind::info, done_text(c.kind));
    st.loading = true;  // the controller reloads the list
    if (c.kind == StaffActionKind::create && !c.created_id.empty()) {
      st.adding = false;
      st.open_id = c.created_id;
      ++st.generation;
    }
  }
}

}  // namespace

std::string_view staff_status(const StaffMember& m) {
  if (m.status != "active") return "disabled";
  if (!m.locked_until.empty()) return "locked";
  return "active";
}

int role_rank(std::string_view role) {
  if (role == "cashier") return 0;
  if (role == "manager") return 1;
  if (role == "super_admin" || role == "owner") return 2;
  return -1;
}

std::vector<std::string> assignable_roles(const AppState& s) {
  std::vector<std::string> out;
  if (!s.user) return out;
  const int mine = role_rank(s.user->role);
  for (const char* role : {"cashier", "manager", "super_admin"})
    if (mine == 2 || role_rank(role) < mine) out.emplace_back(role);
  return out;
}

std::string staff_refusal(const AppState& s, const StaffMember& m) {
  if (!s.user) return tr("Sign in first.");
  const int mine = role_rank(s.user->role);
  if (mine == 2) return "";
  if (role_rank(m.role) < mine) return "";
  if (role_rank(m.role) == 2) return tr("Only the owner can change the owner's account.");
  if (s.user->id == m.id) return tr("Only the owner can change your account.");
  return tr("Only the owner can change a manager's account.");
}

std::vector<const StaffMember*> staff_matching(const StaffState& staff) {
  const std::string q = lower(staff.search);
  std::vector<const StaffMember*> out;
  for (const StaffMember& m : staff.people) {
    if (q.empty() || lower(m.display_name).find(q) != std::string::npos ||
        lower(m.username).find(q) != std::string::npos || lower(m.email).find(q) != std::string::npos)
      out.push_back(&m);
  }
  return out;
}

const StaffMember* open_member(const StaffState& staff) {
  return staff.open_id.empty() ? nullptr : find_member(staff, staff.open_id);
}

bool reduce_people(AppState& state, const Command& command) {
  if (reduce_listed<StaffCommands>(state, command, [](AppState& s, const auto& c) { apply(s, c); })) return true;
  return reduce_tills(state, command);
}

}  // namespace salespider::state
