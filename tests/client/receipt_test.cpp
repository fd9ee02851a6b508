// Receipts (wasm-client/receipt/): the figures of a computed sale in both
// forms, the marks (offline, copy), escaping of untrusted text, and the
// text form's column limits on 80 mm and 58 mm paper.
#include "receipt/receipt.hpp"

#include "fixture_file.hpp"

#include <salespider/shared/currency.hpp>
#include <salespider/shared/money.hpp>

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace salespider::receipt {
namespace {

const TaxRate kVat{"VAT", TaxKind::standard, 75'000};

Currency ngn() {
  return find_currency("NGN").value();
}

CartLine line(std::string name, std::int64_t unit_price, std::int64_t units, TaxRate tax = kVat) {
  CartLine l;
  l.product_id = "p-" + std::to_string(unit_price);
  l.name = std::move(name);
  l.unit_price = unit_price;
  l.quantity = Quantity::units(units);
  l.tax = std::move(tax);
  return l;
}

// Rice 2 x 1,500.00 less 10%, tomatoes 1.250 kg x 800.00, 100.00 off the
// cart, 7.5% VAT included: total 3,600.00; 5,000.00 cash, change 1,400.00.
ReceiptInput market_sale(Paper paper = Paper::mm80) {
  Cart cart;
  cart.currency = ngn();
  cart.price_mode = PriceMode::tax_inclusive;
  CartLine rice = line("Rice 5kg", 1'500'00, 2);
  rice.discounts = {Discount{DiscountKind::percent, 1'000}};
  CartLine tomatoes = line("Tomatoes", 800'00, 1);
  tomatoes.unit = UnitKind::weighed;
  tomatoes.quantity = Quantity{1'250};
  cart.lines = {rice, tomatoes};
  cart.discounts = {Discount{DiscountKind::fixed, 100'00}};

  ReceiptInput r;
  r.store_name = "Mama Put Stores";
  r.address = "12 Market Road\nIkeja, Lagos";
  r.tax_id = "01234567-0001";
  r.header = "Open 7 days";
  r.footer = "Thank you!\nReturns within 7 days";
  r.receipt_number = "SP3-000128";
  r.time_text = "2026-12-02 14:05";
  r.time_zone = "Africa/Lagos";
  r.cashier = "Ada";
  r.till_code = "SP3";
  r.cart_discounts = cart.discounts;
  r.sale = compute_sale(cart).value();
  r.payments = {Payment{TenderKind::cash, 5'000'00, ""}};
  r.settlement = settle(r.sale.totals.total, r.payments, TenderSettings{}).value();
  r.paper = paper;
  return r;
}

// The text of the first element carrying data-k="key" after `from`, tags
// stripped (entities kept as they are).
std::string field(const std::string& html, const std::string& key, std::size_t from = 0) {
  const std::size_t at = html.find("data-k=\"" + key + "\"", from);
  if (at == std::string::npos) return "<missing " + key + ">";
  const std::size_t open = html.rfind('<', at);
  const std::size_t name_end = html.find_first_of(" >", open);
  const std::string tag = html.substr(open + 1, name_end - open - 1);
  const std::size_t start = html.find('>', at) + 1;
  const std::size_t end = html.find("</" + tag + ">", start);
  std::string out;
  bool in_tag = false;
  for (char c : html.substr(start, end - start)) {
    if (c == '<') in_tag = true;
    if (!in_tag) out += c;
    if (c == '>') in_tag = false;
  }
  return out;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

bool has_line(const std::string& text, const std::string& wanted) {
  for (const std::string& l : lines_of(text)) {
    if (l.find(wanted) != std::string::npos) return true;
  }
  return false;
}

// The line holding `label`, for checking the amount on the same line.
std::string line_with(const std::string& text, const std::string& label) {
  for (const std::string& l : lines_of(text)) {
    if (l.find(label) != std::string::npos) return l;
  }
  return "<no line with " + label + ">";
}

TEST(Receipt, HtmlShowsTheTotalsOfTheSale) {
  const std::string html = receipt_html(market_sale());
  EXPECT_EQ(field(html, "subtotal"), "Subtotal₦4,000.00");
  EXPECT_EQ(field(html, "discounts"), "Discounts total-₦400.00");
  EXPECT_EQ(field(html, "total"), "TOTAL₦3,600.00");
}

TEST(Receipt, TextShowsTheTotalsRightAligned) {
  const std::string text = receipt_text(market_sale());
  const std::string total = line_with(text, "TOTAL");
  EXPECT_EQ(total, "TOTAL" + std::string(42 - 5 - 9, ' ') + "₦3,600.00");
  EXPECT_NE(line_with(text, "Subtotal").find("₦4,000.00"), std::string::npos);
  EXPECT_NE(line_with(text, "Discounts total").find("-₦400.00"), std::string::npos);
}

TEST(Receipt, EachLineShowsQuantityTimesUnitPriceAndItsDiscounts) {
  const ReceiptInput r = market_sale();
  const std::string html = receipt_html(r);
  EXPECT_EQ(count(html, "data-k=\"line\""), 2u);
  EXPECT_EQ(field(html, "line-qty"), "2 &#215; ₦1,500.00₦3,000.00");
  EXPECT_EQ(field(html, "line-discount"), "Discount 10%-₦300.00");
  const std::string text = receipt_text(r);
  EXPECT_NE(line_with(text, "2 x ₦1,500.00").find("₦3,000.00"), std::string::npos);
  EXPECT_NE(line_with(text, "Discount 10%").find("-₦300.00"), std::string::npos);
}

TEST(Receipt, EachCartDiscountIsShownWithWhatItTook) {
  ReceiptInput r = market_sale();
  const std::string html = receipt_html(r);
  EXPECT_EQ(field(html, "cart-discount"), "Cart discount-₦100.00");
  EXPECT_TRUE(has_line(receipt_text(r), "Cart discount"));
}

TEST(Receipt, SeveralDiscountsOnALineAreEachShownAndAddUp) {
  Cart cart;
  cart.currency = ngn();
  CartLine l = line("Soap", 1'000'00, 1);
  l.discounts = {Discount{DiscountKind::percent, 1'000}, Discount{DiscountKind::fixed, 50'00}};
  cart.lines = {l};
  ReceiptInput r = market_sale();
  r.cart_discounts.clear();
  r.sale = compute_sale(cart).value();
  const std::string html = receipt_html(r);
  const std::size_t first = html.find("data-k=\"line-discount\"");
  EXPECT_EQ(field(html, "line-discount"), "Discount 10%-₦100.00");
  EXPECT_EQ(field(html, "line-discount", first + 1), "Discount-₦50.00");
  EXPECT_EQ(r.sale.totals.line_discounts, 150'00);
  EXPECT_EQ(field(html, "discounts"), "Discounts total-₦150.00");
}

TEST(Receipt, ACartDiscountTotalWithoutItsDiscountsPrintsAsOneLine) {
  ReceiptInput r = market_sale();
  r.cart_discounts.clear();
  EXPECT_EQ(field(receipt_html(r), "cart-discount"), "Cart discount-₦100.00");
}

TEST(Receipt, WeighedQuantitiesPrintAsKilogramsWithThreeDecimals) {
  const ReceiptInput r = market_sale();
  const std::string html = receipt_html(r);
  EXPECT_NE(html.find("data-qty=\"1250\" data-unit=\"kg\""), std::string::npos);
  EXPECT_NE(html.find("1.250 kg &#215; ₦800.00/kg"), std::string::npos);
  EXPECT_NE(line_with(receipt_text(r), "1.250 kg x ₦800.00/kg").find("₦1,000.00"), std::string::npos);
}

TEST(Receipt, TaxIsShownPerRateAndSaysIncludedForTaxInclusivePrices) {
  const ReceiptInput r = market_sale();
  const std::string html = receipt_html(r);
  EXPECT_EQ(count(html, "data-k=\"tax\""), 1u);
  EXPECT_NE(html.find("data-k=\"tax\" data-code=\"VAT\" data-rate=\"7.5%\" data-mode=\"inclusive\""),
            std::string::npos);
  // 3,600.00 x 7.5 / 107.5 = 251.16
  EXPECT_EQ(field(html, "tax"), "VAT 7.5% incl.₦251.16");
  EXPECT_NE(line_with(receipt_text(r), "VAT 7.5% incl.").find("₦251.16"), std::string::npos);
}

TEST(Receipt, TaxExclusivePricesShowEachRateAddedToTheTotal) {
  Cart cart;
  cart.currency = ngn();
  cart.price_mode = PriceMode::tax_exclusive;
  cart.lines = {line("Water", 100'00, 1), line("Bread", 50'00, 1, TaxRate{"EXEMPT", TaxKind::exempt, 0})};
  ReceiptInput r = market_sale();
  r.cart_discounts.clear();
  r.sale = compute_sale(cart).value();
  const std::string html = receipt_html(r);
  EXPECT_EQ(count(html, "data-k=\"tax\""), 2u);
  EXPECT_EQ(field(html, "tax"), "VAT 7.5%₦7.50");
  EXPECT_EQ(field(html, "tax", html.find("data-code=\"VAT\"") + 1), "EXEMPT 0%₦0.00");
  EXPECT_EQ(field(html, "total"), "TOTAL₦157.50");
  EXPECT_EQ(html.find("incl."), std::string::npos);
}

TEST(Receipt, EachTenderIsListedAndCashGivesChange) {
  ReceiptInput r = market_sale();
  r.payments = {Payment{TenderKind::card, 1'000'00, "slip 4417"}, Payment{TenderKind::cash, 3'000'00, ""}};
  r.settlement = settle(r.sale.totals.total, r.payments, TenderSettings{}).value();
  ASSERT_EQ(r.settlement.change, 400'00);
  const std::string html = receipt_html(r);
  EXPECT_EQ(count(html, "data-k=\"tender\""), 2u);
  EXPECT_EQ(field(html, "tender"), "Card₦1,000.00");
  EXPECT_NE(html.find("data-kind=\"card\""), std::string::npos);
  EXPECT_EQ(field(html, "tender-ref"), "Ref: slip 4417");
  EXPECT_EQ(field(html, "tender", html.find("data-kind=\"card\"") + 1), "Cash₦3,000.00");
  EXPECT_EQ(field(html, "change"), "Change₦400.00");
  const std::string text = receipt_text(r);
  EXPECT_NE(line_with(text, "Card").find("₦1,000.00"), std::string::npos);
  EXPECT_NE(line_with(text, "Change").find("₦400.00"), std::string::npos);
}

TEST(Receipt, NoChangeLineWithoutCash) {
  ReceiptInput r = market_sale();
  r.payments = {Payment{TenderKind::mobile_money, r.sale.totals.total, "MM-77"}};
  r.settlement = settle(r.sale.totals.total, r.payments, TenderSettings{}).value();
  const std::string html = receipt_html(r);
  EXPECT_EQ(field(html, "tender"), "Mobile money₦3,600.00");
  EXPECT_EQ(html.find("data-k=\"change\""), std::string::npos);
  EXPECT_FALSE(has_line(receipt_text(r), "Change"));
}

TEST(Receipt, CashRoundingIsShownOnlyWhenItIsNotZero) {
  ReceiptInput r = market_sale();
  EXPECT_EQ(receipt_html(r).find("data-k=\"rounding\""), std::string::npos);
  EXPECT_FALSE(has_line(receipt_text(r), "Cash rounding"));

  Cart cart;
  cart.currency = ngn();
  cart.lines = {line("Sweets", 157'45, 1)};
  r.cart_discounts.clear();
  r.sale = compute_sale(cart).value();
  TenderSettings settings;
  settings.cash_rounding_step = 50;
  r.payments = {Payment{TenderKind::cash, 200'00, ""}};
  r.settlement = settle(r.sale.totals.total, r.payments, settings).value();
  ASSERT_NE(r.settlement.rounding, 0);
  const std::string shown = format_money(Money{r.settlement.rounding, ngn()}, MoneyFormat{});
  const std::string expected = (r.settlement.rounding > 0 ? "+" : "") + shown;
  EXPECT_EQ(field(receipt_html(r), "rounding"), "Cash rounding" + expected);
  EXPECT_NE(line_with(receipt_text(r), "Cash rounding").find(expected), std::string::npos);
}

TEST(Receipt, AnOfflineSaleSaysItWasRecordedOffline) {
  ReceiptInput r = market_sale();
  EXPECT_EQ(receipt_html(r).find("data-k=\"offline\""), std::string::npos);
  EXPECT_FALSE(has_line(receipt_text(r), "Recorded offline"));
  r.offline = true;
  EXPECT_EQ(field(receipt_html(r), "offline"), "Recorded offline");
  EXPECT_TRUE(has_line(receipt_text(r), "Recorded offline"));
}

TEST(Receipt, AReprintIsMarkedCopyAtTheTopAndTheBottom) {
  ReceiptInput r = market_sale();
  EXPECT_EQ(receipt_html(r).find("COPY"), std::string::npos);
  EXPECT_EQ(receipt_text(r).find("COPY"), std::string::npos);
  r.copy = true;
  const std::string html = receipt_html(r);
  EXPECT_EQ(count(html, "data-k=\"copy\""), 2u);
  EXPECT_EQ(field(html, "copy"), "COPY");
  EXPECT_NE(html.find("<title>Receipt SP3-000128 (copy)</title>"), std::string::npos);
  const std::vector<std::string> text = lines_of(receipt_text(r));
  EXPECT_NE(text.front().find("*** COPY ***"), std::string::npos);
  EXPECT_NE(text.back().find("*** COPY ***"), std::string::npos);
}

TEST(Receipt, HeaderShowsStoreAddressTaxIdAndSettingsText) {
  const ReceiptInput r = market_sale();
  const std::string html = receipt_html(r);
  EXPECT_EQ(field(html, "store"), "Mama Put Stores");
  EXPECT_NE(html.find("<p data-k=\"address\">12 Market Road<br>Ikeja, Lagos</p>"), std::string::npos);
  EXPECT_EQ(field(html, "tax-id"), "Tax ID: 01234567-0001");
  EXPECT_EQ(field(html, "header"), "Open 7 days");
  EXPECT_NE(html.find("<p>Thank you!<br>Returns within 7 days</p>"), std::string::npos);
  const std::string text = receipt_text(r);
  EXPECT_TRUE(has_line(text, "Ikeja, Lagos"));
  EXPECT_TRUE(has_line(text, "Tax ID: 01234567-0001"));
  EXPECT_TRUE(has_line(text, "Returns within 7 days"));
}

TEST(Receipt, ReceiptNumberTimeZoneCashierAndTillArePrinted) {
  const ReceiptInput r = market_sale();
  const std::string html = receipt_html(r);
  EXPECT_EQ(field(html, "receipt-number"), "ReceiptSP3-000128");
  EXPECT_EQ(field(html, "time"), "2026-12-02 14:05");
  EXPECT_EQ(field(html, "time-zone"), "Africa/Lagos");
  EXPECT_EQ(field(html, "cashier"), "CashierAda");
  EXPECT_EQ(field(html, "till"), "TillSP3");
  const std::string text = receipt_text(r);
  EXPECT_TRUE(has_line(text, "2026-12-02 14:05 Africa/Lagos"));
  EXPECT_NE(line_with(text, "Receipt").find("SP3-000128"), std::string::npos);
  EXPECT_NE(line_with(text, "Cashier").find("Ada"), std::string::npos);
}

TEST(Receipt, MarkupInAProductNameIsEscaped) {
  ReceiptInput r = market_sale();
  r.sale.lines[0].item.name = "<script>alert('x')</script><img src=x onerror=alert(1)>";
  r.store_name = "Tom & Jerry \"Best\"";
  r.payments[0].reference = "\" onmouseover=\"alert(1)";
  const std::string html = receipt_html(r);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("\" onmouseover"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"),
            std::string::npos);
  EXPECT_EQ(field(html, "store"), "Tom &amp; Jerry &quot;Best&quot;");
}

TEST(Receipt, ControlCharactersAndBidiOverridesNeverReachThePrinter) {
  ReceiptInput r = market_sale();
  r.sale.lines[0].item.name = "Rice\x1b@\x1d" "V\x07 \xe2\x80\xae" "5kg";  // ESC @, GS V, BEL, RLO
  for (const std::string& out : {receipt_text(r), receipt_html(r)}) {
    EXPECT_EQ(out.find('\x1b'), std::string::npos);
    EXPECT_EQ(out.find('\x1d'), std::string::npos);
    EXPECT_EQ(out.find('\x07'), std::string::npos);
    EXPECT_EQ(out.find("\xe2\x80\xae"), std::string::npos);
    EXPECT_NE(out.find("Rice@V 5kg"), std::string::npos);
  }
}

TEST(Receipt, InvalidUtf8IsReplacedNotPassedOn) {
  EXPECT_EQ(html_escape("a\xff" "b\xc3"), "a\xef\xbf\xbd" "b\xef\xbf\xbd");
  EXPECT_EQ(html_escape("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd") << "an overlong '/' is two bad bytes";
  EXPECT_EQ(html_escape("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd") << "a surrogate";
}

TEST(Receipt, TextWidthCountsColumnsNotBytes) {
  EXPECT_EQ(text_width("₦1,500.00"), 9u);
  EXPECT_EQ(text_width("e\xcc\x81"), 1u) << "e + combining acute";
  EXPECT_EQ(text_width("कि"), 2u) << "ka + the spacing vowel sign i";
  EXPECT_EQ(text_width("米"), 2u);
}

TEST(Receipt, NoTextLineIsWiderThanThePaper) {
  for (Paper paper : {Paper::mm80, Paper::mm58}) {
    ReceiptInput r = market_sale(paper);
    r.sale.lines[0].item.name =
        "Extra long premium parboiled long grain rice imported, family size bag with resealable zip";
    r.sale.lines[1].item.name = "Supercalifragilisticexpialidocious-tomatoes-from-the-northern-farms";
    r.footer = "Goods sold in good condition are not returnable without this receipt and the original packaging";
    r.payments = {Payment{TenderKind::bank_transfer, r.sale.totals.total, "TRANSFER-REFERENCE-0123456789-ABCDEFGHIJ"}};
    r.settlement = settle(r.sale.totals.total, r.payments, TenderSettings{}).value();
    r.copy = true;
    r.offline = true;
    const std::string text = receipt_text(r);
    const auto width = static_cast<std::size_t>(columns(paper));
    for (const std::string& l : lines_of(text)) EXPECT_LE(text_width(l), width) << "'" << l << "'";
    EXPECT_TRUE(has_line(text, "Extra long premium")) << "a long name wraps at spaces";
    EXPECT_TRUE(has_line(text, "zip"));
    EXPECT_TRUE(has_line(text, "Supercalifragilisticexpialidocio")) << "a long word breaks";
    EXPECT_TRUE(has_line(text, "packaging")) << "long settings text wraps";
  }
}

// The first rule under the header.
std::string first_rule(const std::string& text) {
  for (const std::string& l : lines_of(text)) {
    if (!l.empty() && l.front() == '-') return l;
  }
  return "<no rule>";
}

TEST(Receipt, TextUsesFortyTwoColumnsOn80mmAndThirtyTwoOn58mm) {
  EXPECT_EQ(first_rule(receipt_text(market_sale(Paper::mm80))), std::string(42, '-'));
  EXPECT_EQ(first_rule(receipt_text(market_sale(Paper::mm58))), std::string(32, '-'));
  EXPECT_EQ(line_with(receipt_text(market_sale(Paper::mm58)), "TOTAL"),
            "TOTAL" + std::string(32 - 5 - 9, ' ') + "₦3,600.00");
}

TEST(Receipt, HtmlPageAndBodyMatchThePaperWidth) {
  const std::string wide = receipt_html(market_sale(Paper::mm80));
  EXPECT_NE(wide.find("@page{size:80mm "), std::string::npos);
  EXPECT_NE(wide.find("body{width:80mm;"), std::string::npos);
  EXPECT_NE(wide.find("data-paper-mm=\"80\" data-columns=\"42\""), std::string::npos);
  const std::string narrow = receipt_html(market_sale(Paper::mm58));
  EXPECT_NE(narrow.find("@page{size:58mm "), std::string::npos);
  EXPECT_NE(narrow.find("body{width:58mm;"), std::string::npos);
  EXPECT_NE(narrow.find("data-paper-mm=\"58\" data-columns=\"32\""), std::string::npos);
}

TEST(Receipt, HtmlIsOneSelfContainedDocumentWithoutScriptsOrExternalResources) {
  const std::string html = receipt_html(market_sale());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(count(html, "<style>"), 1u) << "bridge.js takes out exactly one inline <style>";
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);
  EXPECT_EQ(html.find("style=\""), std::string::npos) << "style attributes are blocked by the CSP";
}

TEST(Receipt, ThousandsSeparatorsAndSymbolFollowTheStoresMoneyFormat) {
  ReceiptInput r = market_sale();
  r.money_format.decimal_separator = ",";
  r.money_format.group_separator = ".";
  r.money_format.display = CurrencyDisplay::code;
  r.money_format.currency_after = true;
  EXPECT_EQ(field(receipt_html(r), "total"), "TOTAL3.600,00 NGN");
  r.money_format.group_separator = ",";  // same as the decimal separator: invalid, the default applies
  EXPECT_EQ(field(receipt_html(r), "total"), "TOTAL₦3,600.00");
}

TEST(Receipt, TheSampleReceiptComputesAndFitsBothPapers) {
  for (Paper paper : {Paper::mm80, Paper::mm58}) {
    const ReceiptInput r = sample_receipt(paper);
    EXPECT_TRUE(check_invariants(r.sale).ok());
    EXPECT_TRUE(r.settlement.complete);
    const std::string html = receipt_html(r);
    EXPECT_EQ(field(html, "total"), "TOTAL₦3,600.00");
    EXPECT_EQ(field(html, "change"), "Change₦1,400.00");
    for (const std::string& l : lines_of(receipt_text(r)))
      EXPECT_LE(text_width(l), static_cast<std::size_t>(columns(paper))) << "'" << l << "'";
  }
}

// The whole text form, byte for byte, for the receipts above on both papers:
// the ESC/POS encoder prints these same lines, so a change here is a change
// on paper. A difference writes <fixture>.actual in the test's working
// directory (fixture_file.hpp); copy it over the fixture once it is right.
TEST(Receipt, TextFormIsByteForByteTheFixture) {
  struct Case {
    std::string fixture;
    ReceiptInput input;
  };
  ReceiptInput long_names = market_sale(Paper::mm58);
  long_names.sale.lines[0].item.name =
      "Extra long premium parboiled long grain rice imported, family size bag with resealable zip";
  long_names.sale.lines[1].item.name = "Supercalifragilisticexpialidocious-tomatoes-from-the-northern-farms";
  long_names.payments = {
      Payment{TenderKind::bank_transfer, long_names.sale.totals.total, "TRANSFER-REFERENCE-0123456789-ABCDEFGHIJ"}};
  long_names.settlement = settle(long_names.sale.totals.total, long_names.payments, TenderSettings{}).value();
  long_names.copy = true;
  long_names.offline = true;
  const std::vector<Case> cases{
      {"receipt_text_market_80.txt", market_sale(Paper::mm80)},
      {"receipt_text_long_58.txt", long_names},
      {"receipt_text_sample_58.txt", sample_receipt(Paper::mm58)},
  };
  for (const Case& c : cases) {
    const std::string text = receipt_text(c.input);
    const std::optional<std::string> want = test::read_fixture(c.fixture);
    if (!want) {
      ADD_FAILURE() << "cannot read " << test::fixture_path(c.fixture) << "; got " << test::write_actual(c.fixture, text);
      continue;
    }
    EXPECT_EQ(text, *want) << c.fixture << " differs; got " << test::write_actual(c.fixture, text);
  }
}

}  // namespace
}  // namespace salespider::receipt
