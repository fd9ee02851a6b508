// See certificates.hpp. Built on OpenSSL 3's EVP and X509v3 APIs; every
// OpenSSL object is held in a unique_ptr (support/openssl_ptr.hpp).
#include "tls/certificates.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/openssl_ptr.hpp"
#include "support/secret_file.hpp"

namespace salespider::tls {
namespace {

using support::throw_openssl_error;
using support::UniqueBignum;
using support::UniqueBio;
using support::UniqueExtension;
using support::UniqueGeneralNames;
using support::UniqueKey;
using support::UniqueX509;
using support::FileMode;
using support::write_file_atomically;
using support::permission_bits;

// ---- names ----------------------------------------------------------------

// The canonical text of an IP address, or "" when `text` is not one.
std::string canonical_ip(const std::string& text) {
  unsigned char bytes[16];
  char out[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, text.c_str(), bytes) == 1) {
    return inet_ntop(AF_INET, bytes, out, sizeof out) ? out : "";
  }
  if (inet_pton(AF_INET6, text.c_str(), bytes) == 1) {
    return inet_ntop(AF_INET6, bytes, out, sizeof out) ? out : "";
  }
  return "";
}

// RFC 1123 host name: dot-separated labels of letters, digits and inner
// hyphens, at most 63 bytes each and 253 in all.
bool is_host_name(const std::string& name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      if (label == 0 || label > 63 || name[i - 1] == '-') return false;
      label = 0;
      continue;
    }
    const auto c = static_cast<unsigned char>(name[i]);
    if (!std::isalnum(c) && !(c == '-' && label > 0)) return false;
    ++label;
  }
  return true;
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// ---- name constraints --------------------------------------------------------

// An address and how many leading bits of it a subtree fixes.
struct IpBlock {
  int family = AF_INET;
  unsigned char bytes[16] = {};
  int prefix = 0;
};

bool in_block(const unsigned char* addr, int family, const char* base, int prefix) {
  unsigned char b[16];
  if (inet_pton(family, base, b) != 1) return false;
  for (int bit = 0; bit < prefix; ++bit) {
    const int mask = 0x80 >> (bit % 8);
    if ((addr[bit / 8] & mask) != (b[bit / 8] & mask)) return false;
  }
  return true;
}

// The private block an address lies in, or the address alone. A private
// block, not the address: HOST_IP comes from DHCP in many shops, and a new
// lease must not need a new CA (re-trusted on every device). A stolen key
// could then certify other private addresses of the LAN, never a name or a
// public address.
IpBlock permitted_block(const std::string& ip) {
  struct Range {
    int family;
    const char* base;
    int prefix;
  };
  static constexpr Range kPrivate[] = {
      {AF_INET, "10.0.0.0", 8},     {AF_INET, "172.16.0.0", 12}, {AF_INET, "192.168.0.0", 16},
      {AF_INET, "169.254.0.0", 16}, {AF_INET6, "fc00::", 7},     {AF_INET6, "fe80::", 10},
  };
  IpBlock block;
  block.family = ip.find(':') == std::string::npos ? AF_INET : AF_INET6;
  inet_pton(block.family, ip.c_str(), block.bytes);
  const int bits = block.family == AF_INET ? 32 : 128;
  block.prefix = bits;
  for (const auto& r : kPrivate) {
    if (r.family == block.family && in_block(block.bytes, r.family, r.base, r.prefix)) {
      inet_pton(r.family, r.base, block.bytes);
      block.prefix = r.prefix;
      break;
    }
  }
  return block;
}

std::string block_text(const IpBlock& b) {
  char out[INET6_ADDRSTRLEN];
  inet_ntop(b.family, b.bytes, out, sizeof out);
  return "IP:" + std::string(out) + "/" + std::to_string(b.prefix);
}

// "IP:192.168.0.0/16" -> "IP:192.168.0.0/255.255.0.0", the address/mask
// form OpenSSL's configuration syntax wants for an iPAddress subtree.
std::string address_and_mask(const std::string& subtree) {
  const auto slash = subtree.find('/');
  const auto address = subtree.substr(3, slash - 3);
  const int prefix = std::stoi(subtree.substr(slash + 1));
  const int family = address.find(':') == std::string::npos ? AF_INET : AF_INET6;
  unsigned char mask[16] = {};
  for (int bit = 0; bit < prefix; ++bit) mask[bit / 8] |= static_cast<unsigned char>(0x80 >> (bit % 8));
  char text[INET6_ADDRSTRLEN];
  inet_ntop(family, mask, text, sizeof text);
  return "IP:" + address + "/" + text;
}

