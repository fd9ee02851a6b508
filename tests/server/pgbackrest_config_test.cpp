// The generated pgbackrest.conf, from .env to file: PGBACKREST_* names pass
// through as pgBackRest's own options, our defaults apply unless set, a
// passphrase turns encryption on, the stanza can be renamed, and secret
// values never appear in configuration messages; pgbackrest info's JSON and
// the automatic backup type. No files, no database.
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "db/pgbackrest.hpp"
#include "service/backups.hpp"

namespace pgb = salespider::db::pgbackrest;
using salespider::config::Layers;
using salespider::config::load;

namespace {

salespider::db::Layout layout() {
  salespider::db::Layout l;
  l.data_path = "/srv/shop";
  l.cluster_dir = "/srv/shop/postgres";
  l.socket_dir = "/srv/shop/postgres";
  l.log_dir = "/srv/shop/logs";
  return l;
}

salespider::config::Loaded loaded(const std::string& dotenv, salespider::config::Variables environment = {}) {
  Layers l;
  l.dotenv_text = dotenv;
  l.environment = std::move(environment);
  auto r = load(l);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().context);
  return r.ok() ? *r : salespider::config::Loaded{};
}

std::string rendered(const std::string& dotenv, salespider::config::Variables environment = {}) {
  return pgb::render_config(pgb::settings_from(loaded(dotenv, std::move(environment)).config), layout());
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST(PgBackRestConfig, CloudSettingsPassThroughUnderPgBackRestsOwnNamesWithoutWarnings) {
  const auto r = loaded(
      "PGBACKREST_REPO1_TYPE=s3\nPGBACKREST_REPO1_S3_BUCKET=shop-backups\nPGBACKREST_REPO1_S3_REGION=eu-west-3\n"
      "PGBACKREST_REPO1_S3_ENDPOINT=s3.eu-west-3.amazonaws.com\n",
      {{"PGBACKREST_REPO1_S3_KEY", "AKIAEXAMPLE"}, {"UNRELATED", "1"}});
  for (const auto& w : r.warnings) {
    EXPECT_EQ(w.find("unknown"), std::string::npos) << w;
  }
  const auto conf = pgb::render_config(pgb::settings_from(r.config), layout());
  EXPECT_TRUE(has_line(conf, "repo1-type=s3")) << conf;
  EXPECT_TRUE(has_line(conf, "repo1-s3-bucket=shop-backups")) << conf;
  EXPECT_TRUE(has_line(conf, "repo1-s3-region=eu-west-3")) << conf;
  EXPECT_TRUE(has_line(conf, "repo1-s3-endpoint=s3.eu-west-3.amazonaws.com")) << conf;
  EXPECT_TRUE(has_line(conf, "repo1-s3-key=AKIAEXAMPLE")) << "from the process environment:\n" << conf;
}

TEST(PgBackRestConfig, DefaultsApplyUnlessSetAndTheClusterIsTheStanzasOnlyDatabase) {
  const auto conf = rendered("PGBACKREST_REPO1_TYPE=posix\nPGBACKREST_REPO1_PATH=/mnt/backup/pgbackrest\n");
  for (const char* line : {"repo1-path=/mnt/backup/pgbackrest", "repo1-retention-full=4", "repo1-retention-diff=7",
                           "archive-push-queue-max=2GiB", "start-fast=y", "process-max=1", "compress-type=zst",
                           "log-path=/srv/shop/pgbackrest/log", "lock-path=/srv/shop/pgbackrest/lock",
                           "spool-path=/srv/shop/pgbackrest/spool", "[salespider]", "pg1-path=/srv/shop/postgres",
                           "pg1-socket-path=/srv/shop/postgres", "pg1-port=5432"}) {
    EXPECT_TRUE(has_line(conf, line)) << line << " missing in\n" << conf;
  }
  EXPECT_EQ(conf.find("cipher"), std::string::npos) << "no passphrase, no encryption";

  const auto custom = rendered(
      "PGBACKREST_REPO1_TYPE=posix\nPGBACKREST_REPO1_RETENTION_FULL=8\nPGBACKREST_ARCHIVE_PUSH_QUEUE_MAX=512MiB\n"
      "PGBACKREST_COMPRESS_TYPE=gz\nPGBACKREST_STANZA=corner-shop\n");
  EXPECT_TRUE(has_line(custom, "repo1-retention-full=8")) << custom;
  EXPECT_TRUE(has_line(custom, "archive-push-queue-max=512MiB")) << custom;
  EXPECT_TRUE(has_line(custom, "compress-type=gz")) << custom;
  EXPECT_EQ(custom.find("repo1-retention-full=4"), std::string::npos) << custom;
  EXPECT_TRUE(has_line(custom, "[corner-shop]")) << "PGBACKREST_STANZA is honoured:\n" << custom;
  EXPECT_EQ(custom.find("[salespider]"), std::string::npos);
}

TEST(PgBackRestConfig, APassphraseEncryptsTheRepository) {
  const auto s = pgb::settings_from(
      loaded("PGBACKREST_REPO1_TYPE=posix\nPGBACKREST_REPO1_CIPHER_PASS=correct horse battery\n").config);
  EXPECT_TRUE(s.encrypted());
  EXPECT_EQ(s.cipher_pass(), "correct horse battery");
  const auto conf = pgb::render_config(s, layout());
  EXPECT_TRUE(has_line(conf, "repo1-cipher-type=aes-256-cbc")) << conf;
  EXPECT_TRUE(has_line(conf, "repo1-cipher-pass=correct horse battery")) << "pgBackRest reads it from the file";
}

TEST(PgBackRestConfig, SecretValuesNeverAppearInConfigurationMessages) {
  Layers l;
  l.dotenv_text =
      "PGBACKREST_REPO1_TYPE=s3\nPGBACKREST_REPO1_CIPHER_PASS=hunter2-secret\n"
      "PGBACKREST_REPO1_S3_KEY_SECRET=aws-very-secret\nPGBACKREST_REPO1_RETENTION_FULL=many\nHTTP_PORT=x\n";
  const auto r = load(l);
  ASSERT_FALSE(r.ok());
  const auto& text = r.error().context;
  EXPECT_NE(text.find("PGBACKREST_REPO1_RETENTION_FULL"), std::string::npos) << text;
  EXPECT_EQ(text.find("hunter2-secret"), std::string::npos) << text;
  EXPECT_EQ(text.find("aws-very-secret"), std::string::npos) << text;
  EXPECT_TRUE(pgb::is_secret_option("repo1-cipher-pass"));
  EXPECT_TRUE(pgb::is_secret_option("repo1-s3-key-secret"));
  EXPECT_FALSE(pgb::is_secret_option("repo1-s3-bucket"));
}

TEST(PgBackRestConfig, OptionsSalespiderDerivesItselfCannotBeOverridden) {
  const auto r = loaded("PGBACKREST_REPO1_TYPE=posix\nPGBACKREST_PG1_PATH=/elsewhere\nPGBACKREST_CONFIG=/etc/x.conf\n");
  EXPECT_EQ(r.warnings.size(), 2u);
  const auto conf = pgb::render_config(pgb::settings_from(r.config), layout());
  EXPECT_EQ(conf.find("/elsewhere"), std::string::npos) << conf;
  EXPECT_EQ(conf.find("/etc/x.conf"), std::string::npos) << conf;
}

TEST(PgBackRestConfig, SchedulesDefaultToWeeklyFullAndDailyDifferential) {
  const auto c = loaded("").config;
  EXPECT_EQ(c.backup_schedule_full, "0 2 * * 0");
  EXPECT_EQ(c.backup_schedule_diff, "0 2 * * 1-6");
  EXPECT_EQ(loaded("BACKUP_SCHEDULE_DIFF=30 1 * * *\n").config.backup_schedule_diff, "30 1 * * *");
}

namespace {

// The shape `pgbackrest info --output=json` prints (2.45), trimmed.
constexpr const char* kInfoJson = R"([{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1",
  "max":"000000010000000000000009","min":"000000010000000000000002"}],
 "backup":[
  {"archive":{"start":"000000010000000000000007","stop":"000000010000000000000007"},
   "info":{"delta":8192,"repository":{"delta":1400,"size":3950224},"size":32996759},
   "label":"20261206-142908F_20261207-020000D","prior":"20261206-142908F",
   "timestamp":{"start":1796608800,"stop":1796608803},"type":"diff"},
  {"archive":{"start":"000000010000000000000002","stop":"000000010000000000000003"},
   "info":{"delta":32996759,"repository":{"delta":3950224,"size":3950224},"size":32996759},
   "label":"20261206-142908F","prior":null,
   "timestamp":{"start":1796567348,"stop":1796567361},"type":"full"}],
 "cipher":"aes-256-cbc","name":"salespider","status":{"code":0,"message":"ok"}},
 {"name":"other","status":{"code":1,"message":"missing stanza path"}}])";

}  // namespace

