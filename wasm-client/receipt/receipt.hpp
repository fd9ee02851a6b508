// Receipts: a completed sale rendered as a printable HTML document (the
// browser's print dialog, 80 mm or 58 mm roll paper) and as plain text of
// 42 / 32 columns (previews, the ESC/POS encoder of escpos.hpp, tests).
//
// Pure value in, text out: the caller formats the time in the store's time
// zone and format, picks the paper and says whether this is a reprint. Every
// amount goes through format_money (minor units, never floating point);
// every piece of text (product names from the catalog, store settings) is
// untrusted: escaped in HTML, stripped of control characters in both forms.
// The store's logo is printed in the HTML form only, from its own data:
// URL (PNG or JPEG; the page's CSP allows data: images and nothing from
// elsewhere); the text form has none (escpos.hpp prints a raster of it).
// Deliberately not here: printing (platform/page.hpp), bar/QR codes
// (escpos.hpp), shaping or right-to-left layout in the text
// form (the HTML form is laid out by the browser, which shapes), and any
// decision about what the sale was (shared/cart.hpp, payment.hpp).
#pragma once

#include <salespider/shared/cart.hpp>
#include <salespider/shared/discount.hpp>
#include <salespider/shared/money_format.hpp>
#include <salespider/shared/payment.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::receipt {

enum class Paper { mm80, mm58 };

// Characters per line of the text form: 42 on 80 mm paper, 32 on 58 mm.
inline constexpr int kColumns80 = 42;
inline constexpr int kColumns58 = 32;
int columns(Paper paper) noexcept;

struct ReceiptInput {
  // Store settings. header/footer are free text and may hold several lines.
  std::string store_name, address, tax_id, header, footer;
  std::string phone;
  std::string logo;  // data:image/png|jpeg;base64,... ; anything else is not printed
  // The store's names for its tenders ("" = the default name), by TenderKind.
  std::array<std::string, kTenderKindCount> tender_names{};
  // receipt_number is "<till code>-<sequence>"; time_text is already in the
  // store's time zone and date/time format; time_zone is printed beside it
  // (e.g. "Africa/Lagos").
  std::string receipt_number, time_text, time_zone;
  std::string cashier, till_code;
  Sale sale;  // compute_sale()'s result
  // The cart's own discounts, each printed with its amount (Sale keeps only
  // their total; when this is empty a non-zero total prints as one line).
  std::vector<Discount> cart_discounts;
  std::vector<Payment> payments;  // as tendered
  Settlement settlement;          // change, cash rounding
  MoneyFormat money_format;       // the store's; an invalid one falls back to the default
  bool offline = false;           // recorded while the server was unreachable
  bool copy = false;              // a reprint: marked COPY
  Paper paper = Paper::mm80;
};

// A complete, self-contained HTML document: one inline <style> (the page's
// print plumbing applies it under the strict CSP, see page.hpp), no scripts,
// no external resources. Elements carry data-k="..." for tests: logo, store,
// address, phone, tax-id, header, copy, receipt-number, time, time-zone, cashier,
// till, line (data-qty, data-unit), line-qty, line-discount, subtotal,
// cart-discount, discounts, tax (data-code, data-rate, data-mode), total,
// rounding, tender (data-kind), tender-ref, change, balance, offline, footer.
std::string receipt_html(const ReceiptInput& r);

// How a line of the text form is meant to look on a printer that can style
// it (escpos.hpp); the plain text has no styles. Styles never change the
// columns: the TOTAL is printed bold and double height, not double width.
enum class LineStyle {
  normal,
  bold,   // the store's name, the COPY marks
  total,  // the TOTAL row: bold, double height
};

struct TextLine {
  std::string text;  // clean UTF-8, no '\n', at most columns(paper) wide; centring is leading spaces
  LineStyle style = LineStyle::normal;
};

// The text form as lines: the one layout both receipt_text() and the ESC/POS
// encoder print.
std::vector<TextLine> receipt_lines(const ReceiptInput& r);

// Plain text, one line per '\n', no line wider than columns(r.paper)
// (text_width); long names and settings text wrap. receipt_lines() joined.
std::string receipt_text(const ReceiptInput& r);

// Display columns of UTF-8 text in a monospace font: combining marks and
// zero-width characters take none, East Asian wide characters two, anything
// else one (invalid bytes count as one U+FFFD each).
std::size_t text_width(std::string_view utf8);

// Text made safe for HTML element content and attribute values: & < > " '
// as entities, control characters dropped (tab -> space), invalid UTF-8 as
// U+FFFD.
std::string html_escape(std::string_view text);

// A fixed receipt for a test print (checking the printer and paper width)
// and the browser test: a counted line with a percentage discount, a
// weighed line, a fixed cart discount, 7.5% VAT included, cash with change.
ReceiptInput sample_receipt(Paper paper);

}  // namespace salespider::receipt
