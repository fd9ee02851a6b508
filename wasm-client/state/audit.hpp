// The managers' oversight screens in the till's state: the audit log viewer
// (filters, pages by the server's `before` cursor, a row's detail, the CSV
// export, the chain's verification) and the actions on the needs-attention
// list (resolve, dismiss, retry, each with a note). Values as the store
// server's API gives them (docs/api.md "Audit log", "Needs attention"); the
// controller loads and writes them (effects/audit.cpp) and answers with the
// *Loaded / *Answered commands declared here.
//
// Online only: both read the server's rows. Deliberately not here: the
// attention list itself (AppState::attention, day_state.cpp), drawing
// (ui/audit.cpp) and HTTP (effects/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace salespider::state {

struct AppState;

struct AuditFilter {
  std::string actor_user_id;  // a person picked from the staff list, or resolved from `actor_login`
  std::string actor_login;    // typed when the staff list is not allowed (matched on this till's people)
  std::string action;         // exact, or a prefix ending in '.'
  std::string entity;
  std::string from, to;  // dates, YYYY-MM-DD, in the store's time zone; both inclusive
};

// One audit row as the viewer shows it.
struct AuditRow {
  std::int64_t id = 0;
  std::optional<std::int64_t> chain_pos;  // none until the sealer chained it
  std::string occurred_at;                // as the server said it (UTC)
  std::string time_text;                  // in the store's time zone
  std::string action;
  std::string actor_user_id;
  std::string actor_name;  // from the staff list or this till's people; "" when unknown
  std::string actor_till_id;
  std::string entity;
  std::string entity_id;
  std::string request_id;
  std::string client_ip;
  std::string detail;  // the row's detail as JSON text
  std::string hash;    // hex, "" until sealed
  // What changed, when the detail holds old and new values (before/after,
  // old/new): one entry per field that differs, {field, old, new}.
  struct Change {
    std::string field, before, after;
  };
  std::vector<Change> changes;
};

// GET /api/v1/audit/verify, as the viewer says it.
struct AuditVerdict {
  bool ok = false;
  std::int64_t checked = 0;
  std::int64_t unsealed = 0;
  std::int64_t anchors_checked = 0;
  std::int64_t head_position = 0;
  std::optional<std::int64_t> first_bad_position;
  std::string first_bad_id;
  std::string problem;
};

struct AuditPerson {
  std::string id;
  std::string name;
  std::string username;
};

struct AuditLog {
  AuditFilter filter;
  std::vector<AuditRow> rows;
  std::int64_t before = 0;            // the cursor this page was read with; 0 = the newest
  std::vector<std::int64_t> newer;    // cursors of the pages before this one ("Newer" pops)
  bool older = false;                 // a full page came back: an older one may exist
  std::int64_t selected = 0;          // the row whose detail is open; 0 none
  bool loading = false;
  std::string error;
  // The staff list for the actor filter (manage_staff); empty and not
  // allowed otherwise (a login is typed instead).
  bool people_allowed = false;
  std::vector<AuditPerson> people;
  bool verifying = false;
  std::optional<AuditVerdict> verdict;
  std::string verify_error;
  bool exporting = false;
  std::string exported;  // what was downloaded, said once it was
};

// The page size the viewer asks for.
constexpr int kAuditPage = 50;

// The verdict in words: "Intact: 1,204 rows checked against 3 anchors." or
// where the chain breaks.
std::string verdict_text(const AuditVerdict& v);

// The needs-attention actions.
enum class AttentionAction { resolve, dismiss, retry };
std::string_view to_string(AttentionAction a);

struct AttentionDesk {
  std::string acting_on;  // the op an action is on its way for; "" none
  AttentionAction action = AttentionAction::resolve;
  std::string answer;  // the server's answer to the last action, in words
  bool answer_error = false;
};

// Whether the signed-in person may act on the attention list (online, with
// resolve_attention).
bool may_act_on_attention(const AppState& s);

// --- commands (in the Command variant of app_state.hpp) ---------------------
struct OpenAudit {};
struct QueryAudit {  // a new filter: back to the newest page
  AuditFilter filter;
};
struct AuditPage {  // older (the next page back) or newer (the one before)
  bool older = true;
};
struct AuditLoaded {
  std::int64_t before = 0;  // the cursor the page was read with (older answers are dropped)
  std::vector<AuditRow> rows;
  std::string error;
};
struct AuditPeopleLoaded {
  std::vector<AuditPerson> people;
};
struct SelectAuditRow {
  std::int64_t id = 0;  // 0 closes the detail
};
struct VerifyAudit {};
struct AuditVerified {
  std::optional<AuditVerdict> verdict;
  std::string error;
};
struct ExportAudit {};
struct AuditExported {
  std::string error;
  std::string done;
};
struct ActOnAttention {
  std::string op_id;
  AttentionAction action = AttentionAction::resolve;
  std::string note;
};
struct AttentionAnswered {
  std::string op_id;
  std::string error;
  std::string said;  // the server's answer in words (retry: the new result)
};

}  // namespace salespider::state
