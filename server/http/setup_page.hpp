// The device setup pages, served over plain HTTP as well as HTTPS (a device
// must fetch the CA before it can trust HTTPS):
//   GET /ca.crt     the store's CA certificate (PEM), to install on devices;
//                   with ?next=1 the CA waiting for `salespider cert rollover`
//                   (DATA_PATH/tls/ca-next.crt), which /setup then offers too
//   GET /setup      how to trust it on Android, iOS, Windows, macOS and Linux,
//                   the CA's SHA-256 fingerprint to compare, and a QR code of
//                   the till's HTTPS address (inline SVG: no script, no image
//                   request, fine under our CSP)
//   GET /setup.css  its style sheet (CSP allows no inline style)
// Deliberately no enrolment here: that needs a manager and the till itself.
#pragma once

#include <filesystem>
#include <string>

namespace httplib {
class Server;
}

namespace salespider::http {

struct SetupPageOptions {
  std::filesystem::path ca_cert_file;  // empty or missing: /ca.crt is 404, /setup says so
  std::string public_host;             // DOMAIN or HOST_IP; empty: the Host the device used
  int https_port = 0;                  // 0: HTTPS is off, the page says so
  // DOMAIN and HOST_IP as configured: with both set, /setup shows both
  // addresses and the hosts-file line (support/lan_names.hpp).
  std::string domain;
  std::string host_ip;
};

void register_setup_routes(httplib::Server& server, const SetupPageOptions& options);

// The till's HTTPS address for a device that reached us as `request_host`
// (a Host header value), e.g. "https://shop.lan:8443/".
std::string https_url(const SetupPageOptions& options, const std::string& request_host);
// The same for an explicit host name or address.
std::string https_url_for(const std::string& host, int https_port);

// An SVG QR code of `text` (error correction M), or "" if it cannot be encoded.
std::string qr_svg(const std::string& text);

}  // namespace salespider::http
