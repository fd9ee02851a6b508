// The till's application state and the only function that changes it.
//
// Pure values: ui/ reads an AppState and emits Commands; the app applies them
// with reduce() after the frame. Commands that need the outside world
// (enrolling, logging in, looking up a barcode, recording a sale) are also
// handed to the controller (effects/till_controller.cpp), which answers later with
// another Command (EnrolFinished, LoggedIn, ProductFound, SaleRecorded ...).
// Nothing here knows ImGui, the browser, the clock or storage, so it can be
// unit-tested natively. The cart is computed with shared/'s compute_sale, the
// same code the server uses to check it.
// Selling (ux.md "Flow of a sale"): product search and tiles, quantity by
// keypad, weighed lines, line and cart discounts within the role's limit
// (a manager's PIN approves more, on the spot), parked sales, split tender
// with cash rounding. Deliberately not here: shifts and refunds ([9/9]),
// drawing receipts (receipt/), where drafts are kept (the controller).
#pragma once

#include <salespider/shared/cart.hpp>
#include <salespider/shared/payment.hpp>
#include <salespider/shared/refund.hpp>
#include <salespider/shared/shift_report.hpp>

#include "state/stock_ops.hpp"
#include "state/back_office.hpp"
#include "state/settings.hpp"
#include "state/staff.hpp"
#include "state/tills.hpp"
#include "state/audit.hpp"
#include "state/setup.hpp"
#include "state/server_alerts.hpp"
#include "state/shifts_archive.hpp"
#include "state/reports.hpp"
#include "state/printer.hpp"

#include <cstdint>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace salespider::state {

enum class Screen {
  Welcome,  // splash: "Open till"
  Enrol,    // this browser is no till yet: a manager enrols it (online)
  Login,    // enrolled, nobody signed in: password or PIN (offline too)
  Till,     // selling: barcode entry, cart, status bar
  Pay,      // tenders for the cart: split, cash quick amounts, change
  Parked,   // parked sales: resume or void
  Shift,    // open with a float, cash in/out, X report, close with a count (Z)
  History,  // this till's sales (local) or the store's (server), a sale's detail
  Refund,   // refund lines of one sale, by quantity, to one or more tenders
  Attention,  // managers: what the server set aside or flagged (read only)
  Device,   // this device: storage, export, sign out, reset local data
  // The back office (online, state/back_office.hpp): hub and catalog screens.
  BackOffice,
  Products,
  ProductEditor,
  Categories,
  TaxRates,
  // Back office, stock (stock_ops.hpp).
  Stock,       // receive, adjust, write off one product
  StockCount,  // a stock count: counted vs expected, applied as count movements
  StockLists,  // the server's low stock, movements, inventory value (online)
  Csv,         // products CSV import (dry run first) and exports (online)
  Settings,    // the store settings (owner; online, read-only offline: state/settings.hpp)
  // Back office, people (staff.hpp, tills.hpp; online).
  Staff,  // the store's people: add, edit, role, password, PIN, disable, unlock, sessions
  Tills,  // the store's tills with their health: rename, retire, enrolment codes
  // Oversight and first run (state/audit.hpp, state/setup.hpp).
  Audit,  // the audit log: filters, pages, a row's detail, export, verify (online)
  Setup,  // the first-run setup, for the owner of a new store (online)
  ServerAlerts,  // managers: the store server's alerts (state/server_alerts.hpp)
  ShiftsArchive,  // managers: closed shifts, their Z reports, over/short by cashier (state/shifts_archive.hpp)
  // Reports (state/reports.hpp; online, view_dashboard).
  Dashboard,  // figures and charts of a period against the one before
  Reorder,    // what to order, slow movers, dead stock
  Printer,    // this till's receipt printer (state/printer.hpp), from Device
};

// The name the automation bridge reports in state().screen.
std::string_view screen_name(Screen screen);

