// Session effects: who is at the till. Enrolment (a manager signs in, the
// till is enrolled, the identity is written to the browser), sign-in online
// and, when the server does not answer, offline against the verifier this
// till derived itself (WebCrypto PBKDF2 through platform/crypto.hpp) and a
// signed offline grant; a manager's PIN approval (the same check); sign-out
// and switching cashier; the accounts kept for offline sign-in.
//
// It fills the Context's identity and session, which the other effects
// read. Deliberately not here: what a signed-in person may do (state/ and
// the server), the grant's rules (auth/accounts.hpp), and recording ops.
#pragma once

#include "auth/accounts.hpp"
#include "effects/context.hpp"
#include "state/app_state.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace salespider::effects {

class Session {
 public:
  explicit Session(Context& ctx) : ctx_(ctx) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void enrol(const state::SubmitEnrol& c);
  // www/storage.js wrote (or failed to write) the identity enrol() made.
  void identity_saved(bool ok);
  void login(std::string login, std::string secret, bool pin) {
    login_with(PendingLogin{std::move(login), std::move(secret), pin});
  }
  void approve(const state::SubmitApproval& c);
  void sign_out();
  void reset_refused();
  // The known users (for the PIN pad) into the app state.
  void publish_accounts();

 private:
  struct PendingLogin {
    std::string login;
    std::string secret;
    bool pin = false;
  };

  void login_with(PendingLogin login);
  void enrol_with_code(const state::SubmitEnrol& c);
  void after_enrolment(auth::Identity identity, PendingLogin login);
  void login_online_answered(PendingLogin login, const sync::HttpResponse& response);
  void login_offline(PendingLogin login);
  void finish_login(std::optional<state::User> user, std::string error, SignedIn session = {});
  // Checks a PIN or password against the verifier this till derived when
  // that person last signed in online here (offline grant, revocation,
  // failure pause), then answers with the account or why not.
  using VerifiedFn = std::function<void(std::optional<auth::LocalAccount>, std::string error)>;
  void verify_local(PendingLogin who, VerifiedFn done);
  void save_account(const auth::LocalAccount& account);

  Context& ctx_;
  // Waiting for the identity to be written before the enrolment is final.
  std::optional<std::pair<auth::Identity, PendingLogin>> saving_identity_;
  // Offline sign-in failures per login, and until when that login pauses.
  std::map<std::string, std::pair<int, std::int64_t>> offline_failures_;
};

}  // namespace salespider::effects
