// pgBackRest for the embedded cluster: the generated configuration file and
// running pgbackrest as the cluster's user.
//
// [x] render_config(): a pure function of the settings and the cluster's
//     layout (unit tested): [global] repo1-type/path, every PGBACKREST_*
//     pass-through option, our defaults unless set (retention 4 full / 7 diff,
//     archive-push-queue-max 2GiB, start-fast, process-max 1, zst), cipher
//     type when a passphrase is set; [stanza] pg1-path/socket-path/port
// [x] write_config(): <pgbackrest dir>/pgbackrest.conf, 0600, owned by the
//     cluster's user, with lock/spool/log directories; the posix repository
//     directory (owner = cluster user, 0750)
// [x] run(): pgbackrest --config=<file> --stanza=<stanza> <args> as the
//     cluster's user, with a fixed environment (our PGBACKREST_* variables
//     never leak into it: the file is the one source), output captured
// [ ] an external DATABASE_URL's backups: the operator's business
//
// Where: DATA_PATH/pgbackrest, or next to the cluster when the cluster was
// relocated because its user cannot reach DATA_PATH (postgres runs
// archive-push and must read the file). pgBackRest's own log goes to
// <pgbackrest dir>/log for the same reason: DATA_PATH/logs is the server's
// (0700, root's when root runs the server).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/embedded_postgres.hpp"
#include "db/process.hpp"

namespace salespider::config {
struct Config;
}

namespace salespider::db::pgbackrest {

inline constexpr const char* kDefaultStanza = "salespider";

struct Settings {
  std::string stanza = kDefaultStanza;
  std::string repo1_type;  // "" = no repository: nothing to configure
  std::string repo1_path;
  // pgBackRest option name -> value (repo1-s3-bucket, repo1-retention-full,
  // repo1-cipher-pass...). May hold secrets: never log the values.
  std::map<std::string, std::string> options;

  bool configured() const { return !repo1_type.empty(); }
  bool encrypted() const { return options.count("repo1-cipher-pass") != 0; }
  std::string cipher_pass() const;  // "" when not encrypted
};

Settings settings_from(const config::Config& config);

// Where pgBackRest's files live for a cluster layout.
struct Paths {
  std::filesystem::path dir;          // DATA_PATH/pgbackrest (or next to a relocated cluster)
  std::filesystem::path config_file;  // dir/pgbackrest.conf
  std::filesystem::path log_dir;      // dir/log
  std::filesystem::path lock_dir;     // dir/lock
  std::filesystem::path spool_dir;    // dir/spool
};
Paths paths_for(const Layout& layout);

// The whole pgbackrest.conf (pure). Contains secrets when they are set.
std::string render_config(const Settings& settings, const Layout& layout);

// The option names whose values render_config() writes but nobody may print.
bool is_secret_option(const std::string& name);

// Writes the config file (0600) and pgBackRest's directories, owned by `as`;
// for a posix repository creates its directory (owner `as`, 0750) when
// missing. Throws EmbeddedError saying what to fix.
void write_config(const Settings& settings, const Layout& layout, const RunAs& as);

// A posix repository's directory: created when missing (owner `as`, 0750),
// given to `as` when another user owns it, and checked writable by `as`.
// Returns what is wrong, for a warning or a command's message; nullopt for
// other repository types.
std::optional<std::string> ensure_repo(const Settings& settings, const RunAs& as);

// Who owns the cluster (pgBackRest must run as that user): ourselves when we
// are not root, else the owner of cluster_dir, else `postgres`.
RunAs cluster_owner(const Layout& layout);

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr, as pgbackrest printed them
  bool ok() const { return exit_code == 0; }
};

// Runs `pgbackrest --config=<file> --stanza=<stanza> args...` as `as`
// (the config file must have been written). Never throws for a pgbackrest
// failure: that is in the outcome.
Outcome run(const Settings& settings, const Layout& layout, const RunAs& as, const std::vector<std::string>& args);

// stanza-create (idempotent: an existing stanza for this cluster is fine).
Outcome stanza_create(const Settings& settings, const Layout& layout, const RunAs& as);

// The last ERROR/WARN lines of pgbackrest's output, for a message.
std::string error_lines(const std::string& output);

}  // namespace salespider::db::pgbackrest
