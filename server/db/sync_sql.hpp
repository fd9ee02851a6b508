// Small helpers shared by the sync engine's db/ files: PostgreSQL array
// literals for parameters, and the ms <-> timestamptz conversion used in SQL.
// Deliberately header-only and free of pqxx.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salespider::db::sqlx {

// {"a","b"} with every element quoted, so any text (and uuids) round-trips.
inline std::string array_literal(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

inline std::string array_literal(const std::vector<std::int64_t>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(items[i]);
  }
  out += '}';
  return out;
}

// SQL for "the timestamptz of $n milliseconds since the epoch", exact to the ms.
inline std::string ms_to_ts(const std::string& param) {
  return "('epoch'::timestamptz + (" + param + ")::bigint * interval '1 millisecond')";
}

}  // namespace salespider::db::sqlx
