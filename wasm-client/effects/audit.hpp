// Oversight effects: the audit log viewer's calls (a page of rows, the staff
// list for the actor filter, the chain's verification, the CSV export saved
// as a download) and the attention list's actions (resolve, dismiss, retry),
// answered with the commands of state/audit.hpp; after an action the list is
// asked again. Dates typed in the store's time zone become UTC instants here.
//
// Acts only on what the reducer accepted (loading, verifying, exporting,
// acting_on set). Deliberately not here: the rules (state/audit.cpp),
// parsing (answers/audit_answers.cpp), loading the attention list (day.cpp).
#pragma once

#include "effects/context.hpp"
#include "state/app_state.hpp"

#include <optional>
#include <string>

namespace salespider::effects {

class AuditEffects {
 public:
  explicit AuditEffects(Context& ctx) : ctx_(ctx) {}
  AuditEffects(const AuditEffects&) = delete;
  AuditEffects& operator=(const AuditEffects&) = delete;

  // `s` is the state right after the command was reduced.
  void handle(const state::Command& command, const state::AppState& s);

 private:
  void load_page(const state::AppState& s);
  void load_people();
  void verify();
  void export_csv(const state::AppState& s);
  void act(const state::ActOnAttention& c);

  Context& ctx_;
};

// The UTC instant ("2026-12-06T23:00:00Z") at which `date` (YYYY-MM-DD)
// plus `days` begins in `time_zone`; nullopt when `date` is not a date.
std::optional<std::string> day_start_utc(const std::string& date, int days, const std::string& time_zone);

}  // namespace salespider::effects
