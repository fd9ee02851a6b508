// `salespider cert init|renew|show`: the store's local CA and server
// certificate (server/tls/). init creates what is missing and re-issues the
// server certificate when names changed or it nears expiry; renew re-issues
// it now; show prints both certificates. The CA is never replaced here: a new
// CA would have to be trusted again on every device (delete DATA_PATH/tls/ca.*
// by hand to start over).
// Names come from the options or the DATA_PATH / DOMAIN / HOST_IP environment
// variables; serve reads the same values from .env.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "log/log.hpp"
#include "tls/certificates.hpp"

namespace salespider::app {
namespace {

struct CertOptions {
  std::string data_path = "data";
  tls::Names names;
};

std::string iso8601(tls::Clock::time_point t) {
  return log::utc_iso8601(tls::Clock::to_time_t(t));
}

nlohmann::json describe(const tls::CertificateInfo& info, tls::Clock::time_point now) {
  return {{"subject", info.subject},   {"issuer", info.issuer},
          {"alt_names", info.alt_names}, {"not_before", iso8601(info.not_before)},
          {"not_after", iso8601(info.not_after)}, {"days_left", info.days_left(now)},
          {"sha256", info.sha256}};
}

int run_ensure(const CertOptions& o, tls::Renewal renewal) {
  const auto paths = tls::Paths::under(o.data_path);
  const auto now = tls::Clock::now();
  auto report = tls::ensure_certificates(paths, o.names, now, renewal);
  if (!report) {
    std::cerr << nlohmann::json({{"level", "error"}, {"msg", report.error().context}}).dump() << '\n';
    return 2;
  }
  nlohmann::json out = {{"ca_created", report->ca_created},
                        {"server_issued", report->server_issued},
                        {"ca", describe(report->ca, now)},
                        {"server", describe(report->server, now)},
                        {"ca_file", paths.ca_cert.string()},
                        {"trust", "install ca.crt on each device: open http://<server>/setup on it"}};
  if (report->server_issued) out["reason"] = report->reason;
  if (!report->previous_alt_names.empty()) out["previous_alt_names"] = report->previous_alt_names;
  for (const auto& w : report->warnings) {
    std::cerr << nlohmann::json({{"level", "warn"}, {"msg", w}}).dump() << '\n';
  }
  std::cout << out.dump(2) << '\n';
  return 0;
}

int run_show(const CertOptions& o) {
  const auto paths = tls::Paths::under(o.data_path);
  const auto now = tls::Clock::now();
  if (!std::filesystem::exists(paths.ca_cert) || !std::filesystem::exists(paths.server_cert)) {
    std::cerr << nlohmann::json({{"level", "error"},
                                 {"msg", "no certificates under " + paths.dir.string() + ": run `salespider cert init`"}})
                     .dump()
              << '\n';
    return 1;
  }
  const auto server = tls::read_certificate_info(paths.server_cert);
  nlohmann::json out = {{"ca", describe(tls::read_certificate_info(paths.ca_cert), now)},
                        {"server", describe(server, now)},
                        {"warnings", tls::expiry_warnings(server, now)}};
  std::cout << out.dump(2) << '\n';
  return 0;
}

void add_name_options(CLI::App* cmd, const std::shared_ptr<CertOptions>& o) {
  cmd->add_option("--data-path", o->data_path, "Data directory (certificates go to DATA_PATH/tls)")
      ->envname("DATA_PATH")
      ->capture_default_str();
  cmd->add_option("--domain", o->names.domain, "The store's host name or IP address (DOMAIN)")->envname("DOMAIN");
  cmd->add_option("--host-ip", o->names.host_ip, "The server's LAN IP address (HOST_IP)")->envname("HOST_IP");
}

}  // namespace

void add_cert_command(CLI::App& app) {
  auto* cert = app.add_subcommand("cert", "Manage the store's local CA and HTTPS certificate");
  cert->require_subcommand(1);
  auto options = std::make_shared<CertOptions>();

  auto* init = cert->add_subcommand("init", "Create the CA and server certificate if missing or outdated");
  add_name_options(init, options);
  init->callback([options] { set_exit_code(run_ensure(*options, tls::Renewal::if_needed)); });

  auto* renew = cert->add_subcommand("renew", "Issue a new server certificate now (the CA is kept)");
  add_name_options(renew, options);
  renew->callback([options] { set_exit_code(run_ensure(*options, tls::Renewal::always)); });

  auto* show = cert->add_subcommand("show", "Print the CA and server certificate");
  show->add_option("--data-path", options->data_path, "Data directory")->envname("DATA_PATH")->capture_default_str();
  show->callback([options] { set_exit_code(run_show(*options)); });
}

}  // namespace salespider::app