TEST(BackupInfo, PgBackRestsJsonBecomesSetsOldestFirstWithTheWalRange) {
  namespace bk = salespider::service::backups;
  const auto info = bk::parse_info(kInfoJson, "salespider");
  ASSERT_TRUE(info.ok()) << info.error().context;
  ASSERT_EQ(info->sets.size(), 2u);
  EXPECT_EQ(info->sets[0].type, "full");
  EXPECT_EQ(info->sets[1].reference, "20261206-142908F");
  EXPECT_EQ(info->sets[1].repo_size_bytes, 1400);
  EXPECT_EQ(info->repo_size_bytes(), 3950224 + 1400);
  EXPECT_EQ(info->wal_min, "000000010000000000000002");
  EXPECT_EQ(info->wal_max, "000000010000000000000009");
  EXPECT_EQ(info->cipher, "aes-256-cbc");
  EXPECT_FALSE(bk::parse_info(kInfoJson, "nope").ok());
  EXPECT_TRUE(bk::parse_info(kInfoJson, "other")->sets.empty());
  EXPECT_FALSE(bk::parse_info("ERROR: not json", "salespider").ok());
}

TEST(BackupInfo, WithoutATypeAFullIsTakenWhenNoneFinishedInTheLastSevenDays) {
  namespace bk = salespider::service::backups;
  const auto info = *bk::parse_info(kInfoJson, "salespider");
  const std::time_t full_stop = 1796567361;
  EXPECT_EQ(bk::automatic_type(info, full_stop + 3600), "diff");
  EXPECT_EQ(bk::automatic_type(info, full_stop + 6 * 86400), "diff");
  EXPECT_EQ(bk::automatic_type(info, full_stop + 8 * 86400), "full");
  EXPECT_EQ(bk::automatic_type(bk::Info{}, full_stop), "full") << "no backup at all";
}

// A stanza before its first backup and before any WAL reached the
// repository: pgBackRest prints null for the archive's min and max (and
// `backup info` died on it with "type must be string, but is null").
TEST(BackupInfo, AStanzaWithoutBackupsOrWalIsEmptyNotAnError) {
  namespace bk = salespider::service::backups;
  const auto info = bk::parse_info(
      R"([{"archive":[{"database":{"id":1,"repo-key":1},"id":"16-1","max":null,"min":null}],"backup":[],
          "cipher":"none","db":[{"id":1,"repo-key":1,"system-id":7,"version":"16"}],"name":"salespider",
          "repo":[{"cipher":"none","key":1,"status":{"code":2,"message":"no valid backups"}}],
          "status":{"code":2,"lock":{"backup":{"held":false}},"message":"no valid backups"}}])",
      "salespider");
  ASSERT_TRUE(info.ok()) << info.error().context;
  EXPECT_TRUE(info->sets.empty());
  EXPECT_EQ(info->wal_min, "");
  EXPECT_EQ(info->wal_max, "");
  EXPECT_EQ(info->status_code, 2);
  EXPECT_EQ(info->status, "no valid backups");
}
