// Checks on text a person or a file gave us: well-formed UTF-8, and "clean"
// text (UTF-8 with no control characters), which is what every name, note
// and code we store must be. One implementation for the HTTP layer, the CSV
// import and the till's forms.
#pragma once

#include <string_view>

namespace salespider {

// Strict UTF-8: no overlong forms, no UTF-16 surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text) noexcept;
// Valid UTF-8 without C0 controls or DEL (tab and newline included: a name
// or a code is one line).
bool is_clean_text(std::string_view text) noexcept;

}  // namespace salespider
