// Internal to db/: the time bound of the reads a manager can make expensive
// (sales search and totals, shift lists, the audit viewer, export and
// verify). Each such read runs `SET LOCAL statement_timeout` in its own
// transaction, so one request cannot hold a pooled connection (and a
// worker) for ever; a statement cut by it becomes db::QueryTimeout (in
// Pool::with_connection), which HTTP answers 503 with a message saying to
// narrow the filters.
// Includes <pqxx/...>: db/ only.
#pragma once

#include <pqxx/pqxx>

#include <string>

namespace salespider::db {

// Longer than any sane query on a store's data, shorter than the server's
// 60 s write timeout (the answer must still be able to leave).
inline constexpr int kManagerReadTimeoutMs = 15000;

inline void limit_statement_time(pqxx::transaction_base& tx, int timeout_ms = kManagerReadTimeoutMs) {
  tx.exec0("SET LOCAL statement_timeout = " + std::to_string(timeout_ms));
}

}  // namespace salespider::db
