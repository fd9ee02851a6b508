// JSON field readers; see fields.hpp.
#include "json/fields.hpp"

#include <limits>

namespace salespider::jsonio {

std::optional<Json> parse_object(std::string_view text, std::size_t max_bytes) {
  if (text.size() > max_bytes) return std::nullopt;
  Json doc = Json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
}

bool is_int64(const Json& v) {
  if (v.is_number_unsigned())
    return v.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  return v.is_number_integer();
}

std::string text(const Json& o, const char* key) {
  if (!o.is_object()) return std::string();
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string nested_text(const Json& o, const char* key, const char* field) {
  const Json* inner = object(o, key);
  return inner != nullptr ? text(*inner, field) : std::string();
}

std::int64_t integer(const Json& o, const char* key) {
  std::int64_t out = 0;
  read_integer(o, key, out);
  return out;
}

bool read_integer(const Json& o, const char* key, std::int64_t& out) {
  if (!o.is_object()) return false;
  auto it = o.find(key);
  if (it == o.end() || !is_int64(*it)) return false;
  out = it->get<std::int64_t>();
  return true;
}

std::optional<std::int64_t> optional_integer(const Json& o, const char* key) {
  std::int64_t v = 0;
  if (read_integer(o, key, v)) return v;
  return std::nullopt;
}

bool flag(const Json& o, const char* key, bool fallback) {
  if (!o.is_object()) return fallback;
  auto it = o.find(key);
  return it != o.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

const Json* object(const Json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it != o.end() && it->is_object() ? &*it : nullptr;
}

const Json* array(const Json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it != o.end() && it->is_array() ? &*it : nullptr;
}

std::vector<std::string> strings(const Json& o, const char* key) {
  std::vector<std::string> out;
  if (const Json* a = array(o, key))
    for (const Json& v : *a)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

void Fields::text(const char* key, std::string& out, bool required) {
  const Json* v = find(key, required);
  if (v == nullptr) return;
  if (!v->is_string()) return fail(key, "expected a string");
  out = v->get<std::string>();
}

void Fields::text_or_null(const char* key, std::optional<std::string>& out) {
  const Json* v = find(key, false);
  if (v == nullptr || v->is_null()) return;
  if (!v->is_string()) return fail(key, "expected a string or null");
  out = v->get<std::string>();
}

void Fields::integer(const char* key, std::int64_t& out, bool required) {
  const Json* v = find(key, required);
  if (v == nullptr) return;
  if (!is_int64(*v)) return fail(key, "expected an integer");
  out = v->get<std::int64_t>();
}

void Fields::integer_or_null(const char* key, std::optional<std::int64_t>& out) {
  const Json* v = find(key, false);
  if (v == nullptr || v->is_null()) return;
  if (!is_int64(*v)) return fail(key, "expected an integer or null");
  out = v->get<std::int64_t>();
}

void Fields::boolean(const char* key, bool& out, bool required) {
  const Json* v = find(key, required);
  if (v == nullptr) return;
  if (!v->is_boolean()) return fail(key, "expected true or false");
  out = v->get<bool>();
}

void Fields::text_array(const char* key, std::vector<std::string>& out, bool required) {
  const Json* v = find(key, required);
  if (v == nullptr) return;
  if (!v->is_array()) return fail(key, "expected an array");
  for (const Json& item : *v) {
    if (!item.is_string()) return fail(key, "expected an array of strings");
    out.push_back(item.get<std::string>());
  }
}

void Fields::fail(const char* key, const char* what) {
  if (!ok_) return;
  ok_ = false;
  why_ = std::string(key) + ": " + what;
}

const Json* Fields::find(const char* key, bool required) {
  if (!ok_) return nullptr;
  if (!obj_.is_object()) {
    fail(key, "not in an object");
    return nullptr;
  }
  auto it = obj_.find(key);
  if (it == obj_.end() || (null_is_missing_ && it->is_null())) {
    if (required) fail(key, "missing");
    return nullptr;
  }
  return &*it;
}

}  // namespace salespider::jsonio
