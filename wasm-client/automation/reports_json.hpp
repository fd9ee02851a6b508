// state() for tests: the report screens as JSON —
// dashboard: {period, custom_from, custom_to, from, to, loading, error,
// loaded, currency, figures, previous, by_day: [{date, revenue, sales,
// refunds}], by_hour: [{hour, revenue, sales}], by_tender / by_cashier /
// by_till / by_category / top_products / slow_products: [{id, name, amount,
// sales, quantity_milli}]} and reorder: {lead_days, safety_days, filter,
// loading, error, as_of, items: [{product_id, name, sku, class,
// on_hand_milli, days_of_cover, suggested_order_milli, method,
// explanation}], shown: N}. Sums are numbers, or strings when beyond int64
// (as the server sends them); figures null until an answer came.
#pragma once

#include "automation/json_writer.hpp"
#include "state/app_state.hpp"

namespace salespider::automation {

// Writes the keys "dashboard" and "reorder" into the object being written.
void reports_json(JsonWriter& json, const state::AppState& s);

}  // namespace salespider::automation
