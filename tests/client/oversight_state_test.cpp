// The audit log viewer, the attention list's actions and the first-run
// setup in the reducer: who may open and act, the page cursors, one action
// at a time, and the wizard shown only to an owner signed in online on a
// store whose setup is not done, closed once the server took it.
#include "state/app_state.hpp"

#include <gtest/gtest.h>

namespace salespider::state {
namespace {

AppState person(std::string role, std::vector<std::string> permissions, bool offline = false) {
  AppState s;
  s.till.enrolled = true;
  s.user = User{};
  s.user->id = "u-" + role;
  s.user->role = role;
  s.user->offline = offline;
  s.user->permissions = std::move(permissions);
  s.screen = Screen::Till;
  s.sync.online = true;
  return s;
}

AppState owner() {
  return person("owner", {"view_audit_log", "resolve_attention", "manage_products", "manage_staff"});
}

std::vector<AuditRow> rows_from(std::int64_t newest, int n) {
  std::vector<AuditRow> rows;
  for (int i = 0; i < n; ++i) {
    AuditRow r;
    r.id = newest - i;
    r.action = "product.update";
    rows.push_back(r);
  }
  return rows;
}

SetupSettings fresh_store() {
  SetupSettings st;
  st.currency = "NGN";
  st.row_version = 1;
  return st;
}

TEST(AuditLogState, IsRefusedWithoutTheViewAuditLogPermission) {
  AppState s = reduce(person("cashier", {"sell"}), OpenAudit{});
  EXPECT_EQ(s.screen, Screen::Till);
  ASSERT_TRUE(s.message);
  EXPECT_EQ(s.message->kind, MessageKind::error);
}

TEST(AuditLogState, PagesOlderByTheLastRowAndNewerBackToTheCursorBefore) {
  AppState s = reduce(owner(), OpenAudit{});
  ASSERT_EQ(s.screen, Screen::Audit);
  EXPECT_TRUE(s.audit.loading);
  EXPECT_TRUE(s.audit.people_allowed);
  s = reduce(s, AuditLoaded{0, rows_from(500, kAuditPage), ""});
  EXPECT_TRUE(s.audit.older);
  s = reduce(s, AuditPage{true});
  EXPECT_EQ(s.audit.before, 500 - kAuditPage + 1);
  // An answer for the first page arriving late is dropped.
  s = reduce(s, AuditLoaded{0, rows_from(999, 1), ""});
  EXPECT_TRUE(s.audit.loading);
  s = reduce(s, AuditLoaded{500 - kAuditPage + 1, rows_from(500 - kAuditPage, 3), ""});
  EXPECT_FALSE(s.audit.older);  // a short page: nothing older
  s = reduce(s, AuditPage{false});
  EXPECT_EQ(s.audit.before, 0);
  EXPECT_TRUE(s.audit.newer.empty());
}

TEST(AuditLogState, ANewFilterStartsAgainFromTheNewestPage) {
  AppState s = reduce(owner(), OpenAudit{});
  s = reduce(s, AuditLoaded{0, rows_from(500, kAuditPage), ""});
  s = reduce(s, AuditPage{true});
  AuditFilter f;
  f.action = "settings.";
  s = reduce(s, QueryAudit{f});
  EXPECT_EQ(s.audit.before, 0);
  EXPECT_TRUE(s.audit.newer.empty());
  EXPECT_EQ(s.audit.filter.action, "settings.");
}

TEST(AuditLogState, AnIntactVerdictIsSaidWithItsRowsAndAnchors) {
  AuditVerdict v;
  v.ok = true;
  v.checked = 1204;
  v.anchors_checked = 3;
  EXPECT_EQ(verdict_text(v), "Intact: 1204 rows checked, 3 anchors match.");
  v.ok = false;
  v.first_bad_position = 17;
  v.first_bad_id = "42";
  v.problem = "hash mismatch";
  EXPECT_EQ(verdict_text(v), "Broken at position 17 (row 42): hash mismatch");
}

TEST(AttentionDeskState, TakesOneActionAtATimeOnlineWithThePermission) {
  AppState s = reduce(owner(), OpenAttention{});
  ASSERT_EQ(s.screen, Screen::Attention);
  s = reduce(s, ActOnAttention{"op-1", AttentionAction::resolve, "done"});
  EXPECT_EQ(s.attention_desk.acting_on, "op-1");
  s = reduce(s, ActOnAttention{"op-2", AttentionAction::dismiss, ""});
  EXPECT_EQ(s.attention_desk.acting_on, "op-1");
  s = reduce(s, AttentionAnswered{"op-1", "", "Resolved"});
  EXPECT_TRUE(s.attention_desk.acting_on.empty());
  EXPECT_EQ(s.attention_desk.answer, "Resolved");
  EXPECT_FALSE(s.attention_desk.answer_error);
}

TEST(AttentionDeskState, OfflineTheListIsReadOnly) {
  AppState s = owner();
  s.sync.online = false;
  s = reduce(s, OpenAttention{});
  EXPECT_FALSE(may_act_on_attention(s));
  s = reduce(s, ActOnAttention{"op-1", AttentionAction::resolve, ""});
  EXPECT_TRUE(s.attention_desk.acting_on.empty());
}

TEST(SetupState, OpensForTheOwnerOfAStoreNotSetUp) {
  AppState s = reduce(owner(), SetupNeeded{fresh_store(), "https://shop/setup"});
  EXPECT_EQ(s.screen, Screen::Setup);
  EXPECT_TRUE(s.setup.active);
  EXPECT_TRUE(s.setup.checked);
  EXPECT_EQ(s.setup.step, SetupStep::store);
}

TEST(SetupState, NeverOpensForAManagerOfflineOrOnAStoreThatSold) {
  EXPECT_EQ(reduce(person("manager", {}), SetupNeeded{fresh_store(), ""}).screen, Screen::Till);
  EXPECT_EQ(reduce(person("owner", {}, true), SetupNeeded{fresh_store(), ""}).screen, Screen::Till);
  SetupSettings sold = fresh_store();
  sold.currency_locked = true;
  EXPECT_EQ(reduce(owner(), SetupNeeded{sold, ""}).screen, Screen::Till);
  SetupSettings done = fresh_store();
  done.setup_completed = true;
  AppState s = reduce(owner(), SetupNeeded{done, ""});
  EXPECT_EQ(s.screen, Screen::Till);
  EXPECT_TRUE(s.setup.checked);
  EXPECT_EQ(reduce(owner(), SetupNeeded{std::nullopt, ""}).screen, Screen::Till);
}

TEST(SetupState, ASavedStepMovesOnAndACompletedSetupClosesTheWizard) {
  AppState s = reduce(owner(), SetupNeeded{fresh_store(), ""});
  SetupPatch p;
  p.store_name = "Corner shop";
  s = reduce(s, SaveSetup{p, SetupStep::money});
  EXPECT_TRUE(s.setup.saving);
  SetupSettings after = fresh_store();
  after.store_name = "Corner shop";
  after.row_version = 2;
  SetupSaved saved;
  saved.settings = after;
  saved.next = SetupStep::money;
  s = reduce(s, saved);
  EXPECT_EQ(s.setup.step, SetupStep::money);
  EXPECT_EQ(s.setup.settings.row_version, 2);

  SetupPatch skip;
  skip.complete = true;
  s = reduce(s, SaveSetup{skip, SetupStep::money});
  SetupSaved closed;
  closed.settings = after;
  closed.complete = true;
  s = reduce(s, closed);
  EXPECT_FALSE(s.setup.active);
  EXPECT_EQ(s.screen, Screen::Till);
}

TEST(SetupState, ATaxRateWithoutARateIsRefusedBeforeAnythingIsSent) {
  AppState s = reduce(owner(), SetupNeeded{fresh_store(), ""});
  s = reduce(s, SetupTaxRate{"VAT", "", "seven", SetupStep::tenders});
  EXPECT_FALSE(s.setup.saving);
  EXPECT_EQ(s.setup.error_field, "rate");
}

TEST(SetupState, BackFromTheProductsItOpenedReturnsToTheSetup) {
  AppState s = reduce(owner(), SetupNeeded{fresh_store(), ""});
  s = reduce(s, SetupOpenProducts{false});
  ASSERT_EQ(s.screen, Screen::BackOffice);
  s = reduce(s, OpenProducts{});
  ASSERT_EQ(s.screen, Screen::Products);
  s = reduce(s, Back{});
  EXPECT_EQ(s.screen, Screen::Setup);
}

}  // namespace
}  // namespace salespider::state
