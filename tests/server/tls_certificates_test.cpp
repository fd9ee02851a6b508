// `salespider cert`'s engine: the local CA and the server certificate it
// signs have the extensions browsers and Apple devices require, the keys are
// owner-only, and the server certificate is re-issued exactly when it must
// be (names changed, near expiry, renewal asked) while the CA stays.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include <chrono>
#include <cstdio>

#include "http_test_support.hpp"
#include "tls/certificates.hpp"
#include "support/openssl_ptr.hpp"
#include "support/secret_file.hpp"

namespace tls = salespider::tls;
namespace support = salespider::support;
using salespider::test::TempDir;

namespace {

support::UniqueX509 load(const std::filesystem::path& p) {
  std::unique_ptr<FILE, decltype(&fclose)> f(std::fopen(p.c_str(), "r"), &fclose);
  return support::UniqueX509(f ? PEM_read_X509(f.get(), nullptr, nullptr, nullptr) : nullptr);
}

using UniqueStore = std::unique_ptr<X509_STORE, support::Deleter<X509_STORE_free>>;
using UniqueStoreCtx = std::unique_ptr<X509_STORE_CTX, support::Deleter<X509_STORE_CTX_free>>;

// Verifies server.crt against ca.crt for a DNS name or IP, as a browser
// would (purpose: TLS server). Returns the X509_V_* result.
int verify_for(const tls::Paths& paths, const std::string& name, bool is_ip) {
  auto ca = load(paths.ca_cert);
  auto server = load(paths.server_cert);
  UniqueStore store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), ca.get());
  UniqueStoreCtx ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), server.get(), nullptr);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
  if (is_ip) {
    X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
  } else {
    X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
  }
  X509_verify_cert(ctx.get());
  return X509_STORE_CTX_get_error(ctx.get());
}

class TlsCertificates : public ::testing::Test {
 protected:
  TempDir data_{"tls"};
  tls::Paths paths_ = tls::Paths::under(data_.path());
  tls::Names names_{"till.shop.test", "192.168.50.7"};
  tls::Clock::time_point now_ = tls::Clock::now();

  tls::EnsureReport ensure(const tls::Names& names, tls::Clock::time_point at,
                           tls::Renewal renewal = tls::Renewal::if_needed) {
    auto report = tls::ensure_certificates(paths_, names, at, renewal);
    EXPECT_TRUE(report.ok());
    return report.ok() ? std::move(report).value() : tls::EnsureReport{};
  }
};

}  // namespace

TEST_F(TlsCertificates, TheCaMaySignCertificatesAndNothingElse) {
  const auto report = ensure(names_, now_);
  EXPECT_TRUE(report.ca_created);
  auto ca = load(paths_.ca_cert);
  ASSERT_TRUE(ca);
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  const auto usage = X509_get_key_usage(ca.get());
  EXPECT_TRUE(usage & KU_KEY_CERT_SIGN);
  EXPECT_TRUE(usage & KU_CRL_SIGN);
  EXPECT_FALSE(usage & KU_DIGITAL_SIGNATURE);
  int critical = 0;
  std::unique_ptr<BASIC_CONSTRAINTS, support::Deleter<BASIC_CONSTRAINTS_free>> bc(static_cast<BASIC_CONSTRAINTS*>(
      X509_get_ext_d2i(ca.get(), NID_basic_constraints, &critical, nullptr)));
  ASSERT_TRUE(bc);
  EXPECT_TRUE(bc->ca);
  EXPECT_EQ(critical, 1);
  EXPECT_EQ(EVP_PKEY_get_base_id(X509_get0_pubkey(ca.get())), EVP_PKEY_EC);
}

