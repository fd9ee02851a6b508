// Small helpers shared by the auth-related db/ files (users, sessions,
// tills, grants, audit): nullable parameters and fields, timestamps as ISO
// 8601 UTC text. Includes <pqxx/...>: db/ only.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>

namespace salespider::db {

// libpqxx 6.4 sends a null const char* as SQL NULL.
inline const char* nullable(const std::optional<std::string>& v) {
  return v ? v->c_str() : nullptr;
}
inline const char* nullable_if_empty(const std::string& v) {
  return v.empty() ? nullptr : v.c_str();
}

inline std::optional<std::string> opt_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}

}  // namespace salespider::db

// A timestamptz column as "2024-05-01T10:20:30.123Z" (string-literal
// concatenation into constant SQL; never user input).
#define SALESPIDER_ISO(col) "to_char((" col ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
