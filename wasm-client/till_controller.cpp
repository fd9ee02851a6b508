// TillController: enrolment, sign-in (online, then offline against the
// till's own verifier), lookups, recording sales, and the sync engine's
// heartbeat. See till_controller.hpp for what it is and is not.
#include "till_controller.hpp"

#include "automation/json_writer.hpp"
#include "platform/crypto.hpp"
#include "platform/page.hpp"
#include "platform/platform.hpp"
#include "platform/storage.hpp"
#include "receipt/receipt.hpp"
#include "state/drafts.hpp"
#include "store/catalog.hpp"

#include <salespider/shared/money_format.hpp>

#include <salespider/shared/payloads.hpp>
#include <salespider/shared/payment.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <type_traits>
#include <utility>

namespace salespider {

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
// Product tiles per page of the grid.
constexpr int kTilesPerPage = 48;
// Categories, glyphs and the tiles are refreshed at most this often while a
// pull keeps changing the catalog.
constexpr double kCatalogRefreshMs = 1000.0;

// {"<k1>":"<v1>",...}: the small request bodies of sign-in and enrolment.
std::string json_object(std::initializer_list<std::pair<const char*, std::string_view>> fields) {
  automation::JsonWriter json;
  json.begin_object();
  for (const auto& [key, value] : fields) json.key(key).value(value);
  json.end_object();
  return json.str();
}

bool no_answer(const sync::HttpResponse& r) {
  // 502-504: a proxy in front of a server that is down. Either way, nobody
  // judged the credentials, so an offline sign-in may be tried.
  return r.status == 0 || r.status == 502 || r.status == 503 || r.status == 504;
}

state::ProductSnapshot snapshot(const store::CatalogProduct& p, std::string barcode) {
  state::ProductSnapshot s;
  s.id = p.id;
  s.name = p.name;
  s.barcode = std::move(barcode);
  s.unit_price = p.price_minor;
  s.unit = p.unit == "weighed" ? UnitKind::weighed : UnitKind::each;
  s.tax.code = p.tax_code.empty() ? "NONE" : p.tax_code;
  s.tax.rate_ppm = p.tax_rate_ppm;
  if (Result<TaxKind> k = parse_tax_kind(p.tax_kind))
    s.tax.kind = k.value();
  else
    s.tax.kind = p.tax_rate_ppm == 0 ? TaxKind::zero : TaxKind::standard;
  s.currency = p.currency;
  s.category_id = p.category_id;
  if (p.track_stock) s.on_hand_milli = p.on_hand_milli;
  return s;
}

std::string money_text(const state::AppState& s, std::int64_t minor) {
  Result<Currency> c = find_currency(s.store.currency);
  if (!c) return std::to_string(minor);
  return format_money(Money{minor, c.value()}, MoneyFormat{});
}

std::optional<Approval> approval_of(const std::optional<state::Approver>& a) {
  if (!a) return std::nullopt;
  return Approval{a->user_id, a->grant};
}

}  // namespace

TillController::TillController(App& app, TillStorage& storage, sync::HttpClient& http, std::string app_version)
    : app_(app),
      storage_(storage),
      http_(http),
      version_(std::move(app_version)),
      ids_([] { return platform::storage::wall_clock_ms(); }, [] { return platform::storage::random_u64(); }) {}

std::int64_t TillController::now_ms() const {
  return platform::storage::wall_clock_ms();
}