// What the local store reports about itself (effects/till_storage.cpp fills it in).
struct StorageStatus {
  bool opened = false;     // the store has opened (false: still loading, or failed)
  bool available = false;  // IndexedDB is usable in this browser / profile
  // Another tab owns the till (or there is no IndexedDB): this tab records
  // nothing; the UI says so.
  bool read_only = false;
  std::string db;                 // restored | created | recovered | too_new
  std::optional<bool> persisted;  // navigator.storage.persist()'s answer, once known
  double usage = -1.0;            // bytes, navigator.storage.estimate(); -1 unknown
  double quota = -1.0;
  int pending_ops = 0;            // recorded, not yet acknowledged by the server
  int needs_attention = 0;        // rejected by the server, waiting for a manager
  std::int64_t last_receipt = 0;  // highest receipt sequence handed out; 0 none
  double open_ms = 0.0;           // opening the store: image check, migrations, replay
  std::string error;              // the last storage failure, empty when none
  // Why the saved database was not used (db recovered / too_new): damaged,
  // or upgrading it or building its search index failed.
  std::string db_damage;
};

// The enrolled till (from the identity record, independent of the database).
struct TillInfo {
  bool enrolled = false;
  std::string till_id;
  std::string code;  // receipt prefix, e.g. "SP3"
  std::string name;
  std::string store_id;
};

// The store settings the till pulled (currency, price mode, name).
struct StoreInfo {
  bool known = false;  // false until the first pull brought them
  std::string name;
  std::string currency = "NGN";
  PriceMode price_mode = PriceMode::tax_inclusive;
  std::string time_zone;  // IANA; empty = the device's
  std::int64_t cash_rounding_minor = 0;
  // Indexed by TenderKind; the store's enabled payment methods.
  std::array<bool, kTenderKindCount> tenders{true, true, true, true, true, true};
  std::string receipt_header, receipt_footer, tax_id, address;
  // Store settings of migration 0011 (docs/api.md "Settings").
  std::string phone;
  std::string logo;  // data: URL of a PNG or JPEG; "" = none
  std::array<std::string, kTenderKindCount> tender_names{};  // "" = the default name
  std::string default_tax_rate_id;
  std::string date_format;           // "" = the language's (i18n::date_pattern)
  std::string time_format = "24h";   // or "12h"
  std::string language = "en";       // the store's default UI language
  bool sell_only_in_shift = false;   // no payment without an open shift, whatever this till's option
  std::int64_t offline_grant_hours = 168, login_max_failures = 5, login_max_failures_per_address = 20,
               login_window_minutes = 15, login_lockout_minutes = 60;

  bool operator==(const StoreInfo&) const = default;
};

// The store's tender rules as shared/'s settle() takes them.
TenderSettings tender_settings(const StoreInfo& store);

// The person signed in on this till.
struct User {
  std::string id;
  std::string username;
  std::string display_name;
  std::string role;  // owner | manager | cashier
  std::vector<std::string> permissions;
  std::int64_t max_discount_percent = 0;
  bool offline = false;  // signed in against the local verifier, not the server
  std::int64_t grant_expires_ms = 0;
  std::string language;  // the person's own UI language; "" = the store's default
};

// Someone who signed in online on this till before and may sign in offline.
struct KnownUser {
  std::string id;
  std::string username;
  std::string display_name;
  bool has_password = false;  // a password verifier is kept: offline sign-in works
  bool has_pin = false;
  std::string language;  // kept with the account, so an offline sign-in speaks it
};

struct SyncView {
  bool configured = false;
  bool online = false;  // the store server answered the last request
  bool browser_online = true;
  bool busy = false;  // a push or pull is in flight
  bool bootstrapping = false;
  std::int64_t bootstrap_done = 0;
  std::int64_t bootstrap_total = 0;
  std::int64_t last_sync_ms = 0;  // wall clock; 0 never
  std::optional<std::int64_t> clock_skew_ms;
  std::int64_t retry_in_ms = 0;
  std::string last_error;
  bool protocol_too_old = false;
  bool credential_refused = false;
  std::int64_t now_ms = 0;  // wall clock when this view was made (for "synced 12 s ago")
  std::int64_t deferred_changes = 0;  // pulled changes kept, not applied yet (sync/apply_changes.hpp)
};

// A product as the till sells it (a snapshot from the local catalog).
struct ProductSnapshot {
  std::string id;
  std::string name;
  std::string barcode;  // the code that found it, empty when found by SKU
  std::int64_t unit_price = 0;
  UnitKind unit = UnitKind::each;
  TaxRate tax;
  std::string currency;
  std::string category_id;
  std::optional<std::int64_t> on_hand_milli;  // stock badge; none = not tracked / unknown
};

