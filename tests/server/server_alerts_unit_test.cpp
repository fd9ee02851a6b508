// The alert policy and the LAN address choice as values: which alerts a set
// of facts raises (service::evaluate_alerts), that their messages come from
// the catalogue, and which host /setup and the redirects use
// (support::choose_public_host).
#include <gtest/gtest.h>

#include "service/alerts.hpp"
#include "support/lan_names.hpp"

namespace sp = salespider;
using sp::service::AlertInputs;

namespace {

std::vector<std::string> codes(const AlertInputs& in) {
  std::vector<std::string> out;
  for (const auto& a : sp::service::evaluate_alerts(in)) out.push_back(a.code);
  return out;
}

sp::db::ArchiveState archiving() {
  sp::db::ArchiveState a;
  a.known = true;
  a.archive_mode = "on";
  a.archiving_to_repo = true;
  a.ready_count = 0;
  return a;
}

}  // namespace

TEST(Alerts, AHealthyServerHasNone) {
  AlertInputs in;
  in.archive = archiving();
  in.backups_configured = true;
  in.production = true;
  in.last_backup_age_seconds = 3600;
  in.disks.push_back({"/data", true, 100ull << 30, 200ull << 30});
  in.certificate_days_left = 300;
  EXPECT_TRUE(codes(in).empty());
}

TEST(Alerts, AFailedArchiveNewerThanTheLastSuccessIsArchiveFailing) {
  AlertInputs in;
  in.archive = archiving();
  in.archive->failing = true;
  in.archive->last_failed_wal = "000000010000000000000003";
  EXPECT_EQ(codes(in), std::vector<std::string>{"archive_failing"});
  EXPECT_NE(sp::service::evaluate_alerts(in)[0].detail.find("000000010000000000000003"), std::string::npos);
}

TEST(Alerts, ReadyFilesPilingUpIsArchiveFailingEvenWithoutAFailure) {
  AlertInputs in;
  in.archive = archiving();
  in.archive->ready_count = sp::service::kReadyPileUp + 1;
  EXPECT_EQ(codes(in), std::vector<std::string>{"archive_failing"});
  in.archive->ready_count = 1;
  EXPECT_TRUE(codes(in).empty());
}

TEST(Alerts, NoBackupRepositoryIsAnAlertInProductionOnly) {
  AlertInputs in;
  EXPECT_TRUE(codes(in).empty());
  in.production = true;
  EXPECT_EQ(codes(in), std::vector<std::string>{"backups_not_configured"});
}

TEST(Alerts, ABackupOlderThanEightDaysOrNoneAtAllIsStale) {
  AlertInputs in;
  in.backups_configured = true;
  in.last_backup_age_seconds = 7 * 86400;
  EXPECT_TRUE(codes(in).empty());
  in.last_backup_age_seconds = 9 * 86400;
  EXPECT_EQ(codes(in), std::vector<std::string>{"backup_stale"});
  in.last_backup_age_seconds = -1;
  EXPECT_EQ(codes(in), std::vector<std::string>{"backup_stale"});
}

TEST(Alerts, DiskBelowOneGibibyteOrFivePercentIsLow) {
  AlertInputs in;
  in.disks.push_back({"/data", true, 2ull << 30, 10ull << 30});  // 20% free
  EXPECT_TRUE(codes(in).empty());
  in.disks.push_back({"/repo", true, 400ull << 20, 100ull << 30});  // 400 MiB of 100 GiB
  EXPECT_EQ(codes(in), std::vector<std::string>{"disk_low"});
  EXPECT_NE(sp::service::evaluate_alerts(in)[0].detail.find("/repo"), std::string::npos);
}

TEST(Alerts, ACertificateWithLessThanFourteenDaysLeftIsExpiring) {
  AlertInputs in;
  in.certificate_days_left = 14;
  EXPECT_TRUE(codes(in).empty());
  in.certificate_days_left = 13;
  EXPECT_EQ(codes(in), std::vector<std::string>{"certificate_expiring"});
}

TEST(Alerts, MessagesAreTranslatedWithTheirArguments) {
  AlertInputs in;
  in.certificate_days_left = 5;
  const auto alert = sp::service::evaluate_alerts(in).at(0);
  EXPECT_EQ(sp::service::alert_message(alert, "en"), "The server's certificate expires in 5 days.");
  const auto fr = sp::service::alert_message(alert, "fr");
  EXPECT_NE(fr, sp::service::alert_message(alert, "en"));
  EXPECT_NE(fr.find('5'), std::string::npos) << fr;
}

TEST(Alerts, TheMonitorKeepsSinceUntilTheAlertEnds) {
  std::vector<sp::service::Alert> now{{"disk_low", "", "x", {}, "d"}};
  int tick = 0;
  sp::service::AlertMonitor monitor([&] { return now; }, [&] { return "t" + std::to_string(++tick); });
  EXPECT_EQ(monitor.current(std::chrono::seconds(0)).at(0).since, "t1");
  EXPECT_EQ(monitor.current(std::chrono::seconds(0)).at(0).since, "t1");
  now.clear();
  EXPECT_TRUE(monitor.current(std::chrono::seconds(0)).empty());
  now.push_back({"disk_low", "", "x", {}, "d"});
  EXPECT_EQ(monitor.current(std::chrono::seconds(0)).at(0).since, "t2");
}

TEST(LanNames, TheDomainIsUsedWhenItResolvesHereOrThereIsNoAddress) {
  EXPECT_EQ(sp::support::choose_public_host("salespider.local", "192.168.1.100", true), "salespider.local");
  EXPECT_EQ(sp::support::choose_public_host("salespider.local", "", false), "salespider.local");
}

TEST(LanNames, HostIpIsUsedWhenTheDomainDoesNotResolveHere) {
  EXPECT_EQ(sp::support::choose_public_host("salespider.local", "192.168.1.100", false), "192.168.1.100");
  EXPECT_EQ(sp::support::choose_public_host("", "192.168.1.100", false), "192.168.1.100");
}

TEST(LanNames, ANameThatDoesNotResolveIsNotThisMachine) {
  EXPECT_FALSE(sp::support::resolves_to_this_machine("nothing-here.invalid"));
  // localhost resolves, but only to loopback: no help to a phone.
  EXPECT_FALSE(sp::support::resolves_to_this_machine("localhost"));
}

TEST(LanNames, TheHostsFileLineIsAddressThenName) {
  EXPECT_EQ(sp::support::hosts_file_line("192.168.1.100", "salespider.local"), "192.168.1.100  salespider.local");
}
