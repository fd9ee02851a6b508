// The back office's Tills screen in the till's state: the store's tills as
// GET /api/v1/tills lists them, joined with their health from
// GET /api/v1/sync/health (last sync, outbox depth, app version, clock skew,
// open attention), retired ones apart; renaming, retiring, and the
// enrolment code just made (docs/security.md "Enrolment codes").
//
// Online only. Deliberately not here: drawing (ui/tills.cpp), HTTP
// (effects/tills.cpp), parsing (answers/people_answers.*).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace salespider::state {

struct AppState;

struct TillHealth {
  std::string last_sync_at;  // the later of last push and last pull, "" never
  std::optional<std::int64_t> seconds_since_sync;
  std::optional<std::int64_t> outbox_depth;
  std::string app_version;
  std::optional<std::int64_t> clock_skew_ms;
  std::int64_t open_attention = 0;
};

struct StoreTill {
  std::string id;
  std::string name;
  std::string code;
  std::string status;  // active | retired
  std::string enrolled_at;
  std::string retired_at;
  std::string last_seen_at;
  std::optional<TillHealth> health;  // none: the server has no sync record yet
};

struct EnrolCodeShown {
  std::string code;
  std::string expires_at;
  std::string till_url;  // this app's address: the new device opens it
};

struct TillsState {
  std::vector<StoreTill> tills;
  bool loading = false;
  std::string error;
  bool writing = false;
  std::string write_error;
  std::string write_field;
  int generation = 0;  // bumps on every load: rename fields refill
  std::optional<EnrolCodeShown> code;
};

// --- commands (in the Command variant of app_state.hpp) ---------------------
struct OpenTills {};
struct TillsLoaded {
  std::vector<StoreTill> tills;
  std::string error;
};
enum class TillActionKind { rename, retire, enrol_code };
struct TillAction {
  TillActionKind kind = TillActionKind::rename;
  std::string till_id;
  std::string name;  // rename: the new name; enrol_code: the suggested one ("" none)
  bool confirm = false;  // retire: the person saw the "unsynced ops" warning and retires anyway
};
struct TillActionDone {
  TillActionKind kind = TillActionKind::rename;
  std::string error;
  std::string field;
  std::optional<EnrolCodeShown> code;
};

}  // namespace salespider::state
