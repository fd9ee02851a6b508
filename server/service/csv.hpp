// CSV files as the back office reads and writes them: RFC 4180 records
// (quoted fields, "" inside quotes, CRLF or LF, line breaks inside quotes),
// UTF-8 only (a byte order mark is accepted and dropped), within limits, and
// the writer's guard against spreadsheet formula injection.
//
// Reading is two steps: check_encoding() names every line that is not UTF-8
// (and says when the file looks like Latin-1 / Windows-1252, the usual cause),
// then read_csv() splits the text into records, each with the line it starts
// on. Both stop early with errors a person can act on; neither throws.
// Deliberately no column meaning (service/product_csv.hpp) and no I/O.
//
// The formula guard: a cell starting with = + - @ (or a tab or CR) would be
// run as a formula by a spreadsheet opening the export, so the writer puts a
// ' before it; a cell that already starts with quotes followed by one of
// those gets one more '. unguard() takes one ' off exactly such cells on
// import, so an export read back gives the same text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "salespider/shared/i18n.hpp"

namespace salespider::service::csv {

inline constexpr std::size_t kMaxFileBytes = 32 * 1024 * 1024;
inline constexpr std::size_t kMaxRecords = 200'000;  // data rows, the header not counted
inline constexpr std::size_t kMaxFieldBytes = 64 * 1024;
inline constexpr std::size_t kMaxReportedLines = 20;  // per kind of file-level problem

// A problem at a line of the file (1 = the first line); column is the
// 1-based field number, 0 when the whole line is meant.
struct LineError {
  std::size_t line = 0;
  std::size_t column = 0;
  std::string message;
};

struct Record {
  std::size_t line = 0;  // where the record starts
  std::vector<std::string> fields;
};

struct Table {
  std::vector<Record> records;     // the header is records[0]
  std::vector<LineError> errors;   // non-empty: the file is refused
};

// The text without its UTF-8 byte order mark, if it has one.
std::string_view strip_bom(std::string_view text);

// Lines that are not valid UTF-8 (or hold NUL bytes), at most
// kMaxReportedLines of them plus a last one saying how many more; the first
// message explains when the bytes look like Latin-1 / Windows-1252. Empty =
// the file is UTF-8 text.
std::vector<LineError> check_encoding(std::string_view text);

// Splits UTF-8 text (BOM already stripped) into records. Blank lines are
// skipped. Stops at the first structural error (an unclosed quote, a quote
// inside an unquoted field, text after a closing quote), and at the limits.
Table read_csv(std::string_view text);

// One field for a CSV line: quoted when it holds , " CR LF or starts or ends
// with a space; formula-guarded (see above).
std::string field(std::string_view text);
// Appends the fields joined by commas and a CRLF.
void append_line(std::string& out, const std::vector<std::string>& fields);
// Undoes the formula guard of field(): "'=1" -> "=1", "''=1" -> "'=1".
std::string unguard(std::string text);

// The catalogue context of CSV column names (i18n.hpp): a header line is
// written in the reader's language; "en" gives the column names themselves
// (docs/csv.md).
inline constexpr const char* kColumnContext = "csv column";
// A header line (CRLF-terminated) of `columns` in `lang`.
template <class Columns>
std::string header_line(const Columns& columns, std::string_view lang) {
  std::vector<std::string> names;
  for (const auto& c : columns) names.emplace_back(i18n::translate_ctx(lang, kColumnContext, std::string(c).c_str()));
  std::string out;
  append_line(out, names);
  return out;
}

}  // namespace salespider::service::csv