void TillController::start() {
  if (std::optional<auth::Identity> id = auth::decode_identity(storage_.identity_json())) identity_ = std::move(id);
  if (store::Store* s = store()) {
    if (auto kept = s->setting(kLastSyncSetting); kept && kept.value())
      kept_last_sync_ms_ = std::atoll(kept.value()->c_str());
    if (auto paper = s->setting(kReceiptPaperSetting); paper && paper.value() && *paper.value() == "58")
      app_.apply(state::SetReceiptPaper{true});
    sync::SyncClock clock{[] { return platform::storage::wall_clock_ms(); },
                          [] { return platform::storage::monotonic_ms(); }};
    sync_ = std::make_unique<sync::SyncEngine>(*s, http_, std::move(clock), version_);
    // Published once per frame at most: a bootstrap changes something with
    // every slice, and each publication reads the settings and copies state.
    sync_->on_change = [this] { sync_changed_ = true; };
    sync_->set_browser_online(browser_online_);
    if (identity_) sync_->set_identity(sync::TillIdentity{identity_->till_id, identity_->code, identity_->credential});
  }
  if (identity_) app_.apply(state::TillChanged{auth::till_info(*identity_)});
  publish_accounts();
  publish_store();
  publish_sync(true);
  publish_catalog(true);
  publish_shift();
  std::string error;
  state::Drafts drafts = state::decode_drafts(storage_.drafts_json(), error);
  if (!error.empty()) std::fprintf(stderr, "salespider: the saved cart was not restored: %s\n", error.c_str());
  // What was read is what is stored: no write until something changes.
  saved_drafts_ = error.empty() && !storage_.drafts_json().empty() ? storage_.drafts_json() : std::string();
  app_.apply(state::DraftsRestored{std::move(drafts.cart), std::move(drafts.parked)});
  if (!saved_drafts_.empty()) saved_drafts_ = state::encode_drafts(app_.state().cart, app_.state().parked);
}

void TillController::tick() {
  if (sync_) sync_->tick(app_.state().sync.bootstrapping ? kBootstrapBudgetMs : kSyncBudgetMs);
  if (!identity_) probe_server();
  if (sync_changed_) {
    sync_changed_ = false;
    storage_.publish();
    publish_store();
    publish_sync(true);
    publish_catalog(false);
  } else {
    publish_sync(false);
  }
}

bool TillController::background_work(double budget_ms) {
  if (!sync_ || !sync_->has_pull_work()) return false;
  sync_->tick(budget_ms);
  return sync_->has_pull_work();
}

void TillController::browser_online(bool online) {
  browser_online_ = online;
  if (sync_) sync_->set_browser_online(online);
  publish_sync(true);
}

// --- publishing to the app state ------------------------------------------------

void TillController::publish_sync(bool force) {
  const double now = platform::storage::monotonic_ms();
  if (!force && now - last_sync_publish_ms_ < kSyncViewRefreshMs) return;
  last_sync_publish_ms_ = now;
  state::SyncView v;
  v.browser_online = browser_online_;
  v.now_ms = now_ms();
  if (sync_) {
    const sync::SyncStatus st = sync_->status();
    v.configured = st.configured;
    v.online = st.configured ? st.online : server_reachable_;
    v.browser_online = st.browser_online;
    v.busy = st.pushing || st.pulling;
    v.bootstrapping = st.bootstrapping;
    v.bootstrap_done = st.bootstrap_done;
    v.bootstrap_total = st.bootstrap_total;
    v.last_sync_ms = std::max(st.last_sync_ms, kept_last_sync_ms_);
    if (st.last_sync_ms - kept_last_sync_ms_ >= kKeepLastSyncEveryMs && store() && !store()->read_only()) {
      kept_last_sync_ms_ = st.last_sync_ms;
      (void)store()->set_setting(kLastSyncSetting, std::to_string(kept_last_sync_ms_));
    }
    v.clock_skew_ms = st.clock_skew_ms;
    v.retry_in_ms = st.retry_in_ms;
    v.last_error = st.last_error;
    v.protocol_too_old = st.protocol_too_old;
    v.credential_refused = st.credential_refused;
  } else {
    v.online = server_reachable_;
  }
  app_.apply(state::SyncChanged{std::move(v)});
}

void TillController::publish_store() {
  store::Store* s = store();
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
      if (Result<TenderKind> k = parse_tender_kind(t)) info.tenders[static_cast<std::size_t>(k.value())] = true;
  }
  info.receipt_header = r.receipt_header;
  info.receipt_footer = r.receipt_footer;
  info.tax_id = r.tax_id;
  info.address = r.address;
  const state::StoreInfo& now = app_.state().store;
  if (now.known && now.name == info.name && now.currency == info.currency && now.price_mode == info.price_mode &&
      now.time_zone == info.time_zone && now.cash_rounding_minor == info.cash_rounding_minor &&
      now.tenders == info.tenders && now.receipt_header == info.receipt_header &&
      now.receipt_footer == info.receipt_footer && now.tax_id == info.tax_id && now.address == info.address)
    return;
  app_.apply(state::StoreChanged{std::move(info)});
}

