// state().stock for tests: the Back office's stock screens as JSON (the
// picked product, the picker, the count in progress with its variances and
// totals, the server's lists, the CSV check and import). The shape is
// documented in www/app.js with the rest of state().
#pragma once

#include "automation/json_writer.hpp"
#include "state/stock_ops.hpp"

namespace salespider::automation {

void stock_json(JsonWriter& json, const state::StockState& stock);

}  // namespace salespider::automation
