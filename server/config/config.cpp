// See config.hpp. The table of known variables is the single list that
// validation, the environment layer and `.env.example` agree on.
#include "config/config.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

#include "config/dotenv.hpp"

namespace salespider::config {
namespace {

constexpr std::array<VariableInfo, 21> kVariables{{
    {"DATABASE_URL", "", "PostgreSQL server to use (postgresql://user:password@host:5432/db?schema=public). Empty: the server runs its own PostgreSQL under DATA_PATH."},
    {"DOMAIN", "salespider.local", "Name the tills use to reach this server; goes into the TLS certificate."},
    {"HOST_IP", "", "This server's LAN address (e.g. 192.168.1.100); goes into the TLS certificate. When set, the server listens on all interfaces."},
    {"ALLOWED_ORIGINS", "", "Extra browser origins allowed to call the API, separated by spaces or commas (\"https://salespider.local https://192.168.1.100\")."},
    {"HTTP_PORT", "8080", "Port for plain HTTP (redirects to HTTPS, serves /ca.crt and /setup)."},
    {"HTTPS_PORT", "8443", "Port for HTTPS (the till and the API)."},
    {"DATA_PATH", "./data", "Where the server keeps its database cluster, certificates, logs and pid file."},
    {"SUPER_ADMIN_EMAIL", "admin@salespider.local", "E-mail of the first administrator, created at the first start."},
    {"SUPER_ADMIN_PASSWORD", "", "Password of the first administrator (at least 8 characters). Empty: one is generated and printed once."},
    {"LOG_LEVEL", "info", "trace, debug, info, warn or error."},
    {"PGBACKREST_REPO1_TYPE", "", "Backup repository type: posix (local disk, works offline), s3, azure or gcs (need internet). Empty: no backups configured."},
    {"PGBACKREST_REPO1_PATH", "/var/lib/pgbackrest", "Directory of a posix backup repository."},
    {"BACKUP_SCHEDULE_FULL", "", "When to take a full backup, as a cron expression (\"0 2 * * 0\" = Sundays 02:00)."},
    {"GEMINI_API_KEY", "", "Accepted for compatibility with the original SaleSpider; this server has no AI features and ignores it."},
    {"BACKUP_SCHEDULE_DIFF", "0 2 * * 1-6", "When to take a differential backup, as a cron expression (\"0 2 * * 1-6\" = Monday to Saturday 02:00)."},
    {"PGBACKREST_STANZA", "salespider", "Name of the pgBackRest stanza (the cluster's name inside the repository)."},
    {"PGBACKREST_REPO1_RETENTION_FULL", "4", "Full backups to keep (with the weekly schedule: four weeks)."},
    {"PGBACKREST_REPO1_RETENTION_DIFF", "7", "Differential backups to keep."},
    {"PGBACKREST_REPO1_CIPHER_PASS", "", "Passphrase that encrypts the backup repository (aes-256-cbc) and the secrets archive. Keep a copy away from this machine: without it backups cannot be read."},
    {"PGBACKREST_ARCHIVE_PUSH_QUEUE_MAX", "2GiB", "WAL kept waiting for an unreachable or full repository; beyond it WAL is dropped (backups need a new full) so the disk never fills."},
    {"PGBACKREST_*", "", "Any other pgBackRest option, by its environment name (PGBACKREST_REPO1_S3_BUCKET -> repo1-s3-bucket): written into the generated pgbackrest.conf."},
}};

// Names from the original SaleSpider's docker setup: accepted, but they mean
// nothing here, so say so rather than calling them unknown.
constexpr std::array<std::string_view, 7> kForeignButKnown{
    "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "NEXTAUTH_SECRET", "NEXTAUTH_URL",
    "JWT_SECRET",    "NODE_ENV"};

// Values that must never be echoed back in messages.
bool is_pgbackrest_name(std::string_view name) { return name.substr(0, 11) == "PGBACKREST_" && name.size() > 11; }

bool is_secret(std::string_view name) {
  if (is_pgbackrest_name(name)) {
    // pgBackRest's secret options: cipher-pass, s3-key(-secret), s3-token,
    // azure-key, gcs-key (a key file's path is not secret, but be safe).
    for (std::string_view word : {"PASS", "KEY", "SECRET", "TOKEN"}) {
      if (name.find(word) != std::string_view::npos) return true;
    }
  }
  return name == "SUPER_ADMIN_PASSWORD" || name == "GEMINI_API_KEY" || name == "DATABASE_URL";
}

bool is_known(std::string_view name) {
  return is_pgbackrest_name(name) ||
         std::any_of(kVariables.begin(), kVariables.end(), [&](const auto& v) { return v.name == name; });
}

enum class Source { dotenv, environment, flag };

struct Value {
  std::string text;
  Source source = Source::dotenv;
  std::size_t line = 0;
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c)) != 0) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