// Canonical text of a GENERAL_SUBTREE's base ("" for kinds we never write).
std::string subtree_text(const GENERAL_NAME* base) {
  if (base->type == GEN_DNS) {
    const auto* str = base->d.dNSName;
    return "DNS:" + lowercase(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(str)),
                                          static_cast<std::size_t>(ASN1_STRING_length(str))));
  }
  if (base->type != GEN_IPADD) return "";
  const auto* str = base->d.iPAddress;
  const int len = ASN1_STRING_length(str);
  if (len != 8 && len != 32) return "";
  IpBlock b;
  b.family = len == 8 ? AF_INET : AF_INET6;
  const unsigned char* data = ASN1_STRING_get0_data(str);
  std::copy(data, data + len / 2, b.bytes);
  for (int i = 0; i < len / 2; ++i) {
    for (int bit = 7; bit >= 0 && (data[len / 2 + i] >> bit & 1); --bit) ++b.prefix;
  }
  return block_text(b);
}

using UniqueNameConstraints = std::unique_ptr<NAME_CONSTRAINTS, support::Deleter<NAME_CONSTRAINTS_free>>;

UniqueNameConstraints name_constraints_of(X509* cert) {
  return UniqueNameConstraints(
      static_cast<NAME_CONSTRAINTS*>(X509_get_ext_d2i(cert, NID_name_constraints, nullptr, nullptr)));
}

std::vector<std::string> permitted_of(X509* cert) {
  std::vector<std::string> out;
  auto nc = name_constraints_of(cert);
  if (!nc || !nc->permittedSubtrees) return out;
  for (int i = 0; i < sk_GENERAL_SUBTREE_num(nc->permittedSubtrees); ++i) {
    if (auto text = subtree_text(sk_GENERAL_SUBTREE_value(nc->permittedSubtrees, i)->base); !text.empty()) {
      out.push_back(std::move(text));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// ---- reading and writing PEM ---------------------------------------------

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

UniqueBio memory_bio(const std::string& text) {
  UniqueBio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) throw_openssl_error("BIO_new_mem_buf");
  return bio;
}

std::string bio_text(BIO* bio) {
  BUF_MEM* mem = nullptr;
  BIO_get_mem_ptr(bio, &mem);
  return mem ? std::string(mem->data, mem->length) : std::string();
}

UniqueX509 load_certificate(const std::filesystem::path& path) {
  const auto text = read_text(path);
  auto bio = memory_bio(text);
  UniqueX509 cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) throw_openssl_error("not a PEM certificate: " + path.string());
  return cert;
}

UniqueKey load_key(const std::filesystem::path& path) {
  const auto text = read_text(path);
  auto bio = memory_bio(text);
  UniqueKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) throw_openssl_error("not a PEM private key: " + path.string());
  return key;
}

std::string certificate_pem(X509* cert) {
  UniqueBio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) throw_openssl_error("PEM_write_bio_X509");
  return bio_text(bio.get());
}

std::string key_pem(EVP_PKEY* key) {
  UniqueBio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw_openssl_error("PEM_write_bio_PrivateKey");
  }
  return bio_text(bio.get());
}

// ---- inspecting ------------------------------------------------------------

std::string name_text(const X509_NAME* name) {
  UniqueBio bio(BIO_new(BIO_s_mem()));
  if (!bio) throw_openssl_error("BIO_new");
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  return bio_text(bio.get());
}

Clock::time_point to_time_point(const ASN1_TIME* t) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) throw_openssl_error("ASN1_TIME_to_tm");
  return Clock::from_time_t(timegm(&tm));
}

std::vector<std::string> alt_names_of(X509* cert) {
  std::vector<std::string> out;
  UniqueGeneralNames names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type == GEN_DNS) {
      const auto* s = gn->d.dNSName;
      out.push_back("DNS:" + lowercase(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                                   static_cast<std::size_t>(ASN1_STRING_length(s)))));
    } else if (gn->type == GEN_IPADD) {
      const auto* s = gn->d.iPAddress;
      char text[INET6_ADDRSTRLEN] = "";
      const int len = ASN1_STRING_length(s);
      if (len == 4 || len == 16) {
        inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(s), text, sizeof text);
      }
      out.push_back(std::string("IP:") + text);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

