// The receipt printer attached to this device, as the browser offers it:
// Web Serial (USB-serial and Bluetooth-serial printers) and WebUSB (USB
// printers that are not serial ports), plus the two things an ESC/POS job
// needs from the browser's drawing: a line of text the printer's code page
// cannot show, drawn as a 1-bit raster, and the store's logo decoded.
//
// Browser implementation: printer_browser.cpp (all in EM_JS there). Free of
// Emscripten so effects/ stays portable. Every call answers later, once,
// through salespider_printer_done() (main.cpp) -> complete(). Deliberately
// not here: the bytes of a receipt (receipt/escpos.hpp), which printer a
// till uses and the queue of jobs (effects/receipt_printer.hpp), network
// printers (the store server relays those: docs/printers.md).
//
//  [X] choosing a port or device (after a click), remembered by the browser
//      and found again after a reload by its USB ids
//  [X] one job: open, write every byte, close; 15 s at most
//  [ ] reading the printer's status back (paper out, cover open)
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::platform::printer {

enum class Link { serial, usb };

// The browser has the API (Web Serial: desktop Chromium; WebUSB: Chromium on
// desktop and Android). Cheap.
bool available(Link link);

struct Outcome {
  bool ok = false;
  // ok: what the browser calls the port or device, e.g. "USB 0416:5011"
  // (choose) or "" (send); else why, in words for a person.
  std::string text;
};

// Asks the person to pick a port (serial) or device (usb); must follow a
// click. `done` gets the device's name, or ok false with why (cancelled:
// empty text).
void choose(Link link, std::function<void(Outcome)> done);

// Sends `bytes` to the port or device chosen last (serial at `baud` bauds).
void send(Link link, std::vector<std::uint8_t> bytes, int baud, std::function<void(Outcome)> done);

// The store's logo (a data: URL of a PNG or JPEG) decoded to RGBA.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;  // empty: not decoded (error says why)
  std::string error;
};
void decode_image(std::string_view data_url, std::function<void(Image)> done);

// `text` drawn left-aligned in a 1-bit raster `width_dots` wide and one
// text line high, with the page's fonts (any script the browser can show):
// one byte per dot, non-zero black, row-major. Synchronous. `height` is set.
std::vector<std::uint8_t> draw_line(std::string_view text, int width_dots, int& height);

// From salespider_printer_done() (main.cpp): request `id` finished.
void complete(std::uint32_t id);

}  // namespace salespider::platform::printer
