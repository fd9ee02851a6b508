// The one place that turns an error code into an HTTP status and the JSON
// error body {error:{code,message,request_id}}. It never sees SQL or driver
// text: callers pass a message meant for a client.
#pragma once

#include <string>
#include <string_view>

namespace httplib {
struct Response;
}

namespace salespider::http {

enum class ErrorCode {
  bad_request,          // 400: malformed syntax, wrong types
  unauthenticated,      // 401
  forbidden,            // 403
  not_found,            // 404
  method_not_allowed,   // 405
  request_timeout,      // 408: the request did not arrive in time
  conflict,             // 409
  payload_too_large,    // 413
  unsupported_media,    // 415
  invalid,              // 422: well-formed but not acceptable
  rate_limited,         // 429
  headers_too_large,    // 431
  internal,             // 500: a bug or an unexpected infrastructure failure
  unavailable,          // 503: database down, maintenance
};

int status_for(ErrorCode code);
std::string_view name_of(ErrorCode code);

// The JSON body {"error":{"code","message","request_id"}}.
std::string error_body(ErrorCode code, std::string_view message, std::string_view request_id);

// Sets status, body and Content-Type on res.
void send_error(httplib::Response& res, ErrorCode code, std::string_view message,
                std::string_view request_id);

}  // namespace salespider::http