// The product tiles: what the search box and category chips asked for.
struct Category {
  std::string id;
  std::string name;
};
struct Browse {
  std::string text;         // the search box
  std::string category_id;  // empty: all
  std::vector<ProductSnapshot> products;
  bool more = false;  // another page exists
  int generation = 0;  // bumps with every new query (the grid scrolls back to the top)
  std::string error;   // the last query failed (shown instead of "no match")
  std::vector<Category> categories;
};

// A manager who approved something on this till (PIN or password checked
// against the till's own verifier, offline too); the op carries them.
struct Approver {
  std::string user_id;
  std::string display_name;
  std::string grant;  // their offline grant, as ops carry it
  std::int64_t max_discount_percent = 0;
  std::vector<std::string> permissions;
};

// What is waiting for a manager: a discount beyond the cashier's limit, or
// voiding a parked sale the cashier may not void.
enum class ApprovalFor { line_discount, cart_discount, void_parked, refund };
struct ApprovalRequest {
  ApprovalFor what = ApprovalFor::line_discount;
  int line = -1;
  std::optional<Discount> discount;
  std::string parked_id;
  std::string reason;       // what the manager is asked, in words
  std::string void_reason;  // void_parked: why, as the cashier typed it
};

// A void of a parked sale on its way into the journal.
struct PendingVoid {
  std::string sale_id;
  std::string reason;
  std::optional<Approver> approver;
};

struct CartState {
  std::string sale_id;  // UUIDv7 given when the first line went in (a parked sale keeps it)
  std::vector<CartLine> lines;
  std::vector<Discount> discounts;  // on the whole cart
  std::optional<Approver> approver;  // a manager allowed this cart's discounts
  // compute_sale() of the lines; empty when there are none or they do not
  // compute (error says why).
  std::optional<Sale> sale;
  std::string error;
  int highlight = -1;  // the line the last scan touched
  int selected = -1;   // the line open in the edit panel (keypad, discount, remove)
};

// A sale put aside (F8) to serve the next customer; survives a reload.
struct ParkedSale {
  std::string sale_id;
  std::vector<CartLine> lines;
  std::vector<Discount> discounts;
  std::optional<Approver> approver;
  std::int64_t parked_at_ms = 0;
  std::string cashier;
  std::int64_t total = 0;
};

// The payments taken so far for the cart (split tender).
struct PaymentState {
  std::vector<Payment> payments;
  std::optional<Settlement> settlement;  // settle() of payments against the total
  std::string error;
};

// The sale just completed (the receipt the cashier may hand over).
struct Completed {
  std::string receipt_number;
  std::int64_t total = 0;
  std::int64_t tendered = 0;
  std::int64_t change = 0;
  std::string currency;
  bool offline = false;  // recorded while the server was unreachable
  double persist_ms = 0.0;  // from "Complete sale" to the op being durable in IndexedDB
  std::string time_text;    // when, in the store's time zone ("2026-12-02 14:05")
  // What the receipt is drawn from.
  Sale sale;
  std::vector<Discount> cart_discounts;  // Sale keeps only their total
  std::vector<Payment> payments;
  Settlement settlement;
  std::string cashier;
  int prints = 0;  // receipts printed; the second and later say COPY
};

// --- the rest of the day ([9/9]): shifts, history, refunds ------------------

struct ShiftInfo {
  std::string shift_id;
  std::int64_t opened_at_ms = 0;
  std::int64_t opening_float = 0;
  std::string opened_by;    // display name
  std::string opened_text;  // when, in the store's time zone
};

// An X (open shift) or Z (closed) report as the till shows and prints it.
struct ShiftReportView {
  std::string shift_id;
  ShiftReport report;
  std::string time_text;  // when it was made, in the store's time zone
};

struct HistoryFilter {
  bool server = false;  // the store's sales from the server, else this till's from the local store
  std::string text;     // receipt number or product
  std::string from, to;  // dates, YYYY-MM-DD (store time zone)
  std::string tender;    // cash | card | ... ; empty all
  bool refunded_only = false;
  std::string cashier;   // user id; empty anyone
  std::string till;      // till id (server only); empty any
};

