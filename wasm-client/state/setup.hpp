// The first-run setup in the till's state (brief "First-run setup"): after
// the owner signs in online on a store whose settings say setup_completed
// false and currency_locked false, a few steps — store, money, time, tax,
// tenders, products, this till — each saved through PATCH
// /api/v1/settings, each skippable; "Skip setup" and "Finish" send
// setup_completed: true and the wizard is not shown again.
//
// Never for managers or cashiers, never offline: the controller only asks
// the server after an owner's online sign-in (effects/setup.cpp). The
// Products and CSV buttons open the back office's own screens, whose Back
// comes back here. Deliberately not here: HTTP, drawing (ui/setup.cpp),
// the settings screen of helper "settings".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::state {

struct AppState;

enum class SetupStep { store, money, time, tax, tenders, products, till };
constexpr int kSetupSteps = 7;
// The step's title for the progress line (marked N_, translated where shown).
const char* setup_step_title(SetupStep step);

// The settings the wizard reads and writes (GET /api/v1/settings).
struct SetupSettings {
  std::string store_name, address, phone;
  std::string currency;
  std::string price_mode;  // tax_inclusive | tax_exclusive
  std::string time_zone;   // IANA
  std::string date_format;  // "" = the language's default
  std::string default_tax_rate_id;  // "" none
  std::vector<std::string> enabled_tenders;
  bool setup_completed = false;
  bool currency_locked = false;
  std::int64_t row_version = 0;
};

// One step's changes: only the fields set are sent.
struct SetupPatch {
  std::optional<std::string> store_name, address, phone, currency, price_mode, time_zone, date_format;
  std::optional<std::string> default_tax_rate_id;  // "" = null
  std::optional<std::vector<std::string>> enabled_tenders;
  bool complete = false;  // setup_completed: true
};

struct SetupWizard {
  bool checked = false;  // the server was asked after this sign-in (tests wait for it)
  bool active = false;  // the wizard is open (Back from Products/CSV returns to it)
  SetupStep step = SetupStep::store;
  SetupSettings settings;  // as the server last said
  int generation = 0;      // bumps when `settings` is replaced (the form refills)
  bool saving = false;
  std::string error;
  std::string error_field;
  std::string done;       // what the last save did, in words
  std::string setup_url;  // where another device opens to be enrolled as a till
};

// The tender kinds the settings know, in the order the step lists them.
const std::vector<std::string>& setup_tender_kinds();

// --- commands (in the Command variant of app_state.hpp) ---------------------
// From the controller, after the owner's online sign-in: the settings as
// the server said them (none: it did not answer them); the wizard opens when
// setup is not done.
struct SetupNeeded {
  std::optional<SetupSettings> settings;
  std::string setup_url;
};
struct SetupGoTo {  // Back / Next without saving
  SetupStep step = SetupStep::store;
};
// Saves `patch`; on success goes to `next` (or closes the wizard when the
// patch completes the setup).
struct SaveSetup {
  SetupPatch patch;
  SetupStep next = SetupStep::store;
};
// The tax step: a first tax rate, then made the store's default.
struct SetupTaxRate {
  std::string code;
  std::string name;
  std::string rate;  // percent text, "7.5"
  SetupStep next = SetupStep::tenders;
};
// The till step: this till's new name (PATCH /api/v1/tills/{id}).
struct RenameThisTill {
  std::string name;
};
struct SetupSaved {
  std::optional<SetupSettings> settings;  // the settings after the write
  std::string error;
  std::string field;
  std::string done;
  SetupStep next = SetupStep::store;
  bool complete = false;
};
struct TillRenamed {
  std::string name;
  std::string error;
};
// The Products editor or the CSV import, from the products step.
struct SetupOpenProducts {
  bool csv = false;
};

}  // namespace salespider::state
