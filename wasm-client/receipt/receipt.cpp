// Receipt rendering. Both forms walk the sale in the same order (header,
// meta, lines, sums, tenders, marks, footer) through small builders, so a
// figure shown in one is shown in the other. The text form measures width
// in display columns (text_width), never in bytes: "₦" is three bytes and
// one column.
#include "receipt/receipt.hpp"

#include "receipt/utf8.hpp"
#include "state/tender_label.hpp"

#include <salespider/shared/currency.hpp>
#include <salespider/shared/i18n.hpp>
#include <salespider/shared/money.hpp>
#include <salespider/shared/quantity.hpp>
#include <salespider/shared/tax.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>

namespace salespider::receipt {

namespace {

// --- UTF-8 ------------------------------------------------------------------------

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Characters a receipt never prints: C0/C1 controls (a printer would act on
// ESC sequences hidden in a product name), DEL, and the bidi embeddings,
// overrides and isolates (they could make "1,000" read as "0,001").
bool dropped(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

struct Range {
  char32_t first, last;
};

// Non-spacing marks of the scripts the till renders, and zero-width
// characters: drawn over the previous character.
constexpr std::array<Range, 27> kZeroWidth{{
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05C7}, {0x0610, 0x061A},
    {0x064B, 0x065F}, {0x0670, 0x0670}, {0x06D6, 0x06ED}, {0x0900, 0x0902}, {0x093A, 0x093A},
    {0x093C, 0x093C}, {0x0941, 0x0948}, {0x094D, 0x094D}, {0x0951, 0x0957}, {0x0962, 0x0963},
    {0x0981, 0x0981}, {0x09BC, 0x09BC}, {0x09C1, 0x09C4}, {0x09CD, 0x09CD}, {0x09E2, 0x09E3},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x135D, 0x135F}, {0x200B, 0x200F},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE2F},
}};

// East Asian wide and fullwidth characters: two columns.
constexpr std::array<Range, 10> kWide{{
    {0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
    {0xA000, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFF00, 0xFF60}, {0x1F300, 0x3FFFD},
}};

template <std::size_t N>
bool in(const std::array<Range, N>& table, char32_t cp) {
  return std::any_of(table.begin(), table.end(), [cp](Range r) { return cp >= r.first && cp <= r.last; });
}

std::size_t cp_width(char32_t cp) {
  if (in(kZeroWidth, cp)) return 0;
  if (in(kWide, cp)) return 2;
  return 1;
}

// Valid UTF-8 with dropped() characters removed and tabs as spaces. With
// keep_newlines, '\n' stays (multi-line settings text); "\r\n" becomes '\n'.
std::string clean(std::string_view s, bool keep_newlines = false) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode(s, i);
    i += d.len;
    if (d.cp == '\t') {
      out += ' ';
    } else if (d.cp == '\n' && keep_newlines) {
      out += '\n';
    } else if (!dropped(d.cp)) {
      append_utf8(out, d.cp);
    }
  }
  return out;
}

