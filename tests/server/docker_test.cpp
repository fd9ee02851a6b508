// deploy/Dockerfile and deploy/docker-compose.yml. Building an image needs a
// working Docker daemon, so that part runs only where `docker info` works
// (skipped with a message elsewhere, e.g. in CI containers). What needs no
// daemon always runs: the runtime image installs every Debian package the
// server binary links, and compose keeps the guide's .env names and ports.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

namespace {

std::pair<int, std::string> capture(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return {-1, out};
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  const int rc = pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool docker_works() { return capture("timeout 20 docker info").first == 0; }

}  // namespace

TEST(Docker, TheRuntimeImageInstallsEveryLibraryTheServerLinks) {
  if (capture("command -v dpkg").first != 0) GTEST_SKIP() << "not a Debian system: no dpkg";
  const auto [rc, packages] = capture("ldd " SALESPIDER_BIN_DEFAULT
                                      " | awk '$3 ~ /^\\// {print $3}' | xargs -n1 readlink -f | xargs dpkg -S"
                                      " | cut -d: -f1 | sort -u");
  ASSERT_EQ(rc, 0) << packages;
  const std::string dockerfile = read(SALESPIDER_SOURCE_DIR "/deploy/Dockerfile");
  // Pulled in by the listed ones or part of every Debian image.
  const std::set<std::string> implied{"libc6",      "libstdc++6", "libgcc-s1", "libffi8",   "libgmp10",
                                      "libgnutls30", "libhogweed6", "libidn2-0", "libnettle8", "libp11-kit0",
                                      "libtasn1-6", "libunistring2", "libgssapi-krb5-2", "libk5crypto3",
                                      "libkrb5-3", "libkrb5support0", "libldap-2.5-0", "libsasl2-2",
                                      "zlib1g",     "libzstd1", "libcom-err2", "libkeyutils1", "libsasl2-modules-db",
                                      "libdb5.3",   "libcrypt1", "libselinux1", "libpcre2-8-0", "libsystemd0",
                                      "liblz4-1",   "liblzma5", "libgcrypt20", "libgpg-error0", "libcap2"};
  std::istringstream lines(packages);
  for (std::string pkg; std::getline(lines, pkg);) {
    if (pkg.empty() || implied.count(pkg) != 0) continue;
    EXPECT_NE(dockerfile.find(" " + pkg), std::string::npos) << "deploy/Dockerfile does not install " << pkg;
  }
  EXPECT_NE(dockerfile.find("postgresql-15"), std::string::npos);
  EXPECT_NE(dockerfile.find("pgbackrest"), std::string::npos);
  EXPECT_NE(dockerfile.find("deploy/deps.sh"), std::string::npos);
}

TEST(Docker, ComposeUsesTheSameEnvNamesVolumesAndPorts) {
  const std::string compose = read(SALESPIDER_SOURCE_DIR "/deploy/docker-compose.yml");
  for (const char* part : {"../.env", "DATA_PATH:", "PGBACKREST_REPO1_PATH:", "${HTTP_PORT:-80}:80",
                           "${HTTPS_PORT:-443}:443", "/var/lib/salespider", "/var/lib/pgbackrest"}) {
    EXPECT_NE(compose.find(part), std::string::npos) << part;
  }
}

TEST(Docker, TheImageBuildsWhereDockerWorks) {
  if (!docker_works()) GTEST_SKIP() << "docker info fails here (no daemon): the image is not built";
  const auto config = capture("docker compose -f " SALESPIDER_SOURCE_DIR "/deploy/docker-compose.yml config -q");
  EXPECT_EQ(config.first, 0) << config.second;
  const auto build = capture("docker build -f " SALESPIDER_SOURCE_DIR "/deploy/Dockerfile -t salespider:test "
                             SALESPIDER_SOURCE_DIR);
  EXPECT_EQ(build.first, 0) << build.second;
}