// Someone or a till the History filters offer: id and what the screen says.
struct HistoryChoice {
  std::string id;
  std::string name;
  bool operator==(const HistoryChoice&) const = default;
};

struct HistoryItem {
  std::string sale_id;  // server sale id == the op id the till recorded it under
  std::string receipt_number;
  std::string time_text;
  std::string cashier;
  std::string till_code;
  std::int64_t total = 0;
  std::int64_t refunded = 0;
  bool voided = false;
  std::string cashier_id;
  std::string till_id;
};

struct History {
  HistoryFilter filter;
  std::vector<HistoryItem> items;
  std::string next;  // page cursor for the next page; empty: none
  std::int64_t count = 0;
  std::int64_t sum = 0;
  bool loading = false;
  std::string error;  // e.g. needs the server
  std::int64_t refunded = 0;  // the filtered set's refunds (the API's totals.refunded)
  // The cashier and till filters' choices: the store's people and tills
  // (server mode, managers) or this till's sellers, plus any seen in a page.
  // Kept when the filter changes.
  std::vector<HistoryChoice> cashiers;
  std::vector<HistoryChoice> tills;
  // CSV export of the filtered set (server mode).
  bool exporting = false;
  std::string exported;      // "Downloaded sales-....csv (12 rows)."
  std::string export_error;  // the export failed: said, never a short file
};

// One sale, as the refund screen and the reprint need it.
struct SaleDetail {
  std::string sale_op_id;  // what a refund names
  std::string receipt_number;
  std::string time_text;
  std::string cashier;
  std::string till_code;
  bool local = true;  // from this till's store (else from the server)
  bool voided = false;
  SalePayload payload;
  Sale sale;
  Settlement settlement;
  RefundLedger ledger;  // what earlier refunds took back
  std::vector<std::string> flags;  // what the server said about it
};

struct RefundDraft {
  std::vector<Quantity> quantities;  // per sale line, to refund now
  std::vector<Payment> tenders;      // how the money goes back; empty: as paid
  std::string reason;
  std::optional<Refund> computed;
  std::string error;
  std::optional<Approver> approver;
  // The refund op's id, fixed when the draft started (AppState::next_op_id):
  // a second submit of the same draft can only be the same op.
  std::string op_id;
};

// What the reducer accepted that must reach the journal. Effects act on a
// token whose serial they have not consumed yet, never on the raw command:
// a command the reducer ignored (a second F4 while the sale is completing)
// leaves the token as it was and records nothing.
enum class EffectKind { none, sale, void_sale, refund, shift_open, cash_movement, shift_close };
struct AcceptedEffect {
  std::uint64_t serial = 0;  // raised by every acceptance
  EffectKind kind = EffectKind::none;
  std::string op_id;  // the op's id, fixed before the command came (may be empty: a fresh one)
};

struct AttentionItem {
  std::string op_id;
  std::string kind;    // the op's kind
  std::string status;  // rejected | flagged
  std::string code;    // what the server said: reject code or flag kind
  std::string message;
  std::string time_text;
  std::string till_code;
};

enum class MessageKind { info, error };
struct Message {
  MessageKind kind = MessageKind::info;
  std::string text;
};