std::vector<std::string> split_lines(std::string_view s) {
  std::vector<std::string> lines;
  const std::string text = clean(s, true);
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t nl = text.find('\n', start);
    const std::size_t end = nl == std::string::npos ? text.size() : nl;
    lines.push_back(text.substr(start, end - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  // Trailing empty lines of a settings field print nothing.
  while (!lines.empty() && lines.back().find_first_not_of(' ') == std::string::npos) lines.pop_back();
  return lines;
}

// --- figures ----------------------------------------------------------------------

struct Fmt {
  Currency currency;
  MoneyFormat format;

  std::string money(std::int64_t minor) const {
    // A sale always has a currency; should one not, print the bare number
    // rather than stop the till.
    if (!currency.valid()) return std::to_string(minor);
    return format_money(Money{minor, currency}, format);
  }
  std::string negative(std::int64_t minor) const { return money(-minor); }
  std::string signed_money(std::int64_t minor) const { return minor > 0 ? "+" + money(minor) : money(minor); }
};

// value / 10^decimals with trailing zeros (and a bare point) dropped.
std::string scaled(std::int64_t value, int decimals) {
  std::int64_t per = 1;
  for (int i = 0; i < decimals; ++i) per *= 10;
  const bool neg = value < 0;
  const std::uint64_t mag = neg ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  const auto uper = static_cast<std::uint64_t>(per);
  std::string out = (neg ? "-" : "") + std::to_string(mag / uper);
  std::string frac = std::to_string(mag % uper);
  frac.insert(0, static_cast<std::size_t>(decimals) - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  if (!frac.empty()) out += "." + frac;
  return out;
}

std::string percent_of_bp(std::int64_t bp) {
  return scaled(bp, 2) + "%";
}
std::string percent_of_ppm(std::int64_t ppm) {
  return scaled(ppm, 4) + "%";
}

// "2" for counted goods; "1.250 kg" for weighed ones (always three decimals).
std::string quantity_text(const CartLine& item) {
  if (item.unit != UnitKind::weighed) return scaled(item.quantity.thousandths, 3);
  const std::int64_t q = item.quantity.thousandths;
  std::string frac = std::to_string(q % kQuantityScale);
  frac.insert(0, 3 - frac.size(), '0');
  return i18n::trf("{quantity} kg", {{"quantity", std::to_string(q / kQuantityScale) + "." + frac}});
}

std::string unit_price_text(const CartLine& item, const Fmt& f) {
  return f.money(item.unit_price) + (item.unit == UnitKind::weighed ? i18n::tr("/kg") : "");
}

std::string discount_label(const Discount& d) {
  return d.kind == DiscountKind::percent ? i18n::trf("Discount {percent}", {{"percent", percent_of_bp(d.value)}})
                                         : std::string(i18n::tr("Discount"));
}

// What each discount took, applied in order to what is left (as
// apply_discounts does, so the parts sum to its total).
std::vector<std::int64_t> discount_parts(std::int64_t base, const std::vector<Discount>& discounts) {
  std::vector<std::int64_t> parts;
  std::int64_t left = base;
  for (const Discount& d : discounts) {
    const std::int64_t off = apply_discounts(left, std::span<const Discount>(&d, 1));
    parts.push_back(off);
    left -= off;
  }
  return parts;
}

std::string tax_label(const TaxRate& rate, PriceMode mode) {
  const std::string code = clean(rate.code), rate_text = percent_of_ppm(rate.rate_ppm);
  return mode == PriceMode::tax_inclusive ? i18n::trf("{code} {rate} incl.", {{"code", code}, {"rate", rate_text}})
                                          : code + " " + rate_text;
}

bool has_cash(const std::vector<Payment>& payments) {
  return std::any_of(payments.begin(), payments.end(), [](const Payment& p) { return p.kind == TenderKind::cash; });
}

// Everything both forms print, computed once.
struct Figures {
  Fmt fmt;
  struct CartDiscountRow {
    std::string label;
    std::int64_t amount;
  };
  std::vector<CartDiscountRow> cart_discounts;
  std::int64_t discounts = 0;
};

Figures figures(const ReceiptInput& r) {
  Figures f;
  f.fmt.currency = r.sale.currency;
  f.fmt.format = validate(r.money_format).ok() ? r.money_format : MoneyFormat{};
  const SaleTotals& t = r.sale.totals;
  f.discounts = t.line_discounts + t.cart_discounts;
  if (t.cart_discounts > 0) {
    std::int64_t after_lines = 0;
    for (const SaleLine& l : r.sale.lines) after_lines += l.gross - l.line_discount;
    const std::vector<std::int64_t> parts = discount_parts(after_lines, r.cart_discounts);
    std::int64_t sum = 0;
    for (std::int64_t p : parts) sum += p;
    if (!r.cart_discounts.empty() && sum == t.cart_discounts) {
      for (std::size_t i = 0; i < parts.size(); ++i) {
        const Discount& d = r.cart_discounts[i];
        f.cart_discounts.push_back({d.kind == DiscountKind::percent
                                        ? i18n::trf("Cart discount {percent}", {{"percent", percent_of_bp(d.value)}})
                                        : std::string(i18n::tr("Cart discount")),
                                    parts[i]});
      }
    } else {
      // The discounts given do not explain the total: print the total.
      f.cart_discounts.push_back({i18n::tr("Cart discount"), t.cart_discounts});
    }
  }
  return f;
}

// --- text form --------------------------------------------------------------------

// Splits s into pieces no wider than width, breaking only before a
// character that takes space (a mark stays with the letter it sits on).
std::vector<std::string> hard_break(std::string_view s, std::size_t width) {
  std::vector<std::string> out;
  std::string piece;
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode(s, i);
    const std::size_t cw = cp_width(d.cp);
    if (cw > 0 && w + cw > width && !piece.empty()) {
      out.push_back(std::move(piece));
      piece.clear();
      w = 0;
    }
    piece.append(s.substr(i, d.len));
    w += cw;
    i += d.len;
  }
  if (!piece.empty()) out.push_back(std::move(piece));
  return out;
}

// Word wrap of one line of clean text to width columns.
std::vector<std::string> wrap(std::string_view s, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t line_w = 0;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find(' ', start);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view word = s.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    const std::size_t ww = text_width(word);
    if (ww > width) {
      if (!line.empty()) lines.push_back(std::move(line));
      line.clear();
      std::vector<std::string> pieces = hard_break(word, width);
      line = std::move(pieces.back());
      pieces.pop_back();
      for (auto& p : pieces) lines.push_back(std::move(p));
      line_w = text_width(line);
      continue;
    }
    if (!line.empty() && line_w + 1 + ww > width) {
      lines.push_back(std::move(line));
      line.clear();
      line_w = 0;
    }
    if (!line.empty()) {
      line += ' ';
      ++line_w;
    }
    line.append(word);
    line_w += ww;
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

class TextBuilder {
 public:
  explicit TextBuilder(std::size_t width) : width_(width) {}

  void rule() { emit(std::string(width_, '-')); }
  void blank() { emit(std::string()); }

  void centred(std::string_view text, LineStyle style = LineStyle::normal) {
    for (const std::string& l : wrap(clean(text), width_)) {
      const std::size_t pad = (width_ - text_width(l)) / 2;
      emit(std::string(pad, ' ') + l, style);
    }
  }

  void left(std::string_view text, std::size_t indent = 0) {
    for (const std::string& l : wrap(clean(text), width_ - indent)) emit(std::string(indent, ' ') + l);
  }

  // label ........ value; the label wraps, the value sits right-aligned on
  // the label's last line, or on a line of its own when it does not fit.
  // Every line of the row takes the style.
  void row(std::string_view label, std::string_view value, std::size_t indent = 0,
           LineStyle style = LineStyle::normal) {
    const std::string v = clean(value);
    const std::size_t vw = text_width(v);
    std::vector<std::string> lines = wrap(clean(label), width_ - indent);
    if (lines.empty()) lines.emplace_back();
    const std::string last = lines.back();
    lines.pop_back();
    for (const std::string& l : lines) emit(std::string(indent, ' ') + l, style);
    const std::size_t lw = indent + text_width(last);
    if (vw > width_) {
      emit(std::string(indent, ' ') + last, style);
      for (const std::string& p : hard_break(v, width_)) emit(std::string(width_ - text_width(p), ' ') + p, style);
    } else if (last.empty() || lw + 1 + vw <= width_) {
      const std::size_t gap = last.empty() ? width_ - vw : width_ - lw - vw;
      emit((last.empty() ? std::string() : std::string(indent, ' ') + last) + std::string(gap, ' ') + v, style);
    } else {
      emit(std::string(indent, ' ') + last, style);
      emit(std::string(width_ - vw, ' ') + v, style);
    }
  }

  std::vector<TextLine> take() { return std::move(lines_); }

 private:
  void emit(std::string text, LineStyle style = LineStyle::normal) { lines_.push_back({std::move(text), style}); }

  std::size_t width_;
  std::vector<TextLine> lines_;
};

// --- HTML form --------------------------------------------------------------------

std::string esc(std::string_view s) {
  return html_escape(s);
}

// Several lines of settings text, escaped, joined by <br>.
std::string esc_lines(std::string_view s) {
  std::string out;
  for (const std::string& l : split_lines(s)) {
    if (!out.empty()) out += "<br>";
    out += esc(l);
  }
  return out;
}

// Paper-specific: page and body width, type size. The @page height here is
// a fallback for the document opened on its own; the page's print path
// (www/bridge.js) sets it to the measured length of the receipt, since
// Chromium rejects "size: 80mm auto" and a roll has no fixed page length.
std::string style(Paper paper) {
  const bool narrow = paper == Paper::mm58;
  std::string css;
  css += narrow ? "@page{size:58mm 297mm;margin:0}" : "@page{size:80mm 297mm;margin:0}";
  css += "*{box-sizing:border-box}";
  css += "html{background:#fff}";
  css += narrow ? "body{width:58mm;padding:3mm 3mm 6mm;font-size:11px}"
                : "body{width:80mm;padding:4mm 4mm 8mm;font-size:12px}";
  css +=
      "body{margin:0;color:#000;background:#fff;line-height:1.35;"
      "font-family:\"DejaVu Sans Mono\",\"Liberation Mono\",\"Noto Sans Mono\",Menlo,Consolas,monospace;"
      "overflow-wrap:anywhere}"
      "h1{font-size:1.35em;margin:0 0 1mm;text-align:center}"
      "header p,footer p{margin:0;text-align:center}"
      "img.logo{display:block;margin:0 auto 1mm;max-width:40mm;max-height:20mm}"
      "hr{border:0;border-top:1px dashed #000;margin:2mm 0}"
      ".row{display:flex;justify-content:space-between;gap:2mm}"
      ".row>span:first-child{min-width:0}"
      ".amt{white-space:nowrap;text-align:right}"
      ".line{margin:0 0 1mm}"
      ".name{font-weight:bold}"
      ".sub{padding-left:3mm}"
      ".total{font-size:1.35em;font-weight:bold;margin:1mm 0}"
      ".copy{font-size:1.6em;font-weight:bold;text-align:center;letter-spacing:.3em;border:2px solid #000;"
      "margin:0 0 2mm;padding:1mm 0}"
      ".mark{text-align:center;font-weight:bold;margin:2mm 0 0}"
      "footer{margin-top:3mm}";
  return css;
}

class HtmlBuilder {
 public:
  void raw(std::string_view s) { out_.append(s); }

  // <div class="row CLASS" data-k="KEY" ATTRS><span>LABEL</span><span class="amt">VALUE</span></div>
  // label_html and attrs are already escaped; value is escaped here.
  void row(std::string_view key, std::string_view label_html, std::string_view value, std::string_view cls = "",
           std::string_view attrs = "") {
    out_ += "<div class=\"row";
    if (!cls.empty()) {
      out_ += ' ';
      out_.append(cls);
    }
    out_ += "\" data-k=\"";
    out_.append(key);
    out_ += '"';
    out_.append(attrs);
    out_ += "><span>";
    out_.append(label_html);
    out_ += "</span><span class=\"amt\">";
    out_ += esc(value);
    out_ += "</span></div>";
  }

  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + esc(value) + "\"";
}

}  // namespace

int columns(Paper paper) noexcept {
  return paper == Paper::mm58 ? kColumns58 : kColumns80;
}

std::size_t text_width(std::string_view utf8) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const Decoded d = decode(utf8, i);
    w += cp_width(d.cp);
    i += d.len;
  }
  return w;
}

