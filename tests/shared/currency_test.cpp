// The ISO 4217 table: codes, exponents, symbols. Not tested here: formatting.
#include "salespider/shared/currency.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace salespider {
namespace {

TEST(Currency, KnowsTheExponentOfEveryRequiredCurrency) {
  const struct {
    const char* code;
    int exponent;
  } cases[] = {{"NGN", 2}, {"USD", 2}, {"EUR", 2}, {"GBP", 2}, {"KES", 2},
               {"GHS", 2}, {"ZAR", 2}, {"INR", 2}, {"JPY", 0}, {"KWD", 3}};
  for (const auto& c : cases) {
    auto cur = find_currency(c.code);
    ASSERT_TRUE(cur.ok()) << c.code;
    EXPECT_EQ(cur->exponent(), c.exponent) << c.code;
    EXPECT_EQ(cur->code(), c.code);
  }
}

TEST(Currency, UnknownCodeIsATypedError) {
  EXPECT_EQ(find_currency("XYZ").code(), Errc::unknown_currency);
  EXPECT_EQ(find_currency("ngn").code(), Errc::unknown_currency);
  EXPECT_EQ(find_currency("").code(), Errc::unknown_currency);
}

TEST(Currency, TableHasNoDuplicateCodes) {
  std::set<std::string> seen;
  for (const auto& info : known_currencies())
    EXPECT_TRUE(seen.insert(std::string(info.code)).second) << info.code;
}

TEST(Currency, MinorPerMajorFollowsTheExponent) {
  EXPECT_EQ(find_currency("NGN")->minor_per_major(), 100);
  EXPECT_EQ(find_currency("JPY")->minor_per_major(), 1);
  EXPECT_EQ(find_currency("KWD")->minor_per_major(), 1000);
}

TEST(Currency, NairaSymbolIsUtf8) {
  EXPECT_EQ(find_currency("NGN")->symbol(), "\u20A6");
}

}  // namespace
}  // namespace salespider