CertificateInfo info_of(X509* cert) {
  CertificateInfo info;
  info.subject = name_text(X509_get_subject_name(cert));
  info.issuer = name_text(X509_get_issuer_name(cert));
  info.alt_names = alt_names_of(cert);
  info.is_ca = X509_check_ca(cert) >= 1;
  if (info.is_ca) info.name_constraints = permitted_of(cert);
  info.not_before = to_time_point(X509_get0_notBefore(cert));
  info.not_after = to_time_point(X509_get0_notAfter(cert));
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) != 1) throw_openssl_error("X509_digest");
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned int i = 0; i < len; ++i) {
    if (i) info.sha256 += ':';
    info.sha256 += kHex[md[i] >> 4];
    info.sha256 += kHex[md[i] & 0xF];
  }
  return info;
}

// ---- issuing ---------------------------------------------------------------

UniqueKey new_p256_key() {
  UniqueKey key(EVP_EC_gen("P-256"));
  if (!key) throw_openssl_error("EVP_EC_gen(P-256)");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  UniqueExtension ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) throw_openssl_error(std::string("extension ") + value);
}

void add_alt_names(X509* cert, const std::vector<std::string>& alt_names) {
  UniqueGeneralNames names(GENERAL_NAMES_new());
  if (!names) throw_openssl_error("GENERAL_NAMES_new");
  for (const auto& entry : alt_names) {
    GENERAL_NAME* gn = nullptr;
    if (entry.rfind("DNS:", 0) == 0) {
      gn = GENERAL_NAME_new();
      ASN1_IA5STRING* s = ASN1_IA5STRING_new();
      if (!gn || !s || ASN1_STRING_set(s, entry.c_str() + 4, static_cast<int>(entry.size() - 4)) != 1) {
        GENERAL_NAME_free(gn);
        ASN1_IA5STRING_free(s);
        throw_openssl_error("DNS name");
      }
      GENERAL_NAME_set0_value(gn, GEN_DNS, s);
    } else {
      gn = a2i_GENERAL_NAME(nullptr, nullptr, nullptr, GEN_IPADD, entry.c_str() + 3, 0);
      if (!gn) throw_openssl_error("IP address " + entry);
    }
    if (sk_GENERAL_NAME_push(names.get(), gn) == 0) {
      GENERAL_NAME_free(gn);
      throw_openssl_error("sk_GENERAL_NAME_push");
    }
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    throw_openssl_error("subjectAltName");
  }
}

// A 127-bit random positive serial number (RFC 5280: at most 20 octets).
void set_random_serial(X509* cert) {
  UniqueBignum bn(BN_new());
  if (!bn || BN_rand(bn.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert))) {
    throw_openssl_error("serial number");
  }
}

UniqueX509 new_certificate(EVP_PKEY* subject_key, const std::string& common_name, Clock::time_point not_before,
                           Clock::time_point not_after) {
  UniqueX509 cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) throw_openssl_error("X509_new");
  set_random_serial(cert.get());
  if (!ASN1_TIME_set(X509_getm_notBefore(cert.get()), Clock::to_time_t(not_before)) ||
      !ASN1_TIME_set(X509_getm_notAfter(cert.get()), Clock::to_time_t(not_after))) {
    throw_openssl_error("validity");
  }
  if (X509_set_pubkey(cert.get(), subject_key) != 1) throw_openssl_error("X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("SaleSpider"), -1,
                                 -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) != 1) {
    throw_openssl_error("subject name");
  }
  return cert;
}

void sign(X509* cert, EVP_PKEY* issuer_key) {
  if (X509_sign(cert, issuer_key, EVP_sha256()) <= 0) throw_openssl_error("X509_sign");
}

// Backdated by an hour so a till whose clock runs a little slow still
// accepts a certificate issued a moment ago; the total stays within limits.
constexpr std::chrono::hours kBackdate{1};

