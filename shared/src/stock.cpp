// Stock movement rules. Deliberately per movement only; see stock.hpp.
#include "salespider/shared/stock.hpp"

#include <array>

namespace salespider {
namespace {

constexpr std::array<StockMovementKind, 6> kKinds{StockMovementKind::sale,    StockMovementKind::refund,
                                                  StockMovementKind::receive, StockMovementKind::adjust,
                                                  StockMovementKind::count,   StockMovementKind::write_off};
constexpr std::array<WriteOffReason, 6> kReasons{WriteOffReason::damaged,
                                                 WriteOffReason::expired,
                                                 WriteOffReason::stolen,
                                                 WriteOffReason::lost,
                                                 WriteOffReason::returned_to_supplier,
                                                 WriteOffReason::other};

Error bad(const std::string& why) {
  return make_error(Errc::invalid_stock_movement, why);
}

}  // namespace

Status validate(const StockMovement& m) {
  if (m.product_id.empty() || m.product_id.size() > 64) return bad("product id must be 1-64 bytes");
  if (m.note.size() > kMaxStockNoteBytes) return bad("note longer than 500 bytes");
  const std::int64_t d = m.delta_thousandths;
  if (d > kMaxQuantityThousandths || d < -kMaxQuantityThousandths) return bad("quantity too large");
  switch (m.kind) {
    case StockMovementKind::sale:
    case StockMovementKind::write_off:
      if (d >= 0) return bad(std::string(to_string(m.kind)) + " must take stock out");
      break;
    case StockMovementKind::refund:
    case StockMovementKind::receive:
      if (d <= 0) return bad(std::string(to_string(m.kind)) + " must put stock in");
      break;
    case StockMovementKind::adjust:
      if (d == 0) return bad("an adjustment must change something");
      break;
    case StockMovementKind::count:
      break;
  }
  if ((m.kind == StockMovementKind::write_off) != m.reason.has_value())
    return bad("a reason is required for write-offs and only for them");
  if (m.kind != StockMovementKind::count && (m.counted_thousandths || !m.count_id.empty()))
    return bad("counted and count_id belong to counts only");
  if (m.counted_thousandths && (*m.counted_thousandths < 0 || *m.counted_thousandths > kMaxQuantityThousandths))
    return bad("counted must be 0 or more");
  if (m.count_id.size() > 64) return bad("count_id longer than 64 bytes");
  if (m.unit_cost_minor && m.kind != StockMovementKind::receive) return bad("unit_cost belongs to receipts only");
  if (m.unit_cost_minor && (*m.unit_cost_minor < 0 || *m.unit_cost_minor > kMaxUnitCostMinor))
    return bad("unit_cost must be 0 or more");
  return {};
}

std::string_view to_string(StockMovementKind kind) noexcept {
  switch (kind) {
    case StockMovementKind::sale:
      return "sale";
    case StockMovementKind::refund:
      return "refund";
    case StockMovementKind::receive:
      return "receive";
    case StockMovementKind::adjust:
      return "adjust";
    case StockMovementKind::count:
      return "count";
    case StockMovementKind::write_off:
      return "write_off";
  }
  return "adjust";
}

Result<StockMovementKind> parse_stock_movement_kind(std::string_view text) {
  for (auto k : kKinds)
    if (to_string(k) == text) return k;
  return bad("unknown stock movement kind");
}

std::string_view to_string(WriteOffReason reason) noexcept {
  switch (reason) {
    case WriteOffReason::damaged:
      return "damaged";
    case WriteOffReason::expired:
      return "expired";
    case WriteOffReason::stolen:
      return "stolen";
    case WriteOffReason::lost:
      return "lost";
    case WriteOffReason::returned_to_supplier:
      return "returned_to_supplier";
    case WriteOffReason::other:
      return "other";
  }
  return "other";
}

Result<WriteOffReason> parse_write_off_reason(std::string_view text) {
  for (auto r : kReasons)
    if (to_string(r) == text) return r;
  return bad("unknown write-off reason");
}

}  // namespace salespider
