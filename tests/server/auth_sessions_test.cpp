// Logins, sessions, lockout and till credentials against a real PostgreSQL.
#include <gtest/gtest.h>

#include "auth/crypto.hpp"
#include "auth/password_policy.hpp"
#include "auth_test_support.hpp"

using salespider::auth::Role;
using salespider::service::Problem;
using salespider::test::AuthWorld;
using salespider::test::kGoodPassword;

TEST(Login, TheRightPasswordGivesASessionTokenThatAuthenticates) {
  AuthWorld w;
  w.add_user(Role::cashier, "ada");
  auto r = w.login("ada@shop.test", kGoodPassword);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->token.rfind("sps_", 0), 0u);
  EXPECT_FALSE(r->grant) << "no till, no grant";
  auto me = w.services().auth().authenticate(r->token, "10.0.0.5");
  ASSERT_TRUE(me);
  EXPECT_EQ(me->username, "ada");
  EXPECT_EQ(me->role, Role::cashier);
  EXPECT_EQ(w.sql_value("SELECT count(*) FROM sessions WHERE token_hash = decode('" +
                        salespider::auth::sha256_hex(r->token) + "', 'hex')"),
            "1")
      << "only the token's hash is stored";
  EXPECT_EQ(w.sql_value("SELECT count(*) FROM audit_log WHERE action = 'auth.login'"), "1");
}

TEST(Login, AWrongPasswordAndAnUnknownAccountGetTheSameAnswerAndAreAudited) {
  AuthWorld w;
  w.add_user(Role::cashier, "ada");
  auto wrong = w.login("ada", "not-the-password");
  auto unknown = w.login("nobody", "not-the-password");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().problem, Problem::unauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_EQ(w.sql_value("SELECT count(*) FROM audit_log WHERE action = 'auth.login_failed'"), "2");
}

TEST(Lockout, FiveFailuresLockTheAccountEvenForTheRightPasswordUntilAManagerUnlocks) {
  AuthWorld w;
  const auto ada = w.add_user(Role::cashier, "ada");
  const auto boss = w.add_user(Role::manager, "boss");
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(w.login("ada", "wrong-password").error().problem, Problem::unauthenticated);
  EXPECT_EQ(w.login("ada", "wrong-password").error().problem, Problem::rate_limited)
      << "the fifth failure locks";
  EXPECT_EQ(w.login("ada", kGoodPassword).error().problem, Problem::rate_limited);
  EXPECT_EQ(w.sql_value("SELECT count(*) FROM audit_log WHERE action = 'user.locked'"), "1");

  auto actor = AuthWorld::cli_actor();
  actor.user_id = boss.id;
  ASSERT_TRUE(w.services().users().unlock(w.store(), ada.id, Role::manager, actor));
  EXPECT_TRUE(w.login("ada", kGoodPassword)) << "unlocked";
  EXPECT_EQ(w.login("ada", "wrong-password").error().problem, Problem::unauthenticated)
      << "old failures no longer count after an unlock";
}

TEST(Lockout, AnExpiredLockLetsTheRightPasswordIn) {
  AuthWorld w;
  w.add_user(Role::cashier, "ada");
  for (int i = 0; i < 5; ++i) (void)w.login("ada", "wrong-password");
  ASSERT_EQ(w.login("ada", kGoodPassword).error().problem, Problem::rate_limited);
  w.sql("UPDATE login_throttle SET blocked_until = now() - interval '1 second'");
  EXPECT_TRUE(w.login("ada", kGoodPassword));
}

TEST(Lockout, TooManyFailuresFromOneAddressRefuseThatAddressOnly) {
  AuthWorld w;
  w.add_user(Role::cashier, "ada");
  w.sql("UPDATE settings SET login_max_failures_per_address = 3");
  for (int i = 0; i < 3; ++i)
    (void)w.login("guess" + std::to_string(i), "whatever-pass", std::nullopt, "10.9.9.9");
  EXPECT_EQ(w.login("ada", kGoodPassword, std::nullopt, "10.9.9.9").error().problem, Problem::rate_limited);
  EXPECT_TRUE(w.login("ada", kGoodPassword, std::nullopt, "10.0.0.7")) << "another address is not affected";
}

