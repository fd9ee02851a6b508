// See backups.hpp. Every command rewrites pgbackrest.conf first (the .env may
// have changed since the server started) and runs pgbackrest as the
// cluster's user through db/pgbackrest.
#include "service/backups.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "db/embedded_postgres.hpp"
#include "db/pgbackrest.hpp"
#include "log/log.hpp"
#include "support/secret_file.hpp"
#include "support/human_units.hpp"

namespace fs = std::filesystem;
namespace pgb = salespider::db::pgbackrest;
using nlohmann::json;

namespace salespider::service::backups {

using support::human_bytes;
namespace {

constexpr std::int64_t kFullMaxAgeSeconds = 7 * 24 * 3600;
constexpr const char* kSecretsDir = "salespider-secrets";

// What a command works with: the layout, the generated config, the user
// pgbackrest runs as, and the embedded cluster when this command had to start
// it (stopped when the session ends).
class Session {
 public:
  Session(const config::Config& config, bool need_cluster)
      : settings_(pgb::settings_from(config)),
        layout_(db::describe_layout(fs::absolute(config.data_path).lexically_normal())) {
    if (need_cluster && PQping(db::embedded_conninfo(layout_, "postgres").c_str()) != PQPING_OK) {
      db::EmbeddedOptions eo;
      eo.data_path = layout_.data_path;
      eo.backups = std::make_shared<pgb::Settings>(settings_);
      started_here_ = std::make_unique<db::EmbeddedPostgres>(std::move(eo));
      started_here_->start();
      layout_ = started_here_->layout();
      as_ = started_here_->run_as();
    } else {
      as_ = pgb::cluster_owner(layout_);
    }
    pgb::write_config(settings_, layout_, as_);
    repo_problem_ = pgb::ensure_repo(settings_, as_);
  }

  pgb::Outcome run(const std::vector<std::string>& args) const { return pgb::run(settings_, layout_, as_, args); }
  const std::optional<std::string>& repo_problem() const { return repo_problem_; }
  const pgb::Settings& settings() const { return settings_; }

 private:
  pgb::Settings settings_;
  db::Layout layout_;
  db::RunAs as_;
  std::optional<std::string> repo_problem_;
  std::unique_ptr<db::EmbeddedPostgres> started_here_;
};

std::string repo_words(const config::Config& c) {
  if (c.pgbackrest_repo1_type == "posix") return "posix " + c.pgbackrest_repo1_path;
  std::string where = c.pgbackrest_repo1_type;
  for (const char* key : {"repo1-s3-bucket", "repo1-azure-container", "repo1-gcs-bucket"}) {
    if (auto it = c.pgbackrest_options.find(key); it != c.pgbackrest_options.end()) where += " " + it->second;
  }
  return where + " " + c.pgbackrest_repo1_path;
}

std::string human_time(std::int64_t t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string human_age(std::int64_t seconds) {
  if (seconds < 120) return std::to_string(std::max<std::int64_t>(seconds, 0)) + " seconds ago";
  if (seconds < 7200) return std::to_string(seconds / 60) + " minutes ago";
  if (seconds < 172800) return std::to_string(seconds / 3600) + " hours ago";
  return std::to_string(seconds / 86400) + " days ago";
}

std::int64_t directory_bytes(const fs::path& dir) {
  std::int64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) total += static_cast<std::int64_t>(it->file_size(size_ec));
  }
  return total;
}

Outcome failure(const std::string& what, const pgb::Outcome& o, const std::string& fix) {
  return {1, what + " (pgbackrest exit " + std::to_string(o.exit_code) + "):\n" + pgb::error_lines(o.output) +
                 (fix.empty() ? "" : "\n" + fix)};
}

// The stanza exists before anything else runs (idempotent).
std::optional<Outcome> ensure_stanza(const Session& s) {
  if (s.repo_problem()) {
    return Outcome{1, *s.repo_problem() + ".\nFix it, then run `salespider backup check` again."};
  }
  const auto created = s.run({"stanza-create"});
  if (!created.ok()) {
    return failure("cannot create the backup stanza \"" + s.settings().stanza + "\" in the repository", created,
                   "Check PGBACKREST_REPO1_* in .env and that the repository is reachable and writable.");
  }
  return std::nullopt;
}

std::optional<Info> read_info(const Session& s, std::string* error = nullptr) {
  const auto o = s.run({"info", "--output=json"});
  if (!o.ok()) {
    if (error) *error = pgb::error_lines(o.output);
    return std::nullopt;
  }
  auto parsed = parse_info(o.output, s.settings().stanza);
  if (!parsed) {
    if (error) *error = parsed.error().context;
    return std::nullopt;
  }
  return *parsed;
}

// Secrets archives whose backup set has expired go with it.
void prune_secrets(const fs::path& dir, const Info& info) {
  std::set<std::string> keep;
  for (const auto& set : info.sets) keep.insert("secrets-" + set.label + ".tar");
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const auto name = e.path().filename().string();
    if (name.rfind("secrets-", 0) == 0 && keep.count(name) == 0) fs::remove(e.path(), ec);
  }
}

}  // namespace

