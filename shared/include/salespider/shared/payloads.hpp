// Typed payloads of the ops whose content shared/ understands (sale, refund,
// void, stock movement), with JSON codecs as strict as the envelope's.
//
// The server decodes a sale payload, recomputes it with compute_sale from the
// till's line snapshots and flags any difference from the till's claimed
// total. Deliberately not here yet: shift and cash-movement payloads (they
// stay opaque JSON objects until their rules move into shared/).
#pragma once

#include "salespider/shared/cart.hpp"
#include "salespider/shared/payment.hpp"
#include "salespider/shared/refund.hpp"
#include "salespider/shared/result.hpp"
#include "salespider/shared/stock.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace salespider {

inline constexpr std::size_t kMaxReasonBytes = 500;

struct SalePayload {
  std::string receipt_number;  // "SP3-000128"
  Cart cart;
  std::vector<Payment> payments;
  std::int64_t total = 0;  // what the till computed; the server recomputes

  friend bool operator==(const SalePayload& a, const SalePayload& b) {
    return a.receipt_number == b.receipt_number && a.cart == b.cart && a.payments == b.payments &&
           a.total == b.total;
  }
};

struct RefundPayload {
  std::string sale_op_id;  // the op that recorded the sale
  std::vector<RefundRequestLine> lines;
  std::string reason;
  std::int64_t total = 0;  // what the till computed; the server recomputes

  friend bool operator==(const RefundPayload& a, const RefundPayload& b) {
    if (a.sale_op_id != b.sale_op_id || a.reason != b.reason || a.total != b.total) return false;
    if (a.lines.size() != b.lines.size()) return false;
    for (std::size_t i = 0; i < a.lines.size(); ++i)
      if (a.lines[i].line != b.lines[i].line || a.lines[i].quantity != b.lines[i].quantity) return false;
    return true;
  }
};

struct VoidPayload {
  std::string sale_id;  // UUID of the voided (never completed) sale
  std::string reason;

  friend bool operator==(const VoidPayload& a, const VoidPayload& b) {
    return a.sale_id == b.sale_id && a.reason == b.reason;
  }
};

Result<SalePayload> decode_sale_payload(std::string_view json);
Result<std::string> encode_sale_payload(const SalePayload& payload);

Result<RefundPayload> decode_refund_payload(std::string_view json);
Result<std::string> encode_refund_payload(const RefundPayload& payload);

Result<VoidPayload> decode_void_payload(std::string_view json);
Result<std::string> encode_void_payload(const VoidPayload& payload);

Result<StockMovement> decode_stock_movement_payload(std::string_view json);
Result<std::string> encode_stock_movement_payload(const StockMovement& movement);

}  // namespace salespider
