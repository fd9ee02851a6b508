// Reading fields of nlohmann-json values on the till, the one way: every
// reader checks the type before any get<>, so nothing here throws and the
// wasm build's JSON_NOEXCEPTION never fires. Two styles, for two kinds of
// input:
// - forgiving free functions (text(), integer() ...) for server answers and
//   the till's own records, where a missing or mistyped field reads as empty
//   and the caller decides what is required;
// - Fields, a strict reader that keeps the first problem ("price_minor:
//   expected an integer"), for data that is skipped and counted when wrong
//   (pulled changes, journal records).
// Deliberately not here: the shape of any particular message (the callers
// own that), writing JSON (automation/json_writer.hpp, nlohmann's dump), and
// shared/'s protocol codecs, which have their own strict readers with
// typed errors (shared/src/json_util.hpp).
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::jsonio {

using Json = nlohmann::json;

// `text` parsed without exceptions; nullopt unless it is a JSON object of at
// most `max_bytes`.
std::optional<Json> parse_object(std::string_view text, std::size_t max_bytes);

// An integer that fits std::int64_t (nlohmann keeps large positives unsigned).
bool is_int64(const Json& v);

// --- forgiving ----------------------------------------------------------------
// The string at `key`, or "" when it is missing or not a string.
std::string text(const Json& o, const char* key);
// o[key][field] as text(), or "".
std::string nested_text(const Json& o, const char* key, const char* field);
// The integer at `key`, or 0 when it is missing or not an int64.
std::int64_t integer(const Json& o, const char* key);
// True and `out` set when `key` holds an int64; `out` untouched otherwise.
bool read_integer(const Json& o, const char* key, std::int64_t& out);
// The integer at `key`, or nothing when it is missing, null or not an int64.
std::optional<std::int64_t> optional_integer(const Json& o, const char* key);
// The boolean at `key`, or `fallback` when it is missing or not a boolean.
bool flag(const Json& o, const char* key, bool fallback = false);
// The object / array at `key`, or null.
const Json* object(const Json& o, const char* key);
const Json* array(const Json& o, const char* key);
// The strings of the array at `key`; other items are skipped.
std::vector<std::string> strings(const Json& o, const char* key);

// --- strict -------------------------------------------------------------------
// Reads typed fields of one object; the first problem is kept in `why` and
// every later read is a no-op, so a caller checks ok() once. A missing key
// fails only when required; null counts as missing only for the *_or_null
// readers (and for all of them when null_is_missing is set).
class Fields {
 public:
  Fields(const Json& obj, std::string& why, bool null_is_missing = false)
      : obj_(obj), why_(why), null_is_missing_(null_is_missing) {}
  bool ok() const { return ok_; }

  void text(const char* key, std::string& out, bool required);
  void text_or_null(const char* key, std::optional<std::string>& out);
  void integer(const char* key, std::int64_t& out, bool required);
  void integer_or_null(const char* key, std::optional<std::int64_t>& out);
  void boolean(const char* key, bool& out, bool required);
  void text_array(const char* key, std::vector<std::string>& out, bool required);
  void fail(const char* key, const char* what);

 private:
  const Json* find(const char* key, bool required);

  const Json& obj_;
  std::string& why_;
  bool null_is_missing_ = false;
  bool ok_ = true;
};

}  // namespace salespider::jsonio
