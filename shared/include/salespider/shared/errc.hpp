// Errc: every typed error shared/ can report, with its stable wire name.
//
// The names travel in OpResult.code and HTTP error bodies, so they are part of
// the protocol: add new codes at the end of a group, never rename one.
// Deliberately no HTTP status mapping here (the server does that, once).
#pragma once

#include <string_view>

namespace salespider {

enum class Errc {
  ok = 0,
  // generic input
  invalid_argument,
  out_of_range,
  overflow,
  // money
  malformed_amount,
  too_many_decimals,
  unknown_currency,
  currency_mismatch,
  // quantities, lines, carts
  invalid_quantity,
  fractional_quantity,
  negative_amount,
  too_many_lines,
  unknown_tax_rate,
  invalid_tax_rate,
  invalid_discount,
  discount_over_limit,
  // payments
  tender_disabled,
  overpaid_non_cash,
  underpaid,
  // refunds and voids
  unknown_line,
  refund_exceeds_remaining,
  nothing_to_refund,
  cannot_void,
  // ids
  malformed_uuid,
  malformed_receipt_number,
  malformed_till_code,
  // stock
  invalid_stock_movement,
  // protocol codec
  malformed_json,
  too_deep,
  too_large,
  wrong_type,
  missing_field,
  unknown_field,
  string_too_long,
  array_too_long,
  unknown_op_kind,
  unknown_entity,
  unsupported_protocol_version,
  invalid_value,
};

// The stable snake_case name used on the wire ("currency_mismatch").
std::string_view to_string(Errc code) noexcept;

}  // namespace salespider
