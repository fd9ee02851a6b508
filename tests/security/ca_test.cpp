// The store's CA, attacked the way a thief of its key would: a certificate
// for another site signed with the stolen key must be refused by a client
// that trusts the CA (name constraints), over real TLS too, while tills keep
// reaching the store. A store whose CA predates the constraints moves to a
// constrained one with `cert reissue-ca` + `cert rollover` without a till
// losing the server at any step. And what the server keeps on disk (DATA_PATH,
// logs, keys) is the owner's alone after `cert init` and `serve`.
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "common_pg.hpp"
#include "http_test_support.hpp"
#include "salespider_process.hpp"
#include "tls_client_support.hpp"
#include "support/openssl_ptr.hpp"
#include "support/secret_file.hpp"
#include "tls/certificates.hpp"

namespace fs = std::filesystem;
namespace tls = salespider::tls;
namespace support = salespider::support;
using salespider::test::RawSocket;
using salespider::test::RunningServer;
using salespider::test::TempDir;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- certificates an attacker (or an old store) would have -----------------

support::UniqueX509 load_cert(const fs::path& p) {
  const auto text = read_file(p);
  support::UniqueBio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  return support::UniqueX509(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

support::UniqueKey load_key(const fs::path& p) {
  const auto text = read_file(p);
  support::UniqueBio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  return support::UniqueKey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

void write_pem(const fs::path& p, X509* cert) {
  support::UniqueBio bio(BIO_new_file(p.c_str(), "w"));
  ASSERT_EQ(PEM_write_bio_X509(bio.get(), cert), 1);
}

void write_key(const fs::path& p, EVP_PKEY* key) {
  support::UniqueBio bio(BIO_new_file(p.c_str(), "w"));
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), 1);
  fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write);
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  support::UniqueExtension ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  ASSERT_TRUE(ext) << value;
  X509_add_ext(cert, ext.get(), -1);
}

support::UniqueX509 new_cert(EVP_PKEY* key, const char* cn) {
  support::UniqueX509 cert(X509_new());
  X509_set_version(cert.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 4242);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  return cert;
}

// A CA as stores made them before name constraints.
void make_unconstrained_ca(const tls::Paths& paths) {
  fs::create_directories(paths.dir);
  support::UniqueKey key(EVP_EC_gen("P-256"));
  auto cert = new_cert(key.get(), "SaleSpider local CA (old)");
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  add_ext(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  add_ext(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  X509_sign(cert.get(), key.get(), EVP_sha256());
  write_key(paths.ca_key, key.get());
  write_pem(paths.ca_cert, cert.get());
}

// What a thief does with the store's CA key: a server certificate for a
// site that is not the store.
void forge_leaf(const tls::Paths& paths, const char* alt_name, const fs::path& cert_file, const fs::path& key_file) {
  auto ca = load_cert(paths.ca_cert);
  auto ca_key = load_key(paths.ca_key);
  support::UniqueKey key(EVP_EC_gen("P-256"));
  auto cert = new_cert(key.get(), "example.com");
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.get()));
  add_ext(cert.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert.get(), ca.get(), NID_ext_key_usage, "serverAuth");
  add_ext(cert.get(), ca.get(), NID_subject_alt_name, alt_name);
  X509_sign(cert.get(), ca_key.get(), EVP_sha256());
  write_pem(cert_file, cert.get());
  write_key(key_file, key.get());
}

// X509_verify_cert of `leaf` with `ca_file` as the only trust anchor.
int verify(const fs::path& ca_file, const fs::path& leaf_file) {
  auto ca = load_cert(ca_file);
  auto leaf = load_cert(leaf_file);
  std::unique_ptr<X509_STORE, support::Deleter<X509_STORE_free>> store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), ca.get());
  std::unique_ptr<X509_STORE_CTX, support::Deleter<X509_STORE_CTX_free>> ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr);
  const int ok = X509_verify_cert(ctx.get());
  const int error = X509_STORE_CTX_get_error(ctx.get());
  ERR_clear_error();
  return ok == 1 ? X509_V_OK : error;
}

// ---- a till's TLS client ---------------------------------------------------

// "" when a till trusting only `ca_file` reaches the server as `name`.
std::string till_request(int port, const fs::path& ca_file, const std::string& name, bool is_ip) {
  return salespider::test::tls_health(port, ca_file, name, is_ip);
}

// The store server, serving `cert_file` as `salespider serve` would.
std::unique_ptr<RunningServer> https_server(const tls::Paths& paths, const fs::path& cert_file,
                                            const fs::path& key_file) {
  auto config = salespider::test::test_config();
  config.tls_cert_file = cert_file;
  config.tls_key_file = key_file;
  config.ca_cert_file = paths.ca_cert;
  config.public_host = "till.shop.test";
  return std::make_unique<RunningServer>(config);
}