std::string html_escape(std::string_view text) {
  const std::string s = clean(text);
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// The store's name for a tender, else the catalogue's.
std::string tender_text(const ReceiptInput& r, TenderKind kind) {
  const std::string& own = r.tender_names[static_cast<std::size_t>(kind)];
  return own.empty() ? std::string(state::tender_label(kind)) : own;
}

// A logo we print: a PNG or JPEG data: URL of base64 characters only, so it
// cannot break out of its attribute.
bool printable_logo(const std::string& logo) {
  const std::size_t comma = logo.find(',');
  if (comma == std::string::npos) return false;
  const std::string head = logo.substr(0, comma + 1);
  if (head != "data:image/png;base64," && head != "data:image/jpeg;base64,") return false;
  return std::all_of(logo.begin() + static_cast<std::ptrdiff_t>(comma) + 1, logo.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
           c == '=';
  });
}

}  // namespace

std::vector<TextLine> receipt_lines(const ReceiptInput& r) {
  const Figures fig = figures(r);
  const Fmt& f = fig.fmt;
  const auto width = static_cast<std::size_t>(columns(r.paper));
  TextBuilder t(width);

  if (r.copy) t.centred(i18n::tr("*** COPY ***"), LineStyle::bold);
  t.centred(r.store_name, LineStyle::bold);
  for (const std::string& l : split_lines(r.address)) t.centred(l);
  if (!r.phone.empty()) t.centred(i18n::trf("Tel: {phone}", {{"phone", r.phone}}));
  if (!r.tax_id.empty()) t.centred(i18n::trf("Tax ID: {tax_id}", {{"tax_id", r.tax_id}}));
  for (const std::string& l : split_lines(r.header)) t.centred(l);
  t.rule();

  t.row(i18n::trc("receipt", "Receipt"), r.receipt_number);
  t.left(r.time_zone.empty() ? r.time_text : r.time_text + " " + r.time_zone);
  if (!r.cashier.empty()) t.row(i18n::tr("Cashier"), r.cashier);
  if (!r.till_code.empty()) t.row(i18n::tr("Till"), r.till_code);
  t.rule();

  for (const SaleLine& l : r.sale.lines) {
    t.left(l.item.name);
    t.row(quantity_text(l.item) + " x " + unit_price_text(l.item, f), f.money(l.gross), 2);
    const std::vector<std::int64_t> parts = discount_parts(l.gross, l.item.discounts);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (parts[i] == 0) continue;
      t.row(discount_label(l.item.discounts[i]), f.negative(parts[i]), 2);
    }
  }
  t.rule();

  const SaleTotals& tot = r.sale.totals;
  t.row(i18n::tr("Subtotal"), f.money(tot.subtotal));
  for (const auto& c : fig.cart_discounts) t.row(c.label, f.negative(c.amount));
  if (fig.discounts > 0) t.row(i18n::tr("Discounts total"), f.negative(fig.discounts));
  for (const TaxLine& tl : tot.taxes) t.row(tax_label(tl.rate, r.sale.price_mode), f.money(tl.tax));
  t.row(i18n::tr("TOTAL"), f.money(tot.total), 0, LineStyle::total);
  if (r.settlement.rounding != 0) t.row(i18n::tr("Cash rounding"), f.signed_money(r.settlement.rounding));
  t.rule();

  for (const Payment& p : r.payments) {
    t.row(tender_text(r, p.kind), f.money(p.amount));
    if (!p.reference.empty()) t.left(i18n::trf("Ref: {reference}", {{"reference", p.reference}}), 2);
  }
  if (has_cash(r.payments)) t.row(i18n::trc("receipt", "Change"), f.money(r.settlement.change));
  if (r.settlement.remaining > 0) t.row(i18n::tr("Balance due"), f.money(r.settlement.remaining));

  if (r.offline) {
    t.blank();
    t.centred(i18n::tr("Recorded offline"));
  }
  const std::vector<std::string> footer = split_lines(r.footer);
  if (!footer.empty()) {
    t.blank();
    for (const std::string& l : footer) t.centred(l);
  }
  if (r.copy) {
    t.blank();
    t.centred(i18n::tr("*** COPY ***"), LineStyle::bold);
  }
  return t.take();
}

