// See csv.hpp.
#include "service/csv.hpp"

#include "salespider/shared/text.hpp"

namespace salespider::service::csv {
namespace {

bool is_control(unsigned char c) { return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F; }

bool starts_formula(std::string_view s) {
  if (s.empty()) return false;
  const char c = s.front();
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// Guarded: any number of ' and then a formula character. The writer adds
// one ' to such text and the reader takes one away, so every text
// round-trips, including text that starts with ' on purpose.
bool needs_guard(std::string_view s) {
  const auto quotes = s.find_first_not_of('\'');
  return quotes != std::string_view::npos && starts_formula(s.substr(quotes));
}

// What kind of bytes a non-UTF-8 file has, for the first error's advice.
std::string encoding_advice(std::string_view text) {
  std::size_t controls = 0;
  for (const char c : text) controls += is_control(static_cast<unsigned char>(c)) ? 1U : 0U;
  if (controls * 100 > text.size()) {
    return "the file is not text (control bytes throughout): export it as CSV, UTF-8";
  }
  return "the file looks like Latin-1 / Windows-1252 (accented letters as single bytes): "
         "save it as CSV UTF-8 and import it again";
}

}  // namespace

std::string_view strip_bom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

std::vector<LineError> check_encoding(std::string_view text) {
  std::vector<LineError> errors;
  std::size_t bad_lines = 0;
  std::size_t line = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const auto piece = text.substr(start, end - start);
    const bool has_nul = piece.find('\0') != std::string_view::npos;
    if (has_nul || !is_valid_utf8(piece)) {
      if (++bad_lines <= kMaxReportedLines) {
        errors.push_back({line, 0, has_nul ? "NUL bytes: not a text line" : "not valid UTF-8"});
      }
    }
    if (end == text.size()) break;
    start = end + 1;
    ++line;
  }
  if (errors.empty()) return errors;
  errors.front().message += "; " + encoding_advice(text);
  if (bad_lines > kMaxReportedLines) {
    errors.push_back({line, 0, std::to_string(bad_lines - kMaxReportedLines) + " more lines are not valid UTF-8"});
  }
  return errors;
}

Table read_csv(std::string_view text) {
  Table t;
  std::size_t line = 1;
  std::size_t i = 0;
  const auto fail = [&](std::size_t at_line, std::size_t column, std::string message) {
    t.errors.push_back({at_line, column, std::move(message)});
    return t;
  };
  while (i < text.size()) {
    Record r;
    r.line = line;
    std::string cell;
    bool record_done = false;
    while (!record_done) {
      cell.clear();
      const std::size_t column = r.fields.size() + 1;
      if (i < text.size() && text[i] == '"') {
        const std::size_t quote_line = line;
        ++i;
        for (;;) {
          if (i >= text.size()) {
            return fail(quote_line, column, "a quoted field starting on this line is never closed");
          }
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              cell += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\n') ++line;
          cell += c;
          ++i;
          if (cell.size() > kMaxFieldBytes) {
            return fail(quote_line, column, "a field longer than " + std::to_string(kMaxFieldBytes / 1024) + " KiB");
          }
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          return fail(line, column, "text after a closing quote: a quote inside a field is written as \"\"");
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') {
            return fail(line, column,
                        "a quote inside an unquoted field: put the whole field in quotes and write the quote as \"\"");
          }
          ++i;
          cell.push_back(text[i - 1]);
        }
        if (cell.size() > kMaxFieldBytes) {
          return fail(line, column, "a field longer than " + std::to_string(kMaxFieldBytes / 1024) + " KiB");
        }
      }
      r.fields.push_back(cell);
      if (i >= text.size()) {
        record_done = true;
      } else if (text[i] == ',') {
        ++i;
      } else {
        // CRLF, LF, or a lone CR (old Macs) ends the record.
        if (text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        ++line;
        record_done = true;
      }
    }
    const bool blank = r.fields.size() == 1 && r.fields.front().empty();
    if (blank) continue;
    if (t.records.size() > kMaxRecords) {
      return fail(r.line, 0, "more than " + std::to_string(kMaxRecords) + " rows: split the file");
    }
    t.records.push_back(std::move(r));
  }
  return t;
}

std::string field(std::string_view text) {
  std::string s;
  if (needs_guard(text)) s = "'";
  s.append(text);
  const bool quote = s.find_first_of(",\"\r\n") != std::string::npos ||
                     (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!quote) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void append_line(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t k = 0; k < fields.size(); ++k) {
    if (k) out += ',';
    out += field(fields[k]);
  }
  out += "\r\n";
}

std::string unguard(std::string text) {
  if (!text.empty() && text.front() == '\'' && needs_guard(std::string_view(text).substr(1))) text.erase(0, 1);
  return text;
}

}  // namespace salespider::service::csv
