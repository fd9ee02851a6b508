// `salespider bundle` and `salespider update --from FILE`: updating a store
// without internet (docs/operations.md "Updating").
//
// bundle writes an update bundle (service/bundles.hpp). update checks one,
// takes a backup, installs it as a release (service/releases.hpp), restarts
// the service on it and waits until /api/v1/health answers from the new
// binary; when it does not, it switches back to the previous release, restores
// the pre-update backup if the new binary had migrated the database, and
// starts the previous release again. The server is stopped and started only
// through the binaries' own `stop` and `start` (as children), so this works
// the same under systemd and under the supervised background service.
// Not here: what a release is (releases.*), how backups and restores work
// (the `backup` and `restore` commands).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include <httplib.h>

#include "app/cli_database.hpp"
#include "app/commands.hpp"
#include "app/config_flags.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "db/process.hpp"
#include "log/log.hpp"
#include "salespider/version.hpp"
#include "service/bundles.hpp"
#include "service/releases.hpp"
#include "service/status.hpp"

namespace salespider::app {
namespace {
namespace fs = std::filesystem;
namespace bundles = service::bundles;
namespace releases = service::releases;

constexpr auto kHealthWait = std::chrono::seconds(60);

void say(const std::string& line) { std::cout << "update: " << line << std::endl; }

// ---------------------------------------------------------------- bundle --

struct BundleOptions {
  std::string www;
  std::string out;
  std::string binary;
  std::string id;
  std::string min_from_version;
  bool json = false;
};

int run_bundle(const BundleOptions& o) {
  bundles::BuildOptions build;
  build.www_dir = o.www;
  build.out = o.out;
  build.id = o.id;
  build.binary = o.binary.empty() ? fs::path("/proc/self/exe") : fs::path(o.binary);
  build.created_at = log::utc_iso8601(std::time(nullptr));
  if (!o.min_from_version.empty()) build.min_from_version = o.min_from_version;
  // The migrations ship inside the binary; we can count them only for our own.
  std::error_code ec;
  if (o.binary.empty() || fs::equivalent(o.binary, "/proc/self/exe", ec)) {
    build.schema_migrations = static_cast<int>(db::embedded_migrations().size());
  }
  auto built = bundles::build(build);
  if (!built) {
    std::cerr << "bundle: " << built.error().context << "\n";
    return built.code() == Errc::invalid_argument ? 2 : 1;
  }
  const auto& m = built->manifest;
  if (o.json) {
    std::cout << nlohmann::json{{"file", fs::absolute(o.out).string()}, {"id", m.id}, {"version", m.version},
                                {"sha256", built->sha256}, {"size", built->size},
                                {"checksum_file", built->checksum_file.string()}, {"files", m.files.size()},
                                {"schema_migrations", m.schema_migrations ? nlohmann::json(*m.schema_migrations)
                                                                          : nlohmann::json()}}
                     .dump(2)
              << "\n";
    return 0;
  }
  std::cout << "bundle: wrote " << o.out << " (" << m.files.size() << " files, " << built->size / (1024 * 1024)
            << " MiB)\n"
            << "  release id: " << m.id << " (version " << m.version << ")\n"
            << "  sha256:     " << built->sha256 << " (also in " << built->checksum_file.string() << ")\n";
  if (m.schema_migrations) std::cout << "  migrations: " << *m.schema_migrations << " inside the binary\n";
  std::cout << "Copy both files to the store's server, then run: salespider update --from "
            << fs::path(o.out).filename().string() << "\n";
  return 0;
}

// ---------------------------------------------------------------- update --

struct UpdateOptions {
  std::string from;
  bool no_backup = false;
  bool yes = false;
  int health_timeout = static_cast<int>(kHealthWait.count());
};

// How the children (`stop`, `start`, `backup`, `restore`) find the same
// configuration we use: they start with a clean environment (db::spawn), so
// the .env file and DATA_PATH are handed over as flags.
std::vector<std::string> config_args(const ConfigFlags& flags, const config::Config& config) {
  std::vector<std::string> args{"--data-path", fs::absolute(config.data_path).string()};
  std::string env_file = flags.env_file;
  if (env_file.empty()) {
    const char* env = std::getenv("SALESPIDER_ENV_FILE");
    env_file = env != nullptr && *env != '\0' ? env : (fs::exists(".env") ? ".env" : "");
  }
  if (!env_file.empty()) args.insert(args.end(), {"--env-file", fs::absolute(env_file).string()});
  if (auto url = flags.values.find("DATABASE_URL"); url != flags.values.end()) {
    args.insert(args.end(), {"--database-url", url->second});
  }
  return args;
}

// Runs `program args... config_args`, its output interleaved with ours.
int run_child(const fs::path& program, std::vector<std::string> args, const std::vector<std::string>& common) {
  std::cout.flush();
  db::SpawnOptions o;
  o.argv.push_back(program.string());
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.argv.insert(o.argv.end(), common.begin(), common.end());
  o.output_fd = STDOUT_FILENO;
  o.cwd = fs::current_path();
  return db::run(o);
}

fs::path self_binary() { return fs::read_symlink("/proc/self/exe"); }

// "1.10.2" > "1.9": numbers compared as numbers.
int compare_versions(const std::string& a, const std::string& b) {
  auto numbers = [](const std::string& s) {
    std::vector<long> out;
    long n = -1;
    for (char c : s) {
      if (std::isdigit(static_cast<unsigned char>(c))) {
        n = (n < 0 ? 0 : n * 10) + (c - '0');
      } else if (n >= 0) {
        out.push_back(n);
        n = -1;
      }
    }
    if (n >= 0) out.push_back(n);
    return out;
  };
  const auto x = numbers(a), y = numbers(b);
  return x < y ? -1 : (y < x ? 1 : 0);
}

// Migrations recorded in the database (applied, changed, or unknown to this
// binary); nullopt when it cannot be read. Starts the embedded cluster for the
// moment when no server runs.
std::optional<int> recorded_migrations(const config::Config& config) {
  try {
    auto target = open_cli_database(config, 1);
    int n = 0;
    for (const auto& m : db::migration_status(target.database->pool())) {
      if (m.state != db::MigrationState::pending) ++n;
    }
    return n;
  } catch (const std::exception& e) {
    say(std::string("cannot read the schema's migrations: ") + e.what());
    return std::nullopt;
  }
}

// The latest backup label in `backup info --json`'s answer (pgBackRest labels
// sort by time: "<full>", "<full>_<incr or diff>").
std::string latest_backup_label(const nlohmann::json& j) {
  std::string best;
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (key == "label" && value.is_string()) best = std::max(best, value.get<std::string>());
      best = std::max(best, latest_backup_label(value));
    }
  } else if (j.is_array()) {
    for (const auto& value : j) best = std::max(best, latest_backup_label(value));
  }
  return best;
}

