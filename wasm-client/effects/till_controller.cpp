// TillController: start-up, the per-frame heartbeat, the command dispatch,
// and what follows every command (drafts, the screen reader). See
// till_controller.hpp.
#include "effects/till_controller.hpp"

#include <salespider/shared/i18n.hpp>

#include "effects/customer_display.hpp"
#include "effects/printing.hpp"
#include "platform/camera.hpp"
#include "platform/page.hpp"
#include "platform/platform.hpp"
#include "platform/storage.hpp"
#include "state/drafts.hpp"
#include "store/catalog.hpp"

#include <salespider/shared/money_format.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <utility>

namespace salespider::effects {

namespace {

// Work the sync engine may do inside one frame (parsing and inserting a
// catalog page): the rest of a 60 Hz frame stays with the UI. A bootstrap
// gets more of the frame (100,000 products in under 10 s), steady state less.
constexpr double kSyncBudgetMs = 6.0;
constexpr double kBootstrapBudgetMs = 12.0;
// How often the status bar's sync view is refreshed without a change
// (the "synced 12 s ago" text and the retry countdown).
constexpr double kSyncViewRefreshMs = 1000.0;
// Before enrolment there is no sync: the enrol screen probes the server.
constexpr double kProbeIntervalMs = 5000.0;
constexpr std::int64_t kKeepLastSyncEveryMs = 5 * 60 * 1000;
constexpr const char* kLastSyncSetting = "last_sync_ms";
constexpr const char* kReceiptPaperSetting = "receipt_paper";  // "80" | "58" (mm)

std::string money_text(const state::AppState& s, std::int64_t minor) {
  Result<Currency> c = find_currency(s.store.currency);
  if (!c) return std::to_string(minor);
  return format_money(Money{minor, c.value()}, i18n::money_format(s.language));
}

}  // namespace

TillController::TillController(App& app, TillStorage& storage, sync::HttpClient& http,
                               std::string app_version)
    : ctx_(app, storage, http),
      version_(std::move(app_version)),
      recorder_(ctx_),
      session_(ctx_),
      selling_(ctx_, recorder_),
      day_(ctx_, recorder_),
      back_office_(ctx_, selling_),
      stock_(ctx_, recorder_),
      settings_(ctx_),
      staff_(ctx_),
      tills_(ctx_),
      audit_(ctx_),
      setup_(ctx_),
      language_(ctx_),
      server_alerts_(ctx_),
      shifts_archive_(ctx_),
      reports_(ctx_),
      printer_(ctx_) {}

void TillController::start() {
  if (std::optional<auth::Identity> id = auth::decode_identity(ctx_.storage.identity_json()))
    ctx_.identity = std::move(id);
  if (store::Store* s = ctx_.store()) {
    if (auto kept = s->setting(kLastSyncSetting); kept && kept.value())
      kept_last_sync_ms_ = std::atoll(kept.value()->c_str());
    if (auto paper = s->setting(kReceiptPaperSetting); paper && paper.value() && *paper.value() == "58")
      ctx_.app.apply(state::SetReceiptPaper{true});
    language_.start();
    printer_.start();
    sync::SyncClock clock{[] { return platform::storage::wall_clock_ms(); },
                          [] { return platform::storage::monotonic_ms(); }};
    sync_ = std::make_unique<sync::SyncEngine>(*s, ctx_.http, std::move(clock), version_);
    ctx_.sync = sync_.get();
    // A new till bootstraps in parts (docs/sync-protocol.md "Bootstrap in
    // parts"); a server without the route answers 404 and the paged pull
    // does it all.
    ctx_.sync->set_catalog_parts(true);
    // Published once per frame at most: a bootstrap changes something with
    // every slice, and each publication reads the settings and copies state.
    ctx_.sync->on_change = [this] { sync_changed_ = true; };
    ctx_.sync->set_browser_online(browser_online_);
    if (ctx_.identity)
      ctx_.sync->set_identity(
          sync::TillIdentity{ctx_.identity->till_id, ctx_.identity->code, ctx_.identity->credential,
                             ctx_.identity->predecessor_till_id});
  }
  if (ctx_.identity) ctx_.app.apply(state::TillChanged{auth::till_info(*ctx_.identity)});
  session_.publish_accounts();
  publish_store();
  publish_sync(true);
  selling_.publish_catalog(true);
  day_.publish_shift();
  std::string error;
  state::Drafts drafts = state::decode_drafts(ctx_.storage.drafts_json(), error);
  if (!error.empty())
    std::fprintf(stderr, "salespider: the saved cart was not restored: %s\n", error.c_str());
  // What was read is what is stored: no write until something changes.
  saved_drafts_ =
      error.empty() && !ctx_.storage.drafts_json().empty() ? ctx_.storage.drafts_json() : std::string();
  ctx_.app.apply(state::DraftsRestored{std::move(drafts.cart), std::move(drafts.parked)});
  // One cart, one sale: a cart whose sale the journal already holds is not
  // paid again; one restored without a sale id gets one now.
  selling_.settle_restored_cart(ctx_.app.state());
  selling_.issue_sale_id(ctx_.app.state());
  ctx_.app.apply(state::StockCountRestored{StockOps::count_of(ctx_.storage.drafts_json())});
  if (!saved_drafts_.empty())
    saved_drafts_ = StockOps::with_count(state::encode_drafts(ctx_.app.state().cart, ctx_.app.state().parked),
                                         ctx_.app.state());
}

void TillController::tick() {
  if (ctx_.sync) ctx_.sync->tick(ctx_.app.state().sync.bootstrapping ? kBootstrapBudgetMs : kSyncBudgetMs);
  if (!ctx_.identity) probe_server();
  server_alerts_.tick(ctx_.app.state());
  fade_message(ctx_.app.state());
  if (sync_changed_) {
    sync_changed_ = false;
    ctx_.storage.publish();
    publish_store();
    publish_sync(true);
    selling_.publish_catalog(false);
  } else {
    publish_sync(false);
  }
}

// The camera over the till: each code is a scan, exactly as a keyboard-wedge
// scanner's (a known code adds a line, an unknown one says so). Leaving the
// till screen closes it.
void TillController::open_camera() {
  platform::camera::Labels labels{i18n::tr("Done"), i18n::tr("Hold the barcode in the frame: each item is added as it is read.")};
  platform::camera::open(
      labels, [this](std::string code) {
        if (ctx_.app.state().screen == state::Screen::Till) ctx_.app.apply(state::ScanCode{std::move(code)});
      },
      [this](std::string problem) {
        const char* why = problem.empty()         ? ""
                          : problem == "no_camera" ? i18n::tr("No camera was found on this device.")
                          : problem == "denied"
                              ? i18n::tr("The camera is not allowed for the till: allow it in the browser's site settings.")
                          : problem == "no_decoder" ? i18n::tr("The barcode reader could not be loaded.")
                                                    : i18n::tr("The camera stopped.");
        ctx_.app.apply(state::CameraEnded{why});
      });
}

// A confirmation ("Shift open.", "Cash out recorded.") is a toast over the
// screen (ui::toast) that goes away by itself: after 6 s, a long one later
// (70 ms a character, time to read it); an error stays on its screen until
// it is dismissed or replaced.
void TillController::fade_message(const state::AppState& s) {
  if (!s.message || s.message->kind != state::MessageKind::info) {
    message_seen_.clear();
    return;
  }
  const double now = platform::storage::monotonic_ms();
  if (s.message->text != message_seen_) {
    message_seen_ = s.message->text;
    message_seen_at_ms_ = now;
  } else if (now - message_seen_at_ms_ >= kInfoMessageMs + 70.0 * static_cast<double>(message_seen_.size())) {
    message_seen_.clear();
    ctx_.app.apply(state::DismissMessage{});
  }
}

bool TillController::background_work(double budget_ms) {
  if (!sync_ || !sync_->has_pull_work()) return false;
  ctx_.sync->tick(budget_ms);
  return ctx_.sync->has_pull_work();
}

void TillController::browser_online(bool online) {
  browser_online_ = online;
  if (ctx_.sync) ctx_.sync->set_browser_online(online);
  publish_sync(true);
}

// --- publishing to the app state ------------------------------------------------

void TillController::publish_sync(bool force) {
  const double now = platform::storage::monotonic_ms();
  if (!force && now - last_sync_publish_ms_ < kSyncViewRefreshMs) return;
  last_sync_publish_ms_ = now;
  state::SyncView v;
  v.browser_online = browser_online_;
  v.now_ms = ctx_.now_ms();
  if (ctx_.sync) {
    const sync::SyncStatus st = ctx_.sync->status();
    v.configured = st.configured;
    v.online = st.configured ? st.online : ctx_.server_reachable;
    v.browser_online = st.browser_online;
    v.busy = st.pushing || st.pulling;
    v.bootstrapping = st.bootstrapping;
    v.bootstrap_done = st.bootstrap_done;
    v.bootstrap_total = st.bootstrap_total;
    v.last_sync_ms = std::max(st.last_sync_ms, kept_last_sync_ms_);
    if (st.last_sync_ms - kept_last_sync_ms_ >= kKeepLastSyncEveryMs && ctx_.writable()) {
      kept_last_sync_ms_ = st.last_sync_ms;
      (void)ctx_.store()->set_setting(kLastSyncSetting, std::to_string(kept_last_sync_ms_));
    }
    v.clock_skew_ms = st.clock_skew_ms;
    v.retry_in_ms = st.retry_in_ms;
    v.last_error = st.last_error;
    v.protocol_too_old = st.protocol_too_old;
    v.credential_refused = st.credential_refused;
    v.deferred_changes = st.deferred_changes;
  } else {
    v.online = ctx_.server_reachable;
  }
  ctx_.app.apply(state::SyncChanged{std::move(v)});
}

void TillController::publish_store() {
  store::Store* s = ctx_.store();
  if (!s) return;
  auto row = store::store_settings(s->db());
  if (!row || !row.value()) return;
  const store::StoreSettingsRow& r = *row.value();
  state::StoreInfo info;
  info.known = true;
  info.name = r.store_name;
  if (!r.currency.empty()) info.currency = r.currency;
  if (Result<PriceMode> m = parse_price_mode(r.price_mode)) info.price_mode = m.value();
  info.time_zone = r.time_zone;
  info.cash_rounding_minor = r.cash_rounding_minor;
  if (!r.enabled_tenders.empty()) {
    info.tenders.fill(false);
    for (const std::string& t : r.enabled_tenders)
      if (Result<TenderKind> k = parse_tender_kind(t))
        info.tenders[static_cast<std::size_t>(k.value())] = true;
  }
  info.receipt_header = r.receipt_header;
  info.receipt_footer = r.receipt_footer;
  info.tax_id = r.tax_id;
  info.address = r.address;
  info.phone = r.phone;
  info.logo = r.logo;
  for (TenderKind k : kAllTenderKinds)
    if (auto it = r.tender_names.find(std::string(to_string(k))); it != r.tender_names.end())
      info.tender_names[static_cast<std::size_t>(k)] = it->second;
  info.default_tax_rate_id = r.default_tax_rate_id;
  info.date_format = r.date_format;
  if (!r.time_format.empty()) info.time_format = r.time_format;
  if (!r.language.empty()) info.language = r.language;
  info.sell_only_in_shift = r.sell_only_in_shift;
  if (r.offline_grant_hours > 0) info.offline_grant_hours = r.offline_grant_hours;
  if (r.login_max_failures > 0) info.login_max_failures = r.login_max_failures;
  if (r.login_max_failures_per_address > 0) info.login_max_failures_per_address = r.login_max_failures_per_address;
  if (r.login_window_minutes > 0) info.login_window_minutes = r.login_window_minutes;
  if (r.login_lockout_minutes > 0) info.login_lockout_minutes = r.login_lockout_minutes;
  if (ctx_.app.state().store == info) return;
  ctx_.app.apply(state::StoreChanged{std::move(info)});
}

// --- commands ---------------------------------------------------------------------

void TillController::handle(const state::Command& command, const state::AppState& s) {
  // `s` is the state right after `command` was reduced; it must not be read
  // after apply() (which replaces it), so copy what is needed first.
  const std::optional<state::AcceptedEffect> accepted = effects_inbox_.take(s);
  const auto accepted_as = [&accepted](state::EffectKind k) { return accepted && accepted->kind == k; };
  // Grouped by effect: session, selling, day, then the till itself. The
  // back office's commands first (none of them is handled below).
  back_office_.handle(command, s);
  stock_.handle(command, s);
  settings_.handle(command, s);
  staff_.handle(command, s);
  tills_.handle(command, s);
  audit_.handle(command, s);
  setup_.handle(command, s);
  language_.handle(command, s);
  server_alerts_.handle(command, s);
  shifts_archive_.handle(command, s);
  reports_.handle(command, s);
  printer_.handle(command, s);
  std::visit(
      [this, &s, &accepted, &accepted_as](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, state::SubmitEnrol>) {
          if (s.busy) session_.enrol(c);
        } else if constexpr (std::is_same_v<C, state::SubmitLogin>) {
          if (s.busy) session_.login(c.login, c.password, false);
        } else if constexpr (std::is_same_v<C, state::SubmitPin>) {
          if (s.busy) session_.login(c.login, c.pin, true);
        } else if constexpr (std::is_same_v<C, state::SubmitApproval>) {
          if (s.busy) session_.approve(c);
        } else if constexpr (std::is_same_v<C, state::SignOut>) {
          if (!s.user) session_.sign_out();
        } else if constexpr (std::is_same_v<C, state::SwitchCashier>) {
          session_.sign_out();
        } else if constexpr (std::is_same_v<C, state::ScanCode>) {
          selling_.scan(c.code);
        } else if constexpr (std::is_same_v<C, state::ProductFound> || std::is_same_v<C, state::AddProduct>) {
          selling_.issue_sale_id(s);
        } else if constexpr (std::is_same_v<C, state::CompleteSale> || std::is_same_v<C, state::AddPayment>) {
          if (accepted_as(state::EffectKind::sale) && s.pay.settlement && s.pay.settlement->complete)
            selling_.complete_sale(s);
        } else if constexpr (std::is_same_v<C, state::VoidParked>) {
          if (accepted_as(state::EffectKind::void_sale) && s.voiding)
            selling_.record_void(*s.voiding, s, accepted->op_id);
        } else if constexpr (std::is_same_v<C, state::ApprovalFinished>) {
          // A manager's PIN was asked for a void or for a refund.
          if (accepted_as(state::EffectKind::void_sale) && s.voiding)
            selling_.record_void(*s.voiding, s, accepted->op_id);
          else if (accepted_as(state::EffectKind::refund) && s.refund && s.refund->approver)
            selling_.record_refund(s, accepted->op_id);
        } else if constexpr (std::is_same_v<C, state::SubmitRefund>) {
          if (accepted_as(state::EffectKind::refund) && s.refund) selling_.record_refund(s, accepted->op_id);
        } else if constexpr (std::is_same_v<C, state::Search>) {
          selling_.search(c.text, c.category_id, 0);
        } else if constexpr (std::is_same_v<C, state::MoreProducts>) {
          selling_.search(s.browse.text, s.browse.category_id, s.browse.products.size());
        } else if constexpr (std::is_same_v<C, state::PrintReceipt>) {
          if (s.completed) printer_.print(completed_receipt(s), s);
        } else if constexpr (std::is_same_v<C, state::SaleRecorded>) {
          // The sale is durable and shown complete; its receipt goes to an
          // ESC/POS printer by itself (never the dialog, which would ask).
          if (s.completed && state::prints_escpos(s.printer.setup) && s.printer.setup.auto_print)
            ctx_.app.apply(state::PrintReceipt{});
        } else if constexpr (std::is_same_v<C, state::OpenCustomerDisplay>) {
          platform::page::open_customer_display();
        } else if constexpr (std::is_same_v<C, state::OpenCamera>) {
          if (s.camera.open) open_camera();
        } else if constexpr (std::is_same_v<C, state::SetReceiptPaper>) {
          if (ctx_.writable()) (void)ctx_.store()->set_setting(kReceiptPaperSetting, c.narrow ? "58" : "80");
        } else if constexpr (std::is_same_v<C, state::SubmitOpenShift>) {
          if (accepted_as(state::EffectKind::shift_open)) day_.open_shift(c, s, accepted->op_id);
        } else if constexpr (std::is_same_v<C, state::SubmitCashMovement>) {
          if (accepted_as(state::EffectKind::cash_movement)) day_.cash_movement(c, s, accepted->op_id);
        } else if constexpr (std::is_same_v<C, state::SubmitCloseShift>) {
          if (accepted_as(state::EffectKind::shift_close)) day_.close_shift(c, s, accepted->op_id);
        } else if constexpr (std::is_same_v<C, state::RequestShiftReport>) {
          day_.request_report(s);
        } else if constexpr (std::is_same_v<C, state::PrintShiftReport>) {
          if (s.report) day_.print_report(s);
        } else if constexpr (std::is_same_v<C, state::SetShiftRequired>) {
          day_.set_shift_required(s);
        } else if constexpr (std::is_same_v<C, state::OpenHistory>) {
          if (s.screen == state::Screen::History) day_.load_history(s, false);
        } else if constexpr (std::is_same_v<C, state::ExportSales>) {
          if (s.history.exporting) day_.export_sales(s);
        } else if constexpr (std::is_same_v<C, state::MoreHistory>) {
          if (s.history.loading) day_.load_history(s, true);
        } else if constexpr (std::is_same_v<C, state::RefundRecorded>) {
          if (c.error.empty()) day_.load_history(s, false);
        } else if constexpr (std::is_same_v<C, state::OpenSale>) {
          day_.load_sale(c.sale_id, c.server, s);
        } else if constexpr (std::is_same_v<C, state::ReprintSale>) {
          if (s.sale_detail) printer_.print(reprint_receipt(s), s);
        } else if constexpr (std::is_same_v<C, state::OpenAttention>) {
          if (s.screen == state::Screen::Attention) day_.load_attention();
        } else if constexpr (std::is_same_v<C, state::ResetLocalData>) {
          if (s.busy) platform::storage::reset_all();
        } else if constexpr (std::is_same_v<C, state::SyncNow>) {
          if (sync_) sync_->sync_now();
        } else if constexpr (std::is_same_v<C, state::ExportPendingOps>) {
          ctx_.storage.export_pending_ops();
        }
      },
      command);
  // After the command's own effects (which may have applied more commands).
  after_command(ctx_.app.state());
}

