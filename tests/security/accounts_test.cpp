// Attacks on accounts over real HTTP: a manager acting on an owner's
// sessions and grants, a burst of concurrent wrong passwords, a stranger on
// the LAN guessing at "admin", a stolen session guessing the password or
// setting a PIN, a PIN session reaching beyond the till, answers that tell
// which accounts exist, the first owner's password left in a file, a PIN on
// the admin CLI's command line (docs/security.md "Passwords and PINs",
// "Sessions", "Login throttling").
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "salespider_process.hpp"
#include "store_http_support.hpp"

namespace sp = salespider;
using sp::auth::Role;
using sp::test::kGoodPassword;

namespace {

class Accounts : public ::testing::Test, public sp::test::StoreOverHttp {
 protected:
  // A client whose connections come from `source` (any 127.x address is
  // this machine), as another device on the LAN would.
  std::unique_ptr<httplib::Client> client_from(const std::string& source) {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", server_->http_port());
    c->set_interface(source);
    return c;
  }
  static std::string login_body(const std::string& login, const std::string& password) {
    return nlohmann::json{{"login", login}, {"password", password}}.dump();
  }
  httplib::Result login(httplib::Client& c, const std::string& login, const std::string& password) {
    return c.Post("/api/v1/auth/login", login_body(login, password), "application/json");
  }
  static httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  static std::string token_of(const httplib::Result& r) {
    return r && r->status == 200 ? nlohmann::json::parse(r->body)["token"].get<std::string>() : "";
  }
  // The error as a client sees it, without the per-request id.
  static std::string error_of(const httplib::Result& r) {
    if (!r) return "no answer";
    auto j = nlohmann::json::parse(r->body, nullptr, false);
    if (j.is_discarded() || !j.contains("error")) return r->body;
    auto e = j["error"];
    e.erase("request_id");
    return std::to_string(r->status) + " " + e.dump();
  }
  std::string pin_login_token(const std::string& login, const std::string& pin) {
    auto r = client_->Post("/api/v1/auth/pin-login", bearer(till_.credential),
                           nlohmann::json{{"login", login}, {"pin", pin}}.dump(), "application/json");
    return token_of(r);
  }
};

TEST_F(Accounts, AManagerCannotListOrEndAnOwnersSessionsOrRevokeTheirGrants) {
  const auto owner = w_.add_user(Role::super_admin, "owner1");
  auto owner_login = w_.login("owner1", kGoodPassword, till_.till);
  ASSERT_TRUE(owner_login.ok() && owner_login->grant);
  const auto manager = manager_headers();

  auto listed = client_->Get(("/api/v1/sessions?user_id=" + owner.id).c_str(), manager);
  EXPECT_EQ(listed->status, 403) << listed->body;
  auto all = client_->Get("/api/v1/sessions", manager);
  ASSERT_EQ(all->status, 200);
  EXPECT_EQ(all->body.find(owner_login->session_id), std::string::npos) << "an owner's session in the list";
  EXPECT_EQ(all->body.find("\"owner1\""), std::string::npos);

  auto revoke = client_->Post(("/api/v1/sessions/" + owner_login->session_id + "/revoke").c_str(), manager,
                              "{}", "application/json");
  EXPECT_EQ(revoke->status, 403) << revoke->body;
  auto grant = client_->Post(("/api/v1/grants/" + owner_login->grant->grant_id + "/revoke").c_str(), manager,
                             "{}", "application/json");
  EXPECT_EQ(grant->status, 403) << grant->body;
  EXPECT_EQ(client_->Get("/api/v1/me", bearer(owner_login->token))->status, 200) << "the owner is still in";
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM offline_grants WHERE revoked_at IS NOT NULL"), "0");

  // A cashier's, below the manager, still can be ended.
  auto cashier_login = w_.login("cashier1", kGoodPassword, till_.till);
  ASSERT_TRUE(cashier_login.ok() && cashier_login->grant);
  EXPECT_EQ(client_->Get(("/api/v1/sessions?user_id=" + cashier_.id).c_str(), manager)->status, 200);
  EXPECT_EQ(client_
                ->Post(("/api/v1/grants/" + cashier_login->grant->grant_id + "/revoke").c_str(), manager,
                       "{}", "application/json")
                ->status,
            200);
  EXPECT_EQ(client_
                ->Post(("/api/v1/sessions/" + cashier_login->session_id + "/revoke").c_str(), manager, "{}",
                       "application/json")
                ->status,
            200);
}

TEST_F(Accounts, TwentyConcurrentWrongPasswordsNeverCountPastTheLimit) {
  std::vector<std::thread> guessers;
  std::atomic<int> answered{0};
  for (int i = 0; i < 20; ++i) {
    guessers.emplace_back([&, i] {
      httplib::Client c("127.0.0.1", server_->http_port());
      auto r = login(c, "cashier1", "wrong-guess-" + std::to_string(i));
      if (r && (r->status == 401 || r->status == 429)) ++answered;
    });
  }
  for (auto& t : guessers) t.join();
  EXPECT_EQ(answered.load(), 20);
  const auto checked = std::stoi(w_.sql_value("SELECT count(*) FROM login_attempts WHERE user_id = '" +
                                              cashier_.id + "' AND reason = 'bad_password'"));
  EXPECT_LE(checked, 5) << "passwords checked after the limit was reached";
  EXPECT_EQ(w_.sql_value("SELECT max(failures) FROM login_throttle WHERE account = '" + cashier_.id + "'"),
            "5");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM login_throttle WHERE account = '" + cashier_.id +
                         "' AND blocked_until > now()"),
            "1")
      << "blocked once, consistently";
  EXPECT_EQ(login(*client_, "cashier1", kGoodPassword)->status, 429) << "blocked even for the right password";
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'user.locked'"), "1");
}