std::vector<auth::LocalAccount> TillController::load_accounts() {
  std::vector<auth::LocalAccount> out;
  store::Store* s = store();
  if (!s) return out;
  auto q = s->db().prepare("SELECT v FROM settings WHERE k >= ?1 AND k < ?2 ORDER BY k");
  if (!q) return out;
  store::Statement& st = q.value();
  st.bind(1, std::string(auth::kAccountKeyPrefix)).bind(2, std::string("account;"));
  while (true) {
    auto row = st.step();
    if (!row || !row.value()) break;
    if (std::optional<auth::LocalAccount> a = auth::decode_account(st.text(0))) out.push_back(std::move(*a));
  }
  return out;
}

void TillController::save_account(const auth::LocalAccount& account) {
  store::Store* s = store();
  if (!s) return;
  if (store::Status st = s->set_setting(auth::account_key(account.user.id), auth::encode_account(account)); !st) {
    std::fprintf(stderr, "salespider: could not keep %s for offline sign-in: %s\n",
                 account.user.username.c_str(), st.error().context.c_str());
    return;
  }
  // The verifier is what makes the next offline sign-in possible: persist it
  // now rather than with the next timed snapshot.
  (void)s->flush();
  publish_accounts();
}

void TillController::publish_accounts() {
  std::vector<state::KnownUser> users;
  for (const auth::LocalAccount& a : load_accounts())
    users.push_back(state::KnownUser{a.user.id, a.user.username, a.user.display_name, !a.pin_verifier.empty()});
  app_.apply(state::KnownUsersChanged{std::move(users)});
}

// --- commands ---------------------------------------------------------------------

void TillController::handle(const state::Command& command, const state::AppState& s) {
  // `s` is the state right after `command` was reduced; it must not be read
  // after apply() (which replaces it), so copy what is needed first.
  std::visit(
      [this, &s, &command](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, state::SubmitEnrol>) {
          if (s.busy) enrol(c);
        } else if constexpr (std::is_same_v<C, state::SubmitLogin>) {
          if (s.busy) login(PendingLogin{c.login, c.password, false});
        } else if constexpr (std::is_same_v<C, state::SubmitPin>) {
          if (s.busy) login(PendingLogin{c.login, c.pin, true});
        } else if constexpr (std::is_same_v<C, state::ScanCode>) {
          scan(c.code);
        } else if constexpr (std::is_same_v<C, state::ProductFound> || std::is_same_v<C, state::AddProduct>) {
          if (s.cart.sale_id.empty() && !s.cart.lines.empty()) app_.apply(state::SaleIdIssued{ids_.next().to_string()});
        } else if constexpr (std::is_same_v<C, state::CompleteSale> || std::is_same_v<C, state::AddPayment>) {
          if (s.busy && s.pay.settlement && s.pay.settlement->complete) complete_sale(s);
        } else if constexpr (std::is_same_v<C, state::SubmitApproval>) {
          if (s.busy) approve(c);
        } else if constexpr (std::is_same_v<C, state::VoidParked>) {
          if (s.busy && s.voiding) record_void(*s.voiding, s);
        } else if constexpr (std::is_same_v<C, state::ApprovalFinished>) {
          if (s.busy && s.voiding)
            record_void(*s.voiding, s);
          else
            handle_day(command, s);
        } else if constexpr (std::is_same_v<C, state::Search>) {
          search(c.text, c.category_id, 0);
        } else if constexpr (std::is_same_v<C, state::MoreProducts>) {
          search(s.browse.text, s.browse.category_id, s.browse.products.size());
        } else if constexpr (std::is_same_v<C, state::PrintReceipt>) {
          if (s.completed) print_receipt(s);
        } else if constexpr (std::is_same_v<C, state::SetReceiptPaper>) {
          if (store() && !store()->read_only()) (void)store()->set_setting(kReceiptPaperSetting, c.narrow ? "58" : "80");
        } else if constexpr (std::is_same_v<C, state::SignOut>) {
          if (!s.user) sign_out();
        } else if constexpr (std::is_same_v<C, state::SwitchCashier>) {
          sign_out();
        } else if constexpr (std::is_same_v<C, state::ResetLocalData>) {
          if (s.busy) platform::storage::reset_all();
        } else if constexpr (std::is_same_v<C, state::SyncNow>) {
          if (sync_) sync_->sync_now();
        } else if constexpr (std::is_same_v<C, state::ExportPendingOps>) {
          storage_.export_pending_ops();
        } else {
          handle_day(command, s);
        }
      },
      command);
  // After the command's own effects (which may have applied more commands).
  after_command(app_.state());
}

