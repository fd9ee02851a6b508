// Configuration: the .env parser (docker compose rules), precedence of the
// layers, validation that names the variable, the DATABASE_URL translation
// for libpq, and the guide's example .env as written. No files, no database.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "config/dotenv.hpp"
#include "db/database.hpp"
#include "db/embedded_postgres.hpp"

using salespider::config::Layers;
using salespider::config::load;
using salespider::config::parse_dotenv;

namespace {

std::string guide_env() {
  std::ifstream in(SALESPIDER_TEST_FIXTURES "/guide.env");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string value_of(const std::string& text, const std::string& key) {
  auto entries = parse_dotenv(text);
  EXPECT_TRUE(entries.ok()) << entries.error().context;
  std::string out = "<missing>";
  for (const auto& e : *entries) {
    if (e.key == key) out = e.value;
  }
  return out;
}

Layers env_only(std::string text) {
  Layers l;
  l.dotenv_text = std::move(text);
  return l;
}

}  // namespace

TEST(Dotenv, ReadsPlainQuotedAndExportedValues) {
  const std::string text =
      "A=1\n"
      "export B=two words\n"
      "C=\"quoted # not a comment\"\n"
      "D='single $HOME \\n'\n"
      "E=\"line\\nbreak \\\"q\\\"\"\n"
      "   \n"
      "# a comment\n"
      "F = spaced \n";
  EXPECT_EQ(value_of(text, "A"), "1");
  EXPECT_EQ(value_of(text, "B"), "two words");
  EXPECT_EQ(value_of(text, "C"), "quoted # not a comment");
  EXPECT_EQ(value_of(text, "D"), "single $HOME \\n");
  EXPECT_EQ(value_of(text, "E"), "line\nbreak \"q\"");
  EXPECT_EQ(value_of(text, "F"), "spaced");
}

TEST(Dotenv, InlineCommentNeedsWhitespaceBeforeTheHash) {
  EXPECT_EQ(value_of("K=  # Leave empty or remove\n", "K"), "");
  EXPECT_EQ(value_of("K=192.168.1.100  # Your IP\n", "K"), "192.168.1.100");
  EXPECT_EQ(value_of("K=abc#def\n", "K"), "abc#def");
  EXPECT_EQ(value_of("K=\"0 2 * * 0\"  # Weekly\n", "K"), "0 2 * * 0");
  EXPECT_EQ(value_of("K=\n", "K"), "");
}

TEST(Dotenv, ToleratesCrlfAndAByteOrderMark) {
  EXPECT_EQ(value_of("\xEF\xBB\xBFK=v\r\nL=w\r\n", "K"), "v");
  EXPECT_EQ(value_of("\xEF\xBB\xBFK=v\r\nL=w\r\n", "L"), "w");
}

TEST(Dotenv, MalformedLinesAreErrorsWithTheLineNumber) {
  auto r = parse_dotenv("A=1\nthis is not an assignment\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().context.find("line 2"), std::string::npos) << r.error().context;
  auto q = parse_dotenv("A=1\n\nB=\"unterminated\n");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.error().context.find("line 3"), std::string::npos) << q.error().context;
  auto t = parse_dotenv("A=\"x\" trailing\n");
  ASSERT_FALSE(t.ok());
}

TEST(Config, DefaultsNeedNoFileAndMeanEmbeddedDatabase) {
  auto r = load(Layers{});
  ASSERT_TRUE(r.ok()) << r.error().context;
  EXPECT_TRUE(r->config.embedded_database());
  EXPECT_EQ(r->config.http_port, 8080);
  EXPECT_EQ(r->config.https_port, 8443);
  EXPECT_EQ(r->config.data_path, "data");
  EXPECT_EQ(r->config.log_level, salespider::config::LogLevel::info);
  EXPECT_FALSE(r->config.backup_repo_configured());
  EXPECT_TRUE(r->warnings.empty());
}

TEST(Config, TheGuidesExampleEnvWorksAsWritten) {
  auto r = load(env_only(guide_env()));
  ASSERT_TRUE(r.ok()) << r.error().context;
  const auto& c = r->config;
  EXPECT_FALSE(c.embedded_database());
  EXPECT_EQ(c.database_schema, "public");
  EXPECT_EQ(c.database_conninfo,
            "postgresql://postgres:YourPassword@postgres:5432/salespider?options=-csearch_path%3Dpublic&connect_timeout=10");
  EXPECT_EQ(c.pgbackrest_repo1_type, "posix");
  EXPECT_EQ(c.pgbackrest_repo1_path, "/var/lib/pgbackrest");
  EXPECT_EQ(c.domain, "salespider.local");
  EXPECT_EQ(c.host_ip, "192.168.1.100");
  EXPECT_EQ(c.allowed_origins, (std::vector<std::string>{"https://salespider.local", "https://192.168.1.100"}));
  EXPECT_EQ(c.backup_schedule_full, "0 2 * * 0");
  EXPECT_TRUE(r->warnings.empty()) << r->warnings.front();
  // libpq itself accepts the translation (it rejects `?schema=`).
  EXPECT_FALSE(salespider::db::conninfo_problem(c.database_conninfo).has_value());
  EXPECT_TRUE(salespider::db::conninfo_problem(
                  "postgresql://postgres:YourPassword@postgres:5432/salespider?schema=public")
                  .has_value());
}

TEST(Config, ASettingThatDoesNotApplyIsAcceptedWithAWarning) {
  auto r = load(env_only("GEMINI_API_KEY=abc123\nJWT_SECRET=x\nFROBNICATE=1\n"));
  ASSERT_TRUE(r.ok()) << r.error().context;
  ASSERT_EQ(r->warnings.size(), 3u);
  std::string all;
  for (const auto& w : r->warnings) all += w + "\n";
  EXPECT_NE(all.find("GEMINI_API_KEY"), std::string::npos);
  EXPECT_NE(all.find("JWT_SECRET"), std::string::npos);
  EXPECT_NE(all.find("unknown setting FROBNICATE"), std::string::npos);
  EXPECT_EQ(all.find("abc123"), std::string::npos) << "a key must never be echoed";
}

TEST(Config, MalformedValuesStopStartupNamingEachVariable) {
  auto r = load(env_only(
      "HTTP_PORT=eighty\nHTTPS_PORT=70000\nHOST_IP=192.168.1.300\nLOG_LEVEL=loud\n"
      "DATABASE_URL=mysql://u:secretpw@h/db\nPGBACKREST_REPO1_TYPE=tape\nALLOWED_ORIGINS=*\n"
      "BACKUP_SCHEDULE_FULL=weekly\nSUPER_ADMIN_EMAIL=nobody\nSUPER_ADMIN_PASSWORD=short\nDOMAIN=bad_domain!\n"));
  ASSERT_FALSE(r.ok());
  const auto& ctx = r.error().context;
  for (const char* name : {"HTTP_PORT", "HTTPS_PORT", "HOST_IP", "LOG_LEVEL", "DATABASE_URL", "PGBACKREST_REPO1_TYPE",
                           "ALLOWED_ORIGINS", "BACKUP_SCHEDULE_FULL", "SUPER_ADMIN_EMAIL", "SUPER_ADMIN_PASSWORD",
                           "DOMAIN"}) {
    EXPECT_NE(ctx.find(name), std::string::npos) << name << " not named in:\n" << ctx;
  }
  EXPECT_NE(ctx.find(".env line 1"), std::string::npos) << ctx;
  EXPECT_EQ(ctx.find("secretpw"), std::string::npos) << "a password must never be echoed";
  EXPECT_EQ(ctx.find("short"), std::string::npos) << "a password must never be echoed";
}

TEST(Config, LaterLayersWin) {
  Layers l = env_only("HTTP_PORT=1000\nHTTPS_PORT=1001\nDATA_PATH=/from/env-file\nLOG_LEVEL=debug\n");
  l.environment = {{"HTTPS_PORT", "2001"}, {"DATA_PATH", "/from/environment"}, {"PATH", "/usr/bin"}};
  l.flags = {{"DATA_PATH", "/from/flag"}};
  auto r = load(l);
  ASSERT_TRUE(r.ok()) << r.error().context;
  EXPECT_EQ(r->config.http_port, 1000);
  EXPECT_EQ(r->config.https_port, 2001);
  EXPECT_EQ(r->config.data_path, "/from/flag");
  EXPECT_EQ(r->config.log_level, salespider::config::LogLevel::debug);
  EXPECT_TRUE(r->warnings.empty()) << "unrelated environment variables are not warned about";
}

TEST(Config, ErrorsSayWhichLayerTheBadValueCameFrom) {
  Layers l;
  l.environment = {{"HTTP_PORT", "0"}};
  auto r = load(l);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().context.find("HTTP_PORT=\"0\" (from the environment)"), std::string::npos) << r.error().context;
  // Port 0 (any free port) is for tests, from a flag only.
  Layers f;
  f.flags = {{"HTTP_PORT", "0"}, {"HTTPS_PORT", "0"}};
  EXPECT_TRUE(load(f).ok());
}