TEST_F(Accounts, AStrangerGuessingAtAdminDoesNotKeepTheOwnerOut) {
  w_.add_user(Role::super_admin, "admin");
  auto stranger = client_from("127.0.0.2");
  auto owner_device = client_from("127.0.0.3");
  int refused = 0;
  for (int i = 0; i < 12; ++i) {
    auto r = login(*stranger, "admin", "guess-number-" + std::to_string(i));
    ASSERT_TRUE(r);
    if (r->status == 429) ++refused;
  }
  EXPECT_GE(refused, 7) << "the stranger's address is blocked after 5 guesses";
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM login_attempts WHERE client_ip = '127.0.0.2'"), "12")
      << "the stranger's connections did come from their own address";

  auto owner = login(*owner_device, "admin", kGoodPassword);
  EXPECT_EQ(owner->status, 200) << "another address is not blocked: " << owner->body;

  EXPECT_EQ(w_.sql_value("SELECT blocked_until <= now() + interval '61 seconds' FROM login_throttle "
                         "WHERE client_ip = '127.0.0.2'"),
            "t")
      << "the first block is a minute, not an hour";
  // The backoff ends; then the right password works even from that address.
  w_.sql(
      "UPDATE login_throttle SET blocked_until = now() - interval '1 second' WHERE client_ip = '127.0.0.2'");
  EXPECT_EQ(login(*stranger, "admin", kGoodPassword)->status, 200);
}

TEST_F(Accounts, ABlockGrowsWithEachRoundOfGuessesUpToTheCap) {
  w_.add_user(Role::super_admin, "admin");
  auto stranger = client_from("127.0.0.4");
  std::vector<std::string> blocks;
  for (int round = 0; round < 8; ++round) {
    for (int i = 0; i < 5; ++i) (void)login(*stranger, "admin", "guess-" + std::to_string(round * 5 + i));
    blocks.push_back(w_.sql_value(
        "SELECT round(extract(epoch FROM blocked_until - now()) / 60) FROM login_throttle WHERE client_ip = "
        "'127.0.0.4'"));
    w_.sql(
        "UPDATE login_throttle SET blocked_until = now() - interval '1 second', window_started_at = now() "
        "WHERE client_ip = '127.0.0.4'");
    // The per-address limit (20 failures in the window) is another defence; keep it out of this test.
    w_.sql("DELETE FROM login_attempts WHERE client_ip = '127.0.0.4'");
  }
  EXPECT_EQ(blocks, (std::vector<std::string>{"1", "2", "4", "8", "16", "32", "60", "60"}));
}

