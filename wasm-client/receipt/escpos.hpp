// ESC/POS receipts: the lines of receipt_text() (receipt_lines(), one
// layout for both) turned into the bytes an Epson TM-series compatible
// thermal printer prints without a dialog. Pure value in, bytes out: the
// transports (Web Serial, WebUSB, the store server's relay to a network
// printer) and the Device screen that chooses these options live elsewhere.
//
// Implemented (Epson ESC/POS command reference, TM-T88 family):
//  [X] ESC @            initialise, first in every stream
//  [X] ESC t n          character code table: PC437 (0), PC850 (2),
//                       WPC1252 (16), PC866 (17), PC858 (19)
//  [X] ESC ! n          bold (emphasised) store name and COPY mark; bold and
//                       double height TOTAL (same columns, so the layout holds)
//  [X] GS v 0 m         raster bit image: the logo (centred) and any line the
//                       code page cannot show, drawn by the caller's callback;
//                       in bands of at most 255 rows
//  [X] ESC a n          centring for the logo and the receipt number's code
//  [X] GS ( k           QR code of the receipt number (model 2, level M)
//  [X] GS k 73          CODE128 of the receipt number (code set B, HRI below)
//  [X] GS V 65/66 n     feed to the cutter and cut, full or partial
//  [X] ESC d n          feed to the tear bar when there is no cut
//  [X] ESC p 0 t1 t2    cash drawer kick (pin 2), only when asked
//  [ ] Font B, ESC M, GS ! sizes other than double height, ESC - underline
//  [ ] GS ( L / GS 8 L graphics (newer, faster raster commands), ESC *
//  [ ] Page mode, status (DLE EOT, GS a), and anything read back from the
//      printer: the transports own the conversation
//  [ ] Multi-byte code pages (FS &, Kanji, GB18030) and code pages other than
//      the five above: anything else goes through the raster callback
//  [ ] Unicode normalisation: "e" + U+0301 is not composed to "é"; such a
//      line is rastered (or the mark dropped when there is no callback)
//  [ ] Shaping or right-to-left text: the raster callback receives the line
//      in logical order and shapes it if it can
#pragma once

#include "receipt/receipt.hpp"

#include <salespider/shared/result.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace salespider::receipt {

// A 1-bit picture: row-major, each row (width + 7) / 8 bytes, the most
// significant bit first, 1 = a black dot; the bits beyond width in a row's
// last byte are 0. The byte layout is GS v 0's, so a raster is sent as it is.
struct Raster {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> bits;

  int stride() const noexcept { return (width + 7) / 8; }
  // width and height positive and bits holding exactly height rows.
  bool valid() const noexcept;
  bool dot(int x, int y) const noexcept;
};

// One byte per dot (non-zero = black), row-major, packed into a Raster.
// A width or height below 1, or no dots, gives an empty (invalid) raster.
Raster pack_raster(const std::uint8_t* dots, int width, int height);

// An RGBA picture (as the browser decodes the store's logo PNG) as a raster
// at most max_width dots wide: transparency over white paper, scaled down
// (never up) by averaging the pixels each dot covers, keeping the aspect
// ratio, then Floyd–Steinberg dithered at mid-grey. Bad sizes give an empty
// raster.
Raster threshold_rgba(const std::uint8_t* rgba, int width, int height, int max_width);

// The printer's character code tables we map text to.
enum class CodePage { cp437, cp850, cp858, wpc1252, cp866 };

// n of ESC t n for the table on Epson TM-series printers.
std::uint8_t escpos_table_number(CodePage page) noexcept;

// The byte that shows code point cp in the table, if it has one. Printable
// ASCII maps to itself in every table; control characters map to nothing.
std::optional<std::uint8_t> code_page_byte(CodePage page, char32_t cp) noexcept;

enum class ReceiptCode { none, qr, code128 };
enum class Cut { none, partial, full };

// Draws one line of the receipt the code page cannot show, in the till's
// font, into a raster at most width_dots wide (the width of the text
// columns, 12 dots each). The line comes as laid out: a centred line starts
// with its padding spaces, so drawing from the left edge keeps it centred.
// The raster is printed as it is, left aligned, with no line spacing added:
// draw the whole height of a line (a text line advances about 1/6 inch);
// a TOTAL line is printed at double height (GS v 0 m = 2). An invalid
// raster, one wider than width_dots or higher than 255 dots is not printed:
// the line is printed as text with '?' instead.
using RasterizeLine = std::function<Raster(std::string_view utf8_line, int width_dots)>;

struct EscPosOptions {
  // The paper is ReceiptInput::paper: the text layout already depends on it,
  // so a second setting here could only disagree with it.
  CodePage code_page = CodePage::cp858;
  Raster logo;  // none when empty; at most paper_dots() wide, kMaxLogoHeight high
  ReceiptCode code = ReceiptCode::none;
  Cut cut = Cut::partial;
  bool drawer_kick = false;  // see kicks_drawer()
  RasterizeLine rasterize;   // none: unmappable characters print as '?'
};

inline constexpr int kMaxLogoHeight = 1024;
// The longest receipt number put in a QR code (a receipt number is short;
// this bounds the symbol's size on paper).
inline constexpr std::size_t kMaxQrData = 64;

// Dots across the printable width: 576 on 80 mm paper, 384 on 58 mm.
int paper_dots(Paper paper) noexcept;
// Dots the text columns take (columns(paper) x 12, font A): what a rastered
// line may use so it lines up with the text around it.
int text_dots(Paper paper) noexcept;

// Whether a receipt should open the cash drawer: cash was tendered and this
// is not a reprint.
bool kicks_drawer(const ReceiptInput& r) noexcept;

// The whole print job: ESC @, code table, drawer kick (if asked), logo, the
// lines of receipt_lines(r), the receipt number's code, feed and cut.
// Errors (Errc::invalid_argument, context naming the option): a logo that
// is not a valid raster or does not fit the paper; a receipt number code
// asked for with an empty receipt number, one that is not printable ASCII,
// or one too long for the code on this paper. Nothing is returned then.
Result<std::vector<std::uint8_t>> receipt_escpos(const ReceiptInput& r, const EscPosOptions& options);

// A job that only opens the cash drawer ("no sale"): ESC @ and the kick.
std::vector<std::uint8_t> drawer_kick_escpos();

}  // namespace salespider::receipt