std::int64_t Info::repo_size_bytes() const {
  std::int64_t total = 0;
  for (const auto& s : sets) total += s.repo_size_bytes;
  return total;
}

// A string member, "" when it is missing or not a string. pgBackRest prints
// null for values it does not have yet (an archive's min and max before the
// first WAL segment reaches the repository), and json::value() throws on
// null instead of falling back to the default.
static std::string text_of(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A number member, 0 when it is missing or not a number (null).
static std::int64_t number_of(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

Result<Info> parse_info(const std::string& text, const std::string& stanza) {
  const auto doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_array()) {
    return make_error(Errc::invalid_value, "pgbackrest info did not print JSON");
  }
  for (const auto& st : doc) {
    if (text_of(st, "name") != stanza) continue;
    Info info;
    info.stanza = stanza;
    if (st.contains("status")) {
      info.status_code = static_cast<int>(number_of(st["status"], "code"));
      info.status = text_of(st["status"], "message");
    }
    info.cipher = text_of(st, "cipher");
    if (info.cipher.empty()) info.cipher = "none";
    for (const auto& b : st.value("backup", json::array())) {
      BackupSet set;
      set.label = text_of(b, "label");
      set.type = text_of(b, "type");
      if (b.contains("timestamp")) {
        set.start = number_of(b["timestamp"], "start");
        set.stop = number_of(b["timestamp"], "stop");
      }
      if (b.contains("info")) {
        set.size_bytes = number_of(b["info"], "size");
        if (b["info"].contains("repository")) set.repo_size_bytes = number_of(b["info"]["repository"], "delta");
      }
      if (b.contains("archive") && b["archive"].is_object()) {
        set.wal_start = text_of(b["archive"], "start");
        set.wal_stop = text_of(b["archive"], "stop");
      }
      if (b.contains("prior") && b["prior"].is_string()) set.reference = b["prior"].get<std::string>();
      info.sets.push_back(std::move(set));
    }
    std::sort(info.sets.begin(), info.sets.end(), [](const auto& a, const auto& b) { return a.stop < b.stop; });
    for (const auto& a : st.value("archive", json::array())) {
      const std::string min = text_of(a, "min"), max = text_of(a, "max");
      if (!min.empty() && (info.wal_min.empty() || min < info.wal_min)) info.wal_min = min;
      if (max > info.wal_max) info.wal_max = max;
    }
    return info;
  }
  return make_error(Errc::invalid_value, "pgbackrest info knows no stanza \"" + stanza + "\"");
}

std::string automatic_type(const Info& info, std::time_t now) {
  const bool recent_full = std::any_of(info.sets.begin(), info.sets.end(), [&](const BackupSet& s) {
    return s.type == "full" && s.stop >= static_cast<std::int64_t>(now) - kFullMaxAgeSeconds;
  });
  return recent_full ? "diff" : "full";
}

std::optional<Outcome> not_applicable(const config::Config& config) {
  if (!config.embedded_database()) {
    return Outcome{2,
                   "this server uses an external PostgreSQL (DATABASE_URL): its backups are that database's "
                   "operator's business (pgBackRest or pg_dump on that host); salespider backs up only its own "
                   "embedded database"};
  }
  if (!config.backup_repo_configured()) {
    return Outcome{2,
                   "no backup repository is configured: set PGBACKREST_REPO1_TYPE=posix and "
                   "PGBACKREST_REPO1_PATH=/var/lib/pgbackrest (ideally another disk) in .env, then restart the "
                   "server"};
  }
  return std::nullopt;
}

fs::path secrets_archive_path(const config::Config& config, const std::string& label) {
  return fs::path(config.pgbackrest_repo1_path) / kSecretsDir / ("secrets-" + label + ".tar");
}

BackupResult backup(const config::Config& config, const std::string& type,
                    const std::optional<fs::path>& env_file) {
  BackupResult r;
  if (auto na = not_applicable(config)) {
    r.outcome = *na;
    return r;
  }
  try {
    Session s(config, true);
    if (auto problem = ensure_stanza(s)) {
      r.outcome = *problem;
      return r;
    }
    std::string chosen = type;
    if (chosen.empty()) {
      const auto before = read_info(s);
      chosen = before ? automatic_type(*before, std::time(nullptr)) : "full";
    }
    const auto started = std::chrono::steady_clock::now();
    const auto done = s.run({"backup", "--type=" + chosen});
    if (!done.ok()) {
      r.outcome = failure("the " + chosen + " backup failed", done,
                          "Run `salespider backup check` to see whether WAL archiving works.");
      return r;
    }
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
    std::string error;
    const auto after = read_info(s, &error);
    if (!after || after->sets.empty()) {
      r.outcome = {1, "the backup finished but pgbackrest info cannot list it: " + error};
      return r;
    }
    r.set = after->sets.back();
    std::ostringstream msg;
    msg << r.set->type << " backup " << r.set->label << " done in " << seconds << " s: "
        << human_bytes(r.set->size_bytes) << " of data, " << human_bytes(r.set->repo_size_bytes)
        << " stored in the repository.\n";
    const std::string pass = s.settings().cipher_pass();
    if (config.pgbackrest_repo1_type == "posix") {
      const auto out = secrets_archive_path(config, r.set->label);
      try {
        support::ensure_private_directory(out.parent_path());
        write_secrets_archive({fs::absolute(config.data_path).lexically_normal(), env_file}, pass, out);
        prune_secrets(out.parent_path(), *after);
        r.secrets_archive = out;
        msg << "The store's secrets (CA key, signing keys, .env) are in " << out.string()
            << (pass.empty() ? " (not encrypted: set PGBACKREST_REPO1_CIPHER_PASS to encrypt backups and it)"
                             : " (encrypted with the repository's passphrase)")
            << ".\n";
      } catch (const std::exception& e) {
        r.outcome = {1, msg.str() + "but the secrets archive could not be written: " + e.what()};
        return r;
      }
    } else {
      msg << "The store's secrets are not stored in a cloud repository: keep a copy made with "
             "`salespider backup secrets --out FILE` somewhere safe.\n";
    }
    r.outcome = {0, msg.str()};
  } catch (const std::exception& e) {
    r.outcome = {1, std::string("backup: ") + e.what()};
  }
  return r;
}

InfoResult info(const config::Config& config) {
  InfoResult r;
  if (auto na = not_applicable(config)) {
    r.outcome = *na;
    return r;
  }
  try {
    Session s(config, false);
    std::string error;
    r.info = read_info(s, &error);
    if (!r.info) {
      r.outcome = {1, "cannot read the backup repository: " + error +
                          (s.repo_problem() ? "\n" + *s.repo_problem() : std::string())};
    }
  } catch (const std::exception& e) {
    r.outcome = {1, std::string("backup info: ") + e.what()};
  }
  return r;
}

Outcome check(const config::Config& config) {
  if (auto na = not_applicable(config)) return *na;
  try {
    Session s(config, true);
    if (auto problem = ensure_stanza(s)) return *problem;
    const auto checked = s.run({"check"});
    if (!checked.ok()) {
      return failure("WAL archiving does NOT reach the backup repository", checked,
                     "Until this is fixed no backup can be restored past the last archived WAL; pgBackRest "
                     "drops WAL beyond PGBACKREST_ARCHIVE_PUSH_QUEUE_MAX so the disk does not fill.");
    }
    return {0, "WAL archiving works: a WAL segment just reached the repository (" + repo_words(config) +
                   ", stanza \"" + s.settings().stanza + "\").\n"};
  } catch (const std::exception& e) {
    return {1, std::string("backup check: ") + e.what()};
  }
}

Summary summarize(const config::Config& config) {
  Summary sum;
  if (auto na = not_applicable(config)) {
    sum.detail = na->message;
    return sum;
  }
  sum.configured = true;
  sum.repo = repo_words(config);
  try {
    Session s(config, false);
    std::string error;
    const auto info = read_info(s, &error);
    if (!info) {
      sum.detail = "pgbackrest info failed: " + error;
      return sum;
    }
    sum.count = static_cast<int>(info->sets.size());
    sum.repo_size_bytes = config.pgbackrest_repo1_type == "posix" ? directory_bytes(config.pgbackrest_repo1_path)
                                                                  : info->repo_size_bytes();
    if (!info->sets.empty()) {
      const auto& set = info->sets.back();
      sum.last = LastBackup{set.label, set.type, log::utc_iso8601(static_cast<std::time_t>(set.stop)),
                            static_cast<std::int64_t>(std::time(nullptr)) - set.stop};
    } else {
      sum.detail = "no backup yet";
    }
  } catch (const std::exception& e) {
    sum.detail = e.what();
  }
  return sum;
}

std::string describe(const Info& info, const config::Config& config, std::time_t now) {
  std::ostringstream out;
  out << "Backups of stanza \"" << info.stanza << "\" in " << repo_words(config)
      << (info.cipher != "none" && !info.cipher.empty() ? " (encrypted, " + info.cipher + ")" : " (not encrypted)")
      << ": " << info.status << "\n";
  if (info.sets.empty()) {
    out << "No backup yet: nothing can be restored. Take one with `salespider backup`.\n";
    return out.str();
  }
  out << "\n  label                              type  finished                 data        in repository\n";
  for (const auto& s : info.sets) {
    char line[200];
    std::snprintf(line, sizeof line, "  %-34s %-5s %-24s %-11s %s\n", s.label.c_str(), s.type.c_str(),
                  human_time(s.stop).c_str(), human_bytes(s.size_bytes).c_str(),
                  human_bytes(s.repo_size_bytes).c_str());
    out << line;
  }
  const auto& last = info.sets.back();
  out << "\n" << info.sets.size() << " backup set(s), " << human_bytes(info.repo_size_bytes())
      << " in the repository (without WAL). Last backup: " << last.type << ", finished "
      << human_age(static_cast<std::int64_t>(now) - last.stop) << ".\n";
  out << "Point-in-time recovery: any moment from " << human_time(info.sets.front().stop)
      << " (end of the oldest backup) up to the newest archived WAL";
  if (!info.wal_max.empty()) out << " (segments " << info.wal_min << " to " << info.wal_max << ")";
  out << ".\nWith archiving working that is at most a few minutes ago; `salespider backup check` proves it.\n";
  return out.str();
}

std::string to_json(const Info& info, const config::Config& config) {
  json sets = json::array();
  for (const auto& s : info.sets) {
    sets.push_back({{"label", s.label},
                    {"type", s.type},
                    {"start", log::utc_iso8601(static_cast<std::time_t>(s.start))},
                    {"stop", log::utc_iso8601(static_cast<std::time_t>(s.stop))},
                    {"size_bytes", s.size_bytes},
                    {"repo_size_bytes", s.repo_size_bytes},
                    {"wal_start", s.wal_start},
                    {"wal_stop", s.wal_stop},
                    {"reference", s.reference.empty() ? json(nullptr) : json(s.reference)}});
  }
  json doc{{"stanza", info.stanza},
           {"status", info.status},
           {"repo", {{"type", config.pgbackrest_repo1_type}, {"path", config.pgbackrest_repo1_path}}},
           {"encrypted", !info.cipher.empty() && info.cipher != "none"},
           {"count", info.sets.size()},
           {"repo_size_bytes", info.repo_size_bytes()},
           {"backups", sets},
           {"wal", {{"min", info.wal_min}, {"max", info.wal_max}}}};
  if (!info.sets.empty()) {
    doc["pitr"] = {{"from", log::utc_iso8601(static_cast<std::time_t>(info.sets.front().stop))},
                   {"to_wal", info.wal_max}};
  } else {
    doc["pitr"] = nullptr;
  }
  return doc.dump(2);
}

}  // namespace salespider::service::backups