// A new CA for `names`, with its key, written to `cert_file` / `key_file`.
void create_ca(const std::filesystem::path& cert_file, const std::filesystem::path& key_file,
               const Names& names, const std::vector<std::string>& permitted, Clock::time_point now) {
  auto key = new_p256_key();
  // The random suffix tells two stores' CAs apart on a device that trusts both.
  unsigned char tag[4];
  if (RAND_bytes(tag, sizeof tag) != 1) throw_openssl_error("RAND_bytes");
  char suffix[9];
  std::snprintf(suffix, sizeof suffix, "%02x%02x%02x%02x", tag[0], tag[1], tag[2], tag[3]);
  const auto label = names.domain.empty() ? std::string("store") : names.domain;
  auto cert = new_certificate(key.get(), "SaleSpider local CA " + label + " " + suffix, now - kBackdate,
                              now - kBackdate + kCaValidity);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  add_extension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  add_extension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  add_extension(cert.get(), cert.get(), NID_authority_key_identifier, "keyid:always");
  // Critical, so a client that cannot enforce it refuses the CA rather than
  // trusting it for every site.
  std::string constraints = "critical";
  for (const auto& subtree : permitted) {
    constraints += ",permitted;" + (subtree.rfind("IP:", 0) == 0 ? address_and_mask(subtree) : subtree);
  }
  add_extension(cert.get(), cert.get(), NID_name_constraints, constraints.c_str());
  sign(cert.get(), key.get());
  // Key first: a CA certificate without its key would be useless.
  write_file_atomically(key_file, key_pem(key.get()), FileMode::secret);
  write_file_atomically(cert_file, certificate_pem(cert.get()), FileMode::public_readable);
}

// The alt names the CA may certify, in order; the others go to `left_out`.
// Checked by OpenSSL itself on a throw-away certificate per name, so the
// rule is exactly the one clients apply.
std::vector<std::string> names_within(X509* ca, const std::vector<std::string>& alt_names,
                                      std::vector<std::string>& left_out) {
  auto nc = name_constraints_of(ca);
  if (!nc) return alt_names;
  std::vector<std::string> out;
  for (const auto& name : alt_names) {
    UniqueX509 probe(X509_new());
    if (!probe) throw_openssl_error("X509_new");
    add_alt_names(probe.get(), {name});
    // NAME_CONSTRAINTS_check reads the decoded-extension cache, which a
    // certificate built in memory only gets from this call.
    X509_check_purpose(probe.get(), -1, 0);
    if (NAME_CONSTRAINTS_check(probe.get(), nc.get()) == X509_V_OK) {
      out.push_back(name);
    } else {
      left_out.push_back(name);
    }
  }
  ERR_clear_error();
  return out;
}

void issue_server_certificate(const Paths& paths, const std::vector<std::string>& alt_names,
                              const std::string& common_name, Clock::time_point now) {
  auto ca_cert = load_certificate(paths.ca_cert);
  auto ca_key = load_key(paths.ca_key);
  auto key = new_p256_key();
  auto cert = new_certificate(key.get(), common_name, now - kBackdate, now - kBackdate + kServerValidity);
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())) != 1) throw_openssl_error("issuer");
  add_extension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  // ECDSA keys sign; they never encipher keys, so no keyEncipherment.
  add_extension(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature");
  add_extension(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth");
  add_extension(cert.get(), ca_cert.get(), NID_subject_key_identifier, "hash");
  add_extension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always");
  add_alt_names(cert.get(), alt_names);
  sign(cert.get(), ca_key.get());
  write_file_atomically(paths.server_key, key_pem(key.get()), FileMode::secret);
  write_file_atomically(paths.server_cert, certificate_pem(cert.get()), FileMode::public_readable);
}

// Why the existing server certificate must be replaced, or "" if it is fine.
std::string server_certificate_problem(const Paths& paths, const std::vector<std::string>& wanted,
                                       Clock::time_point now, std::vector<std::string>& previous_names) {
  namespace fs = std::filesystem;
  if (!fs::exists(paths.server_cert) || !fs::exists(paths.server_key)) return "no server certificate yet";
  auto cert = load_certificate(paths.server_cert);
  auto key = load_key(paths.server_key);
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return "the server key does not match the certificate";
  }
  auto ca = load_certificate(paths.ca_cert);
  if (X509_verify(cert.get(), X509_get0_pubkey(ca.get())) != 1) {
    ERR_clear_error();
    return "the server certificate was not signed by this store's CA";
  }
  const auto info = info_of(cert.get());
  if (info.alt_names != wanted) {
    previous_names = info.alt_names;
    return "the store's names changed";
  }
  if (info.not_after - now < kRenewBefore) return "the server certificate expires within 30 days";
  if (info.not_before > now) return "the server certificate is not valid yet (was the clock changed?)";
  return "";
}

}  // namespace

