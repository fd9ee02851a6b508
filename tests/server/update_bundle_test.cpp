// Update bundles (`salespider bundle`, the checks of `salespider update`):
// a bundle made from the real binary and a small till build lists every file
// and checks out; a bundle that was damaged or tampered with (a changed byte,
// an extra file, a `..` path, a symbolic link) is refused and nothing under
// DATA_PATH changes. Tampered bundles ship a tiny script as their binary,
// since what is checked is the archive, not the program.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common_pg.hpp"
#include "salespider_process.hpp"
#include "service/bundles.hpp"

namespace fs = std::filesystem;

namespace {

using Salespider = salespider::test::SalespiderProcess;
namespace bundles = salespider::service::bundles;

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int sh(const std::string& command) { return std::system(command.c_str()); }

// Every path under `dir` with its size and modification time.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const auto st = e.symlink_status();
    std::string what = std::to_string(static_cast<int>(st.type()));
    if (fs::is_regular_file(st)) {
      what += " " + std::to_string(e.file_size()) + " " +
              std::to_string(e.last_write_time().time_since_epoch().count());
    }
    out[fs::relative(e.path(), dir).string()] = what;
  }
  return out;
}

class UpdateBundle : public ::testing::Test {
 protected:
  UpdateBundle() : dir_("salespider-bundle") {
    write(www() / "index.html", "<!doctype html><title>till</title>\n");
    write(www() / "sw.js", "const BUILD = 'abc';\n");
    write(www() / "assets" / "app.wasm", std::string("\0asm\1\0\0\0", 8));
    write(data() / "marker", "this store's data\n");
    write(script(), "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 9.9.9; exit 0; fi\nexit 1\n");
    fs::permissions(script(), fs::perms(0755));
  }

  fs::path www() const { return dir_.path() / "www"; }
  fs::path data() const { return dir_.path() / "data"; }
  fs::path script() const { return dir_.path() / "fake-salespider"; }

  // `salespider bundle`; its exit code, its output in `out`.
  int bundle(std::vector<std::string> args, std::string* out = nullptr) {
    args.insert(args.begin(), "bundle");
    Salespider p(dir_.path(), args);
    const int rc = p.wait();
    if (out) *out = p.output();
    return rc;
  }

  // A small bundle whose binary is the script.
  fs::path script_bundle(const std::string& name) {
    const auto file = dir_.path() / name;
    std::string out;
    EXPECT_EQ(bundle({"--www", www().string(), "--out", file.string(), "--binary", script().string()}, &out), 0)
        << out;
    return file;
  }

  // Extracts `bundle`, lets `change` edit the tree, packs it again with
  // `tar_args` and a fresh .sha256 (so the manifest is what must catch it).
  fs::path repack(const fs::path& bundle, const std::string& name, const std::function<void(const fs::path&)>& change,
                  const std::string& tar_args = "manifest.json salespider www") {
    const auto tree = dir_.path() / (name + ".d");
    fs::create_directories(tree);
    EXPECT_EQ(sh("tar -xzf " + bundle.string() + " -C " + tree.string()), 0);
    change(tree);
    const auto out = dir_.path() / name;
    EXPECT_EQ(sh("tar -czf " + out.string() + " -C " + tree.string() + " " + tar_args + " 2>/dev/null"), 0);
    EXPECT_EQ(sh("cd " + dir_.path().string() + " && sha256sum " + name + " > " + name + ".sha256"), 0);
    return out;
  }

  // `salespider update --from bundle` on data(): refused, and data() unchanged.
  void expect_refused(const fs::path& bundle, const std::string& why) {
    const auto before = snapshot(data());
    Salespider p(dir_.path(),
                 {"update", "--from", bundle.string(), "--data-path", data().string(), "--no-backup", "--yes"});
    EXPECT_EQ(p.wait(), 1) << p.output();
    EXPECT_NE(p.output().find("REFUSED, nothing was changed"), std::string::npos) << p.output();
    EXPECT_NE(p.output().find(why), std::string::npos) << p.output();
    EXPECT_EQ(snapshot(data()), before);
    EXPECT_FALSE(fs::exists(data() / "releases"));
  }

  testpg::TempDir dir_;
};

