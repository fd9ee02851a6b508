// Offline grants: issued at login on an enrolled till, checked per op for
// signature, till, expiry at the op's time and revocation.
#include <gtest/gtest.h>

#include <chrono>

#include "auth/crypto.hpp"
#include "auth_test_support.hpp"
#include "http_test_support.hpp"
#include "support/secret_file.hpp"

using salespider::auth::Role;
using salespider::test::AuthWorld;
using salespider::test::kGoodPassword;
namespace flag = salespider::service::grant_flag;

namespace {
std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

TEST(Grants, LoginOnAnEnrolledTillIssuesASignedGrantThatFitsThatTill) {
  AuthWorld w;
  w.add_user(Role::cashier, "ada");
  auto till = w.add_till();
  auto r = w.login("ada", kGoodPassword, till.till);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->grant);
  const auto expected_expiry = now_ms() + 7LL * 24 * 3600 * 1000;
  EXPECT_NEAR(static_cast<double>(r->grant->expires_at_ms), static_cast<double>(expected_expiry), 60000.0)
      << "7 days by default";
  auto check = w.services().grants().verify_grant(r->grant->token, till.till.till_id, now_ms(), now_ms());
  EXPECT_TRUE(check.acceptable()) << (check.flags.empty() ? "" : check.flags.front());
  EXPECT_EQ(check.role, Role::cashier);
  EXPECT_TRUE(check.permits(salespider::auth::Permission::sell));
  EXPECT_FALSE(check.permits(salespider::auth::Permission::refund));
  EXPECT_EQ(check.limits.max_discount_percent, 10);
  EXPECT_EQ(r->grant->token.find("argon2"), std::string::npos);
  const auto payload =
      salespider::auth::base64url_decode(r->grant->token.substr(0, r->grant->token.find('.')));
  ASSERT_TRUE(payload);
  EXPECT_EQ(payload->find("hash"), std::string::npos) << "the grant carries no password or PIN hash";
}

TEST(Grants, AnotherTillAnExpiredOpAndAForgedGrantAreFlagged) {
  AuthWorld w;
  w.add_user(Role::cashier, "ada");
  auto till = w.add_till();
  auto other = w.add_till("Back");
  auto r = w.login("ada", kGoodPassword, till.till);
  ASSERT_TRUE(r && r->grant);
  auto& grants = w.services().grants();
  const auto& token = r->grant->token;

  EXPECT_TRUE(grants.verify_grant(token, other.till.till_id, now_ms(), now_ms()).has(flag::wrong_till));
  auto late = grants.verify_grant(token, till.till.till_id, r->grant->expires_at_ms + 1, now_ms());
  EXPECT_TRUE(late.valid);
  EXPECT_TRUE(late.has(flag::expired)) << "expiry is judged at the op's time";

  // Forged: same payload with the role raised, old signature.
  const auto dot = token.find('.');
  auto payload = *salespider::auth::base64url_decode(token.substr(0, dot));
  const auto at = payload.find("\"cashier\"");
  ASSERT_NE(at, std::string::npos);
  payload.replace(at, 9, "\"super_admin\"");
  const auto forged = salespider::auth::base64url_encode(payload) + token.substr(dot);
  auto f = grants.verify_grant(forged, till.till.till_id, now_ms(), now_ms());
  EXPECT_FALSE(f.valid);
  EXPECT_TRUE(f.has(flag::bad_signature));
  EXPECT_FALSE(f.permits(salespider::auth::Permission::refund));

  // Signed by a key that is not the store's.
  auto stranger = salespider::auth::SigningKey::generate();
  const auto head = token.substr(0, dot);
  const auto foreign = head + "." + salespider::auth::base64url_encode(stranger.sign(head));
  EXPECT_TRUE(grants.verify_grant(foreign, till.till.till_id, now_ms(), now_ms()).has(flag::bad_signature));
  EXPECT_TRUE(grants.verify_grant("garbage", till.till.till_id, now_ms(), now_ms()).has(flag::malformed));
}

TEST(Grants, RevocationAndADisabledUserAreFlaggedButEarlierOpsStillFit) {
  AuthWorld w;
  const auto ada = w.add_user(Role::cashier, "ada");
  w.add_user(Role::super_admin, "owner");
  auto till = w.add_till();
  auto r = w.login("ada", kGoodPassword, till.till);
  ASSERT_TRUE(r && r->grant);
  auto& grants = w.services().grants();
  const auto before = now_ms() - 1000;
  ASSERT_TRUE(
      w.services().users().set_enabled(w.store(), ada.id, false, std::nullopt, AuthWorld::cli_actor()));
  const auto after = now_ms() + 1000;

  auto late = grants.verify_grant(r->grant->token, till.till.till_id, after, now_ms());
  EXPECT_TRUE(late.valid);
  EXPECT_TRUE(late.has(flag::revoked));
  EXPECT_TRUE(late.has(flag::user_disabled)) << "accepted (money was taken) but flagged";
  auto early = grants.verify_grant(r->grant->token, till.till.till_id, before, now_ms());
  EXPECT_FALSE(early.has(flag::revoked)) << "made before the revocation";
  EXPECT_TRUE(early.has(flag::user_disabled));
  const auto revoked = grants.revoked_for_till(till.till.till_id, now_ms());
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked.front(), r->grant->grant_id);
}

TEST(Grants, RetiringATillRevokesItsGrantsAndTheKeyPersistsAcrossRestarts) {
  salespider::test::TempDir dir("grants");
  std::string first_key;
  {
    AuthWorld w(dir.path());
    first_key = w.services().grants().public_key_raw();
    EXPECT_EQ(salespider::support::permission_bits(dir.path() / "keys" / "grant-signing.key") & 0777u, 0600u);
    w.add_user(Role::cashier, "ada");
    auto till = w.add_till();
    auto r = w.login("ada", kGoodPassword, till.till);
    ASSERT_TRUE(r && r->grant);
    ASSERT_TRUE(w.services().tills().retire(w.store(), till.till.till_id, AuthWorld::cli_actor()));
    EXPECT_TRUE(w.services()
                    .grants()
                    .verify_grant(r->grant->token, till.till.till_id, now_ms() + 1000, now_ms())
                    .has(flag::revoked));
  }
  AuthWorld again(dir.path());
  EXPECT_EQ(again.services().grants().public_key_raw(), first_key);
}
