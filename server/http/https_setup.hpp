// What `salespider serve` needs to turn HTTPS on, in two calls:
//   prepare_https()  makes sure DATA_PATH/tls holds a current CA and server
//                    certificate for DOMAIN/HOST_IP (creating or re-issuing
//                    as tls::ensure_certificates decides) and points the
//                    ServerConfig at them;
//   origin_changes() compares the till origin (DOMAIN, HOST_IP, HTTPS port)
//                    with the one recorded at the previous start, records the
//                    new one, and lists what changed, so serve can warn loudly
//                    when enrolled tills would lose their origin.
// It logs nothing itself: the caller logs the report's warnings.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "http/http_server.hpp"
#include "tls/certificates.hpp"

namespace salespider::http {

Result<tls::EnsureReport> prepare_https(const std::filesystem::path& data_path, const tls::Names& names,
                                        ServerConfig& config);

// Sentences like "DOMAIN changed from shop.lan to till.lan"; empty on the
// first start or when nothing changed. Kept in DATA_PATH/tls/origin.json.
std::vector<std::string> origin_changes(const std::filesystem::path& data_path, const tls::Names& names,
                                        int https_port);

}  // namespace salespider::http
