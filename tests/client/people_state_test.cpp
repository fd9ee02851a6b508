// The Staff and Tills screens in the reducer: what a manager may do on
// whom (never on the owner, never give a role above cashier), that a
// refused change is not sent, and what the Tills screen keeps of an
// enrolment code and a retired till.
#include "state/app_state.hpp"

#include <gtest/gtest.h>

namespace salespider::state {
namespace {

AppState signed_in(std::string role, std::vector<std::string> permissions) {
  AppState s;
  s.till.enrolled = true;
  s.sync.online = true;
  s.user = User{};
  s.user->id = "u-" + role;
  s.user->display_name = role;
  s.user->role = role;
  s.user->permissions = std::move(permissions);
  s.screen = Screen::BackOffice;
  return s;
}

AppState manager() {
  return signed_in("manager", {"manage_products", "manage_staff", "enrol_tills"});
}
AppState owner() {
  return signed_in("super_admin", {"manage_products", "manage_staff", "enrol_tills", "manage_settings"});
}

StaffMember member(std::string id, std::string role) {
  StaffMember m;
  m.id = std::move(id);
  m.username = m.id;
  m.display_name = m.id;
  m.role = std::move(role);
  m.status = "active";
  return m;
}

AppState staff_of(AppState s) {
  s = reduce(s, OpenStaff{});
  return reduce(s, StaffLoaded{{member("owner", "super_admin"), member("mo", "manager"), member("cara", "cashier")}, ""});
}

TEST(PeopleState, AManagerMayChangeACashierButNeitherTheOwnerNorAnotherManager) {
  const AppState s = staff_of(manager());
  EXPECT_EQ(s.screen, Screen::Staff);
  EXPECT_TRUE(s.staff.loading == false);
  EXPECT_EQ(staff_refusal(s, s.staff.people[2]), "");
  EXPECT_NE(staff_refusal(s, s.staff.people[0]).find("owner"), std::string::npos);
  EXPECT_NE(staff_refusal(s, s.staff.people[1]), "");
  EXPECT_EQ(assignable_roles(s), std::vector<std::string>{"cashier"});
  EXPECT_EQ(assignable_roles(staff_of(owner())), (std::vector<std::string>{"cashier", "manager", "super_admin"}));
}

TEST(PeopleState, AChangeOnTheOwnerByAManagerIsRefusedBeforeAnythingIsSent) {
  AppState s = reduce(staff_of(manager()), OpenStaffMember{"owner"});
  StaffAction disable;
  disable.kind = StaffActionKind::disable;
  disable.user_id = "owner";
  s = reduce(s, disable);
  EXPECT_FALSE(s.staff.writing);
  EXPECT_NE(s.staff.write_error.find("owner"), std::string::npos);

  StaffAction create;
  create.kind = StaffActionKind::create;
  create.role = "super_admin";
  s = reduce(s, create);
  EXPECT_FALSE(s.staff.writing);
  EXPECT_EQ(s.staff.write_field, "role");
}

TEST(PeopleState, TheServersRefusalIsKeptWithTheFieldItNames) {
  AppState s = reduce(staff_of(manager()), OpenStaffMember{"cara"});
  StaffAction edit;
  edit.kind = StaffActionKind::edit;
  edit.user_id = "cara";
  s = reduce(s, edit);
  ASSERT_TRUE(s.staff.writing);
  s = reduce(s, StaffActionDone{StaffActionKind::edit, "username taken", "username", ""});
  EXPECT_FALSE(s.staff.writing);
  EXPECT_EQ(s.staff.write_error, "username taken");
  EXPECT_EQ(s.staff.write_field, "username");
}

TEST(PeopleState, ALockedPersonReadsAsLockedAndADisabledOneAsDisabled) {
  StaffMember m = member("cara", "cashier");
  m.locked_until = "2030-01-01T00:00:00.000Z";
  EXPECT_EQ(staff_status(m), "locked");
  m.status = "disabled";
  EXPECT_EQ(staff_status(m), "disabled");
}

TEST(PeopleState, TheTillsScreenShowsTheCodeItMadeAndDoesNotRetireARetiredTill) {
  AppState s = reduce(manager(), OpenTills{});
  ASSERT_EQ(s.screen, Screen::Tills);
  StoreTill old;
  old.id = "t-old";
  old.code = "A234";
  old.status = "retired";
  s = reduce(s, TillsLoaded{{old}, ""});
  s = reduce(s, TillAction{TillActionKind::retire, "t-old", ""});
  EXPECT_FALSE(s.tills.writing);
  s = reduce(s, TillAction{TillActionKind::enrol_code, "", "Side"});
  ASSERT_TRUE(s.tills.writing);
  s = reduce(s, TillActionDone{TillActionKind::enrol_code, "", "", EnrolCodeShown{"ABCD2345", "2030-01-01T00:15:00Z", ""}});
  ASSERT_TRUE(s.tills.code.has_value());
  EXPECT_EQ(s.tills.code->code, "ABCD2345");
}

TEST(PeopleState, ACashierOpensNeitherScreen) {
  AppState s = signed_in("cashier", {"sell"});
  EXPECT_EQ(reduce(s, OpenStaff{}).screen, Screen::BackOffice);
  EXPECT_EQ(reduce(s, OpenTills{}).screen, Screen::BackOffice);
}

}  // namespace
}  // namespace salespider::state
