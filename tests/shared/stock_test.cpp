// Stock movement kinds, write-off reasons and their sign rules.
#include "salespider/shared/stock.hpp"

#include <gtest/gtest.h>

namespace salespider {
namespace {

StockMovement movement(StockMovementKind kind, std::int64_t delta) {
  StockMovement m;
  m.product_id = "p1";
  m.kind = kind;
  m.delta_thousandths = delta;
  return m;
}

TEST(Stock, SalesTakeStockOutAndReceiptsPutItIn) {
  EXPECT_TRUE(validate(movement(StockMovementKind::sale, -1'000)).ok());
  EXPECT_FALSE(validate(movement(StockMovementKind::sale, 1'000)).ok());
  EXPECT_TRUE(validate(movement(StockMovementKind::receive, 5'000)).ok());
  EXPECT_FALSE(validate(movement(StockMovementKind::refund, -1'000)).ok());
  EXPECT_FALSE(validate(movement(StockMovementKind::adjust, 0)).ok());
  EXPECT_TRUE(validate(movement(StockMovementKind::count, 0)).ok());
}

TEST(Stock, WriteOffNeedsAReason) {
  StockMovement m = movement(StockMovementKind::write_off, -2'000);
  EXPECT_EQ(validate(m).code(), Errc::invalid_stock_movement);
  m.reason = WriteOffReason::expired;
  EXPECT_TRUE(validate(m).ok());
  StockMovement r = movement(StockMovementKind::receive, 1'000);
  r.reason = WriteOffReason::lost;
  EXPECT_EQ(validate(r).code(), Errc::invalid_stock_movement);
}

TEST(Stock, ReasonsAndKindsHaveWireNames) {
  EXPECT_EQ(*parse_write_off_reason("returned_to_supplier"), WriteOffReason::returned_to_supplier);
  EXPECT_EQ(*parse_stock_movement_kind("write_off"), StockMovementKind::write_off);
  EXPECT_EQ(parse_write_off_reason("eaten").code(), Errc::invalid_stock_movement);
}

}  // namespace
}  // namespace salespider
