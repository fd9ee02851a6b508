// See setup_page.hpp. QR codes come from libqrencode (Debian libqrencode-dev).
#include "http/setup_page.hpp"
#include "support/lan_names.hpp"

#include <httplib.h>
#include <qrencode.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

#include "http/errors.hpp"
#include "http/security_headers.hpp"
#include "tls/certificates.hpp"

namespace salespider::http {
namespace {

struct QrFree {
  void operator()(QRcode* q) const noexcept { QRcode_free(q); }
};

std::string html_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// A Host header is client input: only host-name and IP-literal characters.
bool plausible_host(std::string_view h) {
  return !h.empty() && h.size() <= 253 && std::all_of(h.begin(), h.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-' || c == ':';
  });
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return {};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

constexpr const char* kCss = R"(body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:0 auto;padding:1rem;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:1.6rem}
.qr{width:14rem;height:14rem;display:block;margin:1rem 0}
.fp{font-family:ui-monospace,monospace;word-break:break-all;font-size:.85rem}
a.button{display:inline-block;padding:.8rem 1.2rem;background:#1d4ed8;color:#fff;border-radius:.4rem;text-decoration:none;min-height:44px}
code{background:#f1f1f1;padding:0 .2rem;word-break:break-all}.warn{color:#9a3412}
)";

}  // namespace

std::string https_url(const SetupPageOptions& options, const std::string& request_host) {
  std::string host = options.public_host;
  if (host.empty()) {
    host = host_without_port(request_host);
    if (!plausible_host(host)) host = "localhost";
  }
  return https_url_for(host, options.https_port);
}

std::string https_url_for(const std::string& name, int https_port) {
  std::string host = name;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  const auto port = https_port == 443 ? std::string() : ":" + std::to_string(https_port);
  return "https://" + host + port + "/";
}

std::string qr_svg(const std::string& text) {
  std::unique_ptr<QRcode, QrFree> qr(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!qr) return {};
  const int w = qr->width;
  constexpr int kQuiet = 4;  // the quiet zone scanners need
  std::ostringstream svg;
  svg << "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << w + 2 * kQuiet << ' '
      << w + 2 * kQuiet << "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code of "
      << html_escape(text) << "\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < w; ++y) {
    for (int x = 0; x < w; ++x) {
      if (qr->data[y * w + x] & 1) svg << 'M' << x + kQuiet << ',' << y + kQuiet << "h1v1h-1z";
    }
  }
  svg << "\"/></svg>";
  return svg.str();
}

namespace {

// The CA waiting for `salespider cert rollover` (tls::Paths::next_ca_cert,
// beside ca.crt), or "" when no rollover is under way.
std::filesystem::path next_ca_file(const SetupPageOptions& options) {
  if (options.ca_cert_file.empty()) return {};
  return options.ca_cert_file.parent_path() / tls::Paths::under({}).next_ca_cert.filename();
}

std::string fingerprint_of(const std::filesystem::path& file) {
  if (file.empty() || !std::filesystem::exists(file)) return "";
  try {
    return tls::read_certificate_info(file).sha256;
  } catch (const std::exception&) {
    return "";  // shown as "no CA"; the server log has the cause at start
  }
}

// While a rollover is under way: devices install the new CA next to the one
// they trust, so they keep working now and after the switch.
std::string next_ca_notice(const SetupPageOptions& options) {
  const auto fingerprint = fingerprint_of(next_ca_file(options));
  if (fingerprint.empty()) return "";
  return "<div class=\"warn\"><p>This store is moving to a new CA. Install the new one as well, the same way "
         "as below, and keep the current one until the store's manager says the switch is done:</p>"
         "<p><a class=\"button\" href=\"/ca.crt?next=1\" download=\"salespider-ca-new.crt\">Download the new "
         "CA certificate</a></p><p>Its SHA-256 fingerprint:</p><p class=\"fp\">" +
         html_escape(fingerprint) + "</p></div>";
}

// With DOMAIN and HOST_IP both set: the name (works where a resolver knows
// it) and the address (always works), and how to teach a computer the name.
std::string both_addresses(const SetupPageOptions& options) {
  if (options.domain.empty() || options.host_ip.empty() || options.https_port <= 0) return "";
  const auto by_name = html_escape(https_url_for(options.domain, options.https_port));
  const auto by_ip = html_escape(https_url_for(options.host_ip, options.https_port));
  return "<p>Two addresses reach this server: <a href=\"" + by_name + "\">" + by_name +
         "</a> (the name; only on devices that know it) and <a href=\"" + by_ip + "\">" + by_ip +
         "</a> (the address; always works, best for phones and tablets). A till keeps its sales under the "
         "address it was enrolled at: pick one per device and keep it.</p>"
         "<p>To use the name on a computer, add this line to its hosts file (Windows: "
         "<code>C:\\Windows\\System32\\drivers\\etc\\hosts</code>; macOS and Linux: <code>/etc/hosts</code>):</p>"
         "<p class=\"fp\"><code>" +
         html_escape(support::hosts_file_line(options.host_ip, options.domain)) +
         "</code></p><p>See the operations guide, \"LAN and names\" (docs/operations.md).</p>";
}

}  // namespace

void register_setup_routes(httplib::Server& server, const SetupPageOptions& options) {
  // ?next=1: the CA waiting for the rollover (same path, so the plain-HTTP
  // rules for /ca.crt cover it).
  server.Get("/ca.crt", [options](const httplib::Request& req, httplib::Response& res) {
    const bool next = req.has_param("next");
    const auto file = next ? next_ca_file(options) : options.ca_cert_file;
    const auto pem = file.empty() ? std::string() : read_file(file);
    if (pem.empty()) {
      send_error(req, res, ErrorCode::not_found,
                 next ? N_("no new CA is waiting") : N_("this server has no CA certificate (HTTPS is off)"),
                 res.get_header_value("X-Request-Id"));
      return;
    }
    res.set_header("Content-Disposition",
                   next ? "attachment; filename=\"salespider-ca-new.crt\"" : "attachment; filename=\"salespider-ca.crt\"");
    res.set_header("Cache-Control", "no-cache");
    res.set_content(pem, "application/x-x509-ca-cert");
  });

  server.Get("/setup.css", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-cache");
    res.set_content(kCss, "text/css; charset=utf-8");
  });

