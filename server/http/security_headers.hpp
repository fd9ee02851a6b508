// Response headers every answer carries (CSP, nosniff, referrer policy,
// framing, HSTS on HTTPS except for localhost) and CORS for the origins the
// operator listed in ALLOWED_ORIGINS. Same-origin tills need no CORS at all;
// anything not listed gets no Access-Control-* header, so browsers block it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace salespider::http {

// The Content-Security-Policy: scripts only from our origin, WebAssembly
// compilation allowed ('wasm-unsafe-eval', which Chromium needs for wasm),
// plus any 'sha256-...' sources for inline scripts we ever ship (none today).
std::string content_security_policy(const std::vector<std::string>& inline_script_hashes = {});

// True for names that mean this machine: localhost, *.localhost, 127.0.0.0/8, ::1.
bool is_loopback_host(std::string_view host);
// The host part of a Host header value ("[::1]:8443" -> "::1", "a.b:80" -> "a.b").
std::string host_without_port(std::string_view host_header);
// True for a loopback peer address (127.0.0.0/8, ::1, ::ffff:127.x).
bool is_loopback_address(std::string_view ip);

struct SecurityHeaderOptions {
  bool https = false;
  std::vector<std::string> allowed_origins;  // exact "scheme://host[:port]"
  std::vector<std::string> inline_script_hashes;
};

// Adds the headers to a finished response (a post-routing step).
void add_security_headers(const httplib::Request& req, httplib::Response& res, const SecurityHeaderOptions& options);

// Whether `origin` may call the API cross-origin.
bool is_allowed_origin(std::string_view origin, const std::vector<std::string>& allowed);

// A CORS preflight (OPTIONS with Origin and Access-Control-Request-Method).
bool is_preflight(const httplib::Request& req);
// Answers a preflight: 204 with the CORS headers for an allowed origin, 403
// otherwise. `request_id` goes into the error body.
void answer_preflight(const httplib::Request& req, httplib::Response& res, const SecurityHeaderOptions& options,
                      std::string_view request_id);

}  // namespace salespider::http
