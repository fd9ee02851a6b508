// The till's application state and the only function that changes it.
//
// Pure values: ui/ reads an AppState and emits Commands; the app applies them
// with reduce() after the frame. Commands that need the outside world
// (enrolling, logging in, looking up a barcode, recording a sale) are also
// handed to the controller (till_controller.cpp), which answers later with
// another Command (EnrolFinished, LoggedIn, ProductFound, SaleRecorded ...).
// Nothing here knows ImGui, the browser, the clock or storage, so it can be
// unit-tested natively. The cart is computed with shared/'s compute_sale, the
// same code the server uses to check it.
// Deliberately not here: discounts, split tender, parked sales, receipts to
// print (the selling issue), shifts and refunds.
#pragma once

#include <salespider/shared/cart.hpp>

#include <cstdint>
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
  Pay,      // cash tender for the cart
  Device,   // this device: storage, export, sign out, reset local data
};

// The name the automation bridge reports in state().screen.
std::string_view screen_name(Screen screen);

// What the local store reports about itself (till_storage.cpp fills it in).
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
};

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
};

// Someone who signed in online on this till before and may sign in offline.
struct KnownUser {
  std::string id;
  std::string username;
  std::string display_name;
  bool has_pin = false;
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
};

struct CartState {
  std::vector<CartLine> lines;
  // compute_sale() of the lines; empty when there are none or they do not
  // compute (error says why).
  std::optional<Sale> sale;
  std::string error;
  int highlight = -1;  // the line the last scan touched
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
  std::optional<Completed> completed;
  // Last receipt this page completed, for the bridge (the store keeps the
  // sequence; this is the number as printed).
  std::string last_receipt_number;
  // An enrolment, login, lookup or sale on its way to the controller.
  bool busy = false;
  std::optional<Message> message;
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
struct RemoveLine {
  int line = 0;
};
struct StartPayment {};
struct CompleteSale {
  std::int64_t tendered = 0;  // cash handed over, minor units
};
struct SaleRecorded {
  Completed completed;
};
struct SaleFailed {
  std::string error;
};
struct NewSale {};

using Command =
    std::variant<OpenTill, Back, FirstFrameRendered, StartupFailed, StorageChanged, DismissMessage, SubmitEnrol,
                 EnrolFinished, TillChanged, SubmitLogin, SubmitPin, LoginFinished, KnownUsersChanged, SignOut,
                 SwitchCashier, ResetLocalData, ResetRefused, OpenDevice, SyncNow, ExportPendingOps, SyncChanged,
                 StoreChanged, ScanCode, ProductFound, ProductNotFound, ChangeQuantity, RemoveLine, StartPayment,
                 CompleteSale, SaleRecorded, SaleFailed, NewSale>;

AppState reduce(AppState state, const Command& command);

// The cart as shared/ computes it (currency and price mode from the store).
Cart cart_of(const AppState& state);

// Where "Open till" and a finished login lead, given enrolment and sign-in.
Screen home_screen(const AppState& state);

// Cash the customer owes for the cart (the total, rounded to the store's
// cash step); 0 for an empty cart.
std::int64_t cash_due(const AppState& state);

}  // namespace salespider::state