// Takes the pre-update backup; returns its label ("" when it failed).
std::string take_backup(const std::vector<std::string>& common) {
  say("taking a backup before anything changes (salespider backup --type incr)");
  if (run_child(self_binary(), {"backup", "--type", "incr"}, common) != 0) return "";
  std::vector<std::string> argv{self_binary().string(), "backup", "info", "--json"};
  argv.insert(argv.end(), common.begin(), common.end());
  const auto info = bundles::run_captured(argv, std::chrono::seconds(120));
  if (info.status != 0) return "";
  // stderr's log lines (JSON too) share the capture: take the document that lists backups.
  const std::string& out = info.output;
  for (std::size_t pos = 0; pos < out.size();) {
    const std::size_t next = out.find('\n', pos);
    if (out[pos] == '{') {
      std::istringstream in(out.substr(pos));
      nlohmann::json doc;
      try {
        in >> doc;  // one value; whatever follows is left unread
        if (doc.is_object() && doc.contains("backups")) return latest_backup_label(doc["backups"]);
      } catch (const nlohmann::json::exception&) {
        // a line that merely starts with '{'
      }
    }
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return "";
}

struct Health {
  bool ok = false;
  std::string detail;
};

// One look at the server on this DATA_PATH: runs `binary`, and
// /api/v1/health says ok and `version`.
Health look_at_server(const fs::path& data_path, const fs::path& binary, const std::string& version) {
  const auto server = service::running_server(data_path);
  if (!server) return {false, "no server is running"};
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/" + std::to_string(server->pid) + "/exe", ec);
  if (ec || !fs::equivalent(exe, binary, ec)) {
    return {false, "the running server (pid " + std::to_string(server->pid) + ") is not " + binary.string()};
  }
  // Our own server on the loopback: we ask whether it answers, and send nothing secret.
  auto get = [](httplib::ClientImpl& client) -> std::optional<std::string> {
    client.set_connection_timeout(2);
    client.set_read_timeout(5);
    auto res = client.Get("/api/v1/health");
    if (!res) return std::nullopt;
    return res->body;
  };
  std::optional<std::string> answer;
  if (server->https_port > 0) {
    httplib::SSLClient client("127.0.0.1", server->https_port);
    client.enable_server_certificate_verification(false);
    answer = get(client);
  } else {
    httplib::ClientImpl client("127.0.0.1", server->http_port);
    answer = get(client);
  }
  if (!answer) return {false, "/api/v1/health does not answer"};
  const auto body = nlohmann::json::parse(*answer, nullptr, false);
  const std::string status = body.value("status", "");
  const std::string seen = body.value("version", "");
  if (status != "ok") return {false, "/api/v1/health says " + (status.empty() ? *answer : status)};
  if (seen != version) return {false, "/api/v1/health reports version " + seen + ", not " + version};
  return {true, "healthy (version " + seen + ", pid " + std::to_string(server->pid) + ")"};
}

Health wait_healthy(const fs::path& data_path, const fs::path& binary, const std::string& version,
                    std::chrono::seconds limit = kHealthWait) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  Health last;
  while (std::chrono::steady_clock::now() < deadline) {
    last = look_at_server(data_path, binary, version);
    if (last.ok) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  last.detail += " (waited " + std::to_string(limit.count()) + " s)";
  return last;
}

bool confirmed(const std::string& question) {
  std::cout << question << " [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

struct Update {
  const config::Config& config;
  const UpdateOptions& options;
  fs::path data_path;
  std::vector<std::string> common;

  fs::path release_binary(const std::string& id) const { return data_path / "releases" / id / "salespider"; }

  // The new release failed: back to the previous one, the database as it was.
  int roll_back(const std::string& reason, const std::string& old_id, const std::string& old_version,
                int migrations_before, const std::string& backup_label) {
    say("FAILED: " + reason);
    say("rolling back to " + old_id);
    run_child(self_binary(), {"stop"}, common);
    if (auto r = releases::rollback(data_path); !r) {
      say("cannot switch back: " + r.error().context);
      return 1;
    }
    // -1: unknown (not read before the update).
    const int after = migrations_before >= 0 ? recorded_migrations(config).value_or(-1) : -1;
    const bool migrated = migrations_before >= 0 && after > migrations_before;
    if (migrated && !backup_label.empty()) {
      say("the new version had applied " + std::to_string(after - migrations_before) +
          " migration(s): restoring the pre-update backup " + backup_label);
      if (run_child(release_binary(old_id), {"restore", "--set", backup_label, "--force", "--yes"}, common) != 0) {
        say("the restore failed: the database may be newer than " + old_id +
            "; run `salespider restore --set " + backup_label + " --force` once the cause is fixed");
      }
    } else if (migrated) {
      say("the new version had applied " + std::to_string(after - migrations_before) +
          " migration(s) and no backup was taken (--no-backup): the database is newer than " + old_id +
          ", which may refuse to start; restore your latest backup (salespider restore) or fix and "
          "retry the update");
    }
    if (!service::running_server(data_path)) {
      say("starting " + old_id + " again");
      run_child(release_binary(old_id), {"start"}, common);
    }
    const auto health = wait_healthy(data_path, release_binary(old_id), old_version);
    say(old_id + (health.ok ? " is running again: " : " is NOT healthy: ") + health.detail);
    say("update failed and was rolled back: " + reason);
    return 1;
  }

  int run() {
    say("checking " + options.from);
    auto unpacked = bundles::unpack(options.from, fs::temp_directory_path());
    if (!unpacked) {
      say("REFUSED, nothing was changed: " + unpacked.error().context);
      return 1;
    }
    const auto& m = unpacked->manifest();
    say(std::string(unpacked->checksum_file_checked() ? "the .sha256 beside it matches; "
                                                      : "no .sha256 beside it; ") +
        "all " + std::to_string(m.files.size()) + " files match the manifest of release " + m.id);
    const auto current = releases::current_id(data_path);
    if (current && *current == m.id) {
      say("release " + m.id + " is already the current one: nothing to do");
      return 0;
    }
    auto version = bundles::binary_version(unpacked->binary());
    if (!version) {
      say("REFUSED, nothing was changed: " + version.error().context);
      return 1;
    }
    if (*version != m.version) {
      say("REFUSED, nothing was changed: the bundle's binary says " + *version + ", its manifest " + m.version);
      return 1;
    }
    say("the new binary runs here (version " + *version + ")");
    if (m.min_from_version) {
      // What we update from: the current release's binary (this command may
      // be run by another build, e.g. the checkout's).
      auto from = current ? bundles::binary_version(release_binary(*current)) : Result<std::string>(kVersion);
      const std::string from_version = from ? *from : std::string(kVersion);
      if (compare_versions(from_version, *m.min_from_version) < 0) {
        say("REFUSED, nothing was changed: this bundle updates from version " + *m.min_from_version +
            " or later; this server is " + from_version + ": install an intermediate version first");
        return 1;
      }
    }
    const auto running = service::running_server(data_path);
    const bool restart = running.has_value() && current.has_value();
    if (!options.yes && isatty(STDIN_FILENO) &&
        !confirmed("Update " + (current ? *current : std::string("this server")) + " to " + m.id +
                   (restart ? " (the server restarts: tills keep selling offline meanwhile)?" : "?"))) {
      say("cancelled, nothing was changed");
      return 1;
    }

    std::string backup_label;
    if (options.no_backup) {
      say("no backup (--no-backup)");
    } else if (!config.backup_repo_configured()) {
      say("REFUSED, nothing was changed: no backup repository is configured (PGBACKREST_REPO1_TYPE), so "
          "there would be no way back if the new version's migrations go wrong; configure backups, or "
          "pass --no-backup to update anyway");
      return 2;
    } else {
      backup_label = take_backup(common);
      if (backup_label.empty()) {
        say("REFUSED, nothing was changed: the backup failed (see above); fix it, or pass --no-backup");
        return 1;
      }
      say("backup " + backup_label + " taken");
    }

    const int migrations_before = restart ? recorded_migrations(config).value_or(-1) : -1;
    auto installed = releases::install(data_path, unpacked->binary(), unpacked->www(), m.id);
    if (!installed) {
      say("cannot install the release: " + installed.error().context);
      return 1;
    }
    say("installed release " + m.id + " in " + (data_path / "releases" / m.id).string());
    if (auto activated = releases::activate(data_path, m.id); !activated) {
      say("cannot switch to the release: " + activated.error().context);
      return 1;
    }
    if (!restart) {
      say("release " + m.id + " is now current" +
          (running ? std::string("; the server running now (pid ") + std::to_string(running->pid) +
                         ") was not started as the deployed service: restart it with `salespider deploy`"
                   : std::string("; the server is not running: the next `salespider start` runs it")));
      return 0;
    }

    const std::string old_id = *current;
    const std::string old_version = running->version;
    say("stopping " + old_id);
    if (run_child(self_binary(), {"stop"}, common) != 0) {
      (void)releases::rollback(data_path);
      say("FAILED: the server did not stop; switched back to " + old_id + ", nothing else changed");
      return 1;
    }
    say("starting " + m.id);
    if (const int rc = run_child(release_binary(m.id), {"start"}, common); rc != 0) {
      return roll_back(m.id + " did not start (exit " + std::to_string(rc) + ")", old_id, old_version,
                       migrations_before, backup_label);
    }
    const auto health =
        wait_healthy(data_path, release_binary(m.id), m.version, std::chrono::seconds(options.health_timeout));
    if (!health.ok) {
      return roll_back(m.id + " is not healthy: " + health.detail, old_id, old_version, migrations_before,
                       backup_label);
    }
    say(m.id + " is running: " + health.detail);
    say("updated " + old_id + " -> " + m.id + "; tills load the new app the next time they are online");
    return 0;
  }
};

int run_update(const ConfigFlags& flags, const UpdateOptions& options) {
  auto loaded = load_config_or_report(flags);
  if (!loaded) return kConfigErrorExit;
  log::init(log::Level::warn);
  for (const auto& w : loaded->warnings) log::warn(w);
  if (!fs::is_regular_file(options.from)) {
    std::cerr << "update: " << options.from << " is not a file\n";
    return 2;
  }
  Update update{loaded->config, options, fs::absolute(loaded->config.data_path),
                config_args(flags, loaded->config)};
  try {
    return update.run();
  } catch (const std::exception& e) {
    say(std::string("FAILED: ") + e.what());
    return 1;
  }
}

}  // namespace

void add_update_command(CLI::App& app) {
  auto bundle = std::make_shared<BundleOptions>();
  auto* b = app.add_subcommand("bundle", "Write an update bundle (binary + till files) for a store without internet");
  b->add_option("--www", bundle->www, "The till's files (build/wasm/dist)")->required();
  b->add_option("--out", bundle->out, "The .tar.gz to write (FILE.sha256 goes beside it)")->required();
  b->add_option("--binary", bundle->binary, "The server binary to ship (default: this one)");
  b->add_option("--id", bundle->id, "Release id (default: <version>-<12 hex of the binary's sha256>)");
  b->add_option("--min-from-version", bundle->min_from_version, "Refuse to update servers older than this");
  b->add_flag("--json", bundle->json, "Print JSON");
  b->callback([bundle] { set_exit_code(run_bundle(*bundle)); });

  auto flags = std::make_shared<ConfigFlags>();
  auto options = std::make_shared<UpdateOptions>();
  auto* u = app.add_subcommand("update", "Check an update bundle, back up, switch to it, roll back if unhealthy");
  add_config_flags(u, flags);
  u->add_option("--from", options->from, "The bundle (.tar.gz) from `salespider bundle`")->required();
  u->add_flag("--no-backup", options->no_backup, "Update without taking a backup first");
  u->add_flag("--yes,-y", options->yes, "Do not ask before restarting the server");
  u->add_option("--health-timeout", options->health_timeout,
                "Seconds the new release has to answer its health check (default 60)")
      ->check(CLI::Range(1, 3600));
  u->callback([flags, options] { set_exit_code(run_update(*flags, *options)); });
}

}  // namespace salespider::app