TEST(Sessions, ExpiredIdleAndRevokedTokensAreRefused) {
  AuthWorld w;
  w.add_user(Role::cashier, "ada");
  auto& auth = w.services().auth();
  auto a = w.login("ada", kGoodPassword);
  auto b = w.login("ada", kGoodPassword);
  auto c = w.login("ada", kGoodPassword);
  ASSERT_TRUE(a && b && c);
  w.sql(
      "UPDATE sessions SET created_at = now() - interval '10 days', expires_at = now() - interval '1 second' "
      "WHERE id = '" +
      a->session_id + "'");
  w.sql("UPDATE sessions SET last_seen_at = now() - interval '13 hours' WHERE id = '" + b->session_id + "'");
  ASSERT_TRUE(auth.revoke_session(w.store(), c->session_id, std::nullopt, AuthWorld::cli_actor()));
  EXPECT_FALSE(auth.authenticate(a->token, "")) << "past its absolute expiry";
  EXPECT_FALSE(auth.authenticate(b->token, "")) << "idle too long";
  EXPECT_FALSE(auth.authenticate(c->token, "")) << "revoked";
  EXPECT_FALSE(auth.authenticate("sps_forged", ""));
}

TEST(Sessions, DisablingAUserEndsTheirSessionsAtOnceAndLogoutEndsOne) {
  AuthWorld w;
  const auto ada = w.add_user(Role::cashier, "ada");
  auto a = w.login("ada", kGoodPassword);
  auto b = w.login("ada", kGoodPassword);
  ASSERT_TRUE(a && b);
  auto me = w.services().auth().authenticate(a->token, "");
  ASSERT_TRUE(me);
  ASSERT_TRUE(w.services().auth().logout(*me, AuthWorld::cli_actor()));
  EXPECT_FALSE(w.services().auth().authenticate(a->token, ""));
  EXPECT_TRUE(w.services().auth().authenticate(b->token, ""));
  ASSERT_TRUE(
      w.services().users().set_enabled(w.store(), ada.id, false, std::nullopt, AuthWorld::cli_actor()));
  EXPECT_FALSE(w.services().auth().authenticate(b->token, ""));
  EXPECT_EQ(w.login("ada", kGoodPassword).error().problem, Problem::unauthenticated)
      << "a disabled account answers like a wrong password";
}

TEST(Staff, AManagerManagesCashiersButNotOwnersAndTheLastOwnerStays) {
  AuthWorld w;
  const auto owner = w.add_user(Role::super_admin, "owner");
  const auto boss = w.add_user(Role::manager, "boss");
  const auto ada = w.add_user(Role::cashier, "ada");
  auto& users = w.services().users();
  auto actor = AuthWorld::cli_actor();
  EXPECT_TRUE(users.set_enabled(w.store(), ada.id, false, Role::manager, actor));
  EXPECT_EQ(users.set_enabled(w.store(), owner.id, false, Role::manager, actor).error().problem,
            Problem::forbidden);
  EXPECT_EQ(users.set_role(w.store(), ada.id, Role::super_admin, Role::manager, actor).error().problem,
            Problem::forbidden)
      << "a manager cannot make an owner (the original's hole)";
  salespider::service::NewUser u{std::nullopt,  "newboss",     "New Boss",
                                 Role::manager, kGoodPassword, std::nullopt};
  EXPECT_EQ(users.create(w.store(), u, Role::manager, actor).error().problem, Problem::forbidden);
  EXPECT_EQ(users.set_role(w.store(), owner.id, Role::cashier, Role::super_admin, actor).error().problem,
            Problem::conflict)
      << "the last active owner cannot be demoted";
  EXPECT_EQ(users.set_enabled(w.store(), owner.id, false, std::nullopt, actor).error().problem,
            Problem::conflict);
  (void)boss;
}

TEST(Passwords, WeakPasswordsAndPinsAreRefusedWithTheFieldNamed) {
  AuthWorld w;
  salespider::service::NewUser u{std::nullopt, "ada", "Ada", Role::cashier, "password", std::nullopt};
  auto r = w.services().users().create(w.store(), u, std::nullopt, AuthWorld::cli_actor());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "password");
  EXPECT_TRUE(salespider::auth::password_problem("short", "", ""));
  EXPECT_TRUE(salespider::auth::password_problem("ada-lovelace-99", "lovelace", ""));
  EXPECT_FALSE(
      salespider::auth::password_problem(salespider::auth::generate_password(), "ada", "ada@x.test"));
  EXPECT_TRUE(salespider::auth::pin_problem("1234"));
  EXPECT_TRUE(salespider::auth::pin_problem("0000"));
  EXPECT_TRUE(salespider::auth::pin_problem("12a4"));
  EXPECT_FALSE(salespider::auth::pin_problem("2580"));
}

