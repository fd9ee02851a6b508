// UTF-8 decoding shared by the receipt forms (receipt.cpp) and the ESC/POS
// encoder (escpos.cpp), so both read a product name the same way. Internal
// to receipt/: not a general UTF-8 library (no encoding, no normalisation).
#pragma once

#include <cstddef>
#include <string_view>

namespace salespider::receipt {

inline constexpr char32_t kReplacement = 0xFFFD;

struct Decoded {
  char32_t cp = kReplacement;
  std::size_t len = 1;
};

// One code point at s[i]; an invalid or truncated sequence, an overlong
// form, a surrogate or a value above U+10FFFF is one byte of U+FFFD.
inline Decoded decode(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return {b0, 1};
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1Fu;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0Fu;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07u;
    min = 0x10000;
  } else {
    return {};
  }
  if (i + len > s.size()) return {};
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  return {cp, len};
}

}  // namespace salespider::receipt
