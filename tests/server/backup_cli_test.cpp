// `salespider serve` and the backup commands as an operator runs them, with
// the real pgBackRest and a posix repository under /tmp: serve creates the
// stanza, `backup --type full` then `backup info --json` lists it with its
// secrets archive, `backup check` passes, `backup` alone takes a diff, the
// passphrase appears in no output or log; the commands say when backups are
// not theirs (no repository, external DATABASE_URL).
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "backup_test_support.hpp"
#include "db/embedded_postgres.hpp"
#include "db/pgbackrest.hpp"
#include "config/config.hpp"
#include "service/backups.hpp"
#include "service/secrets_archive.hpp"
#include "support/secret_file.hpp"

namespace fs = std::filesystem;
using namespace backup_test;

TEST(Backups, ServeCreatesTheStanzaAFullBackupShowsInInfoAndArchivingChecksOut) {
  testpg::TempDir dir("sp-backup");
  const auto site = make_site(dir);
  Salespider server(site.root, {"serve", "--port", "0", "--https-port", "0", "--data-path", site.data.string(),
                                "--env-file", site.env.string()});
  ASSERT_GT(server.wait_listening(), 0) << server.output();
  EXPECT_TRUE(fs::exists(site.repo / "backup" / "salespider" / "backup.info")) << "stanza created at start";
  EXPECT_TRUE(fs::exists(site.repo / "archive" / "salespider" / "archive.info"));

  const auto conf = site.data / "pgbackrest" / "pgbackrest.conf";
  EXPECT_EQ(salespider::support::permission_bits(conf), 0600u);
  struct stat st {};
  ASSERT_EQ(stat(conf.c_str(), &st), 0);
  struct stat cluster {};
  ASSERT_EQ(stat((site.data / "postgres").c_str(), &cluster), 0);
  EXPECT_EQ(st.st_uid, cluster.st_uid) << "owned by the cluster's user, who runs archive-push";
  EXPECT_EQ(salespider::support::permission_bits(site.repo), 0750u);

  const auto full = run(site, {"backup", "--type", "full"});
  ASSERT_EQ(full.rc, 0) << full.out;
  EXPECT_NE(full.out.find("full backup"), std::string::npos) << full.out;

  const auto info = run(site, {"backup", "info", "--json"});
  ASSERT_EQ(info.rc, 0) << info.out;
  const auto doc = nlohmann::json::parse(info.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << info.out;
  ASSERT_EQ(doc["backups"].size(), 1u) << info.out;
  EXPECT_EQ(doc["backups"][0]["type"], "full");
  EXPECT_EQ(doc["encrypted"], true);
  EXPECT_GT(doc["backups"][0]["size_bytes"].get<std::int64_t>(), 0);
  EXPECT_FALSE(doc["wal"]["max"].get<std::string>().empty()) << "the WAL range is the PITR window";
  const std::string label = doc["backups"][0]["label"];
  const auto secrets = site.repo / "salespider-secrets" / ("secrets-" + label + ".tar");
  EXPECT_TRUE(fs::exists(secrets)) << full.out;
  EXPECT_TRUE(salespider::service::backups::secrets_archive_encrypted(secrets));
  EXPECT_EQ(salespider::support::permission_bits(secrets), 0600u);

  // For a cloud repository (or a USB stick): the same archive where the
  // operator says; it brings back the CA the tills trust.
  const auto copy = site.root / "secrets-copy.tar";
  const auto secrets_cmd = run(site, {"backup", "secrets", "--out", copy.string()});
  ASSERT_EQ(secrets_cmd.rc, 0) << secrets_cmd.out;
  EXPECT_TRUE(salespider::service::backups::secrets_archive_encrypted(copy));
  const auto fresh = site.root / "fresh";
  ASSERT_TRUE(salespider::service::backups::restore_secrets(copy, fresh, false, kPass).ok());
  EXPECT_EQ(read_all(fresh / "tls" / "ca.key"), read_all(site.data / "tls" / "ca.key"));
  EXPECT_EQ(read_all(fresh / "keys" / "grant-signing.key"), read_all(site.data / "keys" / "grant-signing.key"));
  EXPECT_EQ(read_all(fresh / salespider::service::backups::kRestoredEnvName), read_all(site.env));

  const auto words = run(site, {"backup", "info"});
  EXPECT_EQ(words.rc, 0) << words.out;
  EXPECT_NE(words.out.find("Point-in-time recovery"), std::string::npos) << words.out;

  const auto check = run(site, {"backup", "check"});
  EXPECT_EQ(check.rc, 0) << check.out;
  EXPECT_NE(check.out.find("WAL archiving works"), std::string::npos) << check.out;

  // Without a type: a full exists from minutes ago, so a differential.
  const auto automatic = run(site, {"backup"});
  EXPECT_EQ(automatic.rc, 0) << automatic.out;
  EXPECT_NE(automatic.out.find("diff backup"), std::string::npos) << automatic.out;

  EXPECT_EQ(server.stop(), 0) << server.output();

  // What status and the alerts read (no server, no cluster needed).
  salespider::config::Layers layers;
  layers.dotenv_text = read_all(site.env);
  layers.flags["DATA_PATH"] = site.data.string();
  const auto loaded = salespider::config::load(layers);
  ASSERT_TRUE(loaded.ok());
  const auto summary = salespider::service::backups::summarize(loaded->config);
  EXPECT_TRUE(summary.configured) << summary.detail;
  EXPECT_EQ(summary.count, 2) << summary.detail;
  ASSERT_TRUE(summary.last.has_value()) << summary.detail;
  EXPECT_EQ(summary.last->type, "diff");
  EXPECT_GE(summary.last->age_seconds, 0);
  EXPECT_GT(summary.repo_size_bytes, 0);
  const std::string everything = server.output() + full.out + info.out + words.out + check.out + automatic.out + secrets_cmd.out +
                                 all_logs(site.data / "logs") + all_logs(site.data / "pgbackrest" / "log");
  EXPECT_EQ(everything.find(kPass), std::string::npos) << "the passphrase must never be logged or printed";
}


TEST(Backups, CommandsSayWhenBackupsAreNotTheirs) {
  testpg::TempDir dir("sp-backup");
  Site site{dir.path(), dir.path() / "data", dir.path() / "repo", dir.path() / ".env"};
  std::ofstream(site.env) << "LOG_LEVEL=warn\n";
  const auto none = run(site, {"backup"});
  EXPECT_EQ(none.rc, 2) << none.out;
  EXPECT_NE(none.out.find("PGBACKREST_REPO1_TYPE=posix"), std::string::npos) << none.out;

  std::ofstream(site.env) << "PGBACKREST_REPO1_TYPE=posix\nDATABASE_URL=postgresql://u:pw@db.example:5432/shop\n";
  const auto external = run(site, {"backup", "check"});
  EXPECT_EQ(external.rc, 2) << external.out;
  EXPECT_NE(external.out.find("external PostgreSQL"), std::string::npos) << external.out;
}