TEST(Passwords, ChangingMyPasswordEndsMyOtherSessionsButNotThisOne) {
  AuthWorld w;
  w.add_user(Role::cashier, "ada");
  auto a = w.login("ada", kGoodPassword);
  auto b = w.login("ada", kGoodPassword);
  auto me = w.services().auth().authenticate(a->token, "");
  ASSERT_TRUE(me);
  EXPECT_EQ(w.services()
                .users()
                .change_own_password(*me, "wrong", "another-long-secret", AuthWorld::cli_actor())
                .error()
                .field,
            "current_password");
  ASSERT_TRUE(w.services().users().change_own_password(*me, kGoodPassword, "another-long-secret",
                                                       AuthWorld::cli_actor()));
  EXPECT_TRUE(w.services().auth().authenticate(a->token, ""));
  EXPECT_FALSE(w.services().auth().authenticate(b->token, ""));
  EXPECT_TRUE(w.login("ada", "another-long-secret"));
  EXPECT_EQ(w.sql_value("SELECT count(*) FROM audit_log WHERE detail::text LIKE '%argon2%'"), "0")
      << "no hash ever reaches the audit log";
}

TEST(Tills, ACredentialAuthenticatesUntilTheTillIsRetiredAndCodesAreNeverReused) {
  AuthWorld w;
  auto t = w.add_till("Front");
  EXPECT_EQ(t.credential.rfind("spt_", 0), 0u);
  auto& tills = w.services().tills();
  auto p = tills.authenticate_till(t.credential);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->till_code, t.till.till_code);
  EXPECT_FALSE(tills.authenticate_till("spt_forged"));
  ASSERT_TRUE(tills.rename(w.store(), t.till.till_id, "Counter 1", AuthWorld::cli_actor()));
  auto again = tills.enrol(w.store(), "Front (reset)", t.till.till_id, AuthWorld::cli_actor());
  ASSERT_TRUE(again);
  EXPECT_NE(again->till.till_code, t.till.till_code) << "a new code at every enrolment";
  EXPECT_NE(again->till.till_id, t.till.till_id);
  EXPECT_FALSE(tills.authenticate_till(t.credential)) << "the replaced till is retired";
  EXPECT_TRUE(tills.authenticate_till(again->credential));
  ASSERT_TRUE(tills.retire(w.store(), again->till.till_id, AuthWorld::cli_actor()));
  EXPECT_FALSE(tills.authenticate_till(again->credential));
  EXPECT_EQ(tills.retire(w.store(), again->till.till_id, AuthWorld::cli_actor()).error().problem,
            Problem::conflict);
  EXPECT_EQ(tills.list(w.store()).size(), 2u);
}

TEST(FirstOwner, IsCreatedOnceWithAGeneratedPasswordThatLogsIn) {
  AuthWorld w;
  auto first = w.services().users().ensure_first_owner("admin@salespider.local", "");
  ASSERT_TRUE(first.created);
  EXPECT_FALSE(first.generated_password.empty());
  EXPECT_FALSE(w.services().users().ensure_first_owner("admin@salespider.local", "").created);
  auto r = w.login("admin@salespider.local", first.generated_password);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->user.role, Role::super_admin);
}

TEST(PinLogin, WorksOnlyOnAnEnrolledTillAndGivesAGrantForThatTill) {
  AuthWorld w;
  w.add_user(Role::cashier, "ada", kGoodPassword, std::string("2580"));
  auto till = w.add_till();
  salespider::service::LoginRequest r;
  r.login = "ada";
  r.password = "2580";
  r.client_ip = "10.0.0.5";
  EXPECT_EQ(w.services().auth().pin_login(r).error().problem, Problem::forbidden)
      << "no till, no PIN login";
  r.till = till.till;
  auto ok = w.services().auth().pin_login(r);
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_TRUE(ok->grant);
  EXPECT_EQ(w.sql_value("SELECT method FROM sessions WHERE id = '" + ok->session_id + "'"), "pin");
  r.password = "9999";
  EXPECT_EQ(w.services().auth().pin_login(r).error().problem, Problem::unauthenticated);
  EXPECT_EQ(w.sql_value("SELECT count(*) FROM audit_log WHERE action = 'auth.login_failed' AND "
                        "detail->>'reason' = 'bad_pin'"),
            "1");
}
