// Checks on raw JSON text made before any parser sees it. nlohmann's parser
// and dump recurse, so nesting is bounded on the bytes first; the server's
// body reader and shared/'s protocol codec use the same check.
// Deliberately no parsing here, and no nlohmann in this header.
#pragma once

#include <cstddef>
#include <string_view>

namespace salespider {

// True if arrays/objects in `text` nest deeper than max_depth. Brackets inside
// strings (and escaped quotes) are skipped; the text need not be valid JSON:
// for invalid text the count may be off, but a parser then stops at the error
// before nesting any deeper.
bool json_nests_deeper_than(std::string_view text, std::size_t max_depth);

}  // namespace salespider
