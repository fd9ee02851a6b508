// See restore.hpp.
#include "service/restore.hpp"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "db/database.hpp"
#include "db/embedded_postgres.hpp"
#include "db/errors.hpp"
#include "db/ops.hpp"
#include "db/pgbackrest.hpp"
#include "db/process.hpp"
#include "db/restore_epoch.hpp"
#include "db/roles.hpp"
#include "service/audit.hpp"
#include "service/backups.hpp"
#include "service/secrets_archive.hpp"
#include "service/services.hpp"
#include "service/status.hpp"

namespace fs = std::filesystem;

namespace salespider::service::restore {
namespace {

using Say = std::function<void(const std::string&)>;

constexpr auto kRecoveryTimeout = std::chrono::minutes(60);

fs::path data_path_of(const config::Config& config) { return fs::absolute(config.data_path).lexically_normal(); }

std::string describe(const Request& r) {
  switch (r.target) {
    case Target::time: return "time " + r.time;
    case Target::set: return "set " + r.set;
    case Target::latest: break;
  }
  return "latest";
}

// The cluster for the duration of one step: the running server's, or one
// started here (stopped when this goes).
struct Cluster {
  std::unique_ptr<db::EmbeddedPostgres> started_here;
  std::string owner_conninfo;
  std::string app_conninfo;