TEST_F(UpdateBundle, ABundleOfTheRealBinaryListsEveryFileAndChecksOut) {
  const auto file = dir_.path() / "store-update.tar.gz";
  std::string out;
  ASSERT_EQ(bundle({"--www", www().string(), "--out", file.string(), "--json"}, &out), 0) << out;
  const auto report = nlohmann::json::parse(out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << out;

  // The .sha256 beside it is in sha256sum's format.
  EXPECT_EQ(sh("cd " + dir_.path().string() + " && sha256sum --quiet -c store-update.tar.gz.sha256"), 0);
  EXPECT_NE(read(file.string() + ".sha256").find(report["sha256"].get<std::string>()), std::string::npos);

  auto unpacked = bundles::unpack(file, dir_.path() / "scratch");
  ASSERT_TRUE(unpacked.ok()) << unpacked.error().context;
  const auto& m = unpacked->manifest();
  EXPECT_EQ(m.id, report["id"].get<std::string>());
  EXPECT_EQ(m.id.rfind(m.version + "-", 0), 0u) << m.id;
  EXPECT_EQ(m.id.size(), m.version.size() + 13) << "<version>-<12 hex>: " << m.id;
  std::vector<std::string> listed;
  for (const auto& [rel, entry] : m.files) listed.push_back(rel);
  EXPECT_EQ(listed, (std::vector<std::string>{"salespider", "www/assets/app.wasm", "www/index.html", "www/sw.js"}));
  EXPECT_EQ(m.files.at("salespider").mode, 0755u);
  EXPECT_EQ(m.files.at("www/index.html").mode, 0644u);
  ASSERT_TRUE(m.schema_migrations.has_value()) << "the migrations inside the binary are counted";
  EXPECT_GT(*m.schema_migrations, 10);
  EXPECT_EQ(read(unpacked->www() / "index.html"), read(www() / "index.html"));
  EXPECT_EQ(fs::file_size(unpacked->binary()), fs::file_size(Salespider::binary()));
  EXPECT_TRUE(bundles::binary_version(unpacked->binary()).ok());

  const auto extracted = unpacked->dir();
  { auto gone = std::move(unpacked); }
  EXPECT_FALSE(fs::exists(extracted)) << "the extracted copy is temporary";
}

TEST_F(UpdateBundle, ACopyThatDoesNotMatchItsSha256FileIsRefused) {
  const auto file = script_bundle("damaged.tar.gz");
  auto bytes = read(file);
  bytes[bytes.size() / 2] ^= 0x01;
  write(file, bytes);
  expect_refused(file, "does not match damaged.tar.gz.sha256");
}

TEST_F(UpdateBundle, AChangedByteInTheTillsIndexIsRefused) {
  const auto file = repack(script_bundle("good.tar.gz"), "changed.tar.gz", [](const fs::path& tree) {
    auto html = read(tree / "www" / "index.html");
    html[0] = '#';
    write(tree / "www" / "index.html", html);
  });
  expect_refused(file, "www/index.html does not match its checksum in the manifest");
}

TEST_F(UpdateBundle, AnExtraFileIsRefused) {
  const auto file = repack(script_bundle("good.tar.gz"), "extra.tar.gz", [](const fs::path& tree) {
    write(tree / "www" / "extra.js", "fetch('https://evil.example/')\n");
  });
  expect_refused(file, "www/extra.js is in the bundle but not in its manifest");
}

TEST_F(UpdateBundle, AMemberWithDotDotInItsPathIsRefused) {
  const auto file = repack(
      script_bundle("good.tar.gz"), "dotdot.tar.gz", [](const fs::path&) {},
      "--transform 's,^www/sw.js,www/../../sw.js,' manifest.json salespider www");
  expect_refused(file, "the bundle holds www/../../sw.js");
}

TEST_F(UpdateBundle, ASymbolicLinkIsRefused) {
  const auto file = repack(script_bundle("good.tar.gz"), "link.tar.gz", [](const fs::path& tree) {
    fs::create_symlink("/etc/passwd", tree / "www" / "passwd.txt");
  });
  expect_refused(file, "not a plain file or directory");
}

TEST_F(UpdateBundle, AManifestNamingAPathOutsideTheReleaseIsRefused) {
  const auto file = repack(script_bundle("good.tar.gz"), "manifest.tar.gz", [](const fs::path& tree) {
    auto m = nlohmann::json::parse(read(tree / "manifest.json"));
    m["files"]["www/../../../etc/cron.d/x"] = m["files"]["www/sw.js"];
    write(tree / "manifest.json", m.dump());
  });
  expect_refused(file, "manifest.json lists www/../../../etc/cron.d/x");
}

TEST_F(UpdateBundle, ABundleForNewerServersOnlyIsRefused) {
  const auto file = dir_.path() / "later.tar.gz";
  std::string out;
  ASSERT_EQ(bundle({"--www", www().string(), "--out", file.string(), "--binary", script().string(),
                    "--min-from-version", "999.0"},
                   &out),
            0)
      << out;
  expect_refused(file, "this bundle updates from version 999.0 or later");
}

TEST_F(UpdateBundle, WithoutABackupRepositoryAnUpdateIsRefusedUnlessToldNoBackup) {
  const auto file = script_bundle("good.tar.gz");
  const auto before = snapshot(data());
  Salespider p(dir_.path(), {"update", "--from", file.string(), "--data-path", data().string(), "--yes"});
  EXPECT_EQ(p.wait(), 2) << p.output();
  EXPECT_NE(p.output().find("no backup repository is configured"), std::string::npos) << p.output();
  EXPECT_NE(p.output().find("--no-backup"), std::string::npos) << p.output();
  EXPECT_EQ(snapshot(data()), before);
}

}  // namespace
