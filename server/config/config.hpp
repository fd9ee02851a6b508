// The server's configuration: the `.env` names of the offline guide
// (DATABASE_URL, DOMAIN, HOST_IP, ALLOWED_ORIGINS, PGBACKREST_REPO1_TYPE/PATH,
// BACKUP_SCHEDULE_FULL, GEMINI_API_KEY) plus HTTP_PORT, HTTPS_PORT, DATA_PATH,
// SUPER_ADMIN_EMAIL, SUPER_ADMIN_PASSWORD, LOG_LEVEL.
//
// Precedence: defaults < .env < process environment < command-line flags.
// load() is value in, value out (the caller reads the file and the
// environment), so every rule is unit-tested without files. A malformed value
// is an error naming the variable and where it came from; a setting that does
// not apply to this server, or an unknown name in .env, is a warning.
// Deliberately not here: reading files, touching the network, checking that a
// database is reachable (db/ does that at start).
#pragma once

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "salespider/shared/result.hpp"

namespace salespider::config {

enum class LogLevel { trace, debug, info, warn, error };

struct Config {
  // Empty: the server runs its own PostgreSQL under DATA_PATH (embedded).
  // May hold a password: log redact_url(database_url), never the raw value.
  std::string database_url;
  std::string database_conninfo;  // database_url as libpq accepts it
  std::string database_schema;    // from `?schema=` ("" when absent)

  std::string domain = "salespider.local";
  std::string host_ip;                       // "" when not set
  std::vector<std::string> allowed_origins;  // "https://host[:port]", no trailing slash
  int http_port = 8080;
  int https_port = 8443;

  std::filesystem::path data_path = "data";

  std::string super_admin_email = "admin@salespider.local";
  std::string super_admin_password;  // "" = generate one at first start

  std::string pgbackrest_repo1_type;  // "" (no backups configured) | posix | s3 | azure | gcs
  std::string pgbackrest_repo1_path;  // posix repo directory
  std::string backup_schedule_full = "0 2 * * 0";    // cron expression (BACKUP_SCHEDULE_FULL)
  std::string backup_schedule_diff = "0 2 * * 1-6";  // cron expression (BACKUP_SCHEDULE_DIFF)
  std::string pgbackrest_stanza = "salespider";       // PGBACKREST_STANZA
  // Every other PGBACKREST_* variable, by pgBackRest's own option name
  // (PGBACKREST_REPO1_S3_BUCKET -> "repo1-s3-bucket"): passed through to the
  // generated pgbackrest.conf. May hold secrets (repo1-cipher-pass,
  // repo1-s3-key-secret...): never log these values.
  std::map<std::string, std::string> pgbackrest_options;

  LogLevel log_level = LogLevel::info;

  bool embedded_database() const { return database_url.empty(); }
  bool backup_repo_configured() const { return !pgbackrest_repo1_type.empty(); }
};

using Variables = std::map<std::string, std::string, std::less<>>;

struct Layers {
  std::string dotenv_text;            // "" when there is no file
  std::string dotenv_name = ".env";   // how messages name the file
  Variables environment;              // the process environment; only known names are read
  Variables flags;                    // command-line flags, by variable name (HTTP_PORT...)
};

struct Loaded {
  Config config;
  std::vector<std::string> warnings;
};

// Merges the layers and validates the result. Every problem found is listed
// in the error's context, one per line, each naming its variable.
Result<Loaded> load(const Layers& layers);

// What `.env.example`, --help and docs/operate.md document.
struct VariableInfo {
  std::string_view name;
  std::string_view default_value;
  std::string_view help;
};
std::span<const VariableInfo> known_variables();

// postgres[ql]:// URL -> a URL libpq accepts: `schema=X` (a Prisma-ism the
// guide uses, which libpq rejects) becomes `options=-csearch_path=X`, and a
// connect_timeout is added when none is given so an unreachable host fails
// in seconds. Errors name DATABASE_URL.
struct Conninfo {
  std::string conninfo;
  std::string schema;
};
Result<Conninfo> libpq_conninfo(std::string_view database_url);

// The URL with its password replaced by "***", for logs and messages.
std::string redact_url(std::string_view url);

std::string_view to_string(LogLevel level) noexcept;

}  // namespace salespider::config
