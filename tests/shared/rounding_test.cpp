// The one rounding rule and the one apportioning rule. Not tested here: where
// they are applied (tax, discount, refund tests).
#include "salespider/shared/rounding.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace salespider {
namespace {

TEST(Rounding, HalvesRoundAwayFromZero) {
  EXPECT_EQ(div_round_half_away(5, 10), 1);
  EXPECT_EQ(div_round_half_away(15, 10), 2);
  EXPECT_EQ(div_round_half_away(14, 10), 1);
  EXPECT_EQ(div_round_half_away(-5, 10), -1);
  EXPECT_EQ(div_round_half_away(-15, 10), -2);
  EXPECT_EQ(div_round_half_away(-14, 10), -1);
  EXPECT_EQ(div_round_half_away(2, 3), 1);
  EXPECT_EQ(div_round_half_away(1, 3), 0);
}

TEST(Rounding, LargestRemainderSumsExactlyAndFavoursLargestFractions) {
  const std::vector<std::int64_t> w{1, 1, 1};
  auto parts = allocate_largest_remainder(100, w);
  EXPECT_EQ(parts, (std::vector<std::int64_t>{34, 33, 33}));
  const std::vector<std::int64_t> w2{500, 300, 200};
  EXPECT_EQ(allocate_largest_remainder(7, w2), (std::vector<std::int64_t>{4, 2, 1}));
}

TEST(Rounding, LargestRemainderGivesNothingToZeroWeights) {
  const std::vector<std::int64_t> w{0, 3, 0, 1};
  auto parts = allocate_largest_remainder(9, w);
  EXPECT_EQ(parts[0], 0);
  EXPECT_EQ(parts[2], 0);
  EXPECT_EQ(std::accumulate(parts.begin(), parts.end(), std::int64_t{0}), 9);
}

TEST(Rounding, CashRoundingGoesToTheNearestStep) {
  EXPECT_EQ(round_to_step(1'002, 5), 1'000);
  EXPECT_EQ(round_to_step(1'003, 5), 1'005);
  EXPECT_EQ(round_to_step(1'025, 50), 1'050);
  EXPECT_EQ(round_to_step(1'024, 50), 1'000);
}

}  // namespace
}  // namespace salespider
