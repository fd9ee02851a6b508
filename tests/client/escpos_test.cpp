// The ESC/POS encoder (wasm-client/receipt/escpos.hpp): a whole print job
// compared byte for byte with a stream written by hand from Epson's command
// reference (fixtures/escpos_receipt_80.hex), and, read back through a small
// decoder of the commands we emit, the paper width, the code tables, the
// raster fallback for text a code table cannot show, the receipt number's
// code, the drawer kick and the refusals.
#include "receipt/escpos.hpp"

#include "fixture_file.hpp"

#include <salespider/shared/currency.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace salespider::receipt {
namespace {

using Bytes = std::vector<std::uint8_t>;

// --- the fixture format ---------------------------------------------------------
//
// A .hex fixture is the stream written as tokens separated by white space:
//   1b            one byte, two hex digits
//   20*25         a byte repeated: 25 spaces
//   "TOTAL"       the bytes of printable ASCII text ('"' and '\' as hex)
//   # ...         a comment, to the end of the line
// The parser below is the whole definition. To regenerate a fixture after a
// deliberate change: run the test; it writes the stream it got, in this
// format with each command named, as escpos_receipt_80.hex.actual in the
// test's working directory (build/wasm/tests/client/). Check every command
// that changed against the Epson ESC/POS reference before copying it over.

std::optional<Bytes> parse_fixture(const std::string& text) {
  Bytes out;
  std::size_t i = 0;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"') {
      const std::size_t end = text.find('"', i + 1);
      if (end == std::string::npos) return std::nullopt;
      out.insert(out.end(), text.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                 text.begin() + static_cast<std::ptrdiff_t>(end));
      i = end + 1;
    } else {
      if (i + 1 >= text.size() || hex(text[i]) < 0 || hex(text[i + 1]) < 0) return std::nullopt;
      const auto b = static_cast<std::uint8_t>(hex(text[i]) * 16 + hex(text[i + 1]));
      i += 2;
      int repeat = 1;
      if (i < text.size() && text[i] == '*') {
        ++i;
        repeat = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) repeat = repeat * 10 + (text[i++] - '0');
      }
      out.insert(out.end(), static_cast<std::size_t>(repeat), b);
    }
  }
  return out;
}

// --- a decoder of the commands the encoder may emit ------------------------------

struct Item {
  std::string name;  // "text" or the command, e.g. "ESC !", "GS v 0"
  Bytes bytes;       // the whole command, or the text bytes
};

// Splits a stream into commands (lengths from the Epson reference) and runs
// of text; a byte that starts nothing we know is an "unknown" item.
std::vector<Item> decode_stream(const Bytes& s) {
  std::vector<Item> items;
  std::size_t i = 0;
  auto take = [&](std::string name, std::size_t n) {
    n = std::min(n, s.size() - i);
    items.push_back({std::move(name), Bytes(s.begin() + static_cast<std::ptrdiff_t>(i),
                                            s.begin() + static_cast<std::ptrdiff_t>(i + n))});
    i += n;
  };
  auto at = [&](std::size_t k) -> std::size_t { return i + k < s.size() ? s[i + k] : 0; };
  while (i < s.size()) {
    const std::uint8_t b = s[i];
    if (b == 0x0A) {
      take("LF", 1);
    } else if (b == 0x1B) {
      switch (at(1)) {
        case '@':
          take("ESC @", 2);
          break;
        case 't':
          take("ESC t", 3);
          break;
        case '!':
          take("ESC !", 3);
          break;
        case 'a':
          take("ESC a", 3);
          break;
        case 'd':
          take("ESC d", 3);
          break;
        case 'p':
          take("ESC p", 5);
          break;
        default:
          take("unknown", 1);
      }
    } else if (b == 0x1D) {
      switch (at(1)) {
        case 'v':  // GS v 0 m xL xH yL yH d1...dk, k = x * y
          take("GS v 0", 8 + (at(4) + at(5) * 256) * (at(6) + at(7) * 256));
          break;
        case '(':  // GS ( k pL pH ...
          take("GS ( k", 5 + at(3) + at(4) * 256);
          break;
        case 'H':
          take("GS H", 3);
          break;
        case 'f':
          take("GS f", 3);
          break;
        case 'h':
          take("GS h", 3);
          break;
        case 'w':
          take("GS w", 3);
          break;
        case 'k':  // GS k m n d1...dn (m >= 65)
          take("GS k", 4 + at(3));
          break;
        case 'V':
          take("GS V", at(2) >= 65 ? 4 : 3);
          break;
        default:
          take("unknown", 1);
      }
    } else if (b >= 0x20) {
      std::size_t n = 0;
      while (i + n < s.size() && s[i + n] >= 0x20) ++n;
      take("text", n);
    } else {
      take("unknown", 1);
    }
  }
  return items;
}

