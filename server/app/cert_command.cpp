// `salespider cert init|renew|show|reissue-ca|rollover`: the store's local CA
// and server certificate (server/tls/). init creates what is missing and
// re-issues the server certificate when names changed or it nears expiry;
// renew re-issues it now; show prints both certificates and whether the CA is
// name-constrained. The CA is replaced only in two steps, since devices must
// trust a new CA before the server uses it: reissue-ca prepares a
// name-constrained CA that /setup offers while the old one keeps serving,
// rollover switches to it (docs/security.md).
// Names come from the options, else the DATA_PATH / DOMAIN / HOST_IP
// environment variables, else .env (--env-file), exactly as serve reads them
// (config::load), so `make certs` renews the certificate serve uses.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/config_flags.hpp"
#include "log/log.hpp"
#include "support/secret_file.hpp"
#include "tls/certificates.hpp"

namespace salespider::app {
namespace {

struct CertOptions {
  std::string data_path = "data";
  tls::Names names;
  std::string env_file;
};

// DATA_PATH, DOMAIN and HOST_IP through config::load: what was given on the
// command line (or in the environment) wins over .env, as for serve.
bool resolve_names(CLI::App* cmd, CertOptions& o) {
  ConfigFlags flags;
  flags.env_file = o.env_file;
  auto given = [cmd](const char* name) {
    const auto* opt = cmd->get_option_no_throw(name);
    return opt != nullptr && opt->count() > 0;
  };
  if (given("--data-path")) flags.values["DATA_PATH"] = o.data_path;
  if (given("--domain")) flags.values["DOMAIN"] = o.names.domain;
  if (given("--host-ip")) flags.values["HOST_IP"] = o.names.host_ip;
  auto loaded = load_config_or_report(flags);
  if (!loaded) return false;
  o.data_path = loaded->config.data_path.string();
  o.names.domain = loaded->config.domain;
  o.names.host_ip = loaded->config.host_ip;
  return true;
}

std::string iso8601(tls::Clock::time_point t) {
  return log::utc_iso8601(tls::Clock::to_time_t(t));
}

nlohmann::json describe(const tls::CertificateInfo& info, tls::Clock::time_point now) {
  return {{"subject", info.subject},   {"issuer", info.issuer},
          {"alt_names", info.alt_names}, {"not_before", iso8601(info.not_before)},
          {"not_after", iso8601(info.not_after)}, {"days_left", info.days_left(now)},
          {"sha256", info.sha256}};
}

nlohmann::json describe_ca(const tls::CertificateInfo& info, tls::Clock::time_point now) {
  auto out = describe(info, now);
  out["name_constrained"] = info.name_constrained();
  out["permitted_names"] = info.name_constraints;
  return out;
}

void print_warnings(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) std::cerr << nlohmann::json({{"level", "warn"}, {"msg", w}}).dump() << '\n';
}

int report_error(const std::string& message) {
  std::cerr << nlohmann::json({{"level", "error"}, {"msg", message}}).dump() << '\n';
  return 2;
}

nlohmann::json describe_report(const tls::EnsureReport& report, const tls::Paths& paths, tls::Clock::time_point now) {
  nlohmann::json out = {{"ca_created", report.ca_created},
                        {"server_issued", report.server_issued},
                        {"ca", describe_ca(report.ca, now)},
                        {"server", describe(report.server, now)},
                        {"ca_file", paths.ca_cert.string()},
                        {"trust", "install ca.crt on each device: open http://<server>/setup on it"}};
  if (report.server_issued) out["reason"] = report.reason;
  if (!report.previous_alt_names.empty()) out["previous_alt_names"] = report.previous_alt_names;
  if (!report.left_out.empty()) out["left_out"] = report.left_out;
  if (report.next_ca) out["next_ca"] = describe_ca(*report.next_ca, now);
  return out;
}

// DATA_PATH and what is in it are the owner's alone (as serve makes them).
void secure_data_path(const CertOptions& o) {
  for (const auto& w : support::secure_data_path(o.data_path)) {
    std::cerr << nlohmann::json({{"level", "warn"}, {"msg", "data at rest was readable by others: tightened"},
                                 {"what", w}})
                     .dump()
              << '\n';
  }
}

int run_ensure(const CertOptions& o, tls::Renewal renewal) {
  secure_data_path(o);
  const auto paths = tls::Paths::under(o.data_path);
  const auto now = tls::Clock::now();
  auto report = tls::ensure_certificates(paths, o.names, now, renewal);
  if (!report) return report_error(report.error().context);
  print_warnings(report->warnings);
  std::cout << describe_report(*report, paths, now).dump(2) << '\n';
  return 0;
}

int run_reissue_ca(const CertOptions& o) {
  secure_data_path(o);
  const auto paths = tls::Paths::under(o.data_path);
  const auto now = tls::Clock::now();
  auto report = tls::prepare_next_ca(paths, o.names, now);
  if (!report) return report_error(report.error().context);
  nlohmann::json out = {
      {"next_ca_created", report->created},
      {"ca", describe_ca(report->current, now)},
      {"next_ca", describe_ca(report->next, now)},
      {"next_ca_file", paths.next_ca_cert.string()},
      {"next_steps",
       {"the server keeps serving under the current CA: nothing changes for tills yet",
        "on every device open http://<server>/setup and install the new CA (fingerprint " + report->next.sha256 +
            ") next to the current one",
        "then run `salespider cert rollover` and restart the server; afterwards remove the old CA (fingerprint " +
            report->current.sha256 + ") from the devices"}}};
  std::cout << out.dump(2) << '\n';
  return 0;
}

int run_rollover(const CertOptions& o) {
  secure_data_path(o);
  const auto paths = tls::Paths::under(o.data_path);
  const auto now = tls::Clock::now();
  auto report = tls::roll_over_ca(paths, o.names, now);
  if (!report) return report_error(report.error().context);
  print_warnings(report->warnings);
  auto out = describe_report(*report, paths, now);
  out["previous_ca_file"] = paths.previous_ca_cert.string();
  out["next_steps"] = {"restart the server: it serves the new certificate from its next start",
                       "remove the old CA (" + paths.previous_ca_cert.filename().string() + ") from every device"};
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
  const auto ca = tls::read_certificate_info(paths.ca_cert);
  const auto server = tls::read_certificate_info(paths.server_cert);
  auto warnings = tls::expiry_warnings(server, now);
  if (!ca.name_constrained()) {
    warnings.push_back("the CA is not name-constrained: run `salespider cert reissue-ca`, then `cert rollover`");
  }
  nlohmann::json out = {{"ca", describe_ca(ca, now)}, {"server", describe(server, now)}, {"warnings", warnings}};
  if (std::filesystem::exists(paths.next_ca_cert)) {
    out["next_ca"] = describe_ca(tls::read_certificate_info(paths.next_ca_cert), now);
  }
  std::cout << out.dump(2) << '\n';
  return 0;
}

void add_name_options(CLI::App* cmd, const std::shared_ptr<CertOptions>& o) {
  cmd->add_option("--data-path", o->data_path, "Data directory (certificates go to DATA_PATH/tls)")
      ->envname("DATA_PATH")
      ->capture_default_str();
  cmd->add_option("--domain", o->names.domain, "The store's host name or IP address (DOMAIN)")->envname("DOMAIN");
  cmd->add_option("--host-ip", o->names.host_ip, "The server's LAN IP address (HOST_IP)")->envname("HOST_IP");
  cmd->add_option("--env-file", o->env_file, "The .env file to read (default: $SALESPIDER_ENV_FILE, else ./.env)");
}

}  // namespace