using Salespider = salespider::test::SalespiderProcess;

// Runs a one-shot command; its stdout+stderr.
std::string run(const fs::path& cwd, std::vector<std::string> args, int expect_rc = 0) {
  Salespider p(cwd, std::move(args));
  const int rc = p.wait();
  EXPECT_EQ(rc, expect_rc) << p.output();
  return p.output();
}

nlohmann::json json_of(const std::string& output) {
  // Warnings come first, one JSON line each; the report is the last object.
  const auto start = output.find("\n{\n");
  return nlohmann::json::parse(start == std::string::npos ? output : output.substr(start + 1), nullptr, false);
}

unsigned mode(const fs::path& p) { return support::permission_bits(p); }

const tls::Names kNames{"till.shop.test", "192.168.50.7"};

}  // namespace

// ---- name constraints ------------------------------------------------------

TEST(StolenCaKey, ACertificateForAnotherSiteIsRefusedByAClientTrustingTheCa) {
  TempDir data("ca-nc");
  const auto paths = tls::Paths::under(data.path());
  ASSERT_TRUE(tls::ensure_certificates(paths, kNames, tls::Clock::now()).ok());

  EXPECT_EQ(verify(paths.ca_cert, paths.server_cert), X509_V_OK) << "the store's own certificate verifies";
  for (const char* other : {"DNS:example.com", "DNS:accounts.google.com", "DNS:till.shop.test.evil.com",
                            "IP:8.8.8.8", "IP:2001:db8::1"}) {
    forge_leaf(paths, other, data.path() / "forged.crt", data.path() / "forged.key");
    EXPECT_EQ(verify(paths.ca_cert, data.path() / "forged.crt"), X509_V_ERR_PERMITTED_VIOLATION) << other;
  }
  // Mixing one store name in does not help the thief either.
  forge_leaf(paths, "DNS:localhost,DNS:example.com", data.path() / "forged.crt", data.path() / "forged.key");
  EXPECT_EQ(verify(paths.ca_cert, data.path() / "forged.crt"), X509_V_ERR_PERMITTED_VIOLATION);
}

TEST(StolenCaKey, AForgedServerIsRefusedOverTlsWhileTheStoreIsReached) {
  TempDir data("ca-tls");
  const auto paths = tls::Paths::under(data.path());
  ASSERT_TRUE(tls::ensure_certificates(paths, kNames, tls::Clock::now()).ok());
  {
    auto store = https_server(paths, paths.server_cert, paths.server_key);
    for (const auto& [name, ip] : std::vector<std::pair<std::string, bool>>{
             {"localhost", false}, {"till.shop.test", false}, {"127.0.0.1", true}, {"192.168.50.7", true}}) {
      EXPECT_EQ(till_request(store->https_port(), paths.ca_cert, name, ip), "") << name;
    }
  }
  // The thief's own server on the LAN, pretending to be example.com.
  forge_leaf(paths, "DNS:example.com", data.path() / "forged.crt", data.path() / "forged.key");
  auto forged = https_server(paths, data.path() / "forged.crt", data.path() / "forged.key");
  EXPECT_EQ(till_request(forged->https_port(), paths.ca_cert, "example.com", false),
            std::string("refused: ") + X509_verify_cert_error_string(X509_V_ERR_PERMITTED_VIOLATION));
}

TEST(StolenCaKey, ACaWithoutConstraintsIsWhatStoresHadAndWouldSignAnything) {
  // The baseline the constraints close: an old store's CA vouches for any site.
  TempDir data("ca-old");
  const auto paths = tls::Paths::under(data.path());
  make_unconstrained_ca(paths);
  forge_leaf(paths, "DNS:example.com", data.path() / "forged.crt", data.path() / "forged.key");
  EXPECT_EQ(verify(paths.ca_cert, data.path() / "forged.crt"), X509_V_OK);
  EXPECT_FALSE(tls::read_certificate_info(paths.ca_cert).name_constrained());
}

TEST(CertCommand, ShowSaysWhetherTheCaIsNameConstrained) {
  TempDir dir("ca-show");
  run(dir.path(), {"cert", "init", "--data-path", "data", "--domain", "till.shop.test", "--host-ip", "192.168.50.7"});
  auto shown = json_of(run(dir.path(), {"cert", "show", "--data-path", "data"}));
  EXPECT_EQ(shown["ca"]["name_constrained"], true) << shown.dump();
  EXPECT_EQ(shown["ca"]["permitted_names"],
            nlohmann::json({"DNS:localhost", "DNS:till.shop.test", "IP:127.0.0.1/32", "IP:192.168.0.0/16",
                            "IP:::1/128"}));

  TempDir old("ca-show-old");
  make_unconstrained_ca(tls::Paths::under(old.path() / "data"));
  run(old.path(), {"cert", "init", "--data-path", "data"});
  auto old_shown = json_of(run(old.path(), {"cert", "show", "--data-path", "data"}));
  EXPECT_EQ(old_shown["ca"]["name_constrained"], false) << old_shown.dump();
  EXPECT_NE(old_shown["warnings"].dump().find("reissue-ca"), std::string::npos) << old_shown.dump();
}

