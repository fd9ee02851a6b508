// TillController: the till's effects. It sees every command after the
// reducer took it (App::set_effects) and does what needs the outside world:
// enrolment and sign-in over HTTP (offline sign-in against the local
// verifier, WebCrypto through platform/crypto.hpp), barcode lookups in the
// local catalog, recording a sale as an op in the store's journal, and
// running the sync engine. Its answers are further commands (EnrolFinished,
// LoginFinished, ProductFound, SaleRecorded, SyncChanged ...).
//
// It acts on a Submit*/CompleteSale/ResetLocalData command only when the
// reducer accepted it (state.busy), so the reducer stays the one place that
// decides what is allowed. Free of Emscripten: everything browser-side comes
// through platform/ interfaces. Deliberately not here: drawing, and the
// rules of selling (shared/ and state/).
#pragma once

#include "app.hpp"
#include "auth/accounts.hpp"
#include "receipt/receipt.hpp"
#include "state/app_state.hpp"
#include "sync/http.hpp"
#include "sync/sync_engine.hpp"
#include "till_storage.hpp"

#include <salespider/shared/ids.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace salespider {

// The receipt's store part (name, address, tax id, header, footer, time
// zone, till, paper) for a sale printed on this till.
receipt::ReceiptInput store_receipt(const state::AppState& s);

class TillController {
 public:
  TillController(App& app, TillStorage& storage, sync::HttpClient& http, std::string app_version);
  TillController(const TillController&) = delete;
  TillController& operator=(const TillController&) = delete;

  // Reads the identity, the accounts and the store settings; starts sync.
  void start();
  void handle(const state::Command& command, const state::AppState& state);
  // Once per frame, before the UI: sync work within its budget, status.
  void tick();
  // Between frames (www/bridge.js calls it back to back while it says so):
  // pull pages applied in slices of budget_ms, so a catalog bootstrap is not
  // held to the frame rate of a slow tablet. True while work is waiting.
  bool background_work(double budget_ms);

  // --- from the browser -----------------------------------------------------
  void identity_saved(bool ok);
  void reset_refused();
  void browser_online(bool online);

 private:
  struct Session {
    std::string token;  // the person's server session (online sign-in only)
    std::string grant;  // the offline grant ops carry
  };
  struct PendingLogin {
    std::string login;
    std::string secret;
    bool pin = false;
  };

  store::Store* store() { return storage_.store(); }
  void enrol(const state::SubmitEnrol& c);
  void after_enrolment(auth::Identity identity, PendingLogin login);
  void login(PendingLogin login);
  void login_online_answered(PendingLogin login, const sync::HttpResponse& response);
  void login_offline(PendingLogin login);
  void finish_login(std::optional<state::User> user, std::string error, Session session = {});
  void scan(const std::string& code);
  void complete_sale(const state::AppState& s);
  void record_void(const state::PendingVoid& v, const state::AppState& s);
  void approve(const state::SubmitApproval& c);
  void print_receipt(const state::AppState& s);
  // Checks a PIN or password against the verifier this till derived when
  // that person last signed in online here (offline grant, revocation,
  // failure pause), then answers with the account or why not.
  using VerifiedFn = std::function<void(std::optional<auth::LocalAccount>, std::string error)>;
  void verify_local(PendingLogin who, VerifiedFn done);
  void search(std::string text, std::string category_id, std::size_t offset);
  // One op into the journal on behalf of the signed-in person; `done` runs
  // once it is durable (ok) or its transaction failed.
  using RecordedFn = std::function<void(const store::Status&)>;
  store::Status record(const std::string& kind, std::string payload, const state::AppState& s, RecordedFn done);
  // --- the rest of the day (till_day.cpp) ---
  void handle_day(const state::Command& command, const state::AppState& s);
  void publish_shift();
  void open_shift(const state::SubmitOpenShift& c, const state::AppState& s);
  void cash_movement(const state::SubmitCashMovement& c, const state::AppState& s);
  void close_shift(const state::SubmitCloseShift& c, const state::AppState& s);
  std::optional<state::ShiftReportView> local_report(const std::string& shift_id, std::string& error);
  void print_report(const state::AppState& s);
  void load_history(const state::AppState& s, bool more);
  void load_sale(const std::string& sale_id, bool server, const state::AppState& s);
  std::optional<state::SaleDetail> local_detail(const std::string& op_id, std::string& error);
  void record_refund(const state::AppState& s);
  void load_attention();
  std::string session_token() const;
  std::string display_name_of(const std::string& user_id);
  void publish_catalog(bool force);
  void after_command(const state::AppState& s);
  void sign_out();
  void probe_server();

  std::vector<auth::LocalAccount> load_accounts();
  void save_account(const auth::LocalAccount& account);
  void publish_accounts();
  void publish_store();
  void publish_sync(bool force);

  sync::HttpRequest json_post(std::string url, std::string body) const;
  std::int64_t now_ms() const;

  App& app_;
  TillStorage& storage_;
  sync::HttpClient& http_;
  std::string version_;
  std::unique_ptr<sync::SyncEngine> sync_;
  UuidV7Generator ids_;
  std::optional<auth::Identity> identity_;
  // Waiting for the identity to be written before the enrolment is final.
  std::optional<std::pair<auth::Identity, PendingLogin>> saving_identity_;
  std::optional<Session> session_;
  // Offline sign-in failures per login, and until when that login pauses.
  std::map<std::string, std::pair<int, std::int64_t>> offline_failures_;
  std::optional<state::SyncView> last_sync_view_;
  double last_sync_publish_ms_ = 0.0;
  // The last good sync as kept in the local database, so "synced 5 min ago"
  // survives a reload; written at most every few minutes (each write dirties
  // a page that the next snapshot carries).
  std::int64_t kept_last_sync_ms_ = 0;
  double last_probe_ms_ = -1e9;
  bool probing_ = false;
  bool server_reachable_ = false;
  bool sync_changed_ = false;  // the engine reported a change: publish at the next frame
  bool browser_online_ = true;
  std::string saved_drafts_;     // the drafts record as last written
  std::string announced_total_;  // what the live region said about the cart last
  std::string announced_message_text_;
  std::string announced_receipt_;
  double last_catalog_publish_ms_ = -1e9;
  std::size_t glyph_count_ = 0;
  // The local history's next page starts before this sale.
  std::int64_t history_before_ms_ = 0;
  std::string history_before_op_;
};

}  // namespace salespider