class Checker {
 public:
  Checker(std::map<std::string, Value, std::less<>> values, std::string dotenv_name)
      : values_(std::move(values)), dotenv_name_(std::move(dotenv_name)) {}

  const Value* get(std::string_view name) const {
    auto it = values_.find(name);
    return it == values_.end() ? nullptr : &it->second;
  }

  void fail(std::string_view name, std::string_view why) {
    std::string msg(name);
    if (const auto* v = get(name)) {
      if (!is_secret(name)) msg += "=\"" + v->text + "\"";
      msg += " (" + where(*v) + ")";
    }
    msg += ": ";
    msg += why;
    errors_.push_back(std::move(msg));
  }
  void warn(std::string msg) { warnings_.push_back(std::move(msg)); }

  std::string where(const Value& v) const {
    switch (v.source) {
      case Source::dotenv: return "from " + dotenv_name_ + " line " + std::to_string(v.line);
      case Source::environment: return "from the environment";
      case Source::flag: return "from the command line";
    }
    return "";
  }

  void port(std::string_view name, int& out) {
    const auto* v = get(name);
    if (!v) return;
    const std::string t = trim(v->text);
    int n = -1;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    // 0 ("any free port") only from a flag: tests use it, a .env never should.
    const int min = v->source == Source::flag ? 0 : 1;
    if (t.empty() || ec != std::errc() || end != t.data() + t.size() || n < min || n > 65535) {
      fail(name, "must be a port number from 1 to 65535");
      return;
    }
    out = n;
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [name, v] : values_) out.push_back(name);
    return out;
  }

  std::vector<std::string> take_errors() { return std::move(errors_); }
  std::vector<std::string> take_warnings() { return std::move(warnings_); }

 private:
  std::map<std::string, Value, std::less<>> values_;
  std::string dotenv_name_;
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
};

bool valid_hostname(std::string_view h) {
  if (h.empty() || h.size() > 253) return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i < h.size(); ++i) {
    const char c = h[i];
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-') return false;
    if (c == '-' && (label == 0 || i + 1 == h.size() || h[i + 1] == '.')) return false;
    if (++label > 63) return false;
  }
  return label > 0;
}

bool valid_ip(const std::string& ip) {
  unsigned char buf[16];
  return inet_pton(AF_INET, ip.c_str(), buf) == 1 || inet_pton(AF_INET6, ip.c_str(), buf) == 1;
}

// "https://host[:port]" with a host name or an IP (IPv6 in brackets).
bool valid_origin(std::string_view o) {
  std::string_view rest;
  if (o.substr(0, 8) == "https://") {
    rest = o.substr(8);
  } else if (o.substr(0, 7) == "http://") {
    rest = o.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.find_first_of("/?#@ ") != std::string_view::npos) return false;
  std::string_view host = rest;
  std::string_view port;
  if (rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return false;
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return false;
      port = rest.substr(close + 2);
    }
    unsigned char buf[16];
    if (inet_pton(AF_INET6, std::string(host).c_str(), buf) != 1) return false;
  } else {
    const auto colon = rest.find(':');
    if (colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
    }
    if (!valid_hostname(host) && !valid_ip(std::string(host))) return false;
  }
  if (!port.empty() || rest.back() == ':') {
    int n = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || n < 1 || n > 65535) return false;
  }
  return true;
}

// Five cron fields of digits, names, `*`, `,`, `-`, `/`, or an @shortcut.
bool valid_cron(std::string_view s) {
  static constexpr std::array<std::string_view, 7> kShortcuts{"@yearly", "@annually", "@monthly", "@weekly",
                                                             "@daily",  "@midnight", "@hourly"};
  if (std::find(kShortcuts.begin(), kShortcuts.end(), s) != kShortcuts.end()) return true;
  std::vector<std::string> parts;
  std::string cur;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      if (!cur.empty()) parts.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(std::move(cur));
  if (parts.size() != 5) return false;
  return std::all_of(parts.begin(), parts.end(), [](const std::string& f) {
    return std::all_of(f.begin(), f.end(), [](unsigned char c) {
      return std::isalnum(c) != 0 || c == '*' || c == ',' || c == '-' || c == '/';
    });
  });
}

