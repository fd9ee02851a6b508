// Error code -> HTTP status and JSON body. See errors.hpp.
#include "http/errors.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "log/log.hpp"
#include "service/unavailable.hpp"

namespace salespider::http {

int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request: return 400;
    case ErrorCode::unauthenticated: return 401;
    case ErrorCode::forbidden: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::method_not_allowed: return 405;
    case ErrorCode::request_timeout: return 408;
    case ErrorCode::conflict: return 409;
    case ErrorCode::payload_too_large: return 413;
    case ErrorCode::unsupported_media: return 415;
    case ErrorCode::invalid: return 422;
    case ErrorCode::rate_limited: return 429;
    case ErrorCode::headers_too_large: return 431;
    case ErrorCode::printer_disabled: return 409;
    case ErrorCode::printer_unreachable: return 502;
    case ErrorCode::printer_timeout: return 504;
    case ErrorCode::internal: return 500;
    case ErrorCode::unavailable: return 503;
  }
  return 500;
}

std::string_view name_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request: return "bad_request";
    case ErrorCode::unauthenticated: return "unauthenticated";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::method_not_allowed: return "method_not_allowed";
    case ErrorCode::request_timeout: return "request_timeout";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::payload_too_large: return "payload_too_large";
    case ErrorCode::unsupported_media: return "unsupported_media_type";
    case ErrorCode::invalid: return "invalid";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::headers_too_large: return "headers_too_large";
    case ErrorCode::printer_disabled: return "printer_disabled";
    case ErrorCode::printer_unreachable: return "printer_unreachable";
    case ErrorCode::printer_timeout: return "printer_timeout";
    case ErrorCode::internal: return "internal";
    case ErrorCode::unavailable: return "unavailable";
  }
  return "internal";
}

std::string error_body(ErrorCode code, std::string_view message, std::string_view request_id) {
  const nlohmann::json body = {{"error",
                                {{"code", std::string(name_of(code))},
                                 {"message", std::string(message)},
                                 {"request_id", std::string(request_id)}}}};
  // Replace, never throw, if a message ever carried invalid UTF-8.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void send_error(httplib::Response& res, ErrorCode code, std::string_view message,
                std::string_view request_id) {
  res.status = status_for(code);
  res.set_content(error_body(code, message, request_id), "application/json");
}

std::string request_language(const httplib::Request& req) {
  auto lang = i18n::pick_language(req.get_header_value("Accept-Language"));
  return lang.empty() ? "en" : lang;
}

std::string translated(std::string_view lang, const std::string& msgid, const std::vector<i18n::Arg>& args) {
  return i18n::format(i18n::translate(lang, msgid.c_str()), args);
}

void send_error(const httplib::Request& req, httplib::Response& res, ErrorCode code, const std::string& msgid,
                std::string_view request_id, const std::vector<i18n::Arg>& args) {
  send_error(res, code, translated(request_language(req), msgid, args), request_id);
}

bool send_database_outage(const httplib::Request& req, httplib::Response& res, const std::exception_ptr& e,
                          std::string_view request_id) {
  const auto outage = service::database_outage(e);
  if (!outage) return false;
  service::note_outage(*outage);
  struct Answer {
    const char* reason;
    const char* message;
    int retry_after_s;
  };
  const Answer a = [&]() -> Answer {
    switch (outage->why) {
      case service::Unavailability::down:
        return {"database_down", N_("the database is restarting; try again shortly"), 5};
      case service::Unavailability::disk_full:
        return {"disk_full", N_("the server's disk is full: nothing was saved; free space on the server"), 30};
      case service::Unavailability::busy:
        return {"database_busy", N_("the database is out of resources; try again shortly"), 10};
      case service::Unavailability::timed_out:
        return {"query_too_long",
                N_("the query took too long; narrow the filters (a shorter time range) and try again"), 5};
      case service::Unavailability::unavailable:
        break;
    }
    return {"database_unavailable", N_("the database is not available; try again shortly"), 5};
  }();
  log::warn("database unavailable", {{"request_id", std::string(request_id)},
                                     {"reason", a.reason},
                                     {"what", outage->detail}});
  nlohmann::json body = nlohmann::json::parse(
      error_body(ErrorCode::unavailable, translated(request_language(req), a.message), request_id));
  body["error"]["reason"] = a.reason;
  res.status = status_for(ErrorCode::unavailable);
  res.set_header("Retry-After", std::to_string(a.retry_after_s));
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
  return true;
}

}  // namespace salespider::http