TEST_F(TlsCertificates, TheServerCertificateNamesEveryAddressAndServesTlsOnly) {
  const auto report = ensure(names_, now_);
  EXPECT_EQ(report.server.alt_names,
            (std::vector<std::string>{"DNS:localhost", "DNS:till.shop.test", "IP:127.0.0.1", "IP:192.168.50.7",
                                      "IP:::1"}));
  auto server = load(paths_.server_cert);
  ASSERT_TRUE(server);
  EXPECT_EQ(X509_check_ca(server.get()), 0);
  EXPECT_TRUE(X509_get_extended_key_usage(server.get()) & XKU_SSL_SERVER);
  EXPECT_FALSE(X509_get_extended_key_usage(server.get()) & XKU_SSL_CLIENT);
  EXPECT_LE(report.server.not_after - report.server.not_before, std::chrono::hours(24 * 397));
  EXPECT_LE(report.server.not_before, now_);
  EXPECT_EQ(verify_for(paths_, "till.shop.test", false), X509_V_OK);
  EXPECT_EQ(verify_for(paths_, "localhost", false), X509_V_OK);
  EXPECT_EQ(verify_for(paths_, "127.0.0.1", true), X509_V_OK);
  EXPECT_EQ(verify_for(paths_, "::1", true), X509_V_OK);
  EXPECT_EQ(verify_for(paths_, "192.168.50.7", true), X509_V_OK);
  EXPECT_EQ(verify_for(paths_, "other.shop.test", false), X509_V_ERR_HOSTNAME_MISMATCH);
  EXPECT_EQ(verify_for(paths_, "192.168.50.8", true), X509_V_ERR_IP_ADDRESS_MISMATCH);
}

TEST_F(TlsCertificates, KeysAreReadableByTheOwnerOnly) {
  ensure(names_, now_);
  EXPECT_EQ(support::permission_bits(paths_.ca_key), 0600u);
  EXPECT_EQ(support::permission_bits(paths_.server_key), 0600u);
  EXPECT_EQ(support::permission_bits(paths_.dir), 0700u);
  EXPECT_EQ(support::permission_bits(paths_.ca_cert), 0644u);
}

TEST_F(TlsCertificates, ASecondInitChangesNothing) {
  const auto first = ensure(names_, now_);
  const auto second = ensure(names_, now_ + std::chrono::hours(24));
  EXPECT_FALSE(second.ca_created);
  EXPECT_FALSE(second.server_issued);
  EXPECT_EQ(second.ca.sha256, first.ca.sha256);
  EXPECT_EQ(second.server.sha256, first.server.sha256);
  EXPECT_TRUE(second.warnings.empty());
}

TEST_F(TlsCertificates, ChangedNamesReissueTheServerCertificateButKeepTheCa) {
  const auto first = ensure(names_, now_);
  const auto moved = ensure({"till.shop.test", "192.168.60.9"}, now_);
  EXPECT_FALSE(moved.ca_created);
  EXPECT_TRUE(moved.server_issued);
  EXPECT_EQ(moved.reason, "the store's names changed");
  EXPECT_EQ(moved.ca.sha256, first.ca.sha256);
  EXPECT_NE(moved.server.sha256, first.server.sha256);
  EXPECT_EQ(moved.previous_alt_names, first.server.alt_names);
  EXPECT_FALSE(moved.warnings.empty()) << "an operator must hear that enrolled tills are affected";
  EXPECT_EQ(verify_for(paths_, "192.168.60.9", true), X509_V_OK);
}

TEST_F(TlsCertificates, RenewIssuesANewServerCertificateUnderTheSameCa) {
  const auto first = ensure(names_, now_);
  const auto renewed = ensure(names_, now_, tls::Renewal::always);
  EXPECT_TRUE(renewed.server_issued);
  EXPECT_EQ(renewed.ca.sha256, first.ca.sha256);
  EXPECT_NE(renewed.server.sha256, first.server.sha256);
}

TEST_F(TlsCertificates, ACertificateNearItsEndIsRenewedAndWarnedAbout) {
  const auto first = ensure(names_, now_);
  const auto later = now_ + std::chrono::hours(24 * 380);
  EXPECT_FALSE(tls::expiry_warnings(first.server, later).empty());
  EXPECT_TRUE(tls::expiry_warnings(first.server, now_).empty());
  const auto renewed = ensure(names_, later);
  EXPECT_TRUE(renewed.server_issued);
  EXPECT_EQ(renewed.reason, "the server certificate expires within 30 days");
  EXPECT_GT(renewed.server.days_left(later), 390);
}

TEST_F(TlsCertificates, NamesThatAreNotHostNamesOrAddressesAreRefused) {
  EXPECT_FALSE(tls::subject_alt_names({"bad name!", ""}).ok());
  EXPECT_FALSE(tls::subject_alt_names({"-shop.test", ""}).ok());
  EXPECT_FALSE(tls::subject_alt_names({"shop.test", "not-an-ip"}).ok());
  EXPECT_TRUE(tls::subject_alt_names({"10.0.0.2", ""}).ok());
  EXPECT_FALSE(tls::ensure_certificates(paths_, {"bad name!", ""}, now_).ok());
  EXPECT_FALSE(std::filesystem::exists(paths_.ca_key)) << "nothing is written for invalid names";
}
