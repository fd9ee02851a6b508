// Internal JSON helpers for the codecs; see json_util.hpp.
#include "json_util.hpp"

#include "salespider/shared/json_text.hpp"

namespace salespider::detail {

Status check_shape(std::string_view text, std::size_t max_bytes, std::size_t max_depth) {
  if (text.size() > max_bytes) {
    return make_error(Errc::too_large, "document of " + std::to_string(text.size()) + " bytes, limit " +
                                           std::to_string(max_bytes));
  }
  if (json_nests_deeper_than(text, max_depth)) {
    return make_error(Errc::too_deep, "nesting deeper than " + std::to_string(max_depth));
  }
  return {};
}

Result<json> parse(std::string_view text, std::size_t max_bytes, std::size_t max_depth) {
  SALESPIDER_CHECK(check_shape(text, max_bytes, max_depth));
  json value = json::parse(text.begin(), text.end(), nullptr, false);
  if (value.is_discarded()) return make_error(Errc::malformed_json, "not valid JSON");
  return value;
}

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

std::string type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "object";
    case json::value_t::array:
      return "array";
    case json::value_t::string:
      return "string";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    case json::value_t::number_float:
      return "number";
    case json::value_t::binary:
      return "binary";
    case json::value_t::discarded:
      return "discarded";
  }
  return "value";
}

Error wrong_type(const std::string& path, const char* expected, const json& v) {
  return make_error(Errc::wrong_type, path + ": expected " + expected + ", got " + type_name(v));
}

}  // namespace

Result<std::int64_t> as_integer(const json& v, const std::string& path, std::int64_t min, std::int64_t max) {
  if (!v.is_number_integer()) return wrong_type(path, "integer", v);
  std::int64_t n = 0;
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX))
      return make_error(Errc::out_of_range, path + ": out of range");
    n = static_cast<std::int64_t>(u);
  } else {
    n = v.get<std::int64_t>();
  }
  if (n < min || n > max) {
    return make_error(Errc::out_of_range, path + ": " + std::to_string(n) + " not in " + std::to_string(min) +
                                              ".." + std::to_string(max));
  }
  return n;
}

Result<std::string> as_string(const json& v, const std::string& path, std::size_t max_bytes,
                              std::size_t min_bytes) {
  if (!v.is_string()) return wrong_type(path, "string", v);
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() > max_bytes) {
    return make_error(Errc::string_too_long, path + ": longer than " + std::to_string(max_bytes) + " bytes");
  }
  if (s.size() < min_bytes) return make_error(Errc::invalid_value, path + ": must not be empty");
  return s;
}

Result<Fields> Fields::of(const json& value, std::string path) {
  if (!value.is_object()) return wrong_type(path.empty() ? "document" : path, "object", value);
  return Fields(value, std::move(path));
}

std::string Fields::path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

bool Fields::has(std::string_view key) const {
  return obj_->find(std::string(key)) != obj_->end();
}

Status Fields::only(std::initializer_list<std::string_view> known) const {
  for (auto it = obj_->begin(); it != obj_->end(); ++it) {
    bool ok = false;
    for (auto k : known) ok = ok || it.key() == k;
    if (!ok) return make_error(Errc::unknown_field, path(it.key().substr(0, 64)) + ": unknown field");
  }
  return {};
}

Result<const json*> Fields::any(std::string_view key) const {
  auto it = obj_->find(std::string(key));
  if (it == obj_->end()) return make_error(Errc::missing_field, path(key) + ": missing");
  return &*it;
}

Result<std::string> Fields::string(std::string_view key, std::size_t max_bytes, std::size_t min_bytes) const {
  SALESPIDER_TRY(v, any(key));
  return as_string(*v, path(key), max_bytes, min_bytes);
}

Result<std::int64_t> Fields::integer(std::string_view key, std::int64_t min, std::int64_t max) const {
  SALESPIDER_TRY(v, any(key));
  return as_integer(*v, path(key), min, max);
}

Result<bool> Fields::boolean(std::string_view key) const {
  SALESPIDER_TRY(v, any(key));
  if (!v->is_boolean()) return wrong_type(path(key), "boolean", *v);
  return v->get<bool>();
}

Result<const json*> Fields::array(std::string_view key, std::size_t max_items) const {
  SALESPIDER_TRY(v, any(key));
  if (!v->is_array()) return wrong_type(path(key), "array", *v);
  if (v->size() > max_items) {
    return make_error(Errc::array_too_long,
                      path(key) + ": more than " + std::to_string(max_items) + " items");
  }
  return v;
}

Result<const json*> Fields::object(std::string_view key) const {
  SALESPIDER_TRY(v, any(key));
  if (!v->is_object()) return wrong_type(path(key), "object", *v);
  return v;
}

}  // namespace salespider::detail