std::vector<Item> named(const std::vector<Item>& items, const std::string& name) {
  std::vector<Item> out;
  for (const Item& it : items) {
    if (it.name == name) out.push_back(it);
  }
  return out;
}

// The text of each printed line (text items up to each LF), as bytes.
std::vector<std::string> printed_lines(const std::vector<Item>& items) {
  std::vector<std::string> lines;
  std::string line;
  for (const Item& it : items) {
    if (it.name == "text") line.append(it.bytes.begin(), it.bytes.end());
    if (it.name == "LF") {
      lines.push_back(line);
      line.clear();
    }
  }
  return lines;
}

// The stream in the fixture format: one command or line a row, commands named.
std::string to_fixture(const Bytes& s) {
  std::string out;
  char buf[32];
  auto hex_bytes = [&](const Bytes& b, std::size_t from) {
    for (std::size_t k = from; k < b.size(); ++k) {
      std::snprintf(buf, sizeof buf, " %02x", b[k]);
      out += buf;
    }
  };
  for (const Item& it : decode_stream(s)) {
    if (it.name == "text") {
      bool in_string = false;
      for (std::size_t k = 0; k < it.bytes.size();) {
        const std::uint8_t b = it.bytes[k];
        std::size_t run = 1;
        while (k + run < it.bytes.size() && it.bytes[k + run] == b) ++run;
        if (b == ' ' && run >= 4) {
          if (in_string) out += '"';
          in_string = false;
          std::snprintf(buf, sizeof buf, " 20*%zu", run);
          out += buf;
          k += run;
          continue;
        }
        if (b < 0x7F && b != '"' && b != '\\') {
          if (!in_string) out += " \"";
          in_string = true;
          out += static_cast<char>(b);
        } else {
          if (in_string) out += '"';
          in_string = false;
          std::snprintf(buf, sizeof buf, " %02x", b);
          out += buf;
        }
        ++k;
      }
      if (in_string) out += '"';
    } else if (it.name == "LF") {
      out += " 0a\n";
    } else {
      if (!out.empty() && out.back() != '\n') out += '\n';
      out += "# " + it.name + "\n";
      hex_bytes(it.bytes, 0);
      out += '\n';
    }
  }
  return out;
}

// --- receipts --------------------------------------------------------------------

