// Wire names of Errc. Deliberately a switch (not a table) so the compiler
// warns when a code is added without a name.
#include "salespider/shared/errc.hpp"

namespace salespider {

std::string_view to_string(Errc code) noexcept {
  switch (code) {
    case Errc::ok:
      return "ok";
    case Errc::invalid_argument:
      return "invalid_argument";
    case Errc::out_of_range:
      return "out_of_range";
    case Errc::overflow:
      return "overflow";
    case Errc::malformed_amount:
      return "malformed_amount";
    case Errc::too_many_decimals:
      return "too_many_decimals";
    case Errc::unknown_currency:
      return "unknown_currency";
    case Errc::currency_mismatch:
      return "currency_mismatch";
    case Errc::invalid_quantity:
      return "invalid_quantity";
    case Errc::fractional_quantity:
      return "fractional_quantity";
    case Errc::negative_amount:
      return "negative_amount";
    case Errc::too_many_lines:
      return "too_many_lines";
    case Errc::unknown_tax_rate:
      return "unknown_tax_rate";
    case Errc::invalid_tax_rate:
      return "invalid_tax_rate";
    case Errc::invalid_discount:
      return "invalid_discount";
    case Errc::discount_over_limit:
      return "discount_over_limit";
    case Errc::tender_disabled:
      return "tender_disabled";
    case Errc::overpaid_non_cash:
      return "overpaid_non_cash";
    case Errc::underpaid:
      return "underpaid";
    case Errc::unknown_line:
      return "unknown_line";
    case Errc::refund_exceeds_remaining:
      return "refund_exceeds_remaining";
    case Errc::nothing_to_refund:
      return "nothing_to_refund";
    case Errc::cannot_void:
      return "cannot_void";
    case Errc::malformed_uuid:
      return "malformed_uuid";
    case Errc::malformed_receipt_number:
      return "malformed_receipt_number";
    case Errc::malformed_till_code:
      return "malformed_till_code";
    case Errc::invalid_stock_movement:
      return "invalid_stock_movement";
    case Errc::malformed_json:
      return "malformed_json";
    case Errc::too_deep:
      return "too_deep";
    case Errc::too_large:
      return "too_large";
    case Errc::wrong_type:
      return "wrong_type";
    case Errc::missing_field:
      return "missing_field";
    case Errc::unknown_field:
      return "unknown_field";
    case Errc::string_too_long:
      return "string_too_long";
    case Errc::array_too_long:
      return "array_too_long";
    case Errc::unknown_op_kind:
      return "unknown_op_kind";
    case Errc::unknown_entity:
      return "unknown_entity";
    case Errc::unsupported_protocol_version:
      return "unsupported_protocol_version";
    case Errc::invalid_value:
      return "invalid_value";
  }
  return "unknown_error";
}

}  // namespace salespider