struct AppState {
  // True once the first frame has reached the canvas: before that, tests
  // and the loading text must not assume anything is clickable.
  bool ready = false;
  Screen screen = Screen::Welcome;
  // How often the till was opened in this page's lifetime; lets tests see
  // that one tap produced exactly one command.
  int tills_opened = 0;
  // Why the till cannot run (e.g. no WebGL2); empty when all is well.
  std::string startup_error;
  StorageStatus storage;
  TillInfo till;
  StoreInfo store;
  SyncView sync;
  std::optional<User> user;
  std::vector<KnownUser> known_users;
  CartState cart;
  Browse browse;
  std::vector<ParkedSale> parked;
  PaymentState pay;
  std::optional<ApprovalRequest> approval;
  std::optional<PendingVoid> voiding;
  // The rest of the day.
  std::optional<ShiftInfo> shift;
  bool shift_required = true;  // this till sells only within an open shift
  std::optional<ShiftReportView> report;
  History history;
  std::optional<SaleDetail> sale_detail;
  std::optional<RefundDraft> refund;
  std::vector<AttentionItem> attention;
  std::string attention_error;
  // Where Back leaves the attention list: the hub when it was opened there,
  // else the till.
  bool attention_from_hub = false;
  bool receipt_58mm = false;  // this till's printer takes 58 mm paper
  // How receipts leave this till, and the print jobs (state/printer.hpp).
  ReceiptPrinterState printer;
  CameraState camera;
  // The drafts (cart and parked sales) were read back after a reload.
  bool drafts_restored = false;
  std::optional<Completed> completed;
  // Last receipt this page completed, for the bridge (the store keeps the
  // sequence; this is the number as printed).
  std::string last_receipt_number;
  // An enrolment, login, lookup or sale on its way to the controller.
  bool busy = false;
  std::optional<Message> message;
  BackOffice back_office;
  // Back office: stock operations, the count in progress, lists, CSV.
  StockState stock;
  // Back office: the store settings screen (state/settings.hpp).
  SettingsScreen settings;
  // Back office: staff and tills (staff.hpp, tills.hpp).
  StaffState staff;
  TillsState tills;
  // Oversight: the audit log, the attention list's actions; the first-run setup.
  AuditLog audit;
  AttentionDesk attention_desk;
  // The store server's alerts, for managers and owners (state/server_alerts.hpp).
  ServerAlerts server_alerts;
  // Managers: the closed shifts archive (state/shifts_archive.hpp).
  ShiftsArchive shifts_archive;
  SetupWizard setup;
  // Reports: the Dashboard and Reorder screens (state/reports.hpp).
  Dashboard dashboard;
  Reorder reorder;
  // The language chosen on this device before anyone signs in ("" = none).
  std::string device_language;
  // The language the till speaks now (active_language_of); reduce() keeps it.
  std::string language = "en";
  // The last recording the reducer accepted (see AcceptedEffect).
  AcceptedEffect effect;
  // The id the next dialog op takes (a refund draft, a shift open, close
  // or cash movement, a void): the controller issues it ahead (OpIdIssued),
  // the reducer moves it into the draft or the token when it accepts.
  std::string next_op_id;
};

// --- commands: what happened, not how to change the state --------------------
struct OpenTill {};
struct Back {};
struct FirstFrameRendered {};
struct StartupFailed {
  std::string reason;
};
struct StorageChanged {
  StorageStatus status;
};
struct DismissMessage {};

// Enrolment (online only): a manager's login names the till.
struct SubmitEnrol {
  std::string login;
  std::string password;
  std::string till_name;
  // Not empty: enrol with this code (POST /api/v1/tills/enrol-with-code),
  // no sign-in; login and password are then unused.
  std::string code;
};
struct EnrolFinished {
  std::optional<TillInfo> till;  // empty: failed, message says why
  std::string error;
};
struct TillChanged {
  TillInfo till;
};

// Signing in: online when the server answers, else against the verifier.
struct SubmitLogin {
  std::string login;
  std::string password;
};
struct SubmitPin {
  std::string login;
  std::string pin;
};
struct LoginFinished {
  std::optional<User> user;  // empty: refused, error says why
  std::string error;
};
struct KnownUsersChanged {
  std::vector<KnownUser> users;
};
struct SignOut {};         // refused while ops are pending (invariant 2)
struct SwitchCashier {};   // back to the login screen, nothing refused: the outbox stays
struct ResetLocalData {};  // refused while ops are pending; the controller wipes and reloads
struct ResetRefused {
  std::string reason;
};
struct OpenDevice {};
struct SyncNow {};
struct ExportPendingOps {};

struct SyncChanged {
  SyncView sync;
};
struct StoreChanged {
  StoreInfo store;
};

