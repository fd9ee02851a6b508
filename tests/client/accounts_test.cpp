// The till's side of sign-in: reading the server's answers and the checks of
// an offline sign-in (the crypto runs in the browser; see till.test.mjs).
#include "auth/accounts.hpp"

#include <gtest/gtest.h>

#include <string>

namespace salespider::auth {
namespace {

// base64url of {"exp":2000,"gid":"g1","sub":"u1","till":"t1","v":1}
const std::string kGrantToken = "eyJleHAiOjIwMDAsImdpZCI6ImcxIiwic3ViIjoidTEiLCJ0aWxsIjoidDEiLCJ2IjoxfQ.c2ln";

std::string login_body() {
  return R"({"token":"sps_x","session_id":"s","expires_at":"x","user":{"id":"u1","username":"ada","display_name":"Ada",)"
         R"("role":"cashier","permissions":["sell"],"limits":{"max_discount_percent":10},"till_id":"t1"},)"
         R"("offline_grant":{"token":")" +
         kGrantToken + R"(","grant_id":"g1","expires_at_ms":1999}})";
}

TEST(Accounts, ALoginAnswerGivesTheUserAndTheSignedExpiry) {
  std::optional<LoginAnswer> a = parse_login_answer(login_body());
  ASSERT_TRUE(a);
  EXPECT_EQ(a->session_token, "sps_x");
  EXPECT_EQ(a->user.username, "ada");
  EXPECT_EQ(a->user.max_discount_percent, 10);
  ASSERT_TRUE(a->grant);
  EXPECT_EQ(a->grant->expires_at_ms, 2000) << "the signed payload wins over the envelope";
  EXPECT_EQ(a->grant->till_id, "t1");
  EXPECT_EQ(a->grant->user_id, "u1");
}

TEST(Accounts, GarbageAnswersAreNotUnderstood) {
  for (const char* body : {"", "[]", "{", R"({"token":1})", R"({"token":"x","user":"ada"})", R"({"user":{"id":"u"}})"})
    EXPECT_FALSE(parse_login_answer(body)) << body;
  EXPECT_FALSE(parse_enrol_answer(R"({"till_id":"t"})"));
  EXPECT_FALSE(decode_identity("not json"));
  EXPECT_FALSE(decode_account(R"({"id":5})"));
}

TEST(Accounts, TheServersErrorMessageIsShown) {
  EXPECT_EQ(error_message(R"({"error":{"code":"unauthenticated","message":"wrong login or password"}})", 401),
            "wrong login or password");
  EXPECT_EQ(error_message("<html>", 502), "The store server answered 502.");
}

TEST(Accounts, IdentityAndAccountsSurviveTheirOwnEncoding) {
  Identity id{"t1", "s1", "SP3", "Front", "spt_secret", "pk", 42};
  std::optional<Identity> back = decode_identity(encode_identity(id));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->credential, "spt_secret");
  EXPECT_EQ(back->enrolled_at_ms, 42);

  LocalAccount a = merge_online(std::nullopt, *parse_login_answer(login_body()), "Ada@Shop.example", 7);
  a.password_salt = "00ff";
  a.password_verifier = "abcd";
  std::optional<LocalAccount> b = decode_account(encode_account(a));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->grant.token, kGrantToken);
  EXPECT_EQ(b->password_verifier, "abcd");
  EXPECT_EQ(b->last_online_ms, 7);
}

TEST(Accounts, SomeoneIsFoundByAnyNameTheySignedInWithHere) {
  std::vector<LocalAccount> all{merge_online(std::nullopt, *parse_login_answer(login_body()), "ada@shop.example", 1)};
  EXPECT_NE(find_account(all, "ADA"), nullptr);
  EXPECT_NE(find_account(all, "Ada@Shop.Example"), nullptr);
  EXPECT_EQ(find_account(all, "bob"), nullptr);
}

TEST(Accounts, AnOnlineSignInKeepsTheOtherVerifier) {
  LocalAccount before = merge_online(std::nullopt, *parse_login_answer(login_body()), "ada", 1);
  before.pin_salt = "11";
  before.pin_verifier = "22";
  LocalAccount after = merge_online(before, *parse_login_answer(login_body()), "ada", 2);
  EXPECT_EQ(after.pin_verifier, "22");
  EXPECT_EQ(after.logins.size(), 1u);
}

