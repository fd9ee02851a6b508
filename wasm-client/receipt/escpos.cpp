// The ESC/POS encoder (escpos.hpp). Everything is checked before the first
// byte is written, so a bad option returns an error and never half a job.
// Text lines are printed exactly as receipt_lines() laid them out (centring
// is the layout's padding, not ESC a), so the paper shows what receipt_text()
// shows; a line the code page cannot show is one raster of the same width.
#include "receipt/escpos.hpp"

#include "receipt/utf8.hpp"

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <string>

namespace salespider::receipt {

namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::uint8_t kEsc = 0x1B;
constexpr std::uint8_t kGs = 0x1D;
constexpr std::uint8_t kLf = 0x0A;

// Font A is 12 dots wide; 80 mm paper has 576 dots, 58 mm 384.
constexpr int kFontADots = 12;
// GS v 0 bands: a small yH keeps clones with small receive buffers happy.
constexpr int kBandRows = 255;
// A rastered text line is one line high; anything taller is a broken callback.
constexpr int kMaxLineRasterHeight = 255;
// ESC p 0 t1 t2: a 100 ms pulse on pin 2, then 500 ms before another.
constexpr std::uint8_t kKickOn = 50, kKickOff = 250;
// QR: 6 dots a module (a version 1 symbol is 126 dots, about 16 mm at 203 dpi).
constexpr std::uint8_t kQrModule = 6;
// CODE128 bar height in dots (about 8 mm at 203 dpi).
constexpr std::uint8_t kBarHeight = 64;
// ESC d lines to the tear bar when the printer does not cut.
constexpr std::uint8_t kTearFeed = 4;

void put(Bytes& out, std::initializer_list<std::uint8_t> bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

void put_u16(Bytes& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));
  out.push_back(static_cast<std::uint8_t>((v >> 8) & 0xFF));
}

void put_text(Bytes& out, std::string_view s) {
  out.insert(out.end(), s.begin(), s.end());
}

// GS v 0 m xL xH yL yH d1...dk, one command per band of rows.
void put_raster(Bytes& out, const Raster& r, std::uint8_t mode) {
  const auto stride = static_cast<std::size_t>(r.stride());
  for (int y = 0; y < r.height; y += kBandRows) {
    const int rows = std::min(kBandRows, r.height - y);
    put(out, {kGs, 'v', '0', mode});
    put_u16(out, stride);
    put_u16(out, static_cast<std::size_t>(rows));
    const auto from = r.bits.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(y) * stride);
    out.insert(out.end(), from, from + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(rows) * stride));
  }
}

// The line in the code page, or nothing when a character is not in it.
std::optional<Bytes> encode_line(std::string_view utf8, CodePage page) {
  Bytes out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const Decoded d = decode(utf8, i);
    i += d.len;
    const std::optional<std::uint8_t> b = code_page_byte(page, d.cp);
    if (!b) return std::nullopt;
    out.push_back(*b);
  }
  return out;
}

// The line with each character the code page lacks as one '?' per column it
// took (a wide character two, a combining mark none), so amounts stay
// right-aligned and no line grows past the paper.
Bytes replace_unmappable(std::string_view utf8, CodePage page) {
  Bytes out;
  for (std::size_t i = 0; i < utf8.size();) {
    const Decoded d = decode(utf8, i);
    const std::optional<std::uint8_t> b = code_page_byte(page, d.cp);
    if (b) {
      out.push_back(*b);
    } else {
      out.insert(out.end(), text_width(utf8.substr(i, d.len)), static_cast<std::uint8_t>('?'));
    }
    i += d.len;
  }
  return out;
}

// ESC ! n: bit 3 emphasised, bit 4 double height.
std::uint8_t print_mode(LineStyle style) {
  switch (style) {
    case LineStyle::normal:
      return 0x00;
    case LineStyle::bold:
      return 0x08;
    case LineStyle::total:
      return 0x18;
  }
  return 0x00;
}

