// Internal: safe reading of nlohmann::json values for the codecs.
//
// Parsing never throws (json::parse(..., nullptr, false)); nesting depth and
// size are checked on the raw text first, because nlohmann's dump and
// comparisons recurse. Field readers check the type before any get<>, so
// JSON_NOEXCEPTION builds never reach a throw. Deliberately not a public
// header: nlohmann stays out of shared/'s interface.
#pragma once

#include "salespider/shared/result.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace salespider::detail {

using json = nlohmann::json;

// Propagates an error from a Result-returning expression; binds the value.
#define SALESPIDER_TRY(var, expr)                              \
  auto var##_result_ = (expr);                                 \
  if (!var##_result_) return std::move(var##_result_).error(); \
  auto var = std::move(var##_result_).value()

#define SALESPIDER_CHECK(expr)                                   \
  do {                                                           \
    auto check_result_ = (expr);                                 \
    if (!check_result_) return std::move(check_result_).error(); \
  } while (false)

// Size and nesting of raw JSON text, before it is parsed.
Status check_shape(std::string_view text, std::size_t max_bytes, std::size_t max_depth);

// Parses after check_shape; Errc::malformed_json on any syntax error.
Result<json> parse(std::string_view text, std::size_t max_bytes, std::size_t max_depth);

// Compact text; invalid UTF-8 (impossible after parse) is replaced, never thrown.
std::string dump(const json& value);

// Reads the fields of one JSON object, naming them by path in errors.
class Fields {
 public:
  // Errc::wrong_type unless `value` is an object.
  static Result<Fields> of(const json& value, std::string path);

  // Errc::unknown_field if the object has a key not in `known`.
  Status only(std::initializer_list<std::string_view> known) const;

  Result<std::string> string(std::string_view key, std::size_t max_bytes, std::size_t min_bytes = 0) const;
  Result<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) const;
  Result<bool> boolean(std::string_view key) const;
  // The array, checked for size (Errc::array_too_long).
  Result<const json*> array(std::string_view key, std::size_t max_items) const;
  Result<const json*> object(std::string_view key) const;
  // The raw value (any type), or missing_field.
  Result<const json*> any(std::string_view key) const;
  bool has(std::string_view key) const;

  std::string path(std::string_view key) const;
  const std::string& path() const { return path_; }

 private:
  Fields(const json& o, std::string path) : obj_(&o), path_(std::move(path)) {}
  const json* obj_;
  std::string path_;
};

// Integer checks shared by Fields and array items.
Result<std::int64_t> as_integer(const json& v, const std::string& path, std::int64_t min, std::int64_t max);
Result<std::string> as_string(const json& v, const std::string& path, std::size_t max_bytes,
                              std::size_t min_bytes);

}  // namespace salespider::detail