TEST(Config, BackupRepositoryTypeOtherThanPosixWarnsThatItNeedsInternet) {
  auto r = load(env_only("PGBACKREST_REPO1_TYPE=s3\n"));
  ASSERT_TRUE(r.ok()) << r.error().context;
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("internet"), std::string::npos);
  auto rel = load(env_only("PGBACKREST_REPO1_PATH=relative/dir\n"));
  ASSERT_FALSE(rel.ok());
  EXPECT_NE(rel.error().context.find("PGBACKREST_REPO1_PATH"), std::string::npos);
}

TEST(DatabaseUrl, SchemaBecomesSearchPathAndOtherParametersStay) {
  auto r = salespider::config::libpq_conninfo("postgres://u@h/db?sslmode=disable&schema=shop&connect_timeout=3");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->conninfo, "postgres://u@h/db?sslmode=disable&connect_timeout=3&options=-csearch_path%3Dshop");
  EXPECT_EQ(r->schema, "shop");
  EXPECT_FALSE(salespider::db::conninfo_problem(r->conninfo).has_value());
  EXPECT_FALSE(salespider::config::libpq_conninfo("postgresql://h/db?schema=a;drop").ok());
  EXPECT_FALSE(salespider::config::libpq_conninfo("http://h/db").ok());
}