std::string receipt_text(const ReceiptInput& r) {
  std::string out;
  for (const TextLine& l : receipt_lines(r)) {
    out += l.text;
    out += '\n';
  }
  return out;
}

std::string receipt_html(const ReceiptInput& r) {
  const Figures fig = figures(r);
  const Fmt& f = fig.fmt;
  const bool narrow = r.paper == Paper::mm58;
  HtmlBuilder h;

  h.raw("<!DOCTYPE html>\n<html lang=\"" + esc(i18n::active_language()) + "\"><head><meta charset=\"utf-8\">");
  h.raw("<meta name=\"viewport\" content=\"width=device-width\">");
  h.raw("<title>" +
        esc(r.copy ? i18n::trf("Receipt {receipt} (copy)", {{"receipt", r.receipt_number}})
                   : i18n::trf("Receipt {receipt}", {{"receipt", r.receipt_number}})) +
        "</title>");
  h.raw("<style>" + style(r.paper) + "</style></head>\n");
  h.raw(std::string("<body class=\"receipt ") + (narrow ? "paper-58" : "paper-80") + (r.copy ? " is-copy" : "") +
        "\" data-paper-mm=\"" + (narrow ? "58" : "80") + "\" data-columns=\"" + std::to_string(columns(r.paper)) +
        "\">\n");

  h.raw("<header>");
  if (r.copy) h.raw("<p class=\"copy\" data-k=\"copy\">" + esc(i18n::tr("COPY")) + "</p>");
  if (printable_logo(r.logo)) h.raw("<img class=\"logo\" data-k=\"logo\" alt=\"\" src=\"" + r.logo + "\">");
  h.raw("<h1 data-k=\"store\">" + esc(r.store_name) + "</h1>");
  if (!split_lines(r.address).empty()) h.raw("<p data-k=\"address\">" + esc_lines(r.address) + "</p>");
  if (!r.phone.empty())
    h.raw("<p data-k=\"phone\">" + esc(i18n::trf("Tel: {phone}", {{"phone", r.phone}})) + "</p>");
  if (!r.tax_id.empty()) h.raw("<p data-k=\"tax-id\">" + esc(i18n::trf("Tax ID: {tax_id}", {{"tax_id", r.tax_id}})) + "</p>");
  if (!split_lines(r.header).empty()) h.raw("<p data-k=\"header\">" + esc_lines(r.header) + "</p>");
  h.raw("</header><hr>\n");

  h.raw("<section class=\"meta\">");
  h.row("receipt-number", esc(i18n::trc("receipt", "Receipt")), r.receipt_number);
  h.raw("<div class=\"row\"><span data-k=\"time\">" + esc(r.time_text) + "</span><span class=\"amt\" data-k=\"time-zone\">" +
        esc(r.time_zone) + "</span></div>");
  if (!r.cashier.empty()) h.row("cashier", esc(i18n::tr("Cashier")), r.cashier);
  if (!r.till_code.empty()) h.row("till", esc(i18n::tr("Till")), r.till_code);
  h.raw("</section><hr>\n");

  h.raw("<section class=\"lines\">");
  for (const SaleLine& l : r.sale.lines) {
    h.raw("<div class=\"line\" data-k=\"line\"" + attr("data-qty", std::to_string(l.item.quantity.thousandths)) +
          attr("data-unit", l.item.unit == UnitKind::weighed ? "kg" : "each") + ">");
    h.raw("<div class=\"name\">" + esc(l.item.name) + "</div>");
    h.row("line-qty", esc(quantity_text(l.item)) + " &#215; " + esc(unit_price_text(l.item, f)), f.money(l.gross),
          "sub");
    const std::vector<std::int64_t> parts = discount_parts(l.gross, l.item.discounts);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (parts[i] == 0) continue;
      h.row("line-discount", esc(discount_label(l.item.discounts[i])), f.negative(parts[i]), "sub");
    }
    h.raw("</div>\n");
  }
  h.raw("</section><hr>\n");

  const SaleTotals& tot = r.sale.totals;
  h.raw("<section class=\"sums\">");
  h.row("subtotal", esc(i18n::tr("Subtotal")), f.money(tot.subtotal));
  for (const auto& c : fig.cart_discounts) h.row("cart-discount", esc(c.label), f.negative(c.amount));
  if (fig.discounts > 0) h.row("discounts", esc(i18n::tr("Discounts total")), f.negative(fig.discounts));
  for (const TaxLine& tl : tot.taxes) {
    h.row("tax", esc(tax_label(tl.rate, r.sale.price_mode)), f.money(tl.tax), "",
          attr("data-code", tl.rate.code) + attr("data-rate", percent_of_ppm(tl.rate.rate_ppm)) +
              attr("data-mode", r.sale.price_mode == PriceMode::tax_inclusive ? "inclusive" : "exclusive"));
  }
  h.row("total", esc(i18n::tr("TOTAL")), f.money(tot.total), "total");
  if (r.settlement.rounding != 0) h.row("rounding", esc(i18n::tr("Cash rounding")), f.signed_money(r.settlement.rounding));
  h.raw("</section><hr>\n");

  h.raw("<section class=\"tenders\">");
  for (const Payment& p : r.payments) {
    h.row("tender", esc(tender_text(r, p.kind)), f.money(p.amount), "", attr("data-kind", to_string(p.kind)));
    if (!p.reference.empty()) h.raw("<div class=\"sub\" data-k=\"tender-ref\">" + esc(i18n::trf("Ref: {reference}", {{"reference", p.reference}})) + "</div>");
  }
  if (has_cash(r.payments)) h.row("change", esc(i18n::trc("receipt", "Change")), f.money(r.settlement.change));
  if (r.settlement.remaining > 0) h.row("balance", esc(i18n::tr("Balance due")), f.money(r.settlement.remaining));
  h.raw("</section>\n");

  if (r.offline) h.raw("<p class=\"mark\" data-k=\"offline\">" + esc(i18n::tr("Recorded offline")) + "</p>");
  if (!split_lines(r.footer).empty()) h.raw("<footer data-k=\"footer\"><p>" + esc_lines(r.footer) + "</p></footer>");
  if (r.copy) h.raw("<p class=\"copy\" data-k=\"copy\">" + esc(i18n::tr("COPY")) + "</p>");
  h.raw("\n</body></html>\n");
  return h.take();
}

