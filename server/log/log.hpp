// Structured logs: one JSON object per line, {"ts","level","msg",...fields},
// written to stdout and (once a directory is given) to
// DATA_PATH/logs/salespider.log, rotated at 10 MB, 5 files kept.
//
// Process-wide on purpose: every layer logs, and threading a logger through
// every call would buy nothing. Request handlers pass {"request_id", id} as a
// field. Never log a password, a token or a DATABASE_URL with its password
// (config::redact_url). Deliberately not here: log shipping, syslog.
#pragma once

#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace salespider::log {

enum class Level { trace, debug, info, warn, error };

// Until init() is called, lines go to stdout only at level info.
// init() may be called again (e.g. once the data directory is known).
void init(Level level, const std::filesystem::path& log_dir = {});
// Flushes and closes the file; later lines go to stdout only.
void shutdown();

// "2026-11-25T17:10:05Z": a UTC time as the logs, pid file and anchors write it.
std::string utc_iso8601(std::time_t t);

bool enabled(Level level);
void write(Level level, std::string_view msg, const nlohmann::json& fields = nlohmann::json::object());

inline void trace(std::string_view msg, const nlohmann::json& f = nlohmann::json::object()) { write(Level::trace, msg, f); }
inline void debug(std::string_view msg, const nlohmann::json& f = nlohmann::json::object()) { write(Level::debug, msg, f); }
inline void info(std::string_view msg, const nlohmann::json& f = nlohmann::json::object()) { write(Level::info, msg, f); }
inline void warn(std::string_view msg, const nlohmann::json& f = nlohmann::json::object()) { write(Level::warn, msg, f); }
inline void error(std::string_view msg, const nlohmann::json& f = nlohmann::json::object()) { write(Level::error, msg, f); }

// The line as written (without the newline); exposed for tests.
std::string format_line(Level level, std::string_view msg, const nlohmann::json& fields, std::string_view timestamp);

}  // namespace salespider::log
