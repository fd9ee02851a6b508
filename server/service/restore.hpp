// `salespider restore`: put the embedded cluster back from the pgBackRest
// repository — the latest state, a point in time, or one backup set — and
// leave the store in a state the tills can trust (docs/operations.md
// "Restore and the drill"):
//
//   1. refuse while active tills report unsynced ops (their outbox depth as
//      last reported, the data behind `till list`), unless forced
//   2. stop the server if one runs (`<self> stop`, a child process)
//   3. pgbackrest --delta restore as the cluster's user
//   4. start the cluster, wait until recovery has finished (promoted)
//   5. migrations, the audit chain verified (reported, never hidden), the
//      anchors past the restored head set aside
//   6. a new restore epoch, audited as "store.restore" (tills then re-push
//      what they kept and pull from the start: docs/sync-protocol.md)
//   7. stop the cluster; start the server again if it ran (`<self> start`)
//
// Every step is reported through `say`; a failure says what state things
// are in and what to do. Deliberately not here: the CLI flags and prompts
// (app/restore_command.cpp), an external DATABASE_URL's restores (the
// operator's own business).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "salespider/shared/result.hpp"

namespace salespider::service::restore {

enum class Target { latest, time, set };

struct Request {
  Target target = Target::latest;
  std::string time;  // "YYYY-MM-DD HH:MM:SS", the store's wall clock (Target::time)
  std::string set;   // a backup label such as 20260501-010000F (Target::set)
  bool force = false;  // restore although tills report unsynced ops
  // How to run this program's own `stop` / `start` (the binary and the
  // flags naming the same configuration: --data-path, --env-file).
  std::filesystem::path self = "/proc/self/exe";
  std::vector<std::string> self_flags;
};

// One till that still had ops to send when it last reported.
struct BusyTill {
  std::string store_name;
  std::string code;
  std::string name;
  int outbox_depth = 0;
  std::string last_seen;  // ISO 8601 of its last push or pull, "" = never
};

struct Outcome {
  int exit_code = 0;  // 0 done, 1 refused or failed, 2 configuration
  std::vector<BusyTill> busy_tills;  // why it refused (exit 1), or what --force overrode
  std::string epoch;                 // the new restore epoch when done
  bool audit_ok = false;
  std::string audit_summary;
};

// Checks what can be checked without touching anything: an embedded
// database, a configured repository, a well-formed time. nullopt when fine.
std::optional<std::string> request_problem(const config::Config& config, const Request& request);

// The pgbackrest arguments after --config/--stanza (pure; time_utc is the
// target already converted to UTC).
std::vector<std::string> pgbackrest_restore_args(const Request& request, const std::string& time_utc);

// Runs the whole restore. `say` gets one line per step (and what to do when
// one fails). Throws only for programmer errors; every expected failure is
// an Outcome with exit_code 1 or 2.
Outcome run(const config::Config& config, const Request& request, const std::function<void(const std::string&)>& say);

}  // namespace salespider::service::restore
