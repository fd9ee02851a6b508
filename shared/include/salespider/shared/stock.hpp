// Stock movements: the kinds of change to a product's on-hand quantity, and
// the write-off reasons. On hand is the sum of movements (the ledger).
//
// Deliberately no on-hand computation over a store's history here (the server
// sums in SQL, the till in SQLite); only what one movement may be.
#pragma once

#include "salespider/shared/quantity.hpp"
#include "salespider/shared/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace salespider {

inline constexpr std::size_t kMaxStockNoteBytes = 500;
// The largest unit cost a receipt may carry (the products.cost_minor bound).
inline constexpr std::int64_t kMaxUnitCostMinor = 900'000'000'000'000;

enum class StockMovementKind {
  sale,       // out, from a sale line (negative)
  refund,     // back in, from a refund line (positive)
  receive,    // goods received from a supplier (positive)
  adjust,     // a correction either way (non-zero)
  count,      // a stock count: the difference counted - expected (any sign, may be 0)
  write_off,  // out, with a reason (negative)
};

enum class WriteOffReason { damaged, expired, stolen, lost, returned_to_supplier, other };

struct StockMovement {
  std::string product_id;
  StockMovementKind kind = StockMovementKind::adjust;
  std::int64_t delta_thousandths = 0;  // signed change to on-hand
  std::optional<WriteOffReason> reason;
  std::string note;
  // A count only: what was counted on the shelf (>= 0). When set, the server
  // computes the movement as counted - on hand in its ledger at the count's
  // time, so a sale made on another till meanwhile is not overwritten;
  // delta_thousandths is then what the till expected (counted - its own on
  // hand), kept for the record.
  std::optional<std::int64_t> counted_thousandths;
  // A count only: the lines of one stock count share this id (a UUID made by
  // the till), so the count can be listed as one.
  std::string count_id;
  // A receipt only: what one unit cost (minor units of the store's currency,
  // >= 0), kept on the movement; the product's cost is not changed by it.
  std::optional<std::int64_t> unit_cost_minor;

  friend bool operator==(const StockMovement& a, const StockMovement& b) {
    return a.product_id == b.product_id && a.kind == b.kind && a.delta_thousandths == b.delta_thousandths &&
           a.reason == b.reason && a.note == b.note && a.counted_thousandths == b.counted_thousandths &&
           a.count_id == b.count_id && a.unit_cost_minor == b.unit_cost_minor;
  }
};

// Sign rules per kind (above), |delta| <= kMaxQuantityThousandths, a reason
// exactly for write-offs, product id 1-64 bytes, note <= 500 bytes; counted
// and count_id (<= 64 bytes) only on counts, counted within 0..kMaxQuantityThousandths;
// unit_cost only on receipts, within 0..kMaxUnitCostMinor.
// Errc::invalid_stock_movement with the rule broken.
Status validate(const StockMovement& m);

std::string_view to_string(StockMovementKind kind) noexcept;
Result<StockMovementKind> parse_stock_movement_kind(std::string_view text);
std::string_view to_string(WriteOffReason reason) noexcept;
Result<WriteOffReason> parse_write_off_reason(std::string_view text);

}  // namespace salespider
