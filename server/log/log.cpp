// See log.hpp. spdlog does the sinks, locking and rotation; the line itself
// is built here with nlohmann::json so messages and fields are escaped.
#include "log/log.hpp"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "support/secret_file.hpp"

namespace salespider::log {
namespace {

std::mutex g_mutex;
std::shared_ptr<spdlog::logger> g_logger;
Level g_level = Level::info;

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::trace: return spdlog::level::trace;
    case Level::debug: return spdlog::level::debug;
    case Level::info: return spdlog::level::info;
    case Level::warn: return spdlog::level::warn;
    case Level::error: return spdlog::level::err;
  }
  return spdlog::level::info;
}

const char* name_of(Level level) {
  switch (level) {
    case Level::trace: return "trace";
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

std::string now_utc() {
  const auto now = std::chrono::system_clock::now();
  const auto t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

std::shared_ptr<spdlog::logger> make_logger(Level level, const std::filesystem::path& dir) {
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::stdout_sink_mt>());
  if (!dir.empty()) {
    // Logs name staff, tills and client addresses: owner only, like the rest
    // of DATA_PATH, including each new file after a rotation.
    support::ensure_private_directory(dir);
    spdlog::file_event_handlers private_files;
    private_files.after_open = [](const spdlog::filename_t&, std::FILE* file) { ::fchmod(::fileno(file), 0600); };
    sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        (dir / "salespider.log").string(), 10u * 1024u * 1024u, 5, false, private_files));
  }
  auto logger = std::make_shared<spdlog::logger>("salespider", sinks.begin(), sinks.end());
  logger->set_pattern("%v");
  logger->set_level(to_spdlog(level));
  // Operators tail the file; a crash must not eat the last lines.
  logger->flush_on(spdlog::level::trace);
  return logger;
}

std::shared_ptr<spdlog::logger> current() {
  std::lock_guard lock(g_mutex);
  if (!g_logger) g_logger = make_logger(Level::info, {});
  return g_logger;
}

}  // namespace

void init(Level level, const std::filesystem::path& log_dir) {
  auto logger = make_logger(level, log_dir);
  std::lock_guard lock(g_mutex);
  if (g_logger) g_logger->flush();
  g_logger = std::move(logger);
  g_level = level;
}

void shutdown() {
  auto logger = make_logger(Level::info, {});
  std::lock_guard lock(g_mutex);
  if (g_logger) g_logger->flush();
  g_logger = std::move(logger);
  g_level = Level::info;
}

bool enabled(Level level) {
  std::lock_guard lock(g_mutex);
  return static_cast<int>(level) >= static_cast<int>(g_level);
}

std::string format_line(Level level, std::string_view msg, const nlohmann::json& fields, std::string_view timestamp) {
  nlohmann::ordered_json line;
  line["ts"] = std::string(timestamp);
  line["level"] = name_of(level);
  line["msg"] = std::string(msg);
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) {
      if (key != "ts" && key != "level" && key != "msg") line[key] = value;
    }
  }
  // Invalid UTF-8 in a field (a hostile header, say) must not throw here.
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void write(Level level, std::string_view msg, const nlohmann::json& fields) {
  if (!enabled(level)) return;
  const auto line = format_line(level, msg, fields, now_utc());
  current()->log(to_spdlog(level), spdlog::string_view_t(line.data(), line.size()));
}

std::string utc_iso8601(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace salespider::log