Paths Paths::under(const std::filesystem::path& data_path) {
  const auto dir = data_path / "tls";
  return Paths{dir,          dir / "ca.crt",      dir / "ca.key",     dir / "server.crt",
               dir / "server.key", dir / "ca-next.crt", dir / "ca-next.key", dir / "ca-previous.crt"};
}

long CertificateInfo::days_left(Clock::time_point now) const {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::hours>(not_after - now).count() / 24);
}

Result<std::vector<std::string>> subject_alt_names(const Names& names) {
  std::vector<std::string> out{"DNS:localhost", "IP:127.0.0.1", "IP:::1"};
  if (!names.domain.empty()) {
    if (const auto ip = canonical_ip(names.domain); !ip.empty()) {
      out.push_back("IP:" + ip);
    } else if (is_host_name(names.domain)) {
      out.push_back("DNS:" + lowercase(names.domain));
    } else {
      return make_error(Errc::invalid_value, "DOMAIN is neither a host name nor an IP address: " + names.domain);
    }
  }
  if (!names.host_ip.empty()) {
    const auto ip = canonical_ip(names.host_ip);
    if (ip.empty()) return make_error(Errc::invalid_value, "HOST_IP is not an IP address: " + names.host_ip);
    out.push_back("IP:" + ip);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<std::vector<std::string>> permitted_subtrees(const Names& names) {
  auto alt_names = subject_alt_names(names);  // validates DOMAIN and HOST_IP
  if (!alt_names) return std::move(alt_names).error();
  std::vector<std::string> out{"DNS:localhost", "IP:127.0.0.1/32", "IP:::1/128"};
  for (const auto& value : {names.domain, names.host_ip}) {
    if (value.empty()) continue;
    if (const auto ip = canonical_ip(value); !ip.empty()) {
      out.push_back(block_text(permitted_block(ip)));
    } else {
      out.push_back("DNS:" + lowercase(value));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

CertificateInfo read_certificate_info(const std::filesystem::path& pem_file) {
  auto cert = load_certificate(pem_file);
  return info_of(cert.get());
}

std::vector<std::string> expiry_warnings(const CertificateInfo& server, Clock::time_point now) {
  std::vector<std::string> out;
  const auto days = server.days_left(now);
  if (server.not_after <= now) {
    out.push_back("the server certificate has expired: run `salespider cert renew`");
  } else if (server.not_after - now < kRenewBefore) {
    out.push_back("the server certificate expires in " + std::to_string(days) +
                  " days: run `salespider cert renew` (serve renews it at start)");
  }
  return out;
}

namespace {

// What every report says about the CA: unconstrained, a rollover waiting,
// names left out.
void add_ca_warnings(const Paths& paths, EnsureReport& report) {
  if (std::filesystem::exists(paths.next_ca_cert)) {
    report.next_ca = read_certificate_info(paths.next_ca_cert);
    report.warnings.push_back(
        "a new name-constrained CA is waiting in " + paths.next_ca_cert.string() +
        ": once every device trusts it (http://<server>/setup), run `salespider cert rollover` and restart");
  } else if (!report.ca.name_constrained()) {
    report.warnings.push_back(
        "the store's CA is not name-constrained: whoever steals its key can impersonate any web site on the "
        "devices that trust it. Run `salespider cert reissue-ca` (docs/security.md, \"Moving to a "
        "name-constrained CA\")");
  }
  for (const auto& name : report.left_out) {
    report.warnings.push_back(name + " is outside the names the store's CA may certify, so it is left out of the "
                              "server certificate and devices using it are refused: run `salespider cert "
                              "reissue-ca` for the new names, then `salespider cert rollover`");
  }
}

// Issues the server certificate if `reason` says so, and fills the report.
void finish_report(const Paths& paths, const Names& names, const std::vector<std::string>& wanted,
                   const std::string& reason, Clock::time_point now, EnsureReport& report) {
  if (!reason.empty()) {
    const auto common_name = names.domain.empty() ? std::string("localhost") : lowercase(names.domain);
    issue_server_certificate(paths, wanted, common_name, now);
    report.server_issued = true;
    report.reason = reason;
  }
  report.ca = read_certificate_info(paths.ca_cert);
  report.server = read_certificate_info(paths.server_cert);
  if (!report.previous_alt_names.empty()) {
    report.warnings.push_back(
        "the server certificate's names changed; tills enrolled under the old address keep their data "
        "under that origin and must be re-enrolled at the new one");
  }
  add_ca_warnings(paths, report);
  for (auto& w : expiry_warnings(report.server, now)) report.warnings.push_back(std::move(w));
}

}  // namespace

Result<EnsureReport> ensure_certificates(const Paths& paths, const Names& names, Clock::time_point now,
                                         Renewal renewal) {
  auto all_names = subject_alt_names(names);
  if (!all_names) return std::move(all_names).error();
  auto permitted = permitted_subtrees(names);
  if (!permitted) return std::move(permitted).error();

  namespace fs = std::filesystem;
  support::ensure_private_directory(paths.dir);
  EnsureReport report;
  const bool have_ca = fs::exists(paths.ca_cert) && fs::exists(paths.ca_key);
  if (!have_ca) {
    create_ca(paths.ca_cert, paths.ca_key, names, *permitted, now);
    report.ca_created = true;
  } else if (permission_bits(paths.ca_key) & 077) {
    report.warnings.push_back(paths.ca_key.string() + " was readable by others; it is now 0600");
    fs::permissions(paths.ca_key, fs::perms::owner_read | fs::perms::owner_write);
  }
  const auto wanted = names_within(load_certificate(paths.ca_cert).get(), *all_names, report.left_out);

  std::string reason;
  if (report.ca_created) {
    reason = "a new CA was created";
  } else if (renewal == Renewal::always) {
    reason = "renewal was requested";
  } else {
    reason = server_certificate_problem(paths, wanted, now, report.previous_alt_names);
  }
  finish_report(paths, names, wanted, reason, now, report);
  return report;
}

Result<NextCaReport> prepare_next_ca(const Paths& paths, const Names& names, Clock::time_point now) {
  auto permitted = permitted_subtrees(names);
  if (!permitted) return std::move(permitted).error();
  namespace fs = std::filesystem;
  if (!fs::exists(paths.ca_cert) || !fs::exists(paths.ca_key)) {
    return make_error(Errc::invalid_value,
                      "there is no CA in " + paths.dir.string() + " yet: `salespider cert init` creates a "
                      "name-constrained one");
  }
  support::ensure_private_directory(paths.dir);
  NextCaReport report;
  if (!fs::exists(paths.next_ca_cert) || !fs::exists(paths.next_ca_key)) {
    create_ca(paths.next_ca_cert, paths.next_ca_key, names, *permitted, now);
    report.created = true;
  }
  report.current = read_certificate_info(paths.ca_cert);
  report.next = read_certificate_info(paths.next_ca_cert);
  return report;
}

Result<EnsureReport> roll_over_ca(const Paths& paths, const Names& names, Clock::time_point now) {
  auto all_names = subject_alt_names(names);
  if (!all_names) return std::move(all_names).error();
  namespace fs = std::filesystem;
  if (!fs::exists(paths.next_ca_cert)) {
    return make_error(Errc::invalid_value, "no new CA is waiting in " + paths.dir.string() +
                                               ": run `salespider cert reissue-ca` first");
  }
  // Resumable: a crash between the two renames below leaves the new key in
  // place as ca.key and ca-next.crt still waiting.
  if (fs::exists(paths.next_ca_key)) {
    const auto old_ca = read_text(paths.ca_cert);
    write_file_atomically(paths.previous_ca_cert, old_ca, FileMode::public_readable);
    // Renaming onto ca.key replaces the old, unconstrained key: it must not
    // outlive the switch, since every device that still trusts it would
    // believe anything it signs.
    fs::rename(paths.next_ca_key, paths.ca_key);
  }
  auto next_cert = load_certificate(paths.next_ca_cert);
  if (X509_check_private_key(next_cert.get(), load_key(paths.ca_key).get()) != 1) {
    ERR_clear_error();
    return make_error(Errc::invalid_value, paths.next_ca_cert.string() + " does not belong to " +
                                               paths.ca_key.string() + ": run `salespider cert reissue-ca` again");
  }
  fs::rename(paths.next_ca_cert, paths.ca_cert);

  EnsureReport report;
  const auto wanted = names_within(next_cert.get(), *all_names, report.left_out);
  finish_report(paths, names, wanted, "the store moved to a new CA", now, report);
  return report;
}

}  // namespace salespider::tls
