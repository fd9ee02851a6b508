// See https_setup.hpp.
#include "http/https_setup.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/secret_file.hpp"

namespace salespider::http {

Result<tls::EnsureReport> prepare_https(const std::filesystem::path& data_path, const tls::Names& names,
                                        ServerConfig& config) {
  const auto paths = tls::Paths::under(data_path);
  auto report = tls::ensure_certificates(paths, names, tls::Clock::now());
  if (!report) return report;
  config.tls_cert_file = paths.server_cert;
  config.tls_key_file = paths.server_key;
  config.ca_cert_file = paths.ca_cert;
  if (config.public_host.empty()) config.public_host = !names.domain.empty() ? names.domain : names.host_ip;
  return report;
}

std::vector<std::string> origin_changes(const std::filesystem::path& data_path, const tls::Names& names,
                                        int https_port) {
  const auto file = tls::Paths::under(data_path).dir / "origin.json";
  const nlohmann::json now = {{"DOMAIN", names.domain}, {"HOST_IP", names.host_ip}, {"HTTPS_PORT", https_port}};
  std::vector<std::string> changes;
  std::ifstream in(file);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    const auto before = nlohmann::json::parse(text.str(), nullptr, false);
    if (before.is_object()) {
      for (const auto& [key, value] : now.items()) {
        if (before.contains(key) && before[key] != value) {
          changes.push_back(key + " changed from " + before[key].dump() + " to " + value.dump() +
                            ": tills enrolled at the old address keep their data under that origin "
                            "and must be re-enrolled");
        }
      }
    }
  }
  support::ensure_private_directory(file.parent_path());
  support::write_file_atomically(file, now.dump(2) + "\n", support::FileMode::public_readable);
  return changes;
}

}  // namespace salespider::http