  ~Cluster() { started_here.reset(); }
};

db::EmbeddedOptions embedded_options(const config::Config& config) {
  db::EmbeddedOptions eo;
  eo.data_path = data_path_of(config);
  eo.repo1_type = config.pgbackrest_repo1_type;
  eo.repo1_path = config.pgbackrest_repo1_path;
  eo.backups = std::make_shared<db::pgbackrest::Settings>(db::pgbackrest::settings_from(config));
  return eo;
}

bool cluster_answers(const db::Layout& layout) {
  // No socket, no cluster (and no "ping failed" warning in the output).
  if (!fs::exists(layout.socket_dir / (".s.PGSQL." + std::to_string(db::kEmbeddedPort)))) return false;
  db::Database probe(db::embedded_conninfo(layout, "postgres"), 1);
  return probe.ping(std::chrono::milliseconds(2000)).ok;
}

std::unique_ptr<Cluster> open_cluster(const config::Config& config) {
  auto c = std::make_unique<Cluster>();
  const auto layout = db::describe_layout(data_path_of(config));
  if (!cluster_answers(layout)) {
    c->started_here = std::make_unique<db::EmbeddedPostgres>(embedded_options(config));
    c->started_here->start();
  }
  c->owner_conninfo = db::embedded_conninfo(layout, "salespider");
  c->app_conninfo = db::embedded_conninfo(layout, "salespider", db::kAppRole);
  return c;
}

struct Preflight {
  std::vector<BusyTill> busy;
  std::vector<db::StoreZone> stores;
  std::string time_utc;
};

Preflight read_preflight(const config::Config& config, const Request& request) {
  auto cluster = open_cluster(config);
  db::Database owner(cluster->owner_conninfo, 1, config.database_schema);
  Preflight p;
  p.stores = db::store_zones(owner.pool());
  for (const auto& store : p.stores) {
    for (const auto& t : db::till_health(owner.pool(), store.store_id)) {
      if (t.status != "active" || !t.outbox_depth || *t.outbox_depth <= 0) continue;
      const auto& seen = t.last_push_at > t.last_pull_at ? t.last_push_at : t.last_pull_at;
      p.busy.push_back(BusyTill{store.store_name, t.code, t.name, *t.outbox_depth, seen});
    }
  }
  if (request.target == Target::time) {
    const std::string zone = p.stores.empty() ? "UTC" : p.stores.front().time_zone;
    p.time_utc = db::utc_of_local_time(owner.pool(), request.time, zone);
  }
  return p;
}

std::string busy_line(const BusyTill& t) {
  return "  till " + t.code + " (" + t.name + ", " + t.store_name + "): " + std::to_string(t.outbox_depth) +
         " ops not synced, last seen " + (t.last_seen.empty() ? "never" : t.last_seen);
}

// `<self> stop|start <flags>`, its output going to ours.
int run_self(const Request& r, const std::string& verb) {
  db::SpawnOptions so;
  so.argv = {r.self.string(), verb};
  so.argv.insert(so.argv.end(), r.self_flags.begin(), r.self_flags.end());
  so.output_fd = STDOUT_FILENO;
  so.cwd = fs::current_path();
  return db::run(so);
}

// Polls until PostgreSQL has left recovery (promoted). False when it
// stopped on the way (a target past the archived WAL, a missing segment).
bool wait_for_promotion(db::EmbeddedPostgres& pg, const std::string& owner_conninfo, const Say& say) {
  const auto deadline = std::chrono::steady_clock::now() + kRecoveryTimeout;
  auto next_note = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pg.restarts() > 0 || pg.state() != db::PgState::running) return false;
    try {
      db::Database owner(owner_conninfo, 1);
      if (!db::cluster_in_recovery(owner.pool())) return true;
    } catch (const std::exception&) {
      // Not accepting connections yet: still replaying.
    }
    if (std::chrono::steady_clock::now() > next_note) {
      say("    still replaying WAL...");
      next_note += std::chrono::seconds(10);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return false;
}

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// Anchors written before the restore that point past the restored chain's
// head record rows the restore took away. Kept, whole, in a file beside the
// anchor file (evidence), and left out of the live one, so the chain that
// grows from here is checked against what it really is.
int set_aside_anchors_past(const fs::path& anchor_file, std::int64_t head, fs::path& aside) {
  std::ifstream in(anchor_file);
  if (!in) return 0;
  std::string kept;
  int past = 0;
  for (std::string line; std::getline(in, line);) {
    const auto doc = nlohmann::json::parse(line, nullptr, false);
    if (!doc.is_discarded() && doc.is_object() && doc.contains("position") && doc["position"].is_number_integer() &&
        doc["position"].get<std::int64_t>() > head) {
      ++past;
      continue;
    }
    kept += line + "\n";
  }
  in.close();
  if (past == 0) return 0;
  aside = anchor_file;
  aside += ".before-restore-" + utc_stamp();
  fs::copy_file(anchor_file, aside, fs::copy_options::overwrite_existing);
  const fs::path tmp = fs::path(anchor_file) += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << kept;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, anchor_file);
  return past;
}

struct AuditCheck {
  bool ok = false;
  std::string summary;
};

AuditCheck verify_audit(Services& services, const Say& say) {
  auto& audit = services.audit();
  const auto head = audit.head();
  fs::path aside;
  const int past = set_aside_anchors_past(audit.anchor_file(), head.position, aside);
  if (past > 0) {
    say("    " + std::to_string(past) + " anchors recorded rows past the restored head (position " +
        std::to_string(head.position) + "): the restore took those rows away; kept in " + aside.string());
  }
  const auto r = audit.verify();
  AuditCheck c;
  c.ok = r.ok;
  if (r.ok) {
    c.summary = "audit chain OK: " + std::to_string(r.checked) + " rows, head " + std::to_string(r.head.position) +
                ", " + std::to_string(r.anchors_checked) + " anchors match";
  } else {
    c.summary = "audit chain BROKEN: " + r.problem;
  }
  return c;
}

// The secrets archive to take the store's keys from: the set's own for a
// set, else the newest (the keys rarely change; the CA key never does).
std::optional<fs::path> secrets_archive_for(const config::Config& config, const Request& request) {
  if (request.target == Target::set) {
    const auto p = backups::secrets_archive_path(config, request.set);
    return fs::exists(p) ? std::optional<fs::path>(p) : std::nullopt;
  }
  const auto dir = backups::secrets_archive_path(config, "x").parent_path();
  std::error_code ec;
  std::optional<fs::path> newest;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".tar" && (!newest || e.path().filename() > newest->filename())) newest = e.path();
  }
  return newest;
}

// DATA_PATH lost its keys or certificates (a new machine): put them back
// from the companion archive before anything would make new ones, so the
// tills keep trusting this server (same CA, same grant key).
void restore_missing_secrets(const config::Config& config, const Request& request, const fs::path& data_path,
                             const Say& say) {
  if (fs::exists(data_path / "keys" / "grant-signing.key") && fs::exists(data_path / "tls")) return;
  say("==> DATA_PATH lacks the store's keys: taking them from the secrets archive");
  const auto archive = secrets_archive_for(config, request);
  if (!archive) {
    say("    no secrets archive in the repository: new keys will be made, and tills must be enrolled again "
        "(copy DATA_PATH/keys and DATA_PATH/tls from the old machine first if you still can)");
    return;
  }
  const auto settings = db::pgbackrest::settings_from(config);
  if (auto r = backups::restore_secrets(*archive, data_path, false, settings.cipher_pass()); !r) {
    say("    cannot restore the secrets from " + archive->string() + ": " + r.error().context);
  } else {
    say("    restored from " + archive->string());
  }
}

