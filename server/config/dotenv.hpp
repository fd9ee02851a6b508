// Parsing a `.env` file the way docker compose reads one, so the offline
// guide's `.env` works as written: KEY=VALUE lines, an optional `export `
// prefix, blank lines, `# comments` (also after an unquoted value when the `#`
// follows whitespace, as in `GEMINI_API_KEY=  # Leave empty`), double quotes
// with \n \t \" \\ escapes (may span lines), single quotes taken literally.
//
// Value in, value out: no file or environment access here. Deliberately not
// supported: `${VAR}` interpolation (a `$` is kept literally) and compose's
// unquoted multi-line values.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "salespider/shared/result.hpp"

namespace salespider::config {

struct DotenvEntry {
  std::string key;
  std::string value;
  std::size_t line = 0;  // 1-based line where the entry starts
};

// The entries in file order (a key may repeat; the last one wins when merged).
// A malformed line is an Errc::invalid_value error naming the line.
Result<std::vector<DotenvEntry>> parse_dotenv(std::string_view text);

}  // namespace salespider::config