bool printable_ascii(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

// CODE128 in code set B as GS k 73 takes it: "{B" first, and a '{' of the
// data written twice (a lone '{' starts a code set or function change).
std::string code128_data(std::string_view number) {
  std::string data = "{B";
  for (char c : number) {
    data += c;
    if (c == '{') data += '{';
  }
  return data;
}

// Modules of a code set B symbol: start, one per character, check (11 each),
// stop (13).
int code128_modules(std::string_view number) {
  return 11 * (static_cast<int>(number.size()) + 2) + 13;
}

// The widest CODE128 module (GS w, 2 to 3 dots) that fits the paper, or 0.
int code128_module_width(std::string_view number, Paper paper) {
  for (int w : {3, 2}) {
    if (code128_modules(number) * w <= paper_dots(paper)) return w;
  }
  return 0;
}

bool empty_raster(const Raster& r) {
  return r.width == 0 && r.height == 0 && r.bits.empty();
}

Error invalid(std::string context) {
  return make_error(Errc::invalid_argument, std::move(context));
}

// Every reason to refuse, before anything is written.
std::optional<Error> check(const ReceiptInput& r, const EscPosOptions& o) {
  if (!empty_raster(o.logo)) {
    if (!o.logo.valid()) return invalid("logo: the raster's bits do not match its width and height");
    if (o.logo.width > paper_dots(r.paper)) {
      return invalid("logo: " + std::to_string(o.logo.width) + " dots wide, the paper has " +
                     std::to_string(paper_dots(r.paper)));
    }
    if (o.logo.height > kMaxLogoHeight) {
      return invalid("logo: " + std::to_string(o.logo.height) + " dots high, at most " +
                     std::to_string(kMaxLogoHeight));
    }
  }
  if (o.code != ReceiptCode::none) {
    if (!printable_ascii(r.receipt_number)) return invalid("code: the receipt number is empty or not printable ASCII");
    if (o.code == ReceiptCode::qr && r.receipt_number.size() > kMaxQrData) {
      return invalid("code: a receipt number longer than " + std::to_string(kMaxQrData) + " characters");
    }
    if (o.code == ReceiptCode::code128 && code128_module_width(r.receipt_number, r.paper) == 0) {
      return invalid("code: receipt number " + r.receipt_number + " is too long for a CODE128 on this paper");
    }
  }
  return std::nullopt;
}

void put_line(Bytes& out, const TextLine& line, const EscPosOptions& o, int width_dots) {
  if (line.text.empty()) {
    out.push_back(kLf);
    return;
  }
  if (std::optional<Bytes> text = encode_line(line.text, o.code_page)) {
    const std::uint8_t mode = print_mode(line.style);
    if (mode != 0) put(out, {kEsc, '!', mode});
    out.insert(out.end(), text->begin(), text->end());
    out.push_back(kLf);
    if (mode != 0) put(out, {kEsc, '!', 0x00});
    return;
  }
  if (o.rasterize) {
    const Raster picture = o.rasterize(line.text, width_dots);
    if (picture.valid() && picture.width <= width_dots && picture.height <= kMaxLineRasterHeight) {
      // m = 2 doubles the height, as ESC ! does for a text TOTAL.
      put_raster(out, picture, line.style == LineStyle::total ? 2 : 0);
      return;
    }
  }
  const Bytes text = replace_unmappable(line.text, o.code_page);
  out.insert(out.end(), text.begin(), text.end());
  out.push_back(kLf);
}

// GS ( k: model 2, module size, error correction M, store the data, print.
void put_qr(Bytes& out, std::string_view data) {
  put(out, {kGs, '(', 'k', 4, 0, 49, 65, 50, 0});
  put(out, {kGs, '(', 'k', 3, 0, 49, 67, kQrModule});
  put(out, {kGs, '(', 'k', 3, 0, 49, 69, 49});
  put(out, {kGs, '(', 'k'});
  put_u16(out, data.size() + 3);
  put(out, {49, 80, 48});
  put_text(out, data);
  put(out, {kGs, '(', 'k', 3, 0, 49, 81, 48});
}

// GS H 2 (number below), GS f 0 (in font A), GS h, GS w, GS k 73 n data.
void put_code128(Bytes& out, std::string_view number, Paper paper) {
  const std::string data = code128_data(number);
  put(out, {kGs, 'H', 2, kGs, 'f', 0, kGs, 'h', kBarHeight});
  put(out, {kGs, 'w', static_cast<std::uint8_t>(code128_module_width(number, paper))});
  put(out, {kGs, 'k', 73, static_cast<std::uint8_t>(data.size())});
  put_text(out, data);
}

}  // namespace

bool Raster::valid() const noexcept {
  return width > 0 && height > 0 &&
         bits.size() == static_cast<std::size_t>(stride()) * static_cast<std::size_t>(height);
}

bool Raster::dot(int x, int y) const noexcept {
  if (!valid() || x < 0 || y < 0 || x >= width || y >= height) return false;
  const std::size_t at = static_cast<std::size_t>(y) * static_cast<std::size_t>(stride()) + static_cast<std::size_t>(x / 8);
  return (bits[at] & (0x80u >> (x % 8))) != 0;
}

Raster pack_raster(const std::uint8_t* dots, int width, int height) {
  // 8192 x 8192 is far beyond any receipt and keeps every size in range.
  if (dots == nullptr || width < 1 || height < 1 || width > 8192 || height > 8192) return {};
  Raster r;
  r.width = width;
  r.height = height;
  const auto stride = static_cast<std::size_t>(r.stride());
  r.bits.assign(stride * static_cast<std::size_t>(height), 0);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      if (dots[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)] != 0) {
        r.bits[static_cast<std::size_t>(y) * stride + static_cast<std::size_t>(x / 8)] |=
            static_cast<std::uint8_t>(0x80u >> (x % 8));
      }
    }
  }
  return r;
}

