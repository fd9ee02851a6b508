// Money as text: symbols, codes, grouping (incl. Indian), separators, and the
// typed errors for bad input. Not tested here: arithmetic (money_test.cpp).
#include "salespider/shared/money_format.hpp"

#include <gtest/gtest.h>

namespace salespider {
namespace {

Currency cur(const char* code) {
  return *find_currency(code);
}

MoneyFormat indian() {
  MoneyFormat f;
  f.grouping = Grouping::indian;
  return f;
}

MoneyFormat european() {
  MoneyFormat f;
  f.decimal_separator = ",";
  f.group_separator = ".";
  f.currency_after = true;
  f.space_between = true;
  return f;
}

TEST(MoneyFormat, FormatsNairaWithSymbolAndThousands) {
  EXPECT_EQ(format_money(Money{150'000, cur("NGN")}, MoneyFormat{}), "\u20A61,500.00");
  EXPECT_EQ(format_money(Money{123'456'789, cur("NGN")}, MoneyFormat{}), "\u20A61,234,567.89");
  EXPECT_EQ(format_money(Money{5, cur("NGN")}, MoneyFormat{}), "\u20A60.05");
}

TEST(MoneyFormat, FormatsNegativeAmountsWithTheSignFirst) {
  EXPECT_EQ(format_money(Money{-1'250, cur("USD")}, MoneyFormat{}), "-$12.50");
}

TEST(MoneyFormat, FormatsIndianGrouping) {
  EXPECT_EQ(format_money(Money{123'456'789, cur("INR")}, indian()), "\u20B912,34,567.89");
  EXPECT_EQ(format_money(Money{1'000'000'000, cur("INR")}, indian()), "\u20B91,00,00,000.00");
  EXPECT_EQ(format_money(Money{99'900, cur("INR")}, indian()), "\u20B9999.00");
}

TEST(MoneyFormat, FormatsCurrencyWithoutDecimals) {
  EXPECT_EQ(format_money(Money{1'500, cur("JPY")}, MoneyFormat{}), "\u00A51,500");
}

TEST(MoneyFormat, FormatsCodeAndEuropeanSeparators) {
  MoneyFormat f = european();
  EXPECT_EQ(format_money(Money{123'456, cur("EUR")}, f), "1.234,56 \u20AC");
  f.display = CurrencyDisplay::code;
  f.currency_after = false;
  EXPECT_EQ(format_money(Money{123'456, cur("EUR")}, f), "EUR 1.234,56");
}

TEST(MoneyFormat, FormatsThreeDecimalCurrencies) {
  EXPECT_EQ(format_money(Money{1'005, cur("KWD")}, MoneyFormat{}), "KD1.005");
}

TEST(MoneyFormat, ParsesWhatItFormats) {
  for (std::int64_t v : {0LL, 5LL, -5LL, 150'000LL, 123'456'789LL, 100'000'000'000LL}) {
    for (const MoneyFormat& f : {MoneyFormat{}, indian(), european()}) {
      const Money m{v, cur("INR")};
      auto back = parse_money(format_money(m, f), cur("INR"), f);
      ASSERT_TRUE(back.ok()) << format_money(m, f) << " " << back.error().context;
      EXPECT_EQ(*back, m);
    }
  }
}

TEST(MoneyFormat, ParsesPlainAndCodedInput) {
  EXPECT_EQ(parse_money("1500", cur("NGN"), MoneyFormat{})->minor, 150'000);
  EXPECT_EQ(parse_money("1,500.5", cur("NGN"), MoneyFormat{})->minor, 150'050);
  EXPECT_EQ(parse_money(" NGN 12.30 ", cur("NGN"), MoneyFormat{})->minor, 1'230);
  EXPECT_EQ(parse_money("12.30 NGN", cur("NGN"), MoneyFormat{})->minor, 1'230);
  EXPECT_EQ(parse_money("-\u20A65", cur("NGN"), MoneyFormat{})->minor, -500);
  EXPECT_EQ(parse_money("\u20A6-5", cur("NGN"), MoneyFormat{})->minor, -500);
}

TEST(MoneyFormat, TooManyDecimalsIsATypedError) {
  EXPECT_EQ(parse_money("1.234", cur("NGN"), MoneyFormat{}).code(), Errc::too_many_decimals);
  EXPECT_EQ(parse_money("1.5", cur("JPY"), MoneyFormat{}).code(), Errc::too_many_decimals);
}

TEST(MoneyFormat, OverflowIsATypedError) {
  EXPECT_EQ(parse_money("99999999999999999999", cur("NGN"), MoneyFormat{}).code(), Errc::overflow);
  EXPECT_EQ(parse_money("10000000000000.01", cur("NGN"), MoneyFormat{}).code(), Errc::overflow);
}

TEST(MoneyFormat, UnknownCurrencyCodeIsATypedError) {
  EXPECT_EQ(parse_money("XYZ 10", cur("NGN"), MoneyFormat{}).code(), Errc::unknown_currency);
}

TEST(MoneyFormat, AnotherCurrencyIsAMismatch) {
  EXPECT_EQ(parse_money("USD 10", cur("NGN"), MoneyFormat{}).code(), Errc::currency_mismatch);
  EXPECT_EQ(parse_money("$10", cur("NGN"), MoneyFormat{}).code(), Errc::currency_mismatch);
}

TEST(MoneyFormat, MalformedInputIsATypedError) {
  for (const char* bad : {"", "-", "abc", "1..2", "1.", ".", "1,2345", "12,34,567", "1.2.3", "NGN 1 NGN",
                          "1e5", "+-1", "0x10"}) {
    EXPECT_EQ(parse_money(bad, cur("NGN"), MoneyFormat{}).code(), Errc::malformed_amount) << bad;
  }
  EXPECT_EQ(parse_money("1,234,567", cur("INR"), indian()).code(), Errc::malformed_amount);
  EXPECT_EQ(parse_money("12,34,567", cur("INR"), indian())->minor, 123'456'700);
}

TEST(MoneyFormat, SeparatorsMustDiffer) {
  MoneyFormat f;
  f.group_separator = ".";
  EXPECT_EQ(validate(f).code(), Errc::invalid_argument);
  EXPECT_EQ(parse_money("1", cur("NGN"), f).code(), Errc::invalid_argument);
}

}  // namespace
}  // namespace salespider
