// The release layout deploy and update share (service/releases.hpp):
// installing is idempotent, activating and rolling back flip the relative
// current/previous symlinks, and broken or missing releases are refused
// with a message instead of being switched to.
#include <gtest/gtest.h>

#include <fstream>

#include "http_test_support.hpp"
#include "service/releases.hpp"

namespace releases = salespider::service::releases;
namespace fs = std::filesystem;
using salespider::test::TempDir;

namespace {

struct Sources {
  TempDir dir{"releases"};
  fs::path data = dir.path() / "data";
  fs::path binary = dir.path() / "bin" / "salespider";
  fs::path www = dir.path() / "dist";

  Sources() {
    dir.write("bin/salespider", "#!/bin/sh\necho v1\n");
    dir.write("dist/index.html", "<html>v1</html>");
    dir.write("dist/assets/app.wasm", "wasm-v1");
  }
  std::string id(const std::string& version = "1.0.0") { return releases::release_id(version, binary).value(); }
};

std::string read(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST(Releases, AnIdIsTheVersionAndTwelveHexDigitsOfTheBinary) {
  Sources s;
  const auto id = s.id("2.3.4");
  ASSERT_EQ(id.size(), std::string("2.3.4-").size() + 12);
  EXPECT_EQ(id.substr(0, 6), "2.3.4-");
  EXPECT_EQ(id.substr(6), releases::file_sha256(s.binary).value().substr(0, 12));
}

TEST(Releases, InstallCopiesTheBinaryTheTillAndAManifest) {
  Sources s;
  const auto id = s.id();
  ASSERT_TRUE(releases::install(s.data, s.binary, s.www, id));
  const auto dir = s.data / "releases" / id;
  EXPECT_EQ(read(dir / "salespider"), read(s.binary));
  EXPECT_EQ(read(dir / "www" / "assets" / "app.wasm"), "wasm-v1");
  const auto files = releases::installed_files(s.data, id);
  ASSERT_TRUE(files);
  EXPECT_EQ(files->size(), 3U);
  EXPECT_EQ(files->at("www/index.html"), releases::file_sha256(s.www / "index.html").value());
  EXPECT_NE(read(dir / "manifest.json").find("\"version\": \"1.0.0\""), std::string::npos);
}

TEST(Releases, InstallingTheSameReleaseTwiceIsANoOp) {
  Sources s;
  const auto id = s.id();
  ASSERT_TRUE(releases::install(s.data, s.binary, s.www, id));
  const auto dir = s.data / "releases" / id;
  const auto before = fs::last_write_time(dir / "manifest.json");
  ASSERT_TRUE(releases::install(s.data, s.binary, s.www, id));
  EXPECT_EQ(fs::last_write_time(dir / "manifest.json"), before);
  // No temporary directories left behind.
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(s.data / "releases")) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(Releases, ASameIdWithOtherContentIsReplaced) {
  Sources s;
  const auto id = s.id();
  ASSERT_TRUE(releases::install(s.data, s.binary, s.www, id));
  s.dir.write("dist/index.html", "<html>rebuilt</html>");
  ASSERT_TRUE(releases::install(s.data, s.binary, s.www, id));
  EXPECT_EQ(read(s.data / "releases" / id / "www" / "index.html"), "<html>rebuilt</html>");
}

TEST(Releases, ActivateAndRollbackFlipRelativeSymlinks) {
  Sources s;
  const auto v1 = s.id();
  ASSERT_TRUE(releases::install(s.data, s.binary, s.www, v1));
  ASSERT_TRUE(releases::activate(s.data, v1));
  EXPECT_EQ(releases::current_id(s.data), v1);
  EXPECT_FALSE(releases::previous_id(s.data));
  EXPECT_EQ(fs::read_symlink(s.data / "current"), fs::path("releases") / v1);

  s.dir.write("bin/salespider", "#!/bin/sh\necho v2\n");
  const auto v2 = s.id("1.1.0");
  ASSERT_TRUE(releases::install(s.data, s.binary, s.www, v2));
  ASSERT_TRUE(releases::activate(s.data, v2));
  EXPECT_EQ(releases::current_id(s.data), v2);
  EXPECT_EQ(releases::previous_id(s.data), v1);
  EXPECT_EQ(read(s.data / "current" / "salespider"), "#!/bin/sh\necho v2\n");

  // Activating the current release again keeps previous as it is.
  ASSERT_TRUE(releases::activate(s.data, v2));
  EXPECT_EQ(releases::previous_id(s.data), v1);

  ASSERT_TRUE(releases::rollback(s.data));
  EXPECT_EQ(releases::current_id(s.data), v1);
  EXPECT_EQ(releases::previous_id(s.data), v2);
  EXPECT_EQ(read(s.data / "current" / "salespider"), "#!/bin/sh\necho v1\n");
  EXPECT_FALSE(fs::exists(fs::symlink_status(s.data / ".current.tmp")));
}

TEST(Releases, RollbackWithoutAPreviousReleaseIsAnError) {
  Sources s;
  const auto id = s.id();
  ASSERT_TRUE(releases::install(s.data, s.binary, s.www, id));
  ASSERT_TRUE(releases::activate(s.data, id));
  const auto r = releases::rollback(s.data);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().context.find("no previous release"), std::string::npos);
  EXPECT_EQ(releases::current_id(s.data), id);
}

TEST(Releases, MissingOrIncompleteReleasesAreNeverActivated) {
  Sources s;
  const auto missing = releases::activate(s.data, "9.9.9-000000000000");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().context.find("not installed"), std::string::npos);

  const auto id = s.id();
  ASSERT_TRUE(releases::install(s.data, s.binary, s.www, id));
  fs::remove(s.data / "releases" / id / "salespider");
  const auto incomplete = releases::activate(s.data, id);
  ASSERT_FALSE(incomplete);
  EXPECT_NE(incomplete.error().context.find("incomplete"), std::string::npos);
  EXPECT_FALSE(releases::current_id(s.data));

  EXPECT_FALSE(releases::activate(s.data, "../escape"));
}

TEST(Releases, ACorruptManifestIsReportedAndRepairedByInstall) {
  Sources s;
  const auto id = s.id();
  ASSERT_TRUE(releases::install(s.data, s.binary, s.www, id));
  std::ofstream(s.data / "releases" / id / "manifest.json") << "{not json";
  const auto files = releases::installed_files(s.data, id);
  ASSERT_FALSE(files);
  EXPECT_NE(files.error().context.find("corrupt"), std::string::npos);
  ASSERT_TRUE(releases::install(s.data, s.binary, s.www, id));
  EXPECT_TRUE(releases::installed_files(s.data, id));
}

TEST(Releases, InstallNamesAMissingSource) {
  Sources s;
  const auto r = releases::install(s.data, s.binary, s.dir.path() / "nowhere", s.id());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().context.find("nowhere"), std::string::npos);
}
