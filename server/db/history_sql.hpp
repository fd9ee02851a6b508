// Internal to db/: the statements of history.cpp that other db/ files run
// inside their own transactions (the push transaction reads a shift's report
// inputs at its close). Includes <pqxx/...>: db/ only.
#pragma once

#include <pqxx/pqxx>
#include <string>

#include "db/history.hpp"

namespace salespider::db::history_sql {

// Prepares every statement of history.cpp on `c` (a no-op when already done).
void prepare(pqxx::connection_base& c);

// The shift's row with its sales count and total; nullopt when no such
// shift in the store ("" = any store: the push transaction knows its till).
std::optional<ShiftRow> shift_row(pqxx::transaction_base& tx, const std::string& store_id,
                                  const std::string& shift_id);

ShiftReportInputs shift_inputs(pqxx::transaction_base& tx, const ShiftRow& shift);

}  // namespace salespider::db::history_sql