TEST(CertCommand, NamesOutsideTheConstraintsAreLeftOutNotFatal) {
  // HOST_IP moved to another private block after the CA was made: the server
  // certificate must still verify for every name it carries.
  TempDir data("ca-moved");
  const auto paths = tls::Paths::under(data.path());
  ASSERT_TRUE(tls::ensure_certificates(paths, kNames, tls::Clock::now()).ok());
  auto report = tls::ensure_certificates(paths, {"till.shop.test", "10.1.2.3"}, tls::Clock::now());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->left_out, std::vector<std::string>{"IP:10.1.2.3"});
  EXPECT_EQ(verify(paths.ca_cert, paths.server_cert), X509_V_OK);
  EXPECT_NE(::testing::PrintToString(report->warnings).find("reissue-ca"), std::string::npos);
}

// ---- moving an old store to a constrained CA -------------------------------

TEST(CaRollover, TillsTrustingTheOldCaKeepWorkingUntilTheSwitchAndTheNewOnesAfter) {
  TempDir dir("ca-roll");
  const auto data = dir.path() / "data";
  const auto paths = tls::Paths::under(data);
  make_unconstrained_ca(paths);
  const auto names = std::vector<std::string>{"--data-path", "data", "--domain", "till.shop.test"};
  auto cert = [&](const std::string& sub) {
    std::vector<std::string> args{"cert", sub};
    args.insert(args.end(), names.begin(), names.end());
    return run(dir.path(), args);
  };
  cert("init");
  const auto old_ca = dir.path() / "old-ca.crt";  // what the tills trust today
  fs::copy_file(paths.ca_cert, old_ca);
  const auto old_key = read_file(paths.ca_key);

  // Step 1: a new constrained CA waits; nothing the server serves changes.
  auto step1 = json_of(cert("reissue-ca"));
  EXPECT_EQ(step1["next_ca"]["name_constrained"], true) << step1.dump();
  EXPECT_EQ(step1["ca"]["name_constrained"], false);
  cert("init");  // what serve does at every start
  const auto new_ca = dir.path() / "new-ca.crt";
  {
    auto store = https_server(paths, paths.server_cert, paths.server_key);
    EXPECT_EQ(till_request(store->https_port(), old_ca, "till.shop.test", false), "") << "old till, before";
    EXPECT_NE(till_request(store->https_port(), paths.next_ca_cert, "till.shop.test", false), "")
        << "the new CA is not in use yet";
    // Devices fetch the new CA from the setup page, over plain HTTP.
    httplib::Client http("127.0.0.1", store->http_port());
    auto next = http.Get("/ca.crt?next=1");
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, 200);
    EXPECT_EQ(next->body, read_file(paths.next_ca_cert));
    auto current = http.Get("/ca.crt");
    ASSERT_TRUE(current);
    EXPECT_EQ(current->body, read_file(old_ca)) << "/ca.crt is still what makes HTTPS work today";
    auto setup = http.Get("/setup");
    ASSERT_TRUE(setup);
    EXPECT_NE(setup->body.find(tls::read_certificate_info(paths.next_ca_cert).sha256), std::string::npos);
    std::ofstream(new_ca) << next->body;
  }

  // Step 2: the switch. Tills that installed the new CA work; the old CA and
  // its key are gone from the server.
  auto step2 = json_of(cert("rollover"));
  EXPECT_EQ(step2["ca"]["name_constrained"], true) << step2.dump();
  EXPECT_FALSE(fs::exists(paths.next_ca_cert));
  EXPECT_NE(read_file(paths.ca_key), old_key) << "the unconstrained key must not outlive the switch";
  EXPECT_EQ(read_file(paths.previous_ca_cert), read_file(old_ca));
  cert("init");
  {
    auto store = https_server(paths, paths.server_cert, paths.server_key);
    EXPECT_EQ(till_request(store->https_port(), new_ca, "till.shop.test", false), "") << "new till, after";
    EXPECT_EQ(till_request(store->https_port(), new_ca, "127.0.0.1", true), "");
    EXPECT_NE(till_request(store->https_port(), old_ca, "till.shop.test", false), "")
        << "a device that never installed the new CA is refused after the switch (documented)";
  }
  auto shown = json_of(run(dir.path(), {"cert", "show", "--data-path", "data"}));
  EXPECT_EQ(shown["ca"]["name_constrained"], true);
  run(dir.path(), {"cert", "rollover", "--data-path", "data"}, 2);  // nothing waiting now
}