TEST(DatabaseUrl, RedactionHidesOnlyThePassword) {
  EXPECT_EQ(salespider::config::redact_url("postgresql://postgres:YourPassword@postgres:5432/salespider"),
            "postgresql://postgres:***@postgres:5432/salespider");
  EXPECT_EQ(salespider::config::redact_url("postgresql://postgres@h/db"), "postgresql://postgres@h/db");
}

TEST(EmbeddedConf, ArchivingIsOnFromTheFirstStartWithANoOpCommandWithoutARepository) {
  salespider::db::ConfInputs in;
  in.cluster_dir = "/d/pg";
  in.socket_dir = "/d/pg";
  const auto conf = salespider::db::render_salespider_conf(in);
  EXPECT_NE(conf.find("archive_mode = on\n"), std::string::npos);
  EXPECT_NE(conf.find("wal_level = replica\n"), std::string::npos);
  EXPECT_NE(conf.find("archive_command = '/bin/true'\n"), std::string::npos);
  EXPECT_NE(conf.find("listen_addresses = ''\n"), std::string::npos);
  EXPECT_NE(conf.find("idle_in_transaction_session_timeout"), std::string::npos);
  EXPECT_EQ(conf.find("fsync = off"), std::string::npos);
}

TEST(EmbeddedConf, ARepositoryPointsArchiveCommandAtTheGeneratedPgBackRestConfig) {
  salespider::db::ConfInputs in;
  in.cluster_dir = "/data/it's here/pg";
  in.socket_dir = "/tmp/s";
  in.repo1_type = "posix";
  in.repo1_path = "/var/lib/pgbackrest";
  in.stanza = "shop";
  const auto conf = salespider::db::render_salespider_conf(in);
  EXPECT_NE(conf.find("archive_command = 'pgbackrest --config=''/data/it''\\\\''''s here/pgbackrest/pgbackrest.conf'' "
                      "--stanza=''shop'' archive-push %p'"),
            std::string::npos)
      << conf;
}
