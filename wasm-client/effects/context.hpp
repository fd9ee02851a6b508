// What the till's effects share: the app they answer through, the local
// store, the HTTP client, the enrolled identity, the signed-in person's
// session and the id generator. One Context lives in the TillController;
// session.cpp, selling.cpp, day.cpp and op_recorder.cpp each hold a
// reference, so no effect keeps a second copy of who is signed in.
//
// Also the few request helpers every effect that talks to the server needs.
// Deliberately no behaviour of its own: it decides nothing and records
// nothing; the effects do.
#pragma once

#include "auth/accounts.hpp"
#include "effects/app.hpp"
#include "effects/till_storage.hpp"
#include "sync/http.hpp"
#include "sync/sync_engine.hpp"

#include <salespider/shared/ids.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace salespider::effects {

// The person signed in on this till.
struct SignedIn {
  std::string token;  // the person's server session (online sign-in only)
  std::string grant;  // the offline grant ops carry
};

class Context {
 public:
  Context(App& app, TillStorage& storage, sync::HttpClient& http);
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  App& app;
  TillStorage& storage;
  sync::HttpClient& http;
  UuidV7Generator ids;
  std::optional<auth::Identity> identity;
  std::optional<SignedIn> session;
  // Owned by the TillController; null until start() opened a store.
  sync::SyncEngine* sync = nullptr;
  // Before enrolment there is no sync engine: a probe or a failed
  // enrolment says whether the server answers.
  bool server_reachable = false;

  store::Store* store() { return storage.store(); }
  // The store is open and may be written to.
  bool writable() { return store() != nullptr && !store()->read_only(); }
  std::int64_t now_ms() const;
  // The person's server session, or "" (offline sign-in, nobody signed in).
  std::string session_token() const { return session ? session->token : std::string(); }
};

// The accounts this till keeps for offline sign-in (settings rows).
std::vector<auth::LocalAccount> load_accounts(store::Store* store);
// The display name of a user who signed in on this till, or "".
std::string display_name_of(store::Store* store, const std::string& user_id);

// POST of a JSON body to our own server.
sync::HttpRequest json_post(std::string url, std::string body);
// A moment as the till shows it: wall-clock time in the store's zone, the
// date in the store's date format or the language's (state/language.hpp).
std::string local_time(const state::AppState& s, std::int64_t wall_ms, const std::string& time_zone);
// GET with the person's session.
sync::HttpRequest bearer_get(std::string url, const std::string& token);
// No one judged the request: no answer, or 502-504 from a proxy in front of
// a server that is down.
bool no_answer(const sync::HttpResponse& r);
// "Needs the store server — you are offline." (translated).
const char* offline_text();
// What an online screen says about an answer that is not a success: the
// offline line when nobody judged the request, else the server's own words.
std::string refusal_text(const sync::HttpResponse& r);

}  // namespace salespider::effects
