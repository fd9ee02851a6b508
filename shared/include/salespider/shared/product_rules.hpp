// What a product, a category and a tax rate may be, in one place for every
// writer: the server's catalog service, the CSV import and the till's back
// office forms (which check before they send). The database repeats these
// rules as CHECKs (migration 0001); these give the person a sentence.
//
// Also the words the back office lists use: the stock status of a product
// and how a product list is filtered and sorted, so the screen, the HTTP
// query string, the CLI flags and the CSV export mean the same thing.
// Deliberately no I/O and no money parsing (money_format.hpp parses prices).
#pragma once

#include "salespider/shared/cart.hpp"  // kMaxProductNameBytes, kMaxBarcodeBytes
#include "salespider/shared/quantity.hpp"
#include "salespider/shared/result.hpp"
#include "salespider/shared/tax.hpp"  // kMaxTaxCodeBytes

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider {

inline constexpr std::size_t kMaxProductDescriptionBytes = 4000;
inline constexpr std::size_t kMaxSkuBytes = 64;
inline constexpr std::size_t kMaxBarcodesPerProduct = 20;
inline constexpr std::size_t kMaxCategoryNameBytes = 100;
inline constexpr std::size_t kMaxCategoryDepth = 8;
inline constexpr std::size_t kMaxTaxNameBytes = 100;

// Errc::invalid_value with the field's name and why, e.g.
// "name: 1-200 bytes of text". Text must be valid UTF-8 without control
// characters; codes (SKU, barcode, tax code) printable ASCII without spaces.
Status validate_product_name(std::string_view name);
Status validate_product_description(std::string_view description);
Status validate_sku(std::string_view sku);
Status validate_barcode(std::string_view barcode);
// Each valid, at most kMaxBarcodesPerProduct, no duplicates.
Status validate_barcodes(const std::vector<std::string>& barcodes);
Status validate_category_name(std::string_view name);
Status validate_tax_code(std::string_view code);
Status validate_tax_name(std::string_view name);

// How a product's stock looks on a list. Low: tracked, a low-stock level is
// set and on hand is at or below it (but above zero); out: tracked and on
// hand at or below zero; not_tracked: the product does not track stock.
enum class StockStatus { in_stock, low, out, not_tracked };
StockStatus stock_status(bool track_stock, std::int64_t on_hand_milli,
                         std::optional<std::int64_t> low_stock_milli) noexcept;
std::string_view to_string(StockStatus status) noexcept;
Result<StockStatus> parse_stock_status(std::string_view text);

// A product list as the back office asks for it. Text matches name, SKU or
// barcode (case-insensitive, anywhere in the name; SKU and barcode from the
// start). archived: only active rows (no), only archived (only), both (all).
enum class ProductSort { name, sku, price, on_hand, updated };
enum class ArchivedFilter { no, only, all };
struct ProductFilter {
  std::string text;
  std::string category_id;  // "" = any; a category includes its subcategories
  std::optional<StockStatus> stock;
  ArchivedFilter archived = ArchivedFilter::no;
  ProductSort sort = ProductSort::name;
  bool descending = false;
  std::int64_t offset = 0;
  std::int64_t limit = 50;  // 1..kMaxProductPage
};
inline constexpr std::int64_t kMaxProductPage = 500;
std::string_view to_string(ProductSort sort) noexcept;
Result<ProductSort> parse_product_sort(std::string_view text);
std::string_view to_string(ArchivedFilter archived) noexcept;
Result<ArchivedFilter> parse_archived_filter(std::string_view text);
// Text at most 200 bytes, offset >= 0, limit within 1..kMaxProductPage.
Status validate(const ProductFilter& filter);

}  // namespace salespider