// Selling.
struct ScanCode {
  std::string code;  // a barcode or SKU, typed or scanned
};
struct ProductFound {
  ProductSnapshot product;
};
struct ProductNotFound {
  std::string code;
  std::string error;  // set when the lookup itself failed
};
struct ChangeQuantity {
  int line = 0;
  std::int64_t delta_units = 0;
};
struct SetQuantity {
  int line = 0;
  Quantity quantity;  // each: whole units; weighed: kg in thousandths
};
struct SelectLine {
  int line = -1;  // -1 closes the edit panel
};
// Discounts: empty clears. Beyond the cashier's limit they wait for a
// manager (ApprovalRequest) unless the cart's approver allows them.
struct SetLineDiscount {
  int line = 0;
  std::optional<Discount> discount;
};
struct SetCartDiscount {
  std::optional<Discount> discount;
};
struct SubmitApproval {
  std::string login;
  std::string secret;  // PIN or password
};
struct ApprovalFinished {
  std::optional<Approver> approver;  // empty: refused, error says why
  std::string error;
};
struct CancelApproval {};
// Product tiles.
struct Search {
  std::string text;
  std::string category_id;
};
struct MoreProducts {};
struct SearchResults {
  std::string text;
  std::string category_id;
  std::vector<ProductSnapshot> products;
  bool more = false;
  bool append = false;
  std::string error;  // the local catalog could not be searched: said so, not "no match"
};
struct CategoriesChanged {
  std::vector<Category> categories;
};
struct AddProduct {  // a tile tapped
  ProductSnapshot product;
};
// Parked sales.
struct ParkSale {};
struct OpenParked {};
struct ResumeParked {
  std::string sale_id;
};
struct VoidParked {
  std::string sale_id;
  std::string reason;
};
struct ParkedVoided {
  std::string sale_id;
  std::string error;  // set when the void could not be recorded (the sale stays parked)
};
struct DraftsRestored {
  CartState cart;  // lines, discounts, sale id, approver
  std::vector<ParkedSale> parked;
};
// Payment (split tender).
struct AddPayment {
  Payment payment;  // cash: what was handed over
};
struct RemovePayment {
  int index = 0;
};
struct PrintReceipt {};
struct SetReceiptPaper {
  bool narrow = false;  // 58 mm instead of 80 mm
};
struct RemoveLine {
  int line = 0;
};
struct StartPayment {};
// Shifts.
struct OpenShiftScreen {};
struct ShiftChanged {
  std::optional<ShiftInfo> shift;  // the open shift found in the local store
};
struct SetShiftRequired {
  bool required = true;
};
struct SubmitOpenShift {
  std::int64_t opening_float = 0;
};
struct SubmitCashMovement {
  CashMovementKind kind = CashMovementKind::pay_in;
  std::int64_t amount = 0;
  std::string reason;
};
struct RequestShiftReport {};  // the X report of the open shift, from this till's records
struct SubmitCloseShift {
  std::int64_t counted_cash = 0;
  std::string note;
};
struct ShiftOpFinished {  // an open, cash movement or close is in the journal (or failed)
  std::string error;
  std::optional<ShiftInfo> shift;  // after the op
  std::string done;                // what to say
};
struct ShiftReportReady {
  std::optional<ShiftReportView> report;
  std::string error;
};
struct PrintShiftReport {};
// History and refunds.
struct OpenHistory {
  HistoryFilter filter;
};
struct MoreHistory {};
struct HistoryLoaded {
  HistoryFilter filter;
  std::vector<HistoryItem> items;
  std::string next;
  std::int64_t count = 0;
  std::int64_t sum = 0;
  bool append = false;
  std::string error;
  std::int64_t refunded = 0;
  std::vector<HistoryChoice> cashiers;  // seen in this page (or this till's sellers)
  std::vector<HistoryChoice> tills;
};
// The store's people and tills for the History filters (managers, online).
struct HistoryChoicesLoaded {
  std::vector<HistoryChoice> cashiers;
  std::vector<HistoryChoice> tills;
};
// The CSV of exactly the History's filtered set (server mode, export_data).
struct ExportSales {};
struct SalesExported {
  std::string error;  // failed (refused, cut, unreachable): nothing was saved
  std::string done;   // what was downloaded
};
struct OpenSale {
  std::string sale_id;
  bool server = false;
};
struct SaleLoaded {
  std::optional<SaleDetail> detail;
  std::string error;
};
struct ReprintSale {};
struct StartRefund {};
struct SetRefundQuantity {
  int line = 0;
  Quantity quantity;
};
struct SetRefundTenders {
  std::vector<Payment> tenders;  // empty: back as paid
};
struct SubmitRefund {
  std::string reason;
};
struct RefundRecorded {
  std::string error;
};
struct OpenAttention {};
struct AttentionLoaded {
  std::vector<AttentionItem> items;
  std::string error;
};

