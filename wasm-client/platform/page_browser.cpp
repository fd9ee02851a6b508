// The browser implementation of page.hpp: each call copies its text out of
// wasm memory and hands it to www/bridge.js (SaleSpiderBridge.page), which
// owns the iframe and the live regions. No answer comes back, so there is
// nothing to export.
//
//  [X] print_html: srcdoc iframe, styles applied under the strict CSP, print()
//  [X] announce / announce_error: polite and assertive live regions
//  [X] the customer display: a BroadcastChannel to www/customer.html windows
//  [ ] knowing whether the customer's receipt actually came out of the
//      printer (browsers do not say; afterprint fires for Cancel too)
#include "platform/page.hpp"

#include <emscripten/emscripten.h>

namespace salespider::platform::page {

namespace {

// UTF8ToString(ptr, n) stops at n bytes: string_views need no terminator.
EM_JS(void, sp_js_print_html, (const char* html, int length), {
  SaleSpiderBridge.page.printHtml(UTF8ToString(html, length));
});

EM_JS(int, sp_js_origin_length, (), { return lengthBytesUTF8(location.origin); });
EM_JS(void, sp_js_origin_copy, (char* out, int size), { stringToUTF8(location.origin, out, size); });
EM_JS(void, sp_js_announce, (const char* text, int length, int assertive), {
  SaleSpiderBridge.page.announce(UTF8ToString(text, length), assertive !== 0);
});

EM_JS(void, sp_js_customer_display, (const char* json, int length), {
  SaleSpiderBridge.page.customerDisplay(UTF8ToString(json, length));
});
EM_JS(void, sp_js_open_customer_display, (), { SaleSpiderBridge.page.openCustomerDisplay(); });

int length_of(std::string_view s) {
  return static_cast<int>(s.size());
}

}  // namespace

void print_html(std::string_view html) {
  sp_js_print_html(html.data(), length_of(html));
}

void announce(std::string_view text) {
  sp_js_announce(text.data(), length_of(text), 0);
}

void announce_error(std::string_view text) {
  sp_js_announce(text.data(), length_of(text), 1);
}

void customer_display(std::string_view json) {
  sp_js_customer_display(json.data(), length_of(json));
}

void open_customer_display() {
  sp_js_open_customer_display();
}

std::string origin() {
  const int n = sp_js_origin_length();
  std::string out(static_cast<std::size_t>(n) + 1, '\0');
  sp_js_origin_copy(out.data(), n + 1);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace salespider::platform::page
