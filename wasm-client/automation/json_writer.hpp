// A tiny append-only JSON writer for the automation bridge's answers and the
// till's few hand-made JSON texts (sign-in bodies, fetch headers).
//
// Only what those need: objects, arrays, strings, bools, numbers, null.
// Deliberately not a parser and not a general JSON library (shared/ has
// nlohmann-json for protocol messages); keeping the bridge free of it keeps
// the till's wasm small and the bridge independent of shared/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace salespider::automation {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // Inside an object, every value is preceded by key().
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(bool flag);
  JsonWriter& value(int number);
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(double number);
  JsonWriter& null();

  const std::string& str() const { return out_; }

 private:
  void separate();
  void append_escaped(std::string_view text);

  std::string out_;
  // True right after '{', '[' or a key, where no comma may follow.
  bool fresh_ = true;
};

}  // namespace salespider::automation