bool valid_schema_name(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (std::isalpha(static_cast<unsigned char>(s.front())) == 0 && s.front() != '_') return false;
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0 || c == '_' || c == '$'; });
}

// PGBACKREST_* beyond REPO1_TYPE/PATH: the stanza, and every other name as
// pgBackRest's option (PGBACKREST_REPO1_S3_BUCKET -> repo1-s3-bucket), so
// s3/azure/gcs sites use pgBackRest's documented names. Options salespider
// derives itself (where the cluster and the config file are) are refused.
void pgbackrest_pass_through(Checker& check, Config& c) {
  static constexpr std::array<std::string_view, 6> kOurs{"PGBACKREST_CONFIG",   "PGBACKREST_CONFIG_PATH",
                                                         "PGBACKREST_CONFIG_INCLUDE_PATH", "PGBACKREST_PG1_PATH",
                                                         "PGBACKREST_PG1_SOCKET_PATH",     "PGBACKREST_PG1_PORT"};
  for (const auto& name : check.names()) {
    if (!is_pgbackrest_name(name) || name == "PGBACKREST_REPO1_TYPE" || name == "PGBACKREST_REPO1_PATH") continue;
    const auto* v = check.get(name);
    const std::string value = trim(v->text);
    if (name == "PGBACKREST_STANZA") {
      const bool ok = !value.empty() && std::all_of(value.begin(), value.end(), [](unsigned char ch) {
        return std::isalnum(ch) != 0 || ch == '-' || ch == '_' || ch == '.';
      });
      if (!ok) check.fail(name, "must be a name of letters, digits, '-', '_' or '.'");
      else c.pgbackrest_stanza = value;
      continue;
    }
    if (std::find(kOurs.begin(), kOurs.end(), name) != kOurs.end()) {
      check.warn(name + " is ignored: salespider writes this pgBackRest setting itself");
      continue;
    }
    std::string option = lower(std::string_view(name).substr(11));
    std::replace(option.begin(), option.end(), '_', '-');
    if (!std::all_of(option.begin(), option.end(),
                     [](unsigned char ch) { return std::islower(ch) != 0 || std::isdigit(ch) != 0 || ch == '-'; })) {
      check.fail(name, "is not a pgBackRest option name (letters, digits and '_' after PGBACKREST_)");
      continue;
    }
    if (value.empty()) continue;  // unset, as with the other variables
    if (value.find_first_of("\r\n") != std::string::npos) {
      check.fail(name, "must be a single line");
      continue;
    }
    if ((option == "repo1-retention-full" || option == "repo1-retention-diff") &&
        (!std::all_of(value.begin(), value.end(), [](unsigned char ch) { return std::isdigit(ch) != 0; }) ||
         value.size() > 7 || std::stoi(value) < 1)) {
      check.fail(name, "must be a whole number of backups, at least 1");
      continue;
    }
    c.pgbackrest_options[option] = value;
  }
}

}  // namespace

std::span<const VariableInfo> known_variables() { return kVariables; }

std::string_view to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::trace: return "trace";
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
  }
  return "info";
}

std::string redact_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const auto auth_start = scheme_end + 3;
  const auto at = url.find('@', auth_start);
  const auto slash = url.find('/', auth_start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) return std::string(url);
  const auto colon = url.find(':', auth_start);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