Raster threshold_rgba(const std::uint8_t* rgba, int width, int height, int max_width) {
  if (rgba == nullptr || width < 1 || height < 1 || max_width < 1 || width > 8192 || height > 8192) return {};
  const int out_w = std::min(width, max_width);
  // Rounded to the nearest row, at least one.
  const int out_h = std::max(1, static_cast<int>((static_cast<std::int64_t>(height) * out_w + width / 2) / width));
  const auto w = static_cast<std::size_t>(width);

  // Grey 0 (black) to 255 (white) of each output dot: the mean of the
  // source pixels it covers, each composited over white paper.
  std::vector<int> grey(static_cast<std::size_t>(out_w) * static_cast<std::size_t>(out_h));
  for (int oy = 0; oy < out_h; ++oy) {
    const int y0 = static_cast<int>(static_cast<std::int64_t>(oy) * height / out_h);
    const int y1 = std::max(y0 + 1, static_cast<int>(static_cast<std::int64_t>(oy + 1) * height / out_h));
    for (int ox = 0; ox < out_w; ++ox) {
      const int x0 = static_cast<int>(static_cast<std::int64_t>(ox) * width / out_w);
      const int x1 = std::max(x0 + 1, static_cast<int>(static_cast<std::int64_t>(ox + 1) * width / out_w));
      std::int64_t sum = 0;
      for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) {
          const std::uint8_t* p = rgba + (static_cast<std::size_t>(y) * w + static_cast<std::size_t>(x)) * 4;
          const int luma = (299 * p[0] + 587 * p[1] + 114 * p[2]) / 1000;
          sum += (luma * p[3] + 255 * (255 - p[3])) / 255;
        }
      }
      grey[static_cast<std::size_t>(oy) * static_cast<std::size_t>(out_w) + static_cast<std::size_t>(ox)] =
          static_cast<int>(sum / (static_cast<std::int64_t>(y1 - y0) * (x1 - x0)));
    }
  }

  // Floyd–Steinberg: each dot's error goes 7/16 right, 3/16 down-left,
  // 5/16 down, 1/16 down-right.
  std::vector<std::uint8_t> dots(grey.size(), 0);
  const auto ow = static_cast<std::size_t>(out_w);
  for (int y = 0; y < out_h; ++y) {
    for (int x = 0; x < out_w; ++x) {
      const std::size_t at = static_cast<std::size_t>(y) * ow + static_cast<std::size_t>(x);
      const int old = grey[at];
      const int now = old < 128 ? 0 : 255;
      dots[at] = now == 0 ? 1 : 0;
      const int err = old - now;
      if (x + 1 < out_w) grey[at + 1] += err * 7 / 16;
      if (y + 1 < out_h) {
        if (x > 0) grey[at + ow - 1] += err * 3 / 16;
        grey[at + ow] += err * 5 / 16;
        if (x + 1 < out_w) grey[at + ow + 1] += err / 16;
      }
    }
  }
  return pack_raster(dots.data(), out_w, out_h);
}

int paper_dots(Paper paper) noexcept {
  return paper == Paper::mm58 ? 384 : 576;
}

int text_dots(Paper paper) noexcept {
  return columns(paper) * kFontADots;
}

bool kicks_drawer(const ReceiptInput& r) noexcept {
  return !r.copy &&
         std::any_of(r.payments.begin(), r.payments.end(), [](const Payment& p) { return p.kind == TenderKind::cash; });
}

std::vector<std::uint8_t> drawer_kick_escpos() {
  Bytes out;
  put(out, {kEsc, '@'});
  put(out, {kEsc, 'p', 0, kKickOn, kKickOff});
  return out;
}

Result<std::vector<std::uint8_t>> receipt_escpos(const ReceiptInput& r, const EscPosOptions& o) {
  if (std::optional<Error> e = check(r, o)) return *e;
  Bytes out;
  put(out, {kEsc, '@'});
  put(out, {kEsc, 't', escpos_table_number(o.code_page)});
  if (o.drawer_kick) put(out, {kEsc, 'p', 0, kKickOn, kKickOff});

  if (!empty_raster(o.logo)) {
    put(out, {kEsc, 'a', 1});
    put_raster(out, o.logo, 0);
    put(out, {kEsc, 'a', 0});
  }

  const int width_dots = text_dots(r.paper);
  for (const TextLine& line : receipt_lines(r)) put_line(out, line, o, width_dots);

  if (o.code != ReceiptCode::none) {
    out.push_back(kLf);
    put(out, {kEsc, 'a', 1});
    if (o.code == ReceiptCode::qr) {
      put_qr(out, r.receipt_number);
    } else {
      put_code128(out, r.receipt_number, r.paper);
    }
    out.push_back(kLf);
    put(out, {kEsc, 'a', 0});
  }

  switch (o.cut) {
    case Cut::none:
      put(out, {kEsc, 'd', kTearFeed});
      break;
    case Cut::partial:
      put(out, {kGs, 'V', 66, 0});
      break;
    case Cut::full:
      put(out, {kGs, 'V', 65, 0});
      break;
  }
  return out;
}

}  // namespace salespider::receipt
