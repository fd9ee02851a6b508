// Typed payloads of every op kind (sale, refund, void, stock movement, shift
// open and close, cash movement), with JSON codecs as strict as the
// envelope's.
//
// The server decodes a sale payload, recomputes it with compute_sale from the
// till's line snapshots and flags any difference from the till's claimed
// total. Fields added after the first release (shift_id, approval, refund
// tenders) are optional: the encoders omit them when empty, so ops written
// before them still decode and still encode to the same text.
// Deliberately no checks that need the server's data (whether a shift or an
// approver exists): the server does those and flags what does not fit.
#pragma once

#include "salespider/shared/cart.hpp"
#include "salespider/shared/currency.hpp"
#include "salespider/shared/payment.hpp"
#include "salespider/shared/refund.hpp"
#include "salespider/shared/result.hpp"
#include "salespider/shared/stock.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider {

inline constexpr std::size_t kMaxReasonBytes = 500;

// A manager's approval given on the till (a PIN typed there): who approved,
// and the offline grant that manager holds on this till, carried opaquely as
// ops carry theirs. The server verifies the grant like an op's and flags an
// approval that does not fit (approval_invalid).
struct Approval {
  std::string user_id;  // UUID of the approving manager or owner
  std::string grant;    // that person's offline grant token

  friend bool operator==(const Approval& a, const Approval& b) {
    return a.user_id == b.user_id && a.grant == b.grant;
  }
};

struct SalePayload {
  std::string receipt_number;  // "SP3-000128"
  Cart cart;
  std::vector<Payment> payments;
  std::int64_t total = 0;  // what the till computed; the server recomputes
  std::string shift_id;    // UUID of the till's open shift; "" = none (omitted)
  std::optional<Approval> approval;  // discounts beyond the cashier's limit

  friend bool operator==(const SalePayload& a, const SalePayload& b) {
    return a.receipt_number == b.receipt_number && a.cart == b.cart && a.payments == b.payments &&
           a.total == b.total && a.shift_id == b.shift_id && a.approval == b.approval;
  }
};

struct RefundPayload {
  std::string sale_op_id;  // the op that recorded the sale
  std::vector<RefundRequestLine> lines;
  std::string reason;
  std::int64_t total = 0;  // what the till computed; the server recomputes
  std::string shift_id;    // UUID of the shift the money left from; "" = none (omitted)
  std::optional<Approval> approval;  // for a person without the refund permission
  // How the money went back, by tender; empty = as compute_refund spreads it
  // (refund_tenders below). The amounts must add up to the money back.
  std::vector<Payment> tenders;

  friend bool operator==(const RefundPayload& a, const RefundPayload& b) {
    if (a.sale_op_id != b.sale_op_id || a.reason != b.reason || a.total != b.total) return false;
    if (a.shift_id != b.shift_id || a.approval != b.approval || a.tenders != b.tenders) return false;
    if (a.lines.size() != b.lines.size()) return false;
    for (std::size_t i = 0; i < a.lines.size(); ++i)
      if (a.lines[i].line != b.lines[i].line || a.lines[i].quantity != b.lines[i].quantity) return false;
    return true;
  }
};

struct VoidPayload {
  std::string sale_id;  // UUID of the voided (never completed) sale
  std::string reason;
  std::optional<Approval> approval;  // for a person without the void permission

  friend bool operator==(const VoidPayload& a, const VoidPayload& b) {
    return a.sale_id == b.sale_id && a.reason == b.reason && a.approval == b.approval;
  }
};

struct ShiftOpenPayload {
  std::string shift_id;  // UUID, made by the till
  Currency currency;
  std::int64_t opening_float = 0;  // minor units

  friend bool operator==(const ShiftOpenPayload& a, const ShiftOpenPayload& b) {
    return a.shift_id == b.shift_id && a.currency == b.currency && a.opening_float == b.opening_float;
  }
};

struct ShiftClosePayload {
  std::string shift_id;
  std::int64_t counted_cash = 0;  // what the drawer held at the count
  std::string note;               // optional in JSON

  friend bool operator==(const ShiftClosePayload& a, const ShiftClosePayload& b) {
    return a.shift_id == b.shift_id && a.counted_cash == b.counted_cash && a.note == b.note;
  }
};

// Cash into or out of the drawer during a shift, other than sales and refunds.
enum class CashMovementKind { pay_in, pay_out, drop, float_top_up };
inline constexpr std::array<CashMovementKind, 4> kAllCashMovementKinds{
    CashMovementKind::pay_in, CashMovementKind::pay_out, CashMovementKind::drop, CashMovementKind::float_top_up};
std::string_view to_string(CashMovementKind kind) noexcept;
Result<CashMovementKind> parse_cash_movement_kind(std::string_view text);
// pay_in and float_top_up put cash in; pay_out and drop take it out.
bool adds_cash(CashMovementKind kind) noexcept;

struct CashMovementPayload {
  std::string shift_id;
  CashMovementKind kind = CashMovementKind::pay_in;
  std::int64_t amount = 0;  // > 0, minor units
  Currency currency;
  std::string reason;  // optional in JSON

  friend bool operator==(const CashMovementPayload& a, const CashMovementPayload& b) {
    return a.shift_id == b.shift_id && a.kind == b.kind && a.amount == b.amount && a.currency == b.currency &&
           a.reason == b.reason;
  }
};

// The money a refund gives back per tender: the payload's tenders when the
// till named them, else compute_refund's spread (cash includes the reversed
// cash rounding). Both the server and the till's shift report use this.
TenderTotals refund_tenders(const RefundPayload& payload, const Refund& refund);

// One cart line exactly as a sale payload holds it, for a record that keeps
// lines outside an op (the till's drafts): the same fields, the same checks,
// so a line that restores is a line that can be sold.
std::string encode_cart_line(const CartLine& line);
Result<CartLine> decode_cart_line(std::string_view json);

Result<SalePayload> decode_sale_payload(std::string_view json);
Result<std::string> encode_sale_payload(const SalePayload& payload);

Result<RefundPayload> decode_refund_payload(std::string_view json);
Result<std::string> encode_refund_payload(const RefundPayload& payload);

Result<VoidPayload> decode_void_payload(std::string_view json);
Result<std::string> encode_void_payload(const VoidPayload& payload);

Result<StockMovement> decode_stock_movement_payload(std::string_view json);
Result<std::string> encode_stock_movement_payload(const StockMovement& movement);

Result<ShiftOpenPayload> decode_shift_open_payload(std::string_view json);
Result<std::string> encode_shift_open_payload(const ShiftOpenPayload& payload);

Result<ShiftClosePayload> decode_shift_close_payload(std::string_view json);
Result<std::string> encode_shift_close_payload(const ShiftClosePayload& payload);

Result<CashMovementPayload> decode_cash_movement_payload(std::string_view json);
Result<std::string> encode_cash_movement_payload(const CashMovementPayload& payload);

}  // namespace salespider
