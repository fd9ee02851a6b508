// JsonWriter: escaping and separators. Output is compact (no whitespace).
#include "automation/json_writer.hpp"

#include <cmath>
#include <cstdio>

namespace salespider::automation {

void JsonWriter::separate() {
  if (!fresh_) out_ += ',';
  fresh_ = false;
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  out_ += '{';
  fresh_ = true;
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_ += '}';
  fresh_ = false;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  separate();
  out_ += '[';
  fresh_ = true;
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_ += ']';
  fresh_ = false;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  append_escaped(name);
  out_ += ':';
  fresh_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  separate();
  append_escaped(text);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  separate();
  out_ += flag ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::value(int number) {
  separate();
  out_ += std::to_string(number);
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
  separate();
  out_ += std::to_string(number);
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  separate();
  // JSON has no NaN/Infinity; a non-finite coordinate is a bug upstream,
  // and null makes the consumer notice instead of failing to parse.
  if (!std::isfinite(number)) {
    out_ += "null";
    return *this;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", number);
  out_ += buf;
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  out_ += "null";
  return *this;
}

void JsonWriter::append_escaped(std::string_view text) {
  out_ += '"';
  for (const char ch : text) {
    switch (ch) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(ch)));
          out_ += buf;
        } else {
          // UTF-8 bytes pass through; JSON text is UTF-8 and the JS side
          // decodes it with UTF8ToString.
          out_ += ch;
        }
    }
  }
  out_ += '"';
}

}  // namespace salespider::automation
