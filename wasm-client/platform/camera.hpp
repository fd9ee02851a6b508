// Scanning barcodes with the device's camera (phones and tablets without a
// scanner): www/scanner.js shows the camera full screen over the till and
// reads codes with the browser's BarcodeDetector, or zxing-wasm's decoder
// where the browser has none (EAN-13/8, UPC-A/E, Code 128, QR), with a
// beep and a short vibration per code; the same code is read again only
// after 1.5 s, so an item held in view is not counted twice by accident.
//
// Browser implementation: camera_browser.cpp. Free of Emscripten. Each
// code, and the end of scanning, arrives through salespider_camera_event()
// (main.cpp) -> deliver(). Deliberately not here: what a code adds to the
// cart (the till's ScanCode, as a keyboard-wedge scanner's).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace salespider::platform::camera {

// The browser can scan: a camera API and a decoder (native or wasm).
bool supported();

struct Labels {
  std::string close;  // the overlay's button
  std::string hint;   // one line over the picture
};

// Opens the camera (after a click: the permission prompt needs one).
// on_code(text) for each code read; on_end(problem) once when scanning
// ends: "" when the person closed it, else "no_camera" | "denied" |
// "no_decoder" | "failed".
void open(const Labels& labels, std::function<void(std::string)> on_code, std::function<void(std::string)> on_end);
// Stops the camera (no on_end).
void close();

// From salespider_camera_event() (main.cpp).
void deliver(std::uint32_t id);

}  // namespace salespider::platform::camera
