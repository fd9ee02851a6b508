// The one place that turns an error code into an HTTP status and the JSON
// error body {error:{code,message,request_id}}. It never sees SQL or driver
// text: callers pass a message meant for a client. Messages are English
// catalogue msgids with {name} placeholders (i18n.hpp), translated into the
// request's Accept-Language; `code` and `field` never are.
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "salespider/shared/i18n.hpp"

namespace httplib {
struct Request;
struct Response;
}

namespace salespider::http {

// Marks an error message literal for the catalogue (i18n.hpp).
using i18n::N_;

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
  printer_disabled,     // 409: a network printer switched off (service/printers.hpp)
  printer_unreachable,  // 502: a network printer that cannot be reached
  printer_timeout,      // 504: a network printer that stopped taking data
  internal,             // 500: a bug or an unexpected infrastructure failure
  unavailable,          // 503: database down, maintenance
};

int status_for(ErrorCode code);
std::string_view name_of(ErrorCode code);

// The JSON body {"error":{"code","message","request_id"}}.
std::string error_body(ErrorCode code, std::string_view message, std::string_view request_id);

// Sets status, body and Content-Type on res; the message as it is (English).
void send_error(httplib::Response& res, ErrorCode code, std::string_view message,
                std::string_view request_id);

// The catalogue language of the request's Accept-Language, "en" when none fits.
std::string request_language(const httplib::Request& req);
// msgid in lang with its placeholders filled.
std::string translated(std::string_view lang, const std::string& msgid, const std::vector<i18n::Arg>& args = {});
// send_error with msgid translated into the request's language.
void send_error(const httplib::Request& req, httplib::Response& res, ErrorCode code, const std::string& msgid,
                std::string_view request_id, const std::vector<i18n::Arg>& args = {});

// THE mapping of a database outage (service/unavailable.hpp) to an answer:
// 503 with Retry-After and a "reason" (database_unavailable, database_down,
// disk_full, database_busy, query_too_long) in the error body, logged.
// Returns false, touching nothing, when `e` is not an outage.
bool send_database_outage(const httplib::Request& req, httplib::Response& res, const std::exception_ptr& e,
                          std::string_view request_id);

}  // namespace salespider::http
