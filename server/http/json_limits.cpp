// See json_limits.hpp.
#include "http/json_limits.hpp"

#include "salespider/shared/json_text.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>

namespace salespider::http {

namespace {

// A "\u0000" escape decodes to a NUL byte, which PostgreSQL's text refuses
// half way through a statement (a 500); no field of ours has a use for one.
bool holds_nul(const nlohmann::json& v) {
  if (v.is_string()) return v.get_ref<const std::string&>().find('\0') != std::string::npos;
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it)
      if (it.key().find('\0') != std::string::npos || holds_nul(it.value())) return true;
  }
  if (v.is_array()) {
    for (const auto& item : v)
      if (holds_nul(item)) return true;
  }
  return false;
}

}  // namespace

bool is_json_content_type(std::string_view type) {
  const auto semi = type.find(';');
  auto media = type.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lower(media);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "application/json";
}

JsonBody parse_json_body(const httplib::Request& req, const JsonLimits& limits) {
  auto fail = [](ErrorCode code, const char* message, std::vector<i18n::Arg> args = {}) {
    JsonBody b;
    b.error = BodyError{code, message, std::move(args)};
    return b;
  };
  if (!is_json_content_type(req.get_header_value("Content-Type"))) {
    return fail(ErrorCode::unsupported_media, "the body must be JSON (Content-Type: application/json)");
  }
  if (req.body.size() > limits.max_bytes) {
    return fail(ErrorCode::payload_too_large, "the body is larger than {bytes} bytes",
                {{"bytes", std::to_string(limits.max_bytes)}});
  }
  if (!is_valid_utf8(req.body)) return fail(ErrorCode::bad_request, "the body is not valid UTF-8");
  if (json_nests_deeper_than(req.body, limits.max_depth)) {
    return fail(ErrorCode::bad_request, "the JSON nests deeper than {levels} levels",
                {{"levels", std::to_string(limits.max_depth)}});
  }
  JsonBody body;
  body.value = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.value.is_discarded()) return fail(ErrorCode::bad_request, "the body is not well-formed JSON");
  if (holds_nul(body.value)) return fail(ErrorCode::bad_request, "a string in the body holds \\u0000");
  return body;
}

void send_body_error(httplib::Response& res, const BodyError& error, std::string_view request_id) {
  send_error(res, error.code, i18n::format(error.message, error.args), request_id);
}

void send_body_error(const httplib::Request& req, httplib::Response& res, const BodyError& error,
                     std::string_view request_id) {
  send_error(req, res, error.code, error.message, request_id, error.args);
}

}  // namespace salespider::http
