// Side effects on the page around the canvas: printing a receipt through the
// browser's print dialog, and telling screen readers what happened (the till
// draws everything into a canvas, which assistive technology cannot read).
//
// Browser implementation: page_browser.cpp, which hands over to
// www/bridge.js (SaleSpiderBridge.page). Fire and forget: nothing comes back
// (the print dialog's outcome is not reported by browsers). Deliberately
// not here: what a receipt says (receipt/receipt.hpp), silent printing to a
// chosen printer (browsers offer none without a kiosk flag or an extension),
// ESC/POS over WebUSB or Web Serial, and a full accessibility tree of the UI.
#pragma once

#include <string>
#include <string_view>

namespace salespider::platform::page {

// Loads `html` (a complete document, receipt_html()) into the hidden
// iframe#receipt-frame and opens the print dialog for it once it loaded.
// The document's inline <style> is applied through a constructed
// stylesheet (the page's CSP, inherited by srcdoc frames, blocks inline
// styles), and its @page height is set to the receipt's measured length.
// The frame is sandboxed without scripts. The last document printed stays
// readable as window.salespider.lastReceiptHtml().
void print_html(std::string_view html);

// Says `text` through the polite live region (#live): totals, payment
// results, "sale complete". The same text twice is announced twice.
void announce(std::string_view text);

// Says `text` through the assertive live region (#live-error): errors that
// interrupt (unknown barcode, payment refused).
void announce_error(std::string_view text);

// Sends the customer display's message (effects/customer_display.hpp) to
// every display window of this browser (www/customer.html, over a
// BroadcastChannel); the newest is kept for a display that opens later.
void customer_display(std::string_view json);
// Opens a display window (after a click: browsers block popups otherwise),
// on a second screen when the browser already may place it there.
void open_customer_display();

// This page's origin ("https://till.example:8443"): where a new device
// opens the till app (the Tills screen shows it with an enrolment code).
std::string origin();

}  // namespace salespider::platform::page