TEST(Accounts, OfflineGrantChecks) {
  LocalAccount a = merge_online(std::nullopt, *parse_login_answer(login_body()), "ada", 1);
  EXPECT_EQ(check_offline_grant(a, "t1", 1999, false), OfflineRefusal::none);
  EXPECT_EQ(check_offline_grant(a, "t1", 2000, false), OfflineRefusal::expired);
  EXPECT_EQ(check_offline_grant(a, "t2", 1000, false), OfflineRefusal::wrong_till);
  EXPECT_EQ(check_offline_grant(a, "t1", 1000, true), OfflineRefusal::revoked);
  LocalAccount none;
  EXPECT_EQ(check_offline_grant(none, "t1", 1000, false), OfflineRefusal::no_grant);
  EXPECT_FALSE(describe(OfflineRefusal::expired, a).empty());
}

// base64url of {"exp":2000,"gid":"g1","limits":{"max_discount_percent":5},"perms":["sell"],"role":"cashier",
// "sub":"u1","till":"t1","v":1}
const std::string kRoleGrant =
    "eyJleHAiOjIwMDAsImdpZCI6ImcxIiwibGltaXRzIjp7Im1heF9kaXNjb3VudF9wZXJjZW50Ijo1fSwicGVybXMiOlsic2VsbCJdLCJyb2xl"
    "IjoiY2FzaGllciIsInN1YiI6InUxIiwidGlsbCI6InQxIiwidiI6MX0.c2ln";

TEST(Accounts, AnOfflineSignInTakesTheRoleFromTheSignedGrantNotFromStorage) {
  LocalAccount a = merge_online(std::nullopt, *parse_login_answer(login_body()), "ada", 1);
  a.grant.token = kRoleGrant;
  // What someone holding the tablet could write into its storage.
  a.user.role = "super_admin";
  a.user.permissions = {"sell", "refund", "approve_refund", "manage_users"};
  a.user.max_discount_percent = 100;
  a.grant.expires_at_ms = 9'000'000'000'000;
  Trusted t = with_signed_role(a, "t1", 1000);
  ASSERT_TRUE(t.account);
  EXPECT_EQ(t.account->user.role, "cashier");
  EXPECT_EQ(t.account->user.permissions, std::vector<std::string>{"sell"});
  EXPECT_EQ(t.account->user.max_discount_percent, 5);
  EXPECT_EQ(t.account->grant.expires_at_ms, 2000) << "the signed expiry, not the stored one";

  EXPECT_EQ(with_signed_role(a, "t1", 2000).refusal, OfflineRefusal::expired);
  EXPECT_EQ(with_signed_role(a, "t2", 1000).refusal, OfflineRefusal::wrong_till);
  LocalAccount other = a;
  other.user.id = "u2";  // someone else's grant copied into this account
  EXPECT_EQ(with_signed_role(other, "t1", 1000).refusal, OfflineRefusal::no_grant);
  LocalAccount roleless = a;
  roleless.grant.token = kGrantToken;  // signed, but names no role
  EXPECT_EQ(with_signed_role(roleless, "t1", 1000).refusal, OfflineRefusal::no_grant);
}

TEST(Accounts, AVerifierKeepsTheIterationCountItWasDerivedWith) {
  LocalAccount a = merge_online(std::nullopt, *parse_login_answer(login_body()), "ada", 1);
  a.password_salt = "00";
  a.password_verifier = "abcd";
  a.password_iterations = kVerifierIterations;
  std::optional<LocalAccount> b = decode_account(encode_account(a));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->password_iterations, kVerifierIterations);
  EXPECT_EQ(b->pin_iterations, kLegacyVerifierIterations);
  EXPECT_GE(kVerifierIterations, 600000) << "OWASP 2023 for PBKDF2-HMAC-SHA-256";
  // A record written before the count was kept.
  std::optional<LocalAccount> old = decode_account(R"({"id":"u1","username":"ada","password_salt":"00",)"
                                                   R"("password_verifier":"abcd"})");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->password_iterations, kLegacyVerifierIterations);
}

TEST(Accounts, TheGrantSplitsIntoSignedMessageAndSignature) {
  std::optional<SignedParts> p = split_grant(kGrantToken);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->signature_b64url, "c2ln");
  EXPECT_FALSE(split_grant("nodot"));
  EXPECT_FALSE(split_grant(".x"));
  EXPECT_FALSE(split_grant("x."));
}

TEST(Accounts, VerifiersCompareExactly) {
  EXPECT_TRUE(same_verifier("abcd", "abcd"));
  EXPECT_FALSE(same_verifier("abcd", "abce"));
  EXPECT_FALSE(same_verifier("abc", "abcd"));
  EXPECT_FALSE(same_verifier("", "")) << "an empty verifier never matches";
}

}  // namespace
}  // namespace salespider::auth
