// Product, category and tax rate field rules; stock status; list filters
// (product_rules.hpp).
#include "salespider/shared/product_rules.hpp"

#include "salespider/shared/text.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace salespider {
namespace {

Error bad(std::string_view field, std::string_view why) {
  return make_error(Errc::invalid_value, std::string(field) + ": " + std::string(why));
}

Status text_field(std::string_view field, std::string_view value, std::size_t min, std::size_t max) {
  if (value.size() < min || value.size() > max)
    return bad(field, std::to_string(min) + "-" + std::to_string(max) + " bytes of text");
  if (!is_clean_text(value)) return bad(field, "must be UTF-8 text on one line, without control characters");
  return {};
}

// Printable ASCII without spaces: what a scanner types and a label prints.
Status code_field(std::string_view field, std::string_view value, std::size_t max) {
  if (value.empty() || value.size() > max)
    return bad(field, "1-" + std::to_string(max) + " characters");
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x21 || c > 0x7E)
      return bad(field, "letters, digits and punctuation only (no spaces, no accents)");
  }
  return {};
}

template <class E, std::size_t N>
Result<E> parse_name(const std::array<std::pair<E, std::string_view>, N>& names, std::string_view text,
                     std::string_view what) {
  for (const auto& [value, name] : names)
    if (name == text) return value;
  std::string choices;
  for (const auto& [value, name] : names) choices += (choices.empty() ? "" : ", ") + std::string(name);
  return make_error(Errc::invalid_value, std::string(what) + ": one of " + choices);
}

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& names, E value) noexcept {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return "?";
}

constexpr std::array<std::pair<StockStatus, std::string_view>, 4> kStockStatus{{
    {StockStatus::in_stock, "in_stock"},
    {StockStatus::low, "low"},
    {StockStatus::out, "out"},
    {StockStatus::not_tracked, "not_tracked"},
}};
constexpr std::array<std::pair<ProductSort, std::string_view>, 5> kSort{{
    {ProductSort::name, "name"},
    {ProductSort::sku, "sku"},
    {ProductSort::price, "price"},
    {ProductSort::on_hand, "on_hand"},
    {ProductSort::updated, "updated"},
}};
constexpr std::array<std::pair<ArchivedFilter, std::string_view>, 3> kArchived{{
    {ArchivedFilter::no, "no"},
    {ArchivedFilter::only, "only"},
    {ArchivedFilter::all, "all"},
}};

}  // namespace

Status validate_product_name(std::string_view name) {
  return text_field("name", name, 1, kMaxProductNameBytes);
}

Status validate_product_description(std::string_view description) {
  if (description.size() > kMaxProductDescriptionBytes)
    return bad("description", "at most " + std::to_string(kMaxProductDescriptionBytes) + " bytes");
  // A description may have several lines.
  for (const char ch : description) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return bad("description", "must not hold control characters");
  }
  if (!is_valid_utf8(description)) return bad("description", "must be UTF-8 text");
  return {};
}

Status validate_sku(std::string_view sku) { return code_field("sku", sku, kMaxSkuBytes); }

Status validate_barcode(std::string_view barcode) { return code_field("barcode", barcode, kMaxBarcodeBytes); }

Status validate_barcodes(const std::vector<std::string>& barcodes) {
  if (barcodes.size() > kMaxBarcodesPerProduct)
    return bad("barcodes", "at most " + std::to_string(kMaxBarcodesPerProduct) + " per product");
  for (std::size_t i = 0; i < barcodes.size(); ++i) {
    if (auto s = validate_barcode(barcodes[i]); !s) return s;
    for (std::size_t j = 0; j < i; ++j)
      if (barcodes[j] == barcodes[i]) return bad("barcodes", barcodes[i] + " is listed twice");
  }
  return {};
}

Status validate_category_name(std::string_view name) {
  return text_field("name", name, 1, kMaxCategoryNameBytes);
}

Status validate_tax_code(std::string_view code) { return code_field("code", code, kMaxTaxCodeBytes); }

Status validate_tax_name(std::string_view name) { return text_field("name", name, 0, kMaxTaxNameBytes); }

StockStatus stock_status(bool track_stock, std::int64_t on_hand_milli,
                         std::optional<std::int64_t> low_stock_milli) noexcept {
  if (!track_stock) return StockStatus::not_tracked;
  if (on_hand_milli <= 0) return StockStatus::out;
  if (low_stock_milli && on_hand_milli <= *low_stock_milli) return StockStatus::low;
  return StockStatus::in_stock;
}

std::string_view to_string(StockStatus status) noexcept { return name_of(kStockStatus, status); }
Result<StockStatus> parse_stock_status(std::string_view text) { return parse_name(kStockStatus, text, "stock"); }
std::string_view to_string(ProductSort sort) noexcept { return name_of(kSort, sort); }
Result<ProductSort> parse_product_sort(std::string_view text) { return parse_name(kSort, text, "sort"); }
std::string_view to_string(ArchivedFilter archived) noexcept { return name_of(kArchived, archived); }
Result<ArchivedFilter> parse_archived_filter(std::string_view text) {
  return parse_name(kArchived, text, "archived");
}

Status validate(const ProductFilter& filter) {
  if (filter.text.size() > 200 || !is_clean_text(filter.text)) return bad("q", "at most 200 bytes of text");
  if (filter.offset < 0) return bad("offset", "must not be negative");
  if (filter.limit < 1 || filter.limit > kMaxProductPage)
    return bad("limit", "1-" + std::to_string(kMaxProductPage));
  return {};
}

}  // namespace salespider