// Drafts and the live region follow the state after each command: the cart
// is written when it changed (a few hundred bytes, not the database), and the
// screen reader hears the new total, the payment result or the error.
void TillController::after_command(const state::AppState& s) {
  if (s.drafts_restored && store() && !store()->read_only()) {
    std::string drafts = state::encode_drafts(s.cart, s.parked);
    if (drafts != saved_drafts_) {
      platform::storage::save_drafts(drafts);
      saved_drafts_ = std::move(drafts);
    }
  }
  if (s.completed && s.completed->receipt_number != announced_receipt_) {
    announced_receipt_ = s.completed->receipt_number;
    platform::page::announce("Sale complete. Receipt " + s.completed->receipt_number + ". Change " +
                             money_text(s, s.completed->change) + ".");
  }
  const std::string total =
      s.cart.sale ? "Total " + money_text(s, s.cart.sale->totals.total) + ", " +
                        std::to_string(s.cart.lines.size()) + (s.cart.lines.size() == 1 ? " line" : " lines")
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
    const bool error = (s.message && s.message->kind == state::MessageKind::error) || (!pay_error.empty() && message.empty());
    if (!said.empty()) {
      if (error)
        platform::page::announce_error(said);
      else
        platform::page::announce(said);
    }
  }
}

sync::HttpRequest TillController::json_post(std::string url, std::string body) const {
  sync::HttpRequest r;
  r.method = "POST";
  r.url = std::move(url);
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

void TillController::probe_server() {
  const double now = platform::storage::monotonic_ms();
  if (probing_ || now - last_probe_ms_ < kProbeIntervalMs) return;
  probing_ = true;
  last_probe_ms_ = now;
  sync::HttpRequest r;
  r.method = "GET";
  r.url = "/api/v1/health";
  http_.send(r, [this](sync::HttpResponse response) {
    probing_ = false;
    const bool reachable = !no_answer(response);
    if (reachable != server_reachable_) {
      server_reachable_ = reachable;
      publish_sync(true);
    }
  });
}

// Enrolment: the manager signs in (no till yet), enrols, signs out again;
// then this browser signs the manager in as the new till's first person.
void TillController::enrol(const state::SubmitEnrol& c) {
  PendingLogin who{c.login, c.password, false};
  const std::string name = c.till_name.empty() ? std::string("Till") : c.till_name;
  http_.send(json_post("/api/v1/auth/login",
                       json_object({{"login", c.login}, {"password", c.password}})),
             [this, who, name](sync::HttpResponse response) {
               if (response.status != 200) {
                 server_reachable_ = !no_answer(response);
                 app_.apply(state::EnrolFinished{std::nullopt, no_answer(response)
                                                                   ? "Enrolment needs the store server — it cannot be reached."
                                                                   : auth::error_message(response.body, response.status)});
                 return;
               }
               std::optional<std::string> token = auth::parse_session_token(response.body);
               if (!token) {
                 app_.apply(state::EnrolFinished{std::nullopt, "The store server's answer was not understood."});
                 return;
               }
               sync::HttpRequest r = json_post("/api/v1/tills", json_object({{"name", name}}));
               r.headers.emplace_back("Authorization", "Bearer " + *token);
               const std::string session = *token;
               http_.send(r, [this, who, session](sync::HttpResponse answer) {
                 // The manager's enrolment session has done its job.
                 sync::HttpRequest out = json_post("/api/v1/auth/logout", "{}");
                 out.headers.emplace_back("Authorization", "Bearer " + session);
                 http_.send(out, [](sync::HttpResponse) {});
                 if (answer.status != 201 && answer.status != 200) {
                   app_.apply(state::EnrolFinished{std::nullopt, auth::error_message(answer.body, answer.status)});
                   return;
                 }
                 std::optional<auth::Identity> identity = auth::parse_enrol_answer(answer.body);
                 if (!identity) {
                   app_.apply(state::EnrolFinished{std::nullopt, "The store server's answer was not understood."});
                   return;
                 }
                 identity->enrolled_at_ms = now_ms();
                 after_enrolment(std::move(*identity), who);
               });
             });
}

void TillController::after_enrolment(auth::Identity identity, PendingLogin login) {
  const std::string json = auth::encode_identity(identity);
  saving_identity_ = std::make_pair(std::move(identity), std::move(login));
  platform::storage::save_identity(json);
}

void TillController::identity_saved(bool ok) {
  if (!saving_identity_) return;
  auto [identity, login] = std::move(*saving_identity_);
  saving_identity_.reset();
  if (!ok) {
    app_.apply(state::EnrolFinished{std::nullopt,
                                    "The till was enrolled but this browser could not store it. Check the storage "
                                    "settings and enrol again; a manager can retire till " +
                                        identity.code + "."});
    return;
  }
  identity_ = identity;
  if (sync_) sync_->set_identity(sync::TillIdentity{identity.till_id, identity.code, identity.credential});
  app_.apply(state::EnrolFinished{auth::till_info(identity), ""});
  // The manager who enrolled is signed in at once (and gets an offline grant).
  app_.apply(state::SubmitLogin{login.login, login.secret});
}

// --- sign-in ------------------------------------------------------------------------

void TillController::login(PendingLogin who) {
  if (!identity_) {
    finish_login(std::nullopt, "This browser is not enrolled as a till yet.");
    return;
  }
  const char* path = who.pin ? "/api/v1/auth/pin-login" : "/api/v1/auth/login";
  const char* secret_key = who.pin ? "pin" : "password";
  sync::HttpRequest r = json_post(path, json_object({{"login", who.login}, {secret_key, who.secret}}));
  if (who.pin)
    r.headers.emplace_back("Authorization", "Bearer " + identity_->credential);
  else
    r.headers.emplace_back("X-Till-Credential", identity_->credential);
  http_.send(r, [this, who](sync::HttpResponse response) { login_online_answered(who, response); });
}

void TillController::login_online_answered(PendingLogin who, const sync::HttpResponse& response) {
  if (no_answer(response)) {
    login_offline(std::move(who));
    return;
  }
  if (response.status != 200) {
    finish_login(std::nullopt, auth::error_message(response.body, response.status));
    return;
  }
  std::optional<auth::LoginAnswer> answer = auth::parse_login_answer(response.body);
  if (!answer) {
    finish_login(std::nullopt, "The store server's answer was not understood.");
    return;
  }
  std::optional<auth::LocalAccount> previous;
  for (auth::LocalAccount& a : load_accounts())
    if (a.user.id == answer->user.id) previous = std::move(a);
  auth::LocalAccount account = auth::merge_online(std::move(previous), *answer, who.login, now_ms());
  Session session{answer->session_token, account.grant.token};
  state::User user = account.user;
  offline_failures_.erase(auth::lower(who.login));
  // The person is signed in now; the verifier for next time follows
  // (PBKDF2 takes a moment and must not hold the cashier up).
  finish_login(user, "", session);
  const std::string salt = platform::crypto::random_hex(16);
  platform::crypto::pbkdf2_sha256_hex(
      who.secret, salt, auth::kVerifierIterations,
      [this, account = std::move(account), salt, pin = who.pin](std::optional<std::string> verifier) mutable {
        if (!verifier) return;  // no WebCrypto: this person cannot sign in offline here
        if (pin) {
          account.pin_salt = salt;
          account.pin_verifier = *verifier;
        } else {
          account.password_salt = salt;
          account.password_verifier = *verifier;
        }
        save_account(account);
      });
}

void TillController::login_offline(PendingLogin who) {
  verify_local(std::move(who), [this](std::optional<auth::LocalAccount> account, std::string error) {
    if (!account) {
      finish_login(std::nullopt, std::move(error));
      return;
    }
    state::User user = account->user;
    user.offline = true;
    finish_login(user, "", Session{"", account->grant.token});
  });
}

void TillController::verify_local(PendingLogin who, VerifiedFn done) {
  if (!identity_) {
    done(std::nullopt, "This browser is not an enrolled till.");
    return;
  }
  const std::string key = auth::lower(who.login);
  const std::int64_t now = now_ms();
  if (offline_failures_[key].second > now) {
    done(std::nullopt, "Too many wrong attempts: wait a few minutes, or connect to the store server.");
    return;
  }
  std::vector<auth::LocalAccount> accounts = load_accounts();
  const auth::LocalAccount* found = auth::find_account(accounts, who.login);
  if (!found) {
    done(std::nullopt, who.login + " has not signed in on this till before. Checking a password or PIN without "
                                   "the server needs one online sign-in here first.");
    return;
  }
  auth::LocalAccount account = *found;
  // Copies: `account` is moved into the callback below, in the same call.
  const std::string salt = who.pin ? account.pin_salt : account.password_salt;
  const std::string verifier = who.pin ? account.pin_verifier : account.password_verifier;
  if (salt.empty() || verifier.empty()) {
    done(std::nullopt, std::string("This till has no ") + (who.pin ? "PIN" : "password") + " check for " +
                           account.user.display_name + " yet: sign in online once with it.");
    return;
  }
  bool revoked = false;
  if (store::Store* s = store()) {
    auto r = store::is_grant_revoked(s->db(), account.grant.grant_id);
    revoked = r && r.value();
  }
  const auth::OfflineRefusal refusal = auth::check_offline_grant(account, identity_->till_id, now, revoked);
  if (refusal != auth::OfflineRefusal::none) {
    done(std::nullopt, auth::describe(refusal, account));
    return;
  }
  platform::crypto::pbkdf2_sha256_hex(
      who.secret, salt, auth::kVerifierIterations,
      [this, account = std::move(account), expected = verifier, key, done](std::optional<std::string> derived) {
        auto& [failures, paused_until] = offline_failures_[key];
        if (!derived || !auth::same_verifier(*derived, expected)) {
          if (++failures >= auth::kOfflineFailuresBeforePause) {
            failures = 0;
            paused_until = now_ms() + auth::kOfflinePauseMs;
          }
          done(std::nullopt, derived ? "Wrong password or PIN." : "This browser cannot check passwords offline.");
          return;
        }
        failures = 0;
        std::optional<auth::SignedParts> parts = auth::split_grant(account.grant.token);
        if (!parts || !identity_) {
          done(std::nullopt, auth::describe(auth::OfflineRefusal::no_grant, account));
          return;
        }
        // The grant's signature: a grant edited in this browser's storage
        // (a longer expiry, another role) is refused here, not only later on
        // the server. Browsers without Ed25519 in WebCrypto skip this check.
        platform::crypto::verify_ed25519(
            identity_->grant_public_key, parts->message, parts->signature_b64url,
            [account, done](std::optional<std::string> verdict) {
              if (verdict && *verdict != "valid") {
                done(std::nullopt,
                     account.user.display_name + "'s offline permission is not signed by this store: sign in online.");
                return;
              }
              done(account, "");
            });
      });
}

void TillController::finish_login(std::optional<state::User> user, std::string error, Session session) {
  if (user) session_ = std::move(session);
  app_.apply(state::LoginFinished{std::move(user), std::move(error)});
}

void TillController::sign_out() {
  if (session_ && !session_->token.empty()) {
    sync::HttpRequest out = json_post("/api/v1/auth/logout", "{}");
    out.headers.emplace_back("Authorization", "Bearer " + session_->token);
    http_.send(out, [](sync::HttpResponse) {});
  }
  session_.reset();
}

void TillController::reset_refused() {
  app_.apply(state::ResetRefused{"Local data was not reset: the till still holds sales the store server has not "
                                 "acknowledged."});
}

// --- selling ------------------------------------------------------------------------

void TillController::scan(const std::string& code) {
  store::Store* s = store();
  if (!s) {
    app_.apply(state::ProductNotFound{code, "The local store is not open: nothing can be sold on this tab."});
    return;
  }
  auto p = store::find_product_by_barcode(s->db(), code);
  std::string barcode = code;
  if (p && !p.value()) {
    p = store::find_product_by_sku(s->db(), code);
    barcode.clear();
  }
  if (!p) {
    app_.apply(state::ProductNotFound{code, "Looking up " + code + " failed: " + p.error().context});
    return;
  }
  if (!p.value()) {
    app_.apply(state::ProductNotFound{code, ""});
    return;
  }
  const store::CatalogProduct& product = *p.value();
  if (!product.is_active) {
    app_.apply(state::ProductNotFound{code, product.name + " is not for sale (inactive)."});
    return;
  }
  app_.apply(state::ProductFound{snapshot(product, std::move(barcode))});
}

void TillController::search(std::string text, std::string category_id, std::size_t offset) {
  store::Store* st = store();
  if (!st) return;
  store::ProductQuery q;
  q.text = text;
  q.category_id = category_id;
  // One more than a page tells whether another page exists.
  q.limit = kTilesPerPage + 1;
  q.offset = static_cast<int>(std::min<std::size_t>(offset, 1'000'000));
  auto found = store::search_products(st->db(), q);
  state::SearchResults r;
  r.text = std::move(text);
  r.category_id = std::move(category_id);
  r.append = offset > 0;
  if (found) {
    for (const store::CatalogProduct& p : found.value()) {
      if (!p.is_active) continue;
      if (r.products.size() == static_cast<std::size_t>(kTilesPerPage)) {
        r.more = true;
        break;
      }
      r.products.push_back(snapshot(p, p.barcode));
    }
  } else {
    r.error = "Searching the products on this till failed: " + found.error().context;
  }
  app_.apply(std::move(r));
}

void TillController::publish_catalog(bool force) {
  store::Store* st = store();
  if (!st) return;
  const double now = platform::storage::monotonic_ms();
  if (!force && now - last_catalog_publish_ms_ < kCatalogRefreshMs) return;
  last_catalog_publish_ms_ = now;
  if (auto cats = store::list_categories(st->db())) {
    std::vector<state::Category> out;
    for (const store::CatalogCategory& c : cats.value()) out.push_back(state::Category{c.id, c.name});
    if (out.size() != app_.state().browse.categories.size() ||
        !std::equal(out.begin(), out.end(), app_.state().browse.categories.begin(),
                    [](const state::Category& a, const state::Category& b) { return a.id == b.id && a.name == b.name; }))
      app_.apply(state::CategoriesChanged{std::move(out)});
  }
  if (auto glyphs = store::catalog_glyphs(st->db()); glyphs && glyphs.value().size() != glyph_count_) {
    glyph_count_ = glyphs.value().size();
    app_.set_catalog_glyphs(std::move(glyphs).value());
  }
  // New or changed products show up in the grid without retyping.
  const state::Browse& b = app_.state().browse;
  search(b.text, b.category_id, 0);
}

void TillController::approve(const state::SubmitApproval& c) {
  verify_local(PendingLogin{c.login, c.secret, true},
               [this](std::optional<auth::LocalAccount> account, std::string error) {
                 if (!account) {
                   app_.apply(state::ApprovalFinished{std::nullopt, std::move(error)});
                   return;
                 }
                 const state::User& u = account->user;
                 if (!state::is_manager_role(u.role)) {
                   app_.apply(state::ApprovalFinished{std::nullopt, u.display_name + " is not a manager."});
                   return;
                 }
                 state::Approver a;
                 a.user_id = u.id;
                 a.display_name = u.display_name;
                 a.grant = account->grant.token;
                 a.max_discount_percent = u.max_discount_percent;
                 a.permissions = u.permissions;
                 app_.apply(state::ApprovalFinished{std::move(a), ""});
               });
}

void TillController::record_void(const state::PendingVoid& v, const state::AppState& s) {
  VoidPayload payload;
  payload.sale_id = v.sale_id;
  payload.reason = v.reason;
  payload.approval = approval_of(v.approver);
  Result<std::string> json = encode_void_payload(payload);
  if (!json) {
    app_.apply(state::ParkedVoided{v.sale_id, "The void could not be written down: " + json.error().context});
    return;
  }
  const std::string sale_id = v.sale_id;
  store::Status st = record("void", std::move(json).value(), s, [this, sale_id](const store::Status& status) {
    app_.apply(state::ParkedVoided{sale_id, status ? std::string()
                                                   : "The void could not be stored (" + status.error().context +
                                                         "): the sale stays parked."});
  });
  if (!st) app_.apply(state::ParkedVoided{sale_id, "The void could not be recorded: " + st.error().context});
}

receipt::ReceiptInput store_receipt(const state::AppState& s) {
  receipt::ReceiptInput r;
  r.store_name = s.store.name;
  r.address = s.store.address;
  r.tax_id = s.store.tax_id;
  r.header = s.store.receipt_header;
  r.footer = s.store.receipt_footer;
  r.time_zone = s.store.time_zone;
  r.till_code = s.till.code;
  r.paper = s.receipt_58mm ? receipt::Paper::mm58 : receipt::Paper::mm80;
  return r;
}

void TillController::print_receipt(const state::AppState& s) {
  const state::Completed& c = *s.completed;
  receipt::ReceiptInput r = store_receipt(s);
  r.receipt_number = c.receipt_number;
  r.time_text = c.time_text;
  r.sale = c.sale;
  r.cart_discounts = c.cart_discounts;
  r.payments = c.payments;
  r.settlement = c.settlement;
  r.offline = c.offline;
  r.copy = c.prints > 1;
  platform::page::print_html(receipt::receipt_html(r));
}

void TillController::complete_sale(const state::AppState& s) {
  store::Store* st = store();
  if (!st || !identity_ || !s.user || !session_) {
    app_.apply(state::SaleFailed{"Nobody is signed in on an enrolled till: the sale was not recorded."});
    return;
  }
  const Cart cart = state::cart_of(s);
  Result<Sale> sale = compute_sale(cart);
  if (!sale) {
    app_.apply(state::SaleFailed{"The cart does not add up: " + sale.error().context});
    return;
  }
  const std::int64_t total = sale.value().totals.total;
  const std::vector<Payment> payments = s.pay.payments;
  Result<Settlement> settled = settle(total, payments, state::tender_settings(s.store));
  if (!settled || !settled.value().complete) {
    app_.apply(state::SaleFailed{settled ? "The payments do not cover the total."
                                         : "The payment does not settle: " + settled.error().context});
    return;
  }
  const std::int64_t seq = st->next_receipt_sequence();
  Result<std::string> receipt = format_receipt_number(ReceiptNumber{identity_->code, seq});
  if (!receipt) {
    app_.apply(state::SaleFailed{"No receipt number is left for this till: " + receipt.error().context});
    return;
  }
  SalePayload payload;
  payload.receipt_number = receipt.value();
  payload.cart = cart;
  payload.payments = payments;
  payload.total = total;
  payload.approval = approval_of(s.cart.approver);
  if (s.shift) payload.shift_id = s.shift->shift_id;
  Result<std::string> json = encode_sale_payload(payload);
  if (!json) {
    app_.apply(state::SaleFailed{"The sale could not be written down: " + json.error().context});
    return;
  }
  store::OpInput op;
  op.op_id = ids_.next().to_string();
  op.till_id = identity_->till_id;
  op.kind = "sale";
  op.created_at = now_ms();
  op.user_id = s.user->id;
  op.grant = session_->grant;
  op.payload = std::move(json).value();
  op.takes_receipt = true;

  state::Completed done;
  done.receipt_number = receipt.value();
  done.total = total;
  done.tendered = settled.value().cash_tendered;
  done.change = settled.value().change;
  done.sale = sale.value();
  done.cart_discounts = cart.discounts;
  done.payments = payments;
  done.settlement = settled.value();
  done.cashier = s.user->display_name;
  done.currency = s.store.currency;
  done.offline = !s.sync.online;
  done.time_text = platform::format_local_time(op.created_at, s.store.time_zone);
  const double started = platform::storage::monotonic_ms();
  store::Result<store::RecordTicket> ticket =
      st->record_op(std::move(op), [this, done, started](const store::Status& status, const store::JournalRecord&) mutable {
        // Only now is the sale durable in IndexedDB: "Sale complete" may show.
        if (status) {
          done.persist_ms = platform::storage::monotonic_ms() - started;
          app_.apply(state::SaleRecorded{done});
          if (sync_) sync_->poke();
        } else {
          app_.apply(state::SaleFailed{"The sale could not be stored on this device (" + status.error().context +
                                       "). Nothing was recorded: do not hand over goods for it yet."});
        }
        storage_.publish();
      });
  if (!ticket) app_.apply(state::SaleFailed{"The sale could not be recorded: " + ticket.error().context});
  storage_.publish();
}

}  // namespace salespider