Outcome fail(Outcome o, const Say& say, const std::string& what, const std::string& state_and_todo) {
  say("FAILED: " + what);
  say(state_and_todo);
  o.exit_code = 1;
  return o;
}

}  // namespace

std::optional<std::string> request_problem(const config::Config& config, const Request& request) {
  if (!config.embedded_database())
    return "restore works on the embedded database only; with DATABASE_URL restore that server with its own tools";
  if (!config.backup_repo_configured())
    return "no backup repository is configured: set PGBACKREST_REPO1_TYPE (and PGBACKREST_REPO1_PATH) in .env";
  if (request.target == Target::time) {
    static const std::regex kTime(R"(^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$)");
    if (!std::regex_match(request.time, kTime))
      return "--time: give the store's local time as \"YYYY-MM-DD HH:MM:SS\" (got \"" + request.time + "\")";
  }
  if (request.target == Target::set) {
    static const std::regex kSet(R"(^[0-9]{8}-[0-9]{6}F(_[0-9]{8}-[0-9]{6}[DI])?$)");
    if (!std::regex_match(request.set, kSet))
      return "--set: a backup label as `salespider backup info` lists it (e.g. 20260501-010000F)";
  }
  return std::nullopt;
}

std::vector<std::string> pgbackrest_restore_args(const Request& request, const std::string& time_utc) {
  std::vector<std::string> args{"--delta", "--log-level-console=warn"};
  switch (request.target) {
    case Target::time:
      args.push_back("--type=time");
      args.push_back("--target=" + time_utc + "+00");
      args.push_back("--target-action=promote");
      break;
    case Target::set:
      // The database as that backup left it, not replayed further.
      args.push_back("--set=" + request.set);
      args.push_back("--type=immediate");
      args.push_back("--target-action=promote");
      break;
    case Target::latest: break;  // every archived WAL segment replayed
  }
  args.push_back("restore");
  return args;
}

