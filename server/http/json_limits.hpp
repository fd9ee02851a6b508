// Reading a JSON request body safely, for every endpoint that takes one:
// Content-Type must be application/json (415), the size within the limit
// (413), the bytes valid UTF-8 (400), the nesting at most max_depth deep
// (400, checked on the raw text before nlohmann::json, which recurses, ever
// sees it), and the text well-formed JSON (400). Parsing never throws.
#pragma once

#include "salespider/shared/text.hpp"

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/errors.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace salespider::http {

struct JsonLimits {
  std::size_t max_bytes = 1024 * 1024;
  std::size_t max_depth = 64;
};

struct BodyError {
  ErrorCode code;
  std::string message;          // a catalogue msgid (errors.hpp)
  std::vector<i18n::Arg> args;  // its placeholders' values
};

struct JsonBody {
  nlohmann::json value;
  std::optional<BodyError> error;
  bool ok() const { return !error.has_value(); }
};

JsonBody parse_json_body(const httplib::Request& req, const JsonLimits& limits);

// Answers res with the body's error (status from errors.cpp), in English or
// in the request's language.
void send_body_error(httplib::Response& res, const BodyError& error, std::string_view request_id);
void send_body_error(const httplib::Request& req, httplib::Response& res, const BodyError& error,
                     std::string_view request_id);

// Strict UTF-8 (shared/text.hpp), for the HTTP layer's callers.
using salespider::is_valid_utf8;

// "application/json" with optional parameters ("; charset=utf-8").
bool is_json_content_type(std::string_view content_type);

}  // namespace salespider::http