// The back office's stock and CSV screens (hub buttons; their own reducer,
// state/back_office_stock.cpp).
struct OpenStock {};
struct OpenStockCount {};
struct OpenStockLists {};
struct OpenCsv {};

// Cash for what is left (F4 "exact" = cash_due); records the sale when
// the payments then cover the total.
struct CompleteSale {
  std::int64_t tendered = 0;  // cash handed over, minor units
};
// A new sale id for the cart (the controller makes UUIDv7s).
struct SaleIdIssued {
  std::string sale_id;
};
struct SaleRecorded {
  Completed completed;
};
// The controller's id for the next dialog op (AppState::next_op_id).
struct OpIdIssued {
  std::string op_id;
};
// At start-up the journal already holds the restored cart's sale (the tab
// died between the journal commit and "Sale complete"): the cart is cleared,
// never paid again.
struct CartAlreadyRecorded {
  std::string sale_id;
  std::string receipt_number;  // as recorded; may be empty
};
struct SaleFailed {
  std::string error;
};
struct NewSale {};
// The language picker: the signed-in person's language, or the device's
// before anyone signs in. "" = back to the default.
struct SetLanguage {
  std::string language;
};
// The device's language as kept locally (start-up).
struct DeviceLanguageLoaded {
  std::string language;
};

using Command =
    std::variant<OpenTill, Back, FirstFrameRendered, StartupFailed, StorageChanged, DismissMessage, SubmitEnrol,
                 EnrolFinished, TillChanged, SubmitLogin, SubmitPin, LoginFinished, KnownUsersChanged, SignOut,
                 SwitchCashier, ResetLocalData, ResetRefused, OpenDevice, SyncNow, ExportPendingOps, SyncChanged,
                 StoreChanged, ScanCode, ProductFound, ProductNotFound, ChangeQuantity, SetQuantity, SelectLine,
                 SetLineDiscount, SetCartDiscount, SubmitApproval, ApprovalFinished, CancelApproval, Search,
                 MoreProducts, SearchResults, CategoriesChanged, AddProduct, ParkSale, OpenParked, ResumeParked,
                 VoidParked, ParkedVoided, DraftsRestored, AddPayment, RemovePayment, PrintReceipt, SetReceiptPaper, RemoveLine,
                 StartPayment, CompleteSale, SaleIdIssued, OpIdIssued, CartAlreadyRecorded, SaleRecorded, SaleFailed, NewSale, OpenShiftScreen,
                 ShiftChanged, SetShiftRequired, SubmitOpenShift, SubmitCashMovement, RequestShiftReport,
                 SubmitCloseShift, ShiftOpFinished, ShiftReportReady, PrintShiftReport, OpenHistory, MoreHistory,
                 HistoryLoaded, OpenSale, SaleLoaded, ReprintSale, StartRefund, SetRefundQuantity, SetRefundTenders,
                 SubmitRefund, RefundRecorded, OpenAttention, AttentionLoaded,
                 // The back office (state/back_office.hpp).
                 OpenBackOffice, OpenProducts, QueryProducts, ProductsLoaded, OpenProduct, ProductLoaded,
                 SaveProduct, ProductSaved, KeepMine, UseTheirs, ArchiveProduct, OpenCategories, CategoriesLoaded,
                 SaveCategory, ArchiveCategory, OpenTaxRates, TaxRatesLoaded, SaveTaxRate, RetireTaxRate,
                 DeleteTaxRate, CatalogWritten,
                 OpenStock, OpenStockCount, OpenStockLists, OpenCsv,
                 // Back office, stock (stock_ops.hpp)
                 StockSearch, StockSearchResults,
                 PickStockProduct, SubmitStockOp, StockOpRecorded, StartStockCount, StockCountIdIssued,
                 SetCountedQuantity, RemoveCountLine, DiscardStockCount, ApplyStockCount, CountLineRecorded,
                 StockCountRestored, ShowStockList, StockListLoaded, PickCsvFile, CsvFileChosen, CheckCsv,
                 ImportCsv, CsvAnswered, CsvErrorPage, ExportCsv, CsvExported,
                 // Back office, store settings (settings.hpp)
                 OpenSettings, SettingsLoaded, SaveSettings, SettingsSaved, SettingsKeepMine, SettingsUseTheirs,
                 PickLogo, LogoChosen, RemoveLogo,
                 // Back office, people (staff.hpp, tills.hpp)
                 OpenStaff, StaffLoaded, SearchStaff, OpenStaffMember, StaffSessionsLoaded, StaffAction,
                 StaffActionDone, OpenTills, TillsLoaded, TillAction, TillActionDone,
                 // Oversight and first run (audit.hpp, setup.hpp)
                 OpenAudit, QueryAudit, AuditPage, AuditLoaded, AuditPeopleLoaded, SelectAuditRow, VerifyAudit,
                 AuditVerified, ExportAudit, AuditExported, ActOnAttention, AttentionAnswered, SetupNeeded,
                 SetupGoTo, SaveSetup, SetupTaxRate, RenameThisTill, SetupSaved, TillRenamed, SetupOpenProducts,
                 // Languages (state/language.hpp).
                 SetLanguage, DeviceLanguageLoaded,
                 // The server's alerts (state/server_alerts.hpp).
                 OpenServerAlerts, RefreshServerAlerts, ServerAlertsLoaded,
                 // History filters' choices and the sales CSV (day_state.cpp).
                 HistoryChoicesLoaded, ExportSales, SalesExported,
                 // The shifts archive (state/shifts_archive.hpp).
                 OpenShiftsArchive, QueryShiftsArchive, MoreShiftsArchive, ShiftsArchiveLoaded, SelectArchivedShift,
                 ArchivedShiftLoaded, PrintArchivedShift, OverShortLoaded,
                 // Reports (state/reports.hpp).
                 OpenDashboard, QueryDashboard, DashboardLoaded, OpenReorder, QueryReorder, ReorderLoaded,
                 FilterReorder,
                 // The receipt printer and the drawer (state/printer.hpp).
                 OpenPrinter, SetPrinterSetup, PrinterSetupLoaded, ChoosePrinterDevice, PrinterDeviceChosen,
                 LoadNetworkPrinters, NetworkPrintersLoaded, PrintTestPage, RetryPrint, PrintJobChanged, OpenCustomerDisplay, OpenCamera, CameraEnded, OpenDrawer,
                 DrawerOpened>;