const TaxRate kVat20{"VAT", TaxKind::standard, 200'000};

CartLine line(std::string name, std::int64_t unit_price, std::int64_t units) {
  CartLine l;
  l.product_id = "p-" + std::to_string(unit_price);
  l.name = std::move(name);
  l.unit_price = unit_price;
  l.quantity = Quantity::units(units);
  l.tax = kVat20;
  return l;
}

// The fixture's receipt: two lines (the first 10% off), 20% VAT included,
// 20.00 EUR cash with change.
ReceiptInput cafe_sale(Paper paper = Paper::mm80) {
  Cart cart;
  cart.currency = find_currency("EUR").value();
  cart.price_mode = PriceMode::tax_inclusive;
  CartLine creme = line("Crème brûlée", 4'50, 2);
  creme.discounts = {Discount{DiscountKind::percent, 1'000}};
  cart.lines = {creme, line("Espresso", 2'00, 1)};

  ReceiptInput r;
  r.store_name = "Le Petit Café";
  r.receipt_number = "SP3-000128";
  r.time_text = "2026-12-02 14:05";
  r.cashier = "Ada";
  r.till_code = "SP3";
  r.sale = compute_sale(cart).value();
  r.payments = {Payment{TenderKind::cash, 20'00, ""}};
  r.settlement = settle(r.sale.totals.total, r.payments, TenderSettings{}).value();
  r.paper = paper;
  return r;
}

Bytes encode(const ReceiptInput& r, const EscPosOptions& o) {
  Result<Bytes> out = receipt_escpos(r, o);
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().context);
  return out.ok() ? *out : Bytes{};
}

bool contains(const Bytes& hay, const Bytes& needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

Bytes bytes_of(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

// A raster callback that records what it was asked and draws a solid bar
// of the width asked, one text line (24 dots) high.
struct RecordingRasterizer {
  std::vector<std::string> lines;
  std::vector<int> widths;

  RasterizeLine callback() {
    return [this](std::string_view utf8, int width_dots) {
      lines.emplace_back(utf8);
      widths.push_back(width_dots);
      const std::vector<std::uint8_t> dots(static_cast<std::size_t>(width_dots) * 24, 1);
      return pack_raster(dots.data(), width_dots, 24);
    };
  }
};

// --- tests -----------------------------------------------------------------------

TEST(EscPos, TheFixtureReceiptIsByteForByteTheHandWrittenStream) {
  EscPosOptions o;
  o.code_page = CodePage::cp858;
  o.code = ReceiptCode::qr;
  o.cut = Cut::partial;
  o.drawer_kick = true;
  const Bytes got = encode(cafe_sale(), o);
  const std::string name = "escpos_receipt_80.hex";
  const std::optional<std::string> text = test::read_fixture(name);
  ASSERT_TRUE(text.has_value()) << test::fixture_path(name);
  const std::optional<Bytes> want = parse_fixture(*text);
  ASSERT_TRUE(want.has_value()) << name << " does not parse";
  EXPECT_EQ(got, *want) << "the stream differs from " << name << "; got " << test::write_actual(name, to_fixture(got));
}

TEST(EscPos, PrintsTheLinesOfTheTextFormWithTheirWrapping) {
  for (Paper paper : {Paper::mm80, Paper::mm58}) {
    ReceiptInput r = cafe_sale(paper);
    r.store_name = "Le Petit Cafe";
    r.sale.currency = find_currency("USD").value();
    r.sale.lines[0].item.name = "Extra long premium parboiled long grain rice imported, family size bag";
    r.sale.lines[1].item.name = "Supercalifragilisticexpialidocious-tomatoes-from-the-northern-farms";
    r.footer = "Goods sold in good condition are not returnable without this receipt";
    std::vector<std::string> text_lines;
    for (const TextLine& l : receipt_lines(r)) text_lines.push_back(l.text);
    // ASCII only, so every line is text in any code table: the printed
    // lines are the text form's, one for one.
    EXPECT_EQ(printed_lines(decode_stream(encode(r, EscPosOptions{}))), text_lines);
  }
}

TEST(EscPos, NothingOn58mmIsWiderThanThePaper) {
  ReceiptInput r = cafe_sale(Paper::mm58);
  r.sale.lines[0].item.name = "Extra long premium parboiled long grain rice imported, family size bag with zip";
  r.sale.lines[1].item.name = "米饭 Supercalifragilisticexpialidocious-rice-from-the-northern-farms";
  r.footer = "Goods sold in good condition are not returnable without this receipt and the original packaging";
  r.payments = {Payment{TenderKind::bank_transfer, r.sale.totals.total, "TRANSFER-REFERENCE-0123456789-ABCDEFGHIJ"}};
  r.settlement = settle(r.sale.totals.total, r.payments, TenderSettings{}).value();
  r.copy = true;
  r.offline = true;
  const std::vector<std::uint8_t> black(384 * 40, 1);
  for (ReceiptCode code : {ReceiptCode::qr, ReceiptCode::code128}) {
    for (bool with_callback : {false, true}) {
      RecordingRasterizer rasterizer;
      EscPosOptions o;
      o.logo = pack_raster(black.data(), 384, 40);
      o.code = code;
      if (with_callback) o.rasterize = rasterizer.callback();
      const std::vector<Item> items = decode_stream(encode(r, o));
      EXPECT_TRUE(named(items, "unknown").empty());
      for (const std::string& l : printed_lines(items)) EXPECT_LE(l.size(), 32u) << "'" << l << "'";
      for (const Item& raster : named(items, "GS v 0")) EXPECT_LE(raster.bytes[4] * 8, 384);
      for (int w : rasterizer.widths) EXPECT_EQ(w, 32 * 12);
      for (const Item& w : named(items, "GS w")) EXPECT_LE((11 * (10 + 2) + 13) * w.bytes[2], 384);
    }
  }
}

TEST(EscPos, CodePage858HasTheAccentsAndTheEuro) {
  EXPECT_EQ(code_page_byte(CodePage::cp858, U'é'), 0x82);
  EXPECT_EQ(code_page_byte(CodePage::cp858, U'ü'), 0x81);
  EXPECT_EQ(code_page_byte(CodePage::cp858, U'€'), 0xD5);
  EXPECT_EQ(code_page_byte(CodePage::cp858, U'ñ'), 0xA4);
  EXPECT_EQ(code_page_byte(CodePage::cp850, U'€'), std::nullopt) << "0xD5 is the dotless i in PC850";
  EXPECT_EQ(code_page_byte(CodePage::cp437, U'€'), std::nullopt);
  EXPECT_EQ(code_page_byte(CodePage::wpc1252, U'€'), 0x80);
  EXPECT_EQ(code_page_byte(CodePage::cp858, U'A'), 'A');
  EXPECT_EQ(code_page_byte(CodePage::cp858, 0x1B), std::nullopt) << "ESC is never text";
  EXPECT_EQ(escpos_table_number(CodePage::cp858), 19);

  ReceiptInput r = cafe_sale();
  r.sale.lines[1].item.name = "Jalapeño Müsli";
  EscPosOptions o;
  o.code_page = CodePage::cp858;
  const Bytes out = encode(r, o);
  EXPECT_TRUE(contains(out, {0x1B, 't', 19}));
  EXPECT_TRUE(contains(out, bytes_of("Jalape\xA4o M\x81sli\n")));
  EXPECT_TRUE(contains(out, bytes_of("\xD5" "20.00\n"))) << "the cash tender in euros";
}

TEST(EscPos, CyrillicNamesPrintAsTextInCodePage866) {
  EXPECT_EQ(escpos_table_number(CodePage::cp866), 17);
  ReceiptInput r = cafe_sale();
  r.sale.lines[0].item.name = "Молоко";
  RecordingRasterizer rasterizer;
  EscPosOptions o;
  o.code_page = CodePage::cp866;
  o.rasterize = rasterizer.callback();
  const Bytes out = encode(r, o);
  EXPECT_TRUE(contains(out, {0x1B, 't', 17}));
  EXPECT_TRUE(contains(out, {0x8C, 0xAE, 0xAB, 0xAE, 0xAA, 0xAE, 0x0A}));
  // PC866 has no é or €: the store's name and the amounts go to the callback.
  EXPECT_EQ(std::find(rasterizer.lines.begin(), rasterizer.lines.end(), "Молоко"), rasterizer.lines.end());
  EXPECT_NE(std::find(rasterizer.lines.begin(), rasterizer.lines.end(), "              Le Petit Café"),
            rasterizer.lines.end());
}

TEST(EscPos, ChineseAndArabicNamesAreDrawnByTheRasterCallback) {
  ReceiptInput r = cafe_sale();
  r.store_name = "Le Petit Cafe";
  r.sale.currency = find_currency("USD").value();  // "$": the amounts stay text
  r.sale.lines[0].item.name = "米饭";
  r.sale.lines[1].item.name = "خبز عربي";
  RecordingRasterizer rasterizer;
  EscPosOptions o;
  o.rasterize = rasterizer.callback();
  const std::vector<Item> items = decode_stream(encode(r, o));
  EXPECT_EQ(rasterizer.lines, (std::vector<std::string>{"米饭", "خبز عربي"}));
  EXPECT_EQ(rasterizer.widths, (std::vector<int>{42 * 12, 42 * 12}));
  const std::vector<Item> rasters = named(items, "GS v 0");
  ASSERT_EQ(rasters.size(), 2u);
  // GS v 0 0, 63 bytes (504 dots) by 24 rows, left aligned with the text.
  EXPECT_EQ(Bytes(rasters[0].bytes.begin(), rasters[0].bytes.begin() + 8),
            (Bytes{0x1D, 'v', '0', 0, 63, 0, 24, 0}));
  for (const std::string& l : printed_lines(items)) EXPECT_EQ(l.find('?'), std::string::npos) << l;
}

TEST(EscPos, WithoutACallbackUnprintableCharactersBecomeQuestionMarks) {
  ReceiptInput r = cafe_sale();
  r.sale.lines[0].item.name = "米饭 rice";
  r.sale.lines[1].item.name = "خبز";
  const std::vector<std::string> lines = printed_lines(decode_stream(encode(r, EscPosOptions{})));
  // A wide character takes two columns in the layout, so two '?'.
  EXPECT_NE(std::find(lines.begin(), lines.end(), "???? rice"), lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "???"), lines.end());
}

TEST(EscPos, AnUnusableRasterFallsBackToQuestionMarks) {
  ReceiptInput r = cafe_sale();
  r.sale.lines[1].item.name = "خبز";
  EscPosOptions o;
  o.rasterize = [](std::string_view, int width_dots) {
    const std::vector<std::uint8_t> dots(static_cast<std::size_t>(width_dots + 8) * 24, 1);
    return pack_raster(dots.data(), width_dots + 8, 24);  // wider than the columns
  };
  const std::vector<Item> items = decode_stream(encode(r, o));
  EXPECT_TRUE(named(items, "GS v 0").empty());
  const std::vector<std::string> lines = printed_lines(items);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "???"), lines.end());
}

TEST(EscPos, Code128OfTheReceiptNumberUsesCodeSetB) {
  ReceiptInput r = cafe_sale();
  EscPosOptions o;
  o.code = ReceiptCode::code128;
  const std::vector<Item> items = decode_stream(encode(r, o));
  const std::vector<Item> codes = named(items, "GS k");
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].bytes, bytes_of("\x1Dk\x49\x0C{BSP3-000128"));
  EXPECT_TRUE(named(items, "GS ( k").empty());
  // 145 modules: 3 dots each fit 576, on 58 mm only 2 (435 > 384).
  EXPECT_EQ(named(items, "GS w").at(0).bytes, (Bytes{0x1D, 'w', 3}));
  EXPECT_EQ(named(decode_stream(encode(cafe_sale(Paper::mm58), o)), "GS w").at(0).bytes, (Bytes{0x1D, 'w', 2}));
  EXPECT_EQ(named(items, "GS H").at(0).bytes, (Bytes{0x1D, 'H', 2})) << "the number printed below";
}

TEST(EscPos, TheDrawerKicksOnlyWhenAsked) {
  ReceiptInput r = cafe_sale();
  EscPosOptions o;
  EXPECT_TRUE(named(decode_stream(encode(r, o)), "ESC p").empty());
  o.drawer_kick = true;
  const std::vector<Item> kicks = named(decode_stream(encode(r, o)), "ESC p");
  ASSERT_EQ(kicks.size(), 1u);
  EXPECT_EQ(kicks[0].bytes, (Bytes{0x1B, 'p', 0, 50, 250}));

  EXPECT_TRUE(kicks_drawer(r)) << "paid in cash";
  r.copy = true;
  EXPECT_FALSE(kicks_drawer(r)) << "a reprint opens nothing";
  r.copy = false;
  r.payments = {Payment{TenderKind::card, r.sale.totals.total, "slip 1"}};
  EXPECT_FALSE(kicks_drawer(r));
}

TEST(EscPos, StartsWithInitialiseAndEndsWithTheCutAsked) {
  ReceiptInput r = cafe_sale();
  EscPosOptions o;
  for (const auto& [cut, end] : std::vector<std::pair<Cut, Bytes>>{{Cut::partial, {0x1D, 'V', 66, 0}},
                                                                    {Cut::full, {0x1D, 'V', 65, 0}},
                                                                    {Cut::none, {0x1B, 'd', 4}}}) {
    o.cut = cut;
    const Bytes out = encode(r, o);
    ASSERT_GE(out.size(), 4u);
    EXPECT_EQ(Bytes(out.begin(), out.begin() + 2), (Bytes{0x1B, '@'}));
    EXPECT_EQ(Bytes(out.end() - static_cast<std::ptrdiff_t>(end.size()), out.end()), end);
  }
}

TEST(EscPos, TheLogoIsCentredAboveTheStoreName) {
  // 12 x 2: a checkerboard row and a solid row.
  std::vector<std::uint8_t> dots(24, 0);
  for (int x = 0; x < 12; ++x) dots[static_cast<std::size_t>(x)] = static_cast<std::uint8_t>(x % 2 == 0 ? 1 : 0);
  for (int x = 12; x < 24; ++x) dots[static_cast<std::size_t>(x)] = 1;
  EscPosOptions o;
  o.logo = pack_raster(dots.data(), 12, 2);
  ASSERT_TRUE(o.logo.valid());
  EXPECT_EQ(o.logo.bits, (Bytes{0xAA, 0xA0, 0xFF, 0xF0})) << "MSB first, rows padded to bytes with 0";
  const Bytes out = encode(cafe_sale(), o);
  EXPECT_TRUE(contains(out, {0x1B, 'a', 1, 0x1D, 'v', '0', 0, 2, 0, 2, 0, 0xAA, 0xA0, 0xFF, 0xF0, 0x1B, 'a', 0,
                             0x1B, '!', 0x08}));
}

TEST(EscPos, BadOptionsAreRefusedWithNoBytes) {
  const ReceiptInput r = cafe_sale(Paper::mm58);
  const std::vector<std::uint8_t> wide(400 * 2, 1);
  EscPosOptions o;
  o.logo = pack_raster(wide.data(), 400, 2);
  Result<Bytes> out = receipt_escpos(r, o);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.code(), Errc::invalid_argument);
  EXPECT_NE(out.error().context.find("logo"), std::string::npos);

  o.logo = Raster{8, 2, {0xFF}};  // two rows declared, one given
  EXPECT_FALSE(receipt_escpos(r, o).ok());

  o.logo = Raster{};
  o.code = ReceiptCode::qr;
  ReceiptInput bad = r;
  bad.receipt_number = "SP3-00012\xC3\xA9";
  EXPECT_FALSE(receipt_escpos(bad, o).ok());
  bad.receipt_number = "";
  EXPECT_FALSE(receipt_escpos(bad, o).ok());
  o.code = ReceiptCode::code128;
  bad.receipt_number = "SP3-0001280000000000";  // 20 characters: 255 modules > 384 / 2
  EXPECT_FALSE(receipt_escpos(bad, o).ok());
  EXPECT_TRUE(receipt_escpos(cafe_sale(Paper::mm80), o).ok());
}

TEST(EscPos, ThresholdingScalesDownAndDithersGrey) {
  // 1000 x 10: left half black, right half transparent (paper white).
  std::vector<std::uint8_t> rgba(1000 * 10 * 4, 0);
  for (int y = 0; y < 10; ++y) {
    for (int x = 0; x < 500; ++x) rgba[(static_cast<std::size_t>(y) * 1000 + static_cast<std::size_t>(x)) * 4 + 3] = 255;
  }
  const Raster r = threshold_rgba(rgba.data(), 1000, 10, 576);
  ASSERT_TRUE(r.valid());
  EXPECT_EQ(r.width, 576);
  EXPECT_EQ(r.height, 6) << "10 x 576 / 1000, rounded";
  EXPECT_TRUE(r.dot(0, 0));
  EXPECT_TRUE(r.dot(280, 5));
  EXPECT_FALSE(r.dot(300, 0));
  EXPECT_FALSE(r.dot(575, 5));

  // Mid grey, opaque: about half the dots black, never scaled up.
  std::vector<std::uint8_t> grey(64 * 64 * 4, 128);
  for (std::size_t i = 3; i < grey.size(); i += 4) grey[i] = 255;
  const Raster g = threshold_rgba(grey.data(), 64, 64, 576);
  ASSERT_EQ(g.width, 64);
  int black = 0;
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; ++x) black += g.dot(x, y) ? 1 : 0;
  }
  EXPECT_GT(black, 64 * 64 * 4 / 10);
  EXPECT_LT(black, 64 * 64 * 6 / 10);

  EXPECT_FALSE(threshold_rgba(nullptr, 10, 10, 576).valid());
  EXPECT_FALSE(threshold_rgba(grey.data(), 0, 10, 576).valid());
}

TEST(EscPos, ControlBytesInANameNeverReachThePrinter) {
  ReceiptInput r = cafe_sale();
  r.sale.lines[0].item.name = "Rice\x1b@\x1d" "V\x07 5kg";
  const std::vector<Item> items = decode_stream(encode(r, EscPosOptions{}));
  EXPECT_TRUE(named(items, "unknown").empty());
  EXPECT_EQ(named(items, "ESC @").size(), 1u);
  EXPECT_EQ(named(items, "GS V").size(), 1u);
}

}  // namespace
}  // namespace salespider::receipt