void add_cert_command(CLI::App& app) {
  auto* cert = app.add_subcommand("cert", "Manage the store's local CA and HTTPS certificate");
  cert->require_subcommand(1);
  auto options = std::make_shared<CertOptions>();

  auto* init = cert->add_subcommand("init", "Create the CA and server certificate if missing or outdated");
  add_name_options(init, options);
  init->callback([options, init] {
    set_exit_code(resolve_names(init, *options) ? run_ensure(*options, tls::Renewal::if_needed) : kConfigErrorExit);
  });

  auto* renew = cert->add_subcommand("renew", "Issue a new server certificate now (the CA is kept)");
  add_name_options(renew, options);
  renew->callback([options, renew] {
    set_exit_code(resolve_names(renew, *options) ? run_ensure(*options, tls::Renewal::always) : kConfigErrorExit);
  });

  auto* show = cert->add_subcommand("show", "Print the CA and server certificate");
  show->add_option("--data-path", options->data_path, "Data directory")->envname("DATA_PATH")->capture_default_str();
  show->callback([options] { set_exit_code(run_show(*options)); });

  auto* reissue = cert->add_subcommand(
      "reissue-ca", "Step 1 of moving to a new, name-constrained CA: create it and offer it on /setup");
  add_name_options(reissue, options);
  reissue->callback([options] { set_exit_code(run_reissue_ca(*options)); });

  auto* rollover = cert->add_subcommand(
      "rollover", "Step 2: switch to the CA made by reissue-ca (once every device trusts it)");
  add_name_options(rollover, options);
  rollover->callback([options] { set_exit_code(run_rollover(*options)); });
}

}  // namespace salespider::app