Outcome run(const config::Config& config, const Request& request, const Say& say) {
  Outcome out;
  if (auto problem = request_problem(config, request)) {
    say(*problem);
    out.exit_code = 2;
    return out;
  }
  const fs::path data_path = data_path_of(config);
  const auto layout = db::describe_layout(data_path);
  const auto settings = db::pgbackrest::settings_from(config);

  // 1. What the tills still hold, and the target in UTC.
  say("==> checking the tills (outbox depth as last reported)");
  Preflight pre;
  bool preflight_ok = true;
  try {
    pre = read_preflight(config, request);
  } catch (const std::exception& e) {
    preflight_ok = false;
    say("    cannot read the current database: " + std::string(e.what()));
  }
  out.busy_tills = pre.busy;
  if (!preflight_ok && !request.force) {
    return fail(out, say, "the tills' state cannot be checked",
                "Nothing was changed. If the database is lost or damaged, run the restore again with --force.");
  }
  for (const auto& t : pre.busy) say(busy_line(t));
  if (!pre.busy.empty() && !request.force) {
    say("REFUSED: " + std::to_string(pre.busy.size()) +
        " till(s) have ops the server has not received. A restore would not lose them (tills keep their "
        "outboxes), but let them sync first: open each till online, wait until it shows no pending ops, then "
        "run the restore again. To restore anyway, add --force.");
    out.exit_code = 1;
    return out;
  }
  if (pre.busy.empty() && preflight_ok) say("    no till reports unsynced ops");
  std::string time_utc = pre.time_utc;
  if (request.target == Target::time) {
    if (time_utc.empty()) {
      time_utc = request.time;
      say("    the store's time zone is unknown (database unreadable): " + request.time + " is taken as UTC");
    } else {
      say("    target " + request.time + " (" + (pre.stores.empty() ? "UTC" : pre.stores.front().time_zone) +
          ") = " + time_utc + " UTC");
    }
  }

  // 2. The server.
  const bool was_running = running_server(data_path).has_value();
  if (was_running) {
    say("==> stopping the server");
    const int rc = run_self(request, "stop");
    if (rc != 0 || running_server(data_path)) {
      return fail(out, say, "`salespider stop` exited with " + std::to_string(rc),
                  "Nothing was restored; the server may still be running. Stop it (salespider stop) and run the "
                  "restore again.");
    }
  }
  if (cluster_answers(layout)) {
    return fail(out, say, "PostgreSQL under " + layout.cluster_dir.string() + " is running without a server",
                "Nothing was restored. Another salespider command is using the database: let it finish, then run "
                "the restore again.");
  }

  // 3. pgBackRest.
  const auto as = db::pgbackrest::cluster_owner(layout);
  say("==> restoring (" + describe(request) + ") from the " + settings.repo1_type + " repository" +
      (settings.repo1_path.empty() ? "" : " " + settings.repo1_path) + " into " + layout.cluster_dir.string());
  try {
    db::pgbackrest::write_config(settings, layout, as);
  } catch (const std::exception& e) {
    return fail(out, say, std::string("cannot write the pgBackRest configuration: ") + e.what(),
                "Nothing was restored; the server is stopped. Fix the above, then run the restore again.");
  }
  const auto restored = db::pgbackrest::run(settings, layout, as, pgbackrest_restore_args(request, time_utc));
  if (!restored.ok()) {
    return fail(out, say,
                "pgbackrest restore exited with " + std::to_string(restored.exit_code) + ":\n" +
                    db::pgbackrest::error_lines(restored.output),
                "The server is stopped and the cluster directory may be partly restored. Check the repository "
                "(salespider backup info), then run the restore again: it is incremental (--delta).");
  }

  restore_missing_secrets(config, request, data_path, say);

  // 4. Recovery, then the schema, the audit chain and the epoch.
  say("==> starting PostgreSQL and replaying WAL until the target");
  try {
    db::EmbeddedPostgres pg(embedded_options(config));
    pg.start();
    const std::string owner_conninfo = pg.conninfo();
    if (!wait_for_promotion(pg, owner_conninfo, say)) {
      return fail(out, say,
                  "PostgreSQL did not finish recovery (see " + (layout.log_dir / "postgres.log").string() + ")",
                  "The server is stopped. A time past the last archived WAL cannot be reached: pick an earlier "
                  "time, or restore the latest state (salespider restore).");
    }
    say("    recovery finished");
    say("==> migrating the schema");
    db::migrate_as_owner(owner_conninfo, config.database_schema, db::kAppRole);

    db::Database app(pg.app_conninfo(), 2, config.database_schema);
    ServicesOptions so;
    so.data_path = data_path;
    Services services(app.pool(), so);
    say("==> verifying the audit chain");
    const auto check = verify_audit(services, say);
    out.audit_ok = check.ok;
    out.audit_summary = check.summary;
    say("    " + check.summary);
    if (!check.ok)
      say("    The chain is reported, not repaired: keep this output and the backup for whoever checks the books.");

    say("==> starting a new restore epoch (tills re-send what they kept and pull from the start)");
    nlohmann::json detail{{"restored", describe(request)}, {"forced", request.force}};
    if (request.target == Target::time) detail["time_utc"] = time_utc;
    if (!pre.busy.empty()) detail["tills_with_unsynced_ops"] = pre.busy.size();
    const auto epoch = db::begin_restore_epoch(app.pool(), describe(request), detail.dump());
    out.epoch = epoch.epoch;
    say("    epoch " + epoch.epoch);
    say("==> stopping PostgreSQL");
  } catch (const std::exception& e) {
    return fail(out, say, e.what(),
                "The server is stopped; the database was restored but not finished. Run the restore again (it is "
                "safe to repeat), or look at " + (layout.log_dir / "postgres.log").string() + ".");
  }

  // 5. The server again, as it was.
  if (was_running) {
    say("==> starting the server");
    const int rc = run_self(request, "start");
    if (rc != 0) {
      return fail(out, say, "`salespider start` exited with " + std::to_string(rc),
                  "The database is restored; start the server yourself (salespider start) and check "
                  "`salespider status`.");
    }
  }
  say("restore done: " + describe(request) + ", epoch " + out.epoch);
  out.exit_code = 0;
  return out;
}

}  // namespace salespider::service::restore