// ---- data at rest ----------------------------------------------------------

namespace {

// A DATA_PATH as a careless copy or an old version leaves it.
void loosen(const fs::path& data) {
  fs::create_directories(data / "logs");
  fs::create_directories(data / "keys");
  std::ofstream(data / "logs" / "salespider.log") << "{}\n";
  std::ofstream(data / "keys" / "old.key") << "secret\n";
  std::ofstream(data / "first-login.txt") << "password\n";
  ::chmod(data.c_str(), 0755);
  for (const char* d : {"logs", "keys", "tls"}) ::chmod((data / d).c_str(), 0755);
  for (const char* f : {"logs/salespider.log", "keys/old.key", "first-login.txt", "tls/ca.key"}) {
    ::chmod((data / f).c_str(), 0644);
  }
}

void expect_private(const fs::path& data) {
  EXPECT_EQ(mode(data) & 067, 0u) << "DATA_PATH at most 0710";
  for (const char* d : {"logs", "keys", "tls"}) EXPECT_EQ(mode(data / d), 0700u) << d;
  for (const char* f : {"logs/salespider.log", "keys/old.key", "first-login.txt", "tls/ca.key",
                        "tls/server.key"}) {
    EXPECT_EQ(mode(data / f), 0600u) << f;
  }
}

}  // namespace

TEST(DataAtRest, CertInitMakesDataPathOwnerOnlyAndSaysWhatWasOpen) {
  TempDir dir("ca-rest");
  const auto data = dir.path() / "data";
  run(dir.path(), {"cert", "init", "--data-path", "data"});
  loosen(data);
  const auto out = run(dir.path(), {"cert", "init", "--data-path", "data"});
  expect_private(data);
  EXPECT_EQ(mode(data), 0700u);
  EXPECT_NE(out.find("old.key was mode 0644; it is now 0600"), std::string::npos) << out;
  EXPECT_NE(out.find("salespider.log was mode 0644"), std::string::npos) << out;

  // A fresh DATA_PATH is created private, without complaints.
  TempDir fresh("ca-rest-fresh");
  const auto first = run(fresh.path(), {"cert", "init", "--data-path", "data"});
  EXPECT_EQ(mode(fresh.path() / "data"), 0700u);
  EXPECT_EQ(mode(fresh.path() / "data" / "tls"), 0700u);
  EXPECT_EQ(first.find("tightened"), std::string::npos) << first;
}

TEST(DataAtRest, ServeMakesDataPathLogsAndKeysOwnerOnly) {
  testpg::TempDatabase db;
  const auto url = testpg::url_for(db.name());
  if (url.empty()) GTEST_SKIP() << "needs the embedded test cluster";
  TempDir dir("ca-serve");
  const auto data = dir.path() / "data";
  run(dir.path(), {"cert", "init", "--data-path", "data"});
  loosen(data);
  Salespider server(dir.path(), {"serve", "--port", "0", "--https-port", "0", "--host", "127.0.0.1",
                                 "--data-path", "data"},
                    {"DATABASE_URL=" + url});
  ASSERT_GT(server.wait_listening(), 0) << server.output();
  expect_private(data);
  EXPECT_EQ(mode(data), 0700u) << "no embedded cluster here: nobody else needs to pass";
  EXPECT_NE(server.output().find("data at rest was readable by others"), std::string::npos) << server.output();
  EXPECT_EQ(server.stop(), 0) << server.output();
}

TEST(DataAtRest, TheEmbeddedClustersUserMayPassThroughDataPathButNotListIt) {
  // Root runs the server, PostgreSQL runs as `postgres` with its cluster in
  // DATA_PATH/postgres: 0710 with postgres' group, never readable.
  const passwd* pg = ::getpwnam("postgres");
  if (::geteuid() != 0 || pg == nullptr) GTEST_SKIP() << "needs root and a postgres user";
  TempDir dir("ca-traverse");
  const auto data = dir.path() / "data";
  fs::create_directories(data / "postgres");
  ASSERT_EQ(::chown((data / "postgres").c_str(), pg->pw_uid, pg->pw_gid), 0);
  ::chmod(data.c_str(), 0755);
  const auto report = support::secure_data_path(data);
  struct stat st {};
  ASSERT_EQ(::stat(data.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0710u);
  EXPECT_EQ(st.st_gid, pg->pw_gid);
  EXPECT_EQ(report.size(), 1u) << "the 0755 was a finding; letting postgres through is not";
}
