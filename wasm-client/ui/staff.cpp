// The Staff screen (docs/back-office.md "Staff"): the store's people with
// their login, role and status, a search, and the person open: edit, role,
// password, PIN, disable / enable (confirmed), unlock, sessions. A change the
// signed-in person may not make on that person (a manager on the owner) is
// shown disabled with the reason (state/staff.cpp decides); a refusal from
// the server is shown in its words next to the field it names, or at the top.
//
// Ids: "Staff##screen"; fields keep their label after "##" ("##staff-username");
// rows are "<name>##staff-<id>". Text being typed is UI-local until a button
// turns it into a command.
#include "ui/staff.hpp"

#include "state/server_session.hpp"
#include "ui/back_office.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <salespider/shared/i18n.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

namespace salespider::ui {

namespace {

using i18n::tr;
using i18n::trf;

const char* role_label(const std::string& role) {
  if (role == "cashier") return tr("Cashier");
  if (role == "manager") return tr("Manager");
  if (role == "super_admin" || role == "owner") return tr("Owner");
  return role.c_str();
}

const char* status_label(std::string_view status) {
  if (status == "disabled") return tr("Disabled");
  if (status == "locked") return tr("Locked");
  return tr("Active");
}

// A translated label with a fixed id: the id stays the same in every language.
std::string labelled(const char* text, const char* id) {
  return std::string(text) + "###" + id;
}

void copy(char* buffer, std::size_t size, const std::string& text) {
  std::snprintf(buffer, size, "%s", text.c_str());
}

struct PersonForm {
  int generation = -1;
  char search[128] = "";
  char username[65] = "";
  char display_name[201] = "";
  char email[255] = "";
  std::string role;
  char password[256] = "";
  char pin[16] = "";
  // A confirmation in progress: "disable" / "enable" for the open person.
  std::string confirming;
};
PersonForm g_form;

// The refusal in words under the field it names.
void field_error(const state::StaffState& st, const char* name) {
  if (st.write_field != name || st.write_error.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, kError);
  ImGui::TextWrapped("%s", st.write_error.c_str());
  ImGui::PopStyleColor();
}

bool is_form_field(const std::string& f) {
  return f == "username" || f == "display_name" || f == "email" || f == "role" || f == "password" || f == "pin";
}

void top_error(const state::StaffState& st) {
  if (st.write_error.empty() || is_form_field(st.write_field)) return;
  ImGui::PushStyleColor(ImGuiCol_Text, kError);
  ImGui::TextWrapped("%s", st.write_error.c_str());
  ImGui::PopStyleColor();
}

void role_picker(const state::AppState& s, bool enabled) {
  const auto roles = state::assignable_roles(s);
  // A role this person may not give is shown as it is (the picker is then
  // disabled), never replaced by one they may give.
  if (enabled && (g_form.role.empty() || std::find(roles.begin(), roles.end(), g_form.role) == roles.end()))
    g_form.role = roles.empty() ? std::string() : roles.front();
  ImGui::TextUnformatted(tr("Role"));
  ImGui::SetNextItemWidth(field_width());
  ImGui::BeginDisabled(!enabled);
  if (ImGui::BeginCombo("##staff-role", g_form.role.empty() ? "" : role_label(g_form.role))) {
    for (const std::string& r : roles)
      if (ImGui::Selectable((std::string(role_label(r)) + "##role-" + r).c_str(), g_form.role == r)) g_form.role = r;
    ImGui::EndCombo();
  }
  ImGui::EndDisabled();
}

void people_list(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::StaffState& st = s.staff;
  ImGui::TextUnformatted(tr("Search name, login or e-mail"));
  ImGui::SetNextItemWidth(std::min(420.0f, ImGui::GetContentRegionAvail().x));
  if (ImGui::InputText("##staff-search", g_form.search, sizeof g_form.search))
    emitted.emplace_back(state::SearchStaff{g_form.search});
  const bool can_add = state::server_session(s) && !st.writing && !state::assignable_roles(s).empty();
  if (button(labelled(tr("Add a person"), "staff-add").c_str(), 220.0f, can_add)) {
    emitted.emplace_back(state::OpenStaffMember{""});
    g_form.confirming.clear();
  }
  if (st.loading && st.people.empty()) ImGui::TextColored(kMuted, "%s", tr("Loading…"));
  if (!st.error.empty()) ImGui::TextColored(kError, "%s", st.error.c_str());
  if (ImGui::BeginTable("##staff", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn(tr("Name"), 0, 2.0f);
    ImGui::TableSetupColumn(tr("Login"), 0, 1.5f);
    ImGui::TableSetupColumn(tr("Role"), 0, 1.0f);
    ImGui::TableSetupColumn(tr("Status"), 0, 1.0f);
    ImGui::TableHeadersRow();
    for (const state::StaffMember* m : state::staff_matching(st)) {
      ImGui::TableNextRow(0, kMinTouchPx);
      ImGui::TableNextColumn();
      const std::string label = (m->display_name.empty() ? m->username : m->display_name) + "##staff-" + m->id;
      if (ImGui::Selectable(label.c_str(), st.open_id == m->id, ImGuiSelectableFlags_SpanAllColumns,
                            ImVec2(0.0f, kMinTouchPx))) {
        emitted.emplace_back(state::OpenStaffMember{m->id});
        g_form.confirming.clear();
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(m->username.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(role_label(m->role));
      ImGui::TableNextColumn();
      const std::string_view status = state::staff_status(*m);
      ImGui::TextColored(status == "active" ? ImGui::GetStyleColorVec4(ImGuiCol_Text) : kError, "%s",
                         status_label(status));
    }
    ImGui::EndTable();
  }
}

void new_person(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::StaffState& st = s.staff;
  if (g_form.generation != st.generation) {
    g_form.generation = st.generation;
    g_form.username[0] = g_form.display_name[0] = g_form.email[0] = g_form.password[0] = g_form.pin[0] = 0;
    g_form.role.clear();
  }
  title(tr("Add a person"));
  top_error(st);
  const bool can = state::server_session(s) && !st.writing;
  field(tr("Username"), "##staff-username", g_form.username, sizeof g_form.username);
  field_error(st, "username");
  field(tr("Display name"), "##staff-display-name", g_form.display_name, sizeof g_form.display_name);
  field_error(st, "display_name");
  field(tr("E-mail (optional)"), "##staff-email", g_form.email, sizeof g_form.email);
  field_error(st, "email");
  role_picker(s, can);
  field_error(st, "role");
  field(tr("Password"), "##staff-password", g_form.password, sizeof g_form.password, ImGuiInputTextFlags_Password);
  field_error(st, "password");
  field(tr("PIN (optional)"), "##staff-pin", g_form.pin, sizeof g_form.pin, ImGuiInputTextFlags_Password);
  field_error(st, "pin");
  const bool ready = can && g_form.username[0] != 0 && g_form.password[0] != 0;
  if (primary_button(labelled(tr("Add person"), "staff-create").c_str(), ImVec2(field_width(), kPrimaryButtonPx), ready)) {
    state::StaffAction a;
    a.kind = state::StaffActionKind::create;
    a.username = g_form.username;
    a.display_name = g_form.display_name[0] != 0 ? g_form.display_name : g_form.username;
    a.email = g_form.email;
    a.role = g_form.role;
    a.password = g_form.password;
    a.pin = g_form.pin;
    emitted.emplace_back(std::move(a));
    wipe(g_form.password, sizeof g_form.password);
    wipe(g_form.pin, sizeof g_form.pin);
  }
}

state::StaffAction action(state::StaffActionKind kind, const state::StaffMember& m) {
  state::StaffAction a;
  a.kind = kind;
  a.user_id = m.id;
  return a;
}

void confirm_status(const state::StaffMember& m, bool can, std::vector<state::Command>& emitted) {
  const bool active = m.status == "active";
  if (g_form.confirming.empty()) {
    if (button(active ? labelled(tr("Disable"), "staff-disable").c_str() : labelled(tr("Enable"), "staff-enable").c_str(), 200.0f, can))
      g_form.confirming = active ? "disable" : "enable";
    return;
  }
  const std::string name = m.display_name.empty() ? m.username : m.display_name;
  ImGui::TextWrapped("%s", g_form.confirming == "disable"
                               ? trf("Disable {name}? Their sessions and offline sign-ins end at once.",
                                     {{"name", name}})
                                     .c_str()
                               : trf("Enable {name}? They can sign in again.", {{"name", name}}).c_str());
  if (button(g_form.confirming == "disable" ? labelled(tr("Yes, disable"), "staff-confirm").c_str() : labelled(tr("Yes, enable"), "staff-confirm").c_str(),
             200.0f, can)) {
    emitted.emplace_back(action(
        g_form.confirming == "disable" ? state::StaffActionKind::disable : state::StaffActionKind::enable, m));
    g_form.confirming.clear();
  }
  ImGui::SameLine();
  if (button(labelled(tr("Cancel"), "staff-confirm-cancel").c_str(), 160.0f)) g_form.confirming.clear();
}

void sessions_of(const state::AppState& s, const state::StaffMember& m, bool can,
                 std::vector<state::Command>& emitted) {
  const state::StaffState& st = s.staff;
  ImGui::Separator();
  ImGui::TextUnformatted(tr("Sessions"));
  if (!st.sessions_error.empty()) ImGui::TextColored(kError, "%s", st.sessions_error.c_str());
  int shown = 0;
  for (const state::StaffSession& x : st.sessions) {
    if (!x.active) continue;
    ++shown;
    const std::string where = x.till_id.empty() ? std::string(tr("not on a till")) : trf("till {id}", {{"id", x.till_id.substr(0, 8)}});
    ImGui::TextWrapped("%s", trf("Since {since}, last seen {seen}, {where}, from {address}",
                                 {{"since", x.created_at}, {"seen", x.last_seen_at}, {"where", where},
                                  {"address", x.client_ip}})
                                 .c_str());
    const bool own = s.user && s.user->id == m.id;
    if (button((std::string(tr("End session")) + "###session-" + x.id).c_str(), 200.0f, can || own)) {
      state::StaffAction a = action(state::StaffActionKind::revoke_session, m);
      a.session_id = x.id;
      emitted.emplace_back(std::move(a));
    }
  }
  if (shown == 0) ImGui::TextColored(kMuted, "%s", tr("No session open."));
}

void person(const state::AppState& s, const state::StaffMember& m, std::vector<state::Command>& emitted) {
  const state::StaffState& st = s.staff;
  if (g_form.generation != st.generation) {
    g_form.generation = st.generation;
    copy(g_form.username, sizeof g_form.username, m.username);
    copy(g_form.display_name, sizeof g_form.display_name, m.display_name);
    copy(g_form.email, sizeof g_form.email, m.email);
    g_form.role = m.role;
    g_form.password[0] = g_form.pin[0] = 0;
  }
  title((m.display_name.empty() ? m.username : m.display_name).c_str());
  ImGui::TextColored(kMuted, "%s", trf("{role} · {status}", {{"role", role_label(m.role)},
                                                            {"status", status_label(state::staff_status(m))}})
                                       .c_str());
  const std::string why = state::staff_refusal(s, m);
  if (!why.empty()) ImGui::TextColored(kOffline, "%s", why.c_str());
  top_error(st);
  const bool can = why.empty() && state::server_session(s) && !st.writing;
  ImGui::BeginDisabled(!can);
  field(tr("Display name"), "##staff-display-name", g_form.display_name, sizeof g_form.display_name);
  field_error(st, "display_name");
  field(tr("Username"), "##staff-username", g_form.username, sizeof g_form.username);
  field_error(st, "username");
  field(tr("E-mail (optional)"), "##staff-email", g_form.email, sizeof g_form.email);
  field_error(st, "email");
  ImGui::EndDisabled();
  if (button(labelled(tr("Save changes"), "staff-save").c_str(), 200.0f, can)) {
    state::StaffAction a = action(state::StaffActionKind::edit, m);
    a.username = g_form.username;
    a.display_name = g_form.display_name;
    a.email = g_form.email;
    emitted.emplace_back(std::move(a));
  }
  role_picker(s, can);
  field_error(st, "role");
  if (button(labelled(tr("Set role"), "staff-set-role").c_str(), 200.0f, can && g_form.role != m.role)) {
    state::StaffAction a = action(state::StaffActionKind::set_role, m);
    a.role = g_form.role;
    emitted.emplace_back(std::move(a));
  }
  ImGui::BeginDisabled(!can);
  field(tr("New password"), "##staff-new-password", g_form.password, sizeof g_form.password,
        ImGuiInputTextFlags_Password);
  ImGui::EndDisabled();
  field_error(st, "password");
  if (button(labelled(tr("Reset password"), "staff-reset").c_str(), 200.0f, can && g_form.password[0] != 0)) {
    state::StaffAction a = action(state::StaffActionKind::reset_password, m);
    a.password = g_form.password;
    emitted.emplace_back(std::move(a));
    wipe(g_form.password, sizeof g_form.password);
  }
  ImGui::BeginDisabled(!can);
  field(tr("New PIN"), "##staff-new-pin", g_form.pin, sizeof g_form.pin, ImGuiInputTextFlags_Password);
  ImGui::EndDisabled();
  field_error(st, "pin");
  if (button(labelled(tr("Set PIN"), "staff-set-pin").c_str(), 200.0f, can && g_form.pin[0] != 0)) {
    state::StaffAction a = action(state::StaffActionKind::set_pin, m);
    a.pin = g_form.pin;
    emitted.emplace_back(std::move(a));
    wipe(g_form.pin, sizeof g_form.pin);
  }
  ImGui::SameLine();
  if (button(labelled(tr("Remove PIN"), "staff-remove-pin").c_str(), 200.0f, can && m.has_pin))
    emitted.emplace_back(action(state::StaffActionKind::remove_pin, m));
  ImGui::Separator();
  confirm_status(m, can, emitted);
  if (state::staff_status(m) == "locked") {
    ImGui::SameLine();
    if (button(labelled(tr("Unlock"), "staff-unlock").c_str(), 200.0f, can)) emitted.emplace_back(action(state::StaffActionKind::unlock, m));
  }
  sessions_of(s, m, can, emitted);
}

}  // namespace

void staff(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Staff##screen", true)) {
    back_office_title(tr("Staff"), s, emitted);
    needs_server_notice(s);
    message_line(s, emitted);
    const bool wide = ImGui::GetContentRegionAvail().x >= 900.0f;
    const float list_w = wide ? ImGui::GetContentRegionAvail().x * 0.5f : 0.0f;
    ImGui::BeginChild("##staff-list", ImVec2(list_w, wide ? 0.0f : ImGui::GetContentRegionAvail().y * 0.45f));
    people_list(s, emitted);
    ImGui::EndChild();
    if (wide) ImGui::SameLine();
    ImGui::BeginChild("##staff-person", ImVec2(0.0f, 0.0f));
    if (s.staff.adding) {
      new_person(s, emitted);
    } else if (const state::StaffMember* m = state::open_member(s.staff)) {
      person(s, *m, emitted);
    } else {
      ImGui::TextColored(kMuted, "%s", tr("Tap a person to see or change them."));
    }
    ImGui::EndChild();
  }
  ImGui::End();
}

}  // namespace salespider::ui