ReceiptInput sample_receipt(Paper paper) {
  ReceiptInput r;
  r.store_name = "SaleSpider test print";
  r.address = "12 Market Road\nIkeja, Lagos";
  r.tax_id = "TIN 01234567-0001";
  r.header = "Printer check: every line below must fit the paper";
  r.footer = "Thank you for shopping with us\nGoods sold are returnable within 7 days with this receipt";
  r.receipt_number = "TEST-000001";
  r.time_text = "2026-01-02 09:30";
  r.time_zone = "Africa/Lagos";
  r.cashier = "Test cashier";
  r.till_code = "TEST";
  r.paper = paper;

  Cart cart;
  cart.currency = find_currency("NGN").value();
  cart.price_mode = PriceMode::tax_inclusive;
  const TaxRate vat{"VAT", TaxKind::standard, 75'000};
  CartLine rice;
  rice.product_id = "sample-rice";
  rice.name = "Long grain parboiled rice, 5 kg bag (premium)";
  rice.unit_price = 1'500'00;
  rice.quantity = Quantity::units(2);
  rice.tax = vat;
  rice.discounts = {Discount{DiscountKind::percent, 1'000}};
  CartLine tomatoes;
  tomatoes.product_id = "sample-tomatoes";
  tomatoes.name = "Tomatoes";
  tomatoes.unit = UnitKind::weighed;
  tomatoes.unit_price = 800'00;
  tomatoes.quantity = Quantity{1'250};
  tomatoes.tax = vat;
  cart.lines = {rice, tomatoes};
  cart.discounts = {Discount{DiscountKind::fixed, 100'00}};
  r.cart_discounts = cart.discounts;
  // A fixed, valid cart: computing it cannot fail.
  r.sale = compute_sale(cart).value();
  r.payments = {Payment{TenderKind::cash, 5'000'00, ""}};
  r.settlement = settle(r.sale.totals.total, r.payments, TenderSettings{}).value();
  return r;
}

}  // namespace salespider::receipt
