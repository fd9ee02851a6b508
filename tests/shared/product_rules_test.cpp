// Product, category and tax rate field rules; stock status; list filters.
#include "salespider/shared/product_rules.hpp"
#include "salespider/shared/text.hpp"

#include <gtest/gtest.h>

namespace salespider {
namespace {

TEST(ProductRules, NamesAreOneLineOfUtf8WithinTheLimit) {
  EXPECT_TRUE(validate_product_name("Milk 1 L").ok());
  EXPECT_TRUE(validate_product_name("Fufu \xE2\x82\xA6 pack").ok());
  EXPECT_FALSE(validate_product_name("").ok());
  EXPECT_FALSE(validate_product_name(std::string(201, 'a')).ok());
  EXPECT_FALSE(validate_product_name("two\nlines").ok());
  EXPECT_FALSE(validate_product_name("bad \xC0\xAF byte").ok());
  EXPECT_EQ(validate_product_name("").code(), Errc::invalid_value);
}

TEST(ProductRules, DescriptionsMayHaveSeveralLinesButNoOtherControls) {
  EXPECT_TRUE(validate_product_description("").ok());
  EXPECT_TRUE(validate_product_description("line one\nline two").ok());
  EXPECT_FALSE(validate_product_description("tab\there").ok());
  EXPECT_FALSE(validate_product_description(std::string(4001, 'x')).ok());
}

TEST(ProductRules, CodesArePrintableAsciiWithoutSpaces) {
  EXPECT_TRUE(validate_sku("MILK-1L").ok());
  EXPECT_TRUE(validate_barcode("5901234123457").ok());
  EXPECT_FALSE(validate_sku("MILK 1L").ok());
  EXPECT_FALSE(validate_barcode("").ok());
  EXPECT_FALSE(validate_barcode("caf\xC3\xA9").ok());
  EXPECT_FALSE(validate_barcode(std::string(65, '1')).ok());
  EXPECT_TRUE(validate_tax_code("VAT7.5").ok());
  EXPECT_FALSE(validate_tax_code("VAT 7.5").ok());
}

TEST(ProductRules, ABarcodeListedTwiceOrTooManyBarcodesAreRefused) {
  EXPECT_TRUE(validate_barcodes({"111", "222"}).ok());
  const auto twice = validate_barcodes({"111", "222", "111"});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().context.find("111"), std::string::npos);
  std::vector<std::string> many;
  for (int i = 0; i < 21; ++i) many.push_back("B" + std::to_string(i));
  EXPECT_FALSE(validate_barcodes(many).ok());
}

TEST(ProductRules, StockStatusFollowsTrackingOnHandAndTheLowLevel) {
  EXPECT_EQ(stock_status(false, -5'000, std::nullopt), StockStatus::not_tracked);
  EXPECT_EQ(stock_status(true, 0, 2'000), StockStatus::out);
  EXPECT_EQ(stock_status(true, -1'000, std::nullopt), StockStatus::out);
  EXPECT_EQ(stock_status(true, 2'000, 2'000), StockStatus::low);
  EXPECT_EQ(stock_status(true, 2'001, 2'000), StockStatus::in_stock);
  EXPECT_EQ(stock_status(true, 1'000, std::nullopt), StockStatus::in_stock);
}

TEST(ProductRules, FilterWordsRoundTripAndUnknownWordsNameTheChoices) {
  for (auto s : {StockStatus::in_stock, StockStatus::low, StockStatus::out, StockStatus::not_tracked})
    EXPECT_EQ(*parse_stock_status(to_string(s)), s);
  for (auto s : {ProductSort::name, ProductSort::sku, ProductSort::price, ProductSort::on_hand, ProductSort::updated})
    EXPECT_EQ(*parse_product_sort(to_string(s)), s);
  const auto bad = parse_archived_filter("maybe");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().context.find("no, only, all"), std::string::npos);
}

TEST(ProductRules, AFilterPageStaysWithinItsLimits) {
  ProductFilter f;
  EXPECT_TRUE(validate(f).ok());
  f.limit = kMaxProductPage + 1;
  EXPECT_FALSE(validate(f).ok());
  f.limit = 10;
  f.offset = -1;
  EXPECT_FALSE(validate(f).ok());
}

TEST(Text, CleanTextIsUtf8WithoutControlCharacters) {
  EXPECT_TRUE(is_clean_text("Caf\xC3\xA9 \xE2\x82\xA6"));
  EXPECT_FALSE(is_clean_text("a\tb"));
  EXPECT_FALSE(is_clean_text("a\x7F"));
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));
}

}  // namespace
}  // namespace salespider