TEST_F(Accounts, ChangingMyPasswordWithAWrongCurrentOneIsCountedAndThrottled) {
  const auto headers = headers_of("cashier1");
  auto change = [&](const std::string& current) {
    return client_->Post(
        "/api/v1/me/password", headers,
        nlohmann::json{{"current_password", current}, {"new_password", "a-new-long-passphrase"}}.dump(),
        "application/json");
  };
  for (int i = 0; i < 4; ++i) EXPECT_EQ(change("wrong-current-" + std::to_string(i))->status, 422);
  EXPECT_EQ(change("wrong-current-4")->status, 429) << "the fifth wrong one blocks";
  EXPECT_EQ(change(kGoodPassword)->status, 429) << "even the right one, until the block ends";
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM login_attempts WHERE user_id = '" + cashier_.id +
                         "' AND reason = 'bad_current_password'"),
            "5");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'auth.login_failed'"), "6");
}

TEST_F(Accounts, SettingMyPinNeedsMyCurrentPassword) {
  const auto headers = headers_of("cashier1");
  auto set = [&](const nlohmann::json& body) {
    return client_->Put("/api/v1/me/pin", headers, body.dump(), "application/json");
  };
  EXPECT_EQ(set({{"pin", "2580"}})->status, 400) << "no current password";
  EXPECT_EQ(set({{"pin", "2580"}, {"current_password", "not-my-password"}})->status, 422);
  EXPECT_EQ(w_.sql_value("SELECT pin_hash IS NULL FROM users WHERE id = '" + cashier_.id + "'"), "t");
  EXPECT_EQ(set({{"pin", "2580"}, {"current_password", kGoodPassword}})->status, 200);
  EXPECT_EQ(w_.sql_value("SELECT pin_hash IS NULL FROM users WHERE id = '" + cashier_.id + "'"), "f");
  // Nor through the staff route on oneself.
  auto own = client_->Put(("/api/v1/users/" + manager_.id + "/pin").c_str(), manager_headers(),
                          R"({"pin":"2580"})", "application/json");
  EXPECT_EQ(own->status, 403) << own->body;
}

TEST_F(Accounts, APasswordResetClearsThePin) {
  auto pin = w_.services().users().set_pin(w_.store(), cashier_.id, std::string("2580"), std::nullopt,
                                           sp::test::AuthWorld::cli_actor());
  ASSERT_TRUE(pin);
  ASSERT_FALSE(pin_login_token("cashier1", "2580").empty());
  auto reset = client_->Post(("/api/v1/users/" + cashier_.id + "/reset-password").c_str(), manager_headers(),
                             R"({"password":"another-long-passphrase"})", "application/json");
  ASSERT_EQ(reset->status, 200) << reset->body;
  auto user = client_->Get(("/api/v1/users/" + cashier_.id).c_str(), manager_headers());
  EXPECT_FALSE(nlohmann::json::parse(user->body)["has_pin"].get<bool>());
  EXPECT_TRUE(pin_login_token("cashier1", "2580").empty()) << "the old PIN still opens a session";
}

TEST_F(Accounts, APinSessionIsRefusedBeyondTheTill) {
  ASSERT_TRUE(w_.services().users().set_pin(w_.store(), manager_.id, std::string("2580"), std::nullopt,
                                            sp::test::AuthWorld::cli_actor()));
  const auto token = pin_login_token("manager1", "2580");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(client_->Get("/api/v1/users", bearer(token))->status, 403);
  EXPECT_EQ(client_->Get("/api/v1/audit", bearer(token))->status, 403);
  EXPECT_EQ(client_->Post("/api/v1/users", bearer(token), R"({"username":"x"})", "application/json")->status,
            403);
  EXPECT_EQ(client_->Post("/api/v1/me/password", bearer(token), "{}", "application/json")->status, 403);
  EXPECT_EQ(client_->Get("/api/v1/me", bearer(token))->status, 200);
  EXPECT_EQ(client_->Get("/api/v1/sales", bearer(token))->status, 200) << "the till's own work";
  // The same manager with the password may.
  EXPECT_EQ(client_->Get("/api/v1/users", manager_headers())->status, 200);
}

