// The store's own certificate authority and the server certificate it signs.
//
// `salespider cert init` and `salespider serve` call ensure_certificates():
// it creates DATA_PATH/tls/{ca.crt,ca.key} once, and (re)issues
// {server.crt,server.key} when they are missing, expire within 30 days, were
// signed by another CA, or no longer name exactly the store's addresses
// (DOMAIN, HOST_IP, localhost, 127.0.0.1, ::1). The CA is kept across server
// re-issues, so devices that trust it keep trusting the store.
// Keys are EC P-256 and written 0600; certificates are 0644.
//
// Every CA created here is name-constrained (critical nameConstraints): it may
// only certify localhost, 127.0.0.1, ::1, DOMAIN and the private block
// HOST_IP lies in (permitted_subtrees()), so its key, if stolen, cannot
// impersonate any other site on the devices that trust it. Stores whose CA
// predates this move to a constrained one in two steps that keep tills
// working: prepare_next_ca() (`cert reissue-ca`) and roll_over_ca()
// (`cert rollover`).
//
// Deliberately not here: ACME / public CAs, revocation (CRL, OCSP), client
// certificates, and the grant-signing keys (the offline-grant issue; they use
// write_secret_file() from secret_file.hpp).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "salespider/shared/result.hpp"

namespace salespider::tls {

using Clock = std::chrono::system_clock;

// Apple devices refuse TLS server certificates valid for longer than this.
inline constexpr std::chrono::hours kServerValidity{24 * 397};
inline constexpr std::chrono::hours kCaValidity{24 * 3650};
// A server certificate this close to its end is renewed, and serve warns.
inline constexpr std::chrono::hours kRenewBefore{24 * 30};

// Where the TLS files live: DATA_PATH/tls/.
struct Paths {
  std::filesystem::path dir;
  std::filesystem::path ca_cert;
  std::filesystem::path ca_key;
  std::filesystem::path server_cert;
  std::filesystem::path server_key;
  // The constrained CA waiting for devices to trust it (cert reissue-ca), and
  // the CA it replaced (cert rollover), kept so /setup can name it.
  std::filesystem::path next_ca_cert;
  std::filesystem::path next_ca_key;
  std::filesystem::path previous_ca_cert;

  static Paths under(const std::filesystem::path& data_path);
};

// The addresses the till reaches the store by. DOMAIN may be a host name or
// an IP address; HOST_IP, when set, must be an IP address.
struct Names {
  std::string domain;
  std::string host_ip;
};

// The subjectAltName entries a server certificate for `names` carries, in a
// canonical order and spelling ("DNS:localhost", "IP:127.0.0.1", "IP:::1").
// Errc::invalid_value when DOMAIN is not a host name or IP, or HOST_IP is
// not an IP address.
Result<std::vector<std::string>> subject_alt_names(const Names& names);

// The nameConstraints permitted subtrees a CA for `names` carries, canonical
// ("DNS:localhost", "IP:127.0.0.1/32", "IP:::1/128", "IP:192.168.0.0/16"):
// DNS localhost and DOMAIN (a host name also covers its subdomains, as
// RFC 5280 says); IP loopback, and for HOST_IP (or DOMAIN as an IP) the
// private block it lies in (10/8, 172.16/12, 192.168/16, fc00::/7,
// 169.254/16, fe80::/10) so a DHCP lease that changes within the LAN needs no
// new CA, or the address alone when it is not a private one.
Result<std::vector<std::string>> permitted_subtrees(const Names& names);

struct CertificateInfo {
  std::string subject;                // "CN=..."
  std::string issuer;
  std::vector<std::string> alt_names; // canonical, as subject_alt_names()
  bool is_ca = false;
  Clock::time_point not_before;
  Clock::time_point not_after;
  std::string sha256;                 // "AB:CD:..." as browsers show it
  // Permitted subtrees of a critical nameConstraints extension (canonical as
  // permitted_subtrees()); empty for an unconstrained CA and for leaves.
  std::vector<std::string> name_constraints;
  bool name_constrained() const { return !name_constraints.empty(); }

  // Whole days from `now` to not_after (negative once expired).
  long days_left(Clock::time_point now) const;
};

// Reads a PEM certificate. Throws std::runtime_error when the file is
// missing or not a certificate (an operator's infrastructure problem).
CertificateInfo read_certificate_info(const std::filesystem::path& pem_file);

enum class Renewal {
  if_needed,  // cert init, serve
  always,     // cert renew: a new server certificate now (the CA is kept)
};

struct EnsureReport {
  bool ca_created = false;
  bool server_issued = false;
  std::string reason;                 // why the server certificate was (re)issued
  std::vector<std::string> previous_alt_names;  // set when the names changed
  // Names the CA's constraints do not permit, left out of the server
  // certificate (one such name would make clients refuse all of them).
  std::vector<std::string> left_out;
  CertificateInfo ca;
  CertificateInfo server;
  std::optional<CertificateInfo> next_ca;  // a rollover is under way
  std::vector<std::string> warnings;  // sentences for the operator
};

// Creates or refreshes the CA and server certificate as described above.
// Invalid names come back as an error; OpenSSL or file-system failures throw
// std::runtime_error.
Result<EnsureReport> ensure_certificates(const Paths& paths, const Names& names, Clock::time_point now,
                                         Renewal renewal = Renewal::if_needed);

// `cert reissue-ca`, step 1 of moving to a name-constrained CA: creates
// DATA_PATH/tls/ca-next.{crt,key} for the current names, or keeps the one
// already waiting. Nothing the server serves changes: devices install the new
// CA (from /setup) alongside the old one meanwhile. Needs an existing CA.
struct NextCaReport {
  bool created = false;
  CertificateInfo current;
  CertificateInfo next;
};
Result<NextCaReport> prepare_next_ca(const Paths& paths, const Names& names, Clock::time_point now);

// `cert rollover`, step 2: the waiting CA becomes the store's CA, the old CA
// key is deleted (its certificate kept as ca-previous.crt), and a server
// certificate is issued under the new CA. From the next start of the server,
// devices that trust only the old CA are refused. Errc::invalid_value when no
// CA is waiting.
Result<EnsureReport> roll_over_ca(const Paths& paths, const Names& names, Clock::time_point now);

// Warnings about an existing server certificate (expiring, expired) at `now`.
std::vector<std::string> expiry_warnings(const CertificateInfo& server, Clock::time_point now);

}  // namespace salespider::tls
