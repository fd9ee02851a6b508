// TillController: the till's effects, and the one place commands are
// dispatched to them. It sees every command after the reducer took it
// (App::set_effects) and routes it to the effect that needs the outside
// world: session.hpp (enrolment, sign-in, lock), selling.hpp (lookups,
// sale, void, refund), day.hpp (shifts, cash movements, history); all of
// them record ops through the one OpRecorder. It also owns the sync engine
// (its heartbeat, the status bar's sync view), the store settings view,
// the saved drafts and what the screen reader is told after each command.
// Answers are further commands (EnrolFinished, LoginFinished,
// ProductFound, SaleRecorded, SyncChanged ...).
//
// It acts on a Submit*/ResetLocalData command only when the reducer
// accepted it (state.busy), and records a sale, void, refund, shift open or
// close or cash movement only for a token the reducer issued and this has
// not consumed yet (AppState::effect): a second command in the same frame
// finds no new token and records nothing. The reducer stays the one place
// that decides what is allowed. Free of Emscripten: everything browser-side comes
// through platform/ interfaces. Deliberately not here: drawing, and the
// rules of selling (shared/ and state/).
#pragma once

#include "effects/app.hpp"
#include "effects/audit.hpp"
#include "effects/server_alerts.hpp"
#include "effects/shifts_archive.hpp"
#include "effects/reports.hpp"
#include "effects/back_office.hpp"
#include "effects/context.hpp"
#include "effects/day.hpp"
#include "effects/language.hpp"
#include "effects/op_recorder.hpp"
#include "effects/receipt_printer.hpp"
#include "effects/selling.hpp"
#include "effects/session.hpp"
#include "effects/settings.hpp"
#include "effects/staff.hpp"
#include "effects/setup.hpp"
#include "effects/stock_ops.hpp"
#include "effects/till_storage.hpp"
#include "effects/tills.hpp"
#include "state/app_state.hpp"
#include "sync/http.hpp"
#include "sync/sync_engine.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace salespider::effects {

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
  void identity_saved(bool ok) { session_.identity_saved(ok); }
  void reset_refused() { session_.reset_refused(); }
  void browser_online(bool online);

 private:
  void after_command(const state::AppState& s);
  void fade_message(const state::AppState& s);
  void open_camera();
  void probe_server();
  void publish_store();
  void publish_sync(bool force);

  Context ctx_;
  std::string version_;
  std::unique_ptr<sync::SyncEngine> sync_;
  OpRecorder recorder_;
  Session session_;
  Selling selling_;
  Day day_;
  BackOfficeEffects back_office_;
  StockOps stock_;
  SettingsEffects settings_;
  StaffEffects staff_;
  TillsEffects tills_;
  AuditEffects audit_;
  SetupEffects setup_;
  Language language_;
  ServerAlertsEffects server_alerts_;
  ShiftsArchiveEffects shifts_archive_;
  ReportsEffects reports_;
  ReceiptPrinter printer_;

  std::optional<state::SyncView> last_sync_view_;
  double last_sync_publish_ms_ = 0.0;
  // The last good sync as kept in the local database, so "synced 5 min ago"
  // survives a reload; written at most every few minutes (each write dirties
  // a page that the next snapshot carries).
  std::int64_t kept_last_sync_ms_ = 0;
  double last_probe_ms_ = -1e9;
  bool probing_ = false;
  bool sync_changed_ = false;  // the engine reported a change: publish at the next frame
  bool browser_online_ = true;
  state::EffectInbox effects_inbox_;  // the reducer's accepted tokens, each acted on once
  std::string saved_drafts_;     // the drafts record as last written
  std::string announced_total_;  // what the live region said about the cart last
  std::string announced_message_text_;
  std::string announced_receipt_;
  std::string shown_to_customer_;  // the customer display's last message
  // The info message on screen and since when (monotonic), to fade it.
  std::string message_seen_;
  double message_seen_at_ms_ = 0.0;
  static constexpr double kInfoMessageMs = 6000.0;
};

}  // namespace salespider::effects