TEST_F(Accounts, UnknownWrongDisabledAndLockedAllAnswerTheSame) {
  const auto gone = w_.add_user(Role::cashier, "gone");
  ASSERT_TRUE(w_.services().users().set_enabled(w_.store(), gone.id, false, std::nullopt,
                                                sp::test::AuthWorld::cli_actor()));
  const auto unknown = error_of(login(*client_, "nobody-here", "whatever-password"));
  const auto wrong = error_of(login(*client_, "cashier1", "whatever-password"));
  const auto disabled = error_of(login(*client_, "gone", kGoodPassword));
  EXPECT_EQ(unknown.substr(0, 4), "401 ");
  EXPECT_EQ(wrong, unknown);
  EXPECT_EQ(disabled, unknown) << "a disabled account tells itself apart";

  // Blocked after five guesses, whether the account exists or not.
  auto guesser = client_from("127.0.0.5");
  std::string real_block;
  std::string ghost_block;
  for (int i = 0; i < 6; ++i) {
    real_block = error_of(login(*guesser, "cashier1", "guess-" + std::to_string(i)));
    ghost_block = error_of(login(*guesser, "ghost", "guess-" + std::to_string(i)));
  }
  EXPECT_EQ(real_block.substr(0, 4), "429 ");
  EXPECT_EQ(real_block, ghost_block) << "a lock tells which accounts exist";
}

TEST(FirstOwnerFile, IsGoneOnceTheOwnerSignsIn) {
  sp::test::TempDir data("first-owner");
  sp::test::AuthWorld w(data.path());
  const auto file = data.path() / sp::service::kFirstLoginFileName;
  auto first = w.services().users().ensure_first_owner("admin@salespider.local", "");
  ASSERT_TRUE(first.created);
  ASSERT_TRUE(std::filesystem::exists(file)) << "the generated password is written for the operator";
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_FALSE(w.login("admin@salespider.local", "not-the-password"));
  EXPECT_TRUE(std::filesystem::exists(file)) << "a wrong password does not remove it";
  ASSERT_TRUE(w.login("admin@salespider.local", first.generated_password));
  EXPECT_FALSE(std::filesystem::exists(file)) << "the password stays in a file after the owner signed in";
}

TEST(FirstOwnerFile, IsGoneOnceTheOwnersPasswordIsReset) {
  sp::test::TempDir data("first-owner-reset");
  sp::test::AuthWorld w(data.path());
  const auto file = data.path() / sp::service::kFirstLoginFileName;
  auto first = w.services().users().ensure_first_owner("admin@salespider.local", "");
  ASSERT_TRUE(first.created && std::filesystem::exists(file));
  auto owner = w.services().users().find(w.store(), "admin@salespider.local");
  ASSERT_TRUE(owner);
  ASSERT_TRUE(w.services().users().reset_password(w.store(), owner->id, "a-brand-new-passphrase",
                                                  std::nullopt, sp::test::AuthWorld::cli_actor()));
  EXPECT_FALSE(std::filesystem::exists(file));
}

// `salespider ARGS...` with `input` on stdin; its exit code and output.
std::pair<int, std::string> run_cli(const std::filesystem::path& dir, std::vector<std::string> args,
                                    const std::string& input) {
  sp::test::SalespiderProcess cli(dir, std::move(args), {}, input);
  const int rc = cli.wait();
  return {rc, cli.output()};
}

TEST(Cli, RefusesAPinOnTheCommandLineAndTakesItFromStdin) {
  sp::test::TempDir data("cli-pin");
  sp::test::AuthWorld w(data.path());
  const auto conninfo = w.conninfo();
  auto name = conninfo.substr(conninfo.find("dbname=") + 7);
  name.erase(std::remove(name.begin(), name.end(), '\''), name.end());  // conninfo quoting
  const auto url = testpg::url_for(name);
  if (url.empty()) GTEST_SKIP() << "needs the embedded test cluster (a postgresql:// URL)";
  const std::vector<std::string> common = {"user",           "add", "--data-path", data.path().string(),
                                           "--database-url", url,   "--role",      "cashier"};
  auto with = [&](std::vector<std::string> more) {
    auto a = common;
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };
  auto [rc, out] = run_cli(data.path(), with({"--username", "pinny", "--pin", "2580"}), "");
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(out.find("--pin-stdin"), std::string::npos) << out;
  EXPECT_EQ(w.sql_value("SELECT count(*) FROM users WHERE username = 'pinny'"), "0");

  auto [rc2, out2] = run_cli(data.path(), with({"--username", "pinny", "--pin-stdin"}), "2580\n");
  EXPECT_EQ(rc2, 0) << out2;
  EXPECT_EQ(w.sql_value("SELECT pin_hash IS NOT NULL FROM users WHERE username = 'pinny'"), "t");
  EXPECT_EQ(out2.find("2580"), std::string::npos) << "the PIN echoed: " << out2;
}

}  // namespace