Result<Conninfo> libpq_conninfo(std::string_view url) {
  if (url.substr(0, 13) != "postgresql://" && url.substr(0, 11) != "postgres://") {
    return make_error(Errc::invalid_value, "must start with postgresql:// or postgres://");
  }
  if (url.find_first_of(" \t\r\n") != std::string_view::npos) {
    return make_error(Errc::invalid_value, "must not contain spaces (percent-encode them as %20)");
  }
  const auto question = url.find('?');
  std::string base(url.substr(0, question));
  std::vector<std::string> params;
  std::string schema;
  std::string options;
  bool has_timeout = false;
  if (question != std::string_view::npos) {
    std::string_view query = url.substr(question + 1);
    while (!query.empty()) {
      const auto amp = query.find('&');
      const std::string_view param = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
      if (param.empty()) continue;
      const auto eq = param.find('=');
      if (eq == std::string_view::npos) {
        return make_error(Errc::invalid_value, "query parameter \"" + std::string(param) + "\" has no value");
      }
      const std::string_view key = param.substr(0, eq);
      const std::string_view value = param.substr(eq + 1);
      if (key == "schema") {
        if (!valid_schema_name(value)) {
          return make_error(Errc::invalid_value, "schema \"" + std::string(value) + "\" is not a plain SQL name");
        }
        schema = std::string(value);
      } else if (key == "options") {
        options = std::string(value);
      } else {
        if (key == "connect_timeout") has_timeout = true;
        params.emplace_back(param);
      }
    }
  }
  if (!schema.empty()) {
    // libpq splits a query value at a second '=', so it is percent-encoded.
    options += (options.empty() ? "" : "%20") + std::string("-csearch_path%3D") + schema;
  }
  if (!options.empty()) params.push_back("options=" + options);
  if (!has_timeout) params.emplace_back("connect_timeout=10");
  std::string out = base;
  for (std::size_t i = 0; i < params.size(); ++i) out += (i == 0 ? "?" : "&") + params[i];
  return Conninfo{out, schema};
}