  server.Get("/setup", [options](const httplib::Request& req, httplib::Response& res) {
    const auto fingerprint = fingerprint_of(options.ca_cert_file);
    const auto url = options.https_port > 0 ? https_url(options, req.get_header_value("Host")) : std::string();
    const auto u = html_escape(url);
    std::ostringstream html;
    html << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>Set up this device — SaleSpider</title><link rel=\"stylesheet\" href=\"/setup.css\"></head><body>"
            "<h1>Set up this device for SaleSpider</h1>";
    if (url.empty() || fingerprint.empty()) {
      html << "<p class=\"warn\">HTTPS is not enabled on this server yet: run <code>salespider cert init</code> "
              "and restart it.</p>";
    } else {
      html << "<p>This store's server uses its own certificate authority (CA). Install the CA once on each "
              "device, then open the till at <a href=\""
           << u << "\">" << u << "</a>. The address must never change once tills are enrolled: each till keeps its "
           << "sales under it.</p>" << qr_svg(url) << both_addresses(options)
           << "<p><a class=\"button\" href=\"/ca.crt\" download=\"salespider-ca.crt\">Download the CA "
              "certificate</a></p>"
              "<p>Before trusting it, check that the device shows this SHA-256 fingerprint:</p><p class=\"fp\">"
           << html_escape(fingerprint)
           << "</p>" << next_ca_notice(options)
           << "<h2>Android</h2><ol><li>Download the CA certificate with the button above.</li>"
              "<li>Settings → Security (or Security &amp; privacy) → More security settings → Encryption &amp; "
              "credentials → Install a certificate → <b>CA certificate</b> → Install anyway → pick "
              "<i>salespider-ca.crt</i>.</li><li>Install the till app (<a href=\"#install\">below</a>).</li></ol>"
              "<h2>iPhone and iPad</h2><ol><li>Open this page in <b>Safari</b> and tap the download button; allow "
              "the configuration profile.</li><li>Settings → General → VPN &amp; Device Management → the "
              "SaleSpider profile → Install.</li><li>Settings → General → About → Certificate Trust Settings → "
              "turn on full trust for the SaleSpider CA.</li><li>Install the till app (<a href=\"#install\">below</a>).</li></ol>"
              "<h2>Windows</h2><ol><li>Download the certificate, double-click it → Install Certificate → Local "
              "Machine → Place all certificates in: <b>Trusted Root Certification Authorities</b>.</li><li>Or, as "
              "administrator: <code>certutil -addstore -f Root salespider-ca.crt</code></li><li>Restart the "
              "browser.</li></ol>"
              "<h2>macOS</h2><ol><li>Download the certificate, open it in Keychain Access (System keychain), "
              "double-click it → Trust → <b>Always Trust</b>.</li><li>Or: <code>sudo security add-trusted-cert -d "
              "-r trustRoot -k /Library/Keychains/System.keychain salespider-ca.crt</code></li></ol>"
              "<h2>Linux</h2><ol><li>System (Debian, Ubuntu): <code>sudo cp salespider-ca.crt "
              "/usr/local/share/ca-certificates/ &amp;&amp; sudo update-ca-certificates</code></li>"
              "<li>Chrome and Chromium read their own store: <code>certutil -d sql:$HOME/.pki/nssdb -A -t "
              "\"C,,\" -n salespider -i salespider-ca.crt</code> (package libnss3-tools)</li>"
              "<li>Firefox: Settings → Privacy &amp; Security → Certificates → View Certificates → Authorities → "
              "Import → trust for websites.</li></ol>"
              "<h2 id=\"install\">Install the till app</h2><p>Once the device trusts the CA, open <a href=\""
           << u << "\">" << u
           << "</a> (it must open without a certificate warning) and wait until the till has loaded once. Then, on that "
              "page, not on this one:</p><ul>"
              "<li><b>Android</b>, Chrome: menu ⋮ → <b>Install app</b> (older versions: <b>Add to Home "
              "screen</b>) → Install.</li>"
              "<li><b>iPhone, iPad</b>, Safari: Share → <b>Add to Home Screen</b> → Add.</li>"
              "<li><b>Computers</b>, Chrome or Edge: the install icon at the right of the address bar, or menu → "
              "<b>Install SaleSpider</b>.</li></ul>"
              "<p>From then on start the till from its icon: it opens full screen and starts even when the "
              "network or the server is down. Use one till per browser: a second tab is read-only.</p>";
    }
    html << "</body></html>";
    res.set_header("Cache-Control", "no-cache");
    res.set_content(html.str(), "text/html; charset=utf-8");
  });
}

}  // namespace salespider::http