// Drafts and the live region follow the state after each command: the cart
// is written when it changed (a few hundred bytes, not the database), and the
// screen reader hears the new total, the payment result or the error.
void TillController::after_command(const state::AppState& s) {
  Language::follow(s);
  // The camera scans for the till screen only (a payment, a dialog: it closes).
  if (s.camera.open && (s.screen != state::Screen::Till || !s.user)) {
    platform::camera::close();
    ctx_.app.apply(state::CameraEnded{});
    return;
  }
  // The customer display follows the cart, the payment and the completed sale.
  if (std::string display = customer_display_json(s); display != shown_to_customer_) {
    platform::page::customer_display(display);
    shown_to_customer_ = std::move(display);
  }
  // The next dialog op's id is ready before the dialog asks for it.
  if (s.next_op_id.empty()) {
    ctx_.app.apply(state::OpIdIssued{ctx_.ids.next().to_string()});
    return;  // handle(OpIdIssued) ran after_command on the new state
  }
  if (s.drafts_restored && ctx_.writable()) {
    std::string drafts = StockOps::with_count(state::encode_drafts(s.cart, s.parked), s);
    if (drafts != saved_drafts_) {
      platform::storage::save_drafts(drafts);
      saved_drafts_ = std::move(drafts);
    }
  }
  if (s.completed && s.completed->receipt_number != announced_receipt_) {
    announced_receipt_ = s.completed->receipt_number;
    platform::page::announce(i18n::trf("Sale complete. Receipt {receipt}. Change {change}.",
                                       {{"receipt", s.completed->receipt_number},
                                        {"change", money_text(s, s.completed->change)}}));
  }
  const std::int64_t lines = static_cast<std::int64_t>(s.cart.lines.size());
  const std::string total =
      s.cart.sale ? i18n::format(i18n::trn("Total {total}, {n} line", "Total {total}, {n} lines", lines),
                                 {{"total", money_text(s, s.cart.sale->totals.total)}, {"n", std::to_string(lines)}})
                  : std::string();
  if (total != announced_total_) {
    announced_total_ = total;
    if (!total.empty()) platform::page::announce(total);
  }
  const std::string message = s.message ? s.message->text : std::string();
  const std::string pay_error = s.pay.error;
  const std::string said = !message.empty() ? message : pay_error;
  if (said != announced_message_text_) {
    announced_message_text_ = said;
    const bool error = (s.message && s.message->kind == state::MessageKind::error) ||
                       (!pay_error.empty() && message.empty());
    if (!said.empty()) {
      if (error)
        platform::page::announce_error(said);
      else
        platform::page::announce(said);
    }
  }
}

void TillController::probe_server() {
  const double now = platform::storage::monotonic_ms();
  if (probing_ || now - last_probe_ms_ < kProbeIntervalMs) return;
  probing_ = true;
  last_probe_ms_ = now;
  sync::HttpRequest r;
  r.method = "GET";
  r.url = "/api/v1/health";
  ctx_.http.send(r, [this](sync::HttpResponse response) {
    probing_ = false;
    const bool reachable = !no_answer(response);
    if (reachable != ctx_.server_reachable) {
      ctx_.server_reachable = reachable;
      publish_sync(true);
    }
  });
}

}  // namespace salespider::effects