Result<Loaded> load(const Layers& layers) {
  std::map<std::string, Value, std::less<>> merged;
  std::vector<std::string> early_warnings;

  auto entries = parse_dotenv(layers.dotenv_text);
  if (!entries) {
    std::string ctx = entries.error().context;
    if (layers.dotenv_name != ".env") ctx.replace(0, 4, layers.dotenv_name);
    return make_error(Errc::invalid_value, ctx);
  }
  for (const auto& e : *entries) {
    if (std::find(kForeignButKnown.begin(), kForeignButKnown.end(), e.key) != kForeignButKnown.end()) {
      early_warnings.push_back(e.key + " (" + layers.dotenv_name + " line " + std::to_string(e.line) +
                               ") belongs to the original SaleSpider's docker setup; this server ignores it");
      continue;
    }
    if (!is_known(e.key)) {
      early_warnings.push_back("unknown setting " + e.key + " (" + layers.dotenv_name + " line " +
                               std::to_string(e.line) + ") is ignored");
      continue;
    }
    merged[e.key] = Value{e.value, Source::dotenv, e.line};
  }
  for (const auto& v : kVariables) {
    if (auto it = layers.environment.find(v.name); it != layers.environment.end()) {
      merged[std::string(v.name)] = Value{it->second, Source::environment, 0};
    }
  }
  for (const auto& [name, value] : layers.environment) {
    if (is_pgbackrest_name(name)) merged[name] = Value{value, Source::environment, 0};
  }
  for (const auto& [name, value] : layers.flags) {
    merged[name] = Value{value, Source::flag, 0};
  }

  Checker check(std::move(merged), layers.dotenv_name);
  Loaded out;
  Config& c = out.config;

  if (const auto* v = check.get("DATABASE_URL"); v && !trim(v->text).empty()) {
    const std::string url = trim(v->text);
    auto info = libpq_conninfo(url);
    if (!info) {
      check.fail("DATABASE_URL", info.error().context + " (got " + redact_url(url) + ")");
    } else {
      c.database_url = url;
      c.database_conninfo = info->conninfo;
      c.database_schema = info->schema;
    }
  }
  if (const auto* v = check.get("DOMAIN"); v && !trim(v->text).empty()) {
    const auto d = lower(trim(v->text));
    if (!valid_hostname(d)) {
      check.fail("DOMAIN", "must be a host name such as salespider.local");
    } else {
      c.domain = d;
    }
  }
  if (const auto* v = check.get("HOST_IP"); v && !trim(v->text).empty()) {
    const auto ip = trim(v->text);
    if (!valid_ip(ip)) {
      check.fail("HOST_IP", "must be an IPv4 or IPv6 address such as 192.168.1.100");
    } else {
      c.host_ip = ip;
    }
  }
  if (const auto* v = check.get("ALLOWED_ORIGINS")) {
    for (auto origin : split_list(v->text)) {
      while (origin.size() > 1 && origin.back() == '/') origin.pop_back();
      if (origin == "*") {
        check.fail("ALLOWED_ORIGINS", "\"*\" is not allowed: list each origin (https://host[:port])");
      } else if (!valid_origin(origin)) {
        check.fail("ALLOWED_ORIGINS", "\"" + origin + "\" is not an origin of the form https://host[:port]");
      } else {
        c.allowed_origins.push_back(lower(origin));
      }
    }
  }
  check.port("HTTP_PORT", c.http_port);
  check.port("HTTPS_PORT", c.https_port);
  if (c.http_port != 0 && c.http_port == c.https_port) {
    check.fail("HTTPS_PORT", "must differ from HTTP_PORT");
  }
  if (const auto* v = check.get("DATA_PATH")) {
    const auto p = trim(v->text);
    if (p.empty()) {
      check.fail("DATA_PATH", "must not be empty");
    } else {
      c.data_path = p;
    }
  }
  if (const auto* v = check.get("SUPER_ADMIN_EMAIL"); v && !trim(v->text).empty()) {
    const auto e = trim(v->text);
    const auto at = e.find('@');
    if (at == 0 || at == std::string::npos || at + 1 == e.size() || e.find('@', at + 1) != std::string::npos ||
        e.size() > 254 || e.find_first_of(" \t<>") != std::string::npos) {
      check.fail("SUPER_ADMIN_EMAIL", "must be an e-mail address such as admin@example.com");
    } else {
      c.super_admin_email = lower(e);
    }
  }
  if (const auto* v = check.get("SUPER_ADMIN_PASSWORD"); v && !v->text.empty()) {
    if (v->text.size() < 8) {
      check.fail("SUPER_ADMIN_PASSWORD", "must be at least 8 characters");
    } else if (v->text.size() > 1024) {
      check.fail("SUPER_ADMIN_PASSWORD", "must be at most 1024 characters");
    } else {
      c.super_admin_password = v->text;
    }
  }
  if (const auto* v = check.get("LOG_LEVEL"); v && !trim(v->text).empty()) {
    const auto l = lower(trim(v->text));
    if (l == "trace") c.log_level = LogLevel::trace;
    else if (l == "debug") c.log_level = LogLevel::debug;
    else if (l == "info") c.log_level = LogLevel::info;
    else if (l == "warn" || l == "warning") c.log_level = LogLevel::warn;
    else if (l == "error") c.log_level = LogLevel::error;
    else check.fail("LOG_LEVEL", "must be one of trace, debug, info, warn, error");
  }
  const auto* repo_type = check.get("PGBACKREST_REPO1_TYPE");
  const auto* repo_path = check.get("PGBACKREST_REPO1_PATH");
  std::string type = repo_type ? lower(trim(repo_type->text)) : "";
  std::string path = repo_path ? trim(repo_path->text) : "";
  if (type.empty() && !path.empty()) type = "posix";  // pgBackRest's own default
  if (!type.empty()) {
    if (type != "posix" && type != "s3" && type != "azure" && type != "gcs") {
      check.fail("PGBACKREST_REPO1_TYPE", "must be posix, s3, azure or gcs");
    } else {
      if (type != "posix") {
        check.warn("PGBACKREST_REPO1_TYPE=" + type +
                   " needs internet access to store backups; use posix for a store that works offline");
      }
      if (path.empty()) path = "/var/lib/pgbackrest";
      if (path.front() != '/') {
        check.fail("PGBACKREST_REPO1_PATH", "must be an absolute path");
      } else {
        c.pgbackrest_repo1_type = type;
        c.pgbackrest_repo1_path = path;
      }
    }
  }
  for (auto [name, target] : {std::pair{"BACKUP_SCHEDULE_FULL", &c.backup_schedule_full},
                               std::pair{"BACKUP_SCHEDULE_DIFF", &c.backup_schedule_diff}}) {
    if (const auto* v = check.get(name); v && !trim(v->text).empty()) {
      const auto s = trim(v->text);
      if (!valid_cron(s)) {
        check.fail(name, "must be a cron expression of five fields such as \"0 2 * * 0\"");
      } else {
        *target = s;
      }
    }
  }
  pgbackrest_pass_through(check, c);
  if (const auto* v = check.get("GEMINI_API_KEY"); v && !trim(v->text).empty()) {
    check.warn("GEMINI_API_KEY is set, but this server has no AI features: the key is ignored and never sent anywhere");
  }

  auto errors = check.take_errors();
  if (!errors.empty()) {
    std::string ctx;
    for (const auto& e : errors) ctx += (ctx.empty() ? "" : "\n") + e;
    return make_error(Errc::invalid_value, ctx);
  }
  out.warnings = std::move(early_warnings);
  for (auto& w : check.take_warnings()) out.warnings.push_back(std::move(w));
  return out;
}

}  // namespace salespider::config
