// See security_headers.hpp.
#include "http/security_headers.hpp"

#include <arpa/inet.h>
#include <httplib.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "http/errors.hpp"

namespace salespider::http {
namespace {

void set_if_absent(httplib::Response& res, const char* name, const std::string& value) {
  if (!res.has_header(name)) res.set_header(name, value);
}

void add_vary(httplib::Response& res, const std::string& token) {
  auto vary = res.get_header_value("Vary");
  if (vary.find(token) != std::string::npos) return;
  res.headers.erase("Vary");
  res.set_header("Vary", vary.empty() ? token : vary + ", " + token);
}

// RFC 9110's IMF-fixdate. Tills compare their clock with it (clock-skew
// warning on the status bar), so every answer carries it.
std::string http_date_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char text[40];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[utc.tm_wday % 7], utc.tm_mday,
                kMonths[utc.tm_mon % 12], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return text;
}

}  // namespace

std::string content_security_policy(const std::vector<std::string>& inline_script_hashes) {
  std::string script = "script-src 'self' 'wasm-unsafe-eval'";
  for (const auto& h : inline_script_hashes) script += " '" + h + "'";
  return "default-src 'self'; " + script +
         "; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
         "frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'none'";
}

std::string host_without_port(std::string_view h) {
  if (!h.empty() && h.front() == '[') {
    const auto close = h.find(']');
    return std::string(close == std::string_view::npos ? h.substr(1) : h.substr(1, close - 1));
  }
  // More than one colon: a bare IPv6 address without a port.
  if (std::count(h.begin(), h.end(), ':') == 1) h = h.substr(0, h.find(':'));
  return std::string(h);
}

bool is_loopback_address(std::string_view ip) {
  if (ip.rfind("::ffff:", 0) == 0) ip.remove_prefix(7);
  in_addr v4{};
  if (inet_pton(AF_INET, std::string(ip).c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  return ip == "::1";
}

bool is_loopback_host(std::string_view host) {
  std::string h(host);
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (h == "localhost" || (h.size() > 10 && h.compare(h.size() - 10, 10, ".localhost") == 0)) return true;
  return is_loopback_address(h);
}

bool is_allowed_origin(std::string_view origin, const std::vector<std::string>& allowed) {
  return !origin.empty() && origin != "null" && std::find(allowed.begin(), allowed.end(), origin) != allowed.end();
}

void add_security_headers(const httplib::Request& req, httplib::Response& res, const SecurityHeaderOptions& options) {
  set_if_absent(res, "Content-Security-Policy", content_security_policy(options.inline_script_hashes));
  set_if_absent(res, "X-Content-Type-Options", "nosniff");
  set_if_absent(res, "Referrer-Policy", "no-referrer");
  set_if_absent(res, "X-Frame-Options", "DENY");
  set_if_absent(res, "Cross-Origin-Opener-Policy", "same-origin");
  // API answers and errors are about one moment; never cache them.
  set_if_absent(res, "Cache-Control", "no-store");
  set_if_absent(res, "Date", http_date_now());
  // HSTS pins the origin to HTTPS in the browser; never for localhost, where
  // a developer may run other plain-HTTP services.
  if (options.https && !is_loopback_host(host_without_port(req.get_header_value("Host")))) {
    set_if_absent(res, "Strict-Transport-Security", "max-age=31536000");
  }
  const auto origin = req.get_header_value("Origin");
  if (is_allowed_origin(origin, options.allowed_origins)) {
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Access-Control-Expose-Headers", "X-Request-Id");
  }
  if (!options.allowed_origins.empty()) add_vary(res, "Origin");
}

bool is_preflight(const httplib::Request& req) {
  return req.method == "OPTIONS" && req.has_header("Origin") && req.has_header("Access-Control-Request-Method");
}

void answer_preflight(const httplib::Request& req, httplib::Response& res, const SecurityHeaderOptions& options,
                      std::string_view request_id) {
  if (!is_allowed_origin(req.get_header_value("Origin"), options.allowed_origins)) {
    send_error(req, res, ErrorCode::forbidden, N_("this origin may not call the API"), request_id);
    return;
  }
  res.status = 204;
  res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
  res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id");
  res.set_header("Access-Control-Max-Age", "600");
}

}  // namespace salespider::http