// The shift, history and refund commands (day_state.cpp); reduce() hands
// them over. Returns false for any other command.
bool reduce_day(AppState& state, const Command& command);

// The Settings screen's commands (settings.cpp); false for any other.
bool reduce_settings(AppState& state, const Command& command);

// The refund as shared/ computes it from the draft (empty when nothing is
// chosen or it does not compute; draft.error says why).
void recompute_refund(AppState& state);

AppState reduce(AppState state, const Command& command);

// The cart as shared/ computes it (currency and price mode from the store).
Cart cart_of(const AppState& state);

// Where "Open till" and a finished login lead, given enrolment and sign-in.
Screen home_screen(const AppState& state);

// Cash the customer still owes for the cart after the payments taken so far
// (rounded to the store's cash step); 0 for an empty cart.
std::int64_t cash_due(const AppState& state);

// What is left to pay before cash rounding (for card and other tenders).
std::int64_t remaining_due(const AppState& state);

// The discount limit of whoever is responsible for the cart's discounts:
// the approving manager when there is one, else the signed-in person.
DiscountLimit discount_limit(const AppState& state);

// A manager or an owner (the server says super_admin): may approve, sees
// the attention list, sets this till's options.
bool is_manager_role(std::string_view role);

// Does the person signed in (or the cart's approver) hold a permission?
bool may(const AppState& state, std::string_view permission);

// The reducer accepted a recording: a new token (AcceptedEffect) carrying
// `op_id`, or, when that is empty, the reserved next_op_id (then used up).
void accept_effect(AppState& state, EffectKind kind, std::string op_id = {});

// The effects' side of AcceptedEffect: each token is handed out once, right
// after the command that produced it; a state whose token was already taken
// yields nothing.
class EffectInbox {
 public:
  std::optional<AcceptedEffect> take(const AppState& s) {
    if (s.effect.serial == consumed_) return std::nullopt;
    consumed_ = s.effect.serial;
    if (s.effect.kind == EffectKind::none) return std::nullopt;
    return s.effect;
  }

 private:
  std::uint64_t consumed_ = 0;
};

}  // namespace salespider::state
