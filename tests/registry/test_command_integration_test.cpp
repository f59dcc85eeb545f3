// `argocd-image-updater test` end to end: the real binary with its bundled plugins against a
// real CNCF distribution registry (fixtures/registry.sh, filled by populate.py) behind the
// request-counting proxy faults.py, so the tests can assert what the registry was asked.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "fake_registry.hpp"
#include "shared_dir.hpp"

namespace {

using iu::test::TempDir;

struct CommandResult {
  int exit_code = -1;
  std::string out, err;
  // The last line of stdout.
  std::string last_line() const {
    std::string s = out;
    while (!s.empty() && s.back() == '\n') s.pop_back();
    auto nl = s.rfind('\n');
    return nl == std::string::npos ? s : s.substr(nl + 1);
  }
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs a shell command with stdout and stderr captured in files under `dir`.
CommandResult shell(const std::string& command, const std::filesystem::path& dir) {
  const auto out = dir / "cmd.out", err = dir / "cmd.err";
  const std::string full =
      "( " + command + " ) >" + out.string() + " 2>" + err.string() + " </dev/null";
  const int status = std::system(full.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

std::map<std::string, std::string> env_lines(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

// One registry + proxy for the whole suite; stopped in TearDownTestSuite even after failures.
class TestCommand : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    fixtures_ = iu::test::fixtures_dir();
    const auto reg = shell(fixtures_.string() + "/registry.sh start " +
                               (dir_->path() / "registry").string() + " 0 --ttl 600",
                           dir_->path());
    ASSERT_EQ(reg.exit_code, 0) << reg.err;
    registry_ = env_lines(reg.out)["REGISTRY_HOST"];
    ASSERT_FALSE(registry_.empty()) << reg.out;
    const auto proxy =
        shell("/usr/bin/python3 " + fixtures_.string() + "/faults.py --background --pid-file " +
                  (dir_->path() / "faults.pid").string() +
                  " --port 0 --ttl 600 --upstream http://" + registry_,
              dir_->path());
    ASSERT_EQ(proxy.exit_code, 0) << proxy.err;
    proxy_ = "127.0.0.1:" + env_lines(proxy.out)["FAULTS_PORT"];
    populate("--repo org/semver --tags 1.0.0,1.1.0,1.2.0,2.0.0-rc.1");
    populate("--repo org/newest --tags zeta,alpha,mid");
    populate("--repo org/multi --multiarch --tags m1,m2 --created-base 2024-06-01T00:00:00Z");
    populate("--repo org/multi --tags s1 --created-base 2025-01-01T00:00:00Z");
  }

  static void TearDownTestSuite() {
    if (dir_ == nullptr) return;
    shell("/usr/bin/python3 " + fixtures_.string() + "/faults.py --stop " +
              (dir_->path() / "faults.pid").string(),
          dir_->path());
    shell(fixtures_.string() + "/registry.sh stop " + (dir_->path() / "registry").string(),
          dir_->path());
    delete dir_;
    dir_ = nullptr;
  }

  static void populate(const std::string& args) {
    const auto r = shell("/usr/bin/python3 " + fixtures_.string() + "/populate.py --quiet " +
                             "--registry " + registry_ + " " + args,
                         dir_->path());
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  }

  // argocd-image-updater test ... against the proxy; the cache lives in the suite's directory.
  static CommandResult test_cmd(const std::string& args, const std::string& cache = "cache") {
    return shell(std::string(IU_BINARY) + " test --loglevel debug --registries-conf-path '' " +
                     "--cache-dir " + (dir_->path() / cache).string() + " " + args,
                 dir_->path());
  }

  // Requests the proxy saw since the last reset, by kind (manifest, blob, tags, base).
  static std::map<std::string, int> stats_by_kind() {
    const auto r = shell("curl -sf http://" + proxy_ + "/__stats", dir_->path());
    std::map<std::string, int> out;
    const auto pos = r.out.find("\"by_kind\"");
    if (pos == std::string::npos) return out;
    const auto end = r.out.find('}', pos);
    std::string body = r.out.substr(pos, end - pos);
    for (const char* kind : {"manifest", "blob", "tags", "base"}) {
      auto k = body.find(std::string("\"") + kind + "\":");
      if (k != std::string::npos)
        out[kind] = std::atoi(body.c_str() + k + std::string(kind).size() + 3);
    }
    return out;
  }
  static void reset_stats() {
    shell("curl -sf -X POST http://" + proxy_ + "/__reset", dir_->path());
  }

  static TempDir* dir_;
  static std::filesystem::path fixtures_;
  static std::string registry_, proxy_;
};

TempDir* TestCommand::dir_ = nullptr;
std::filesystem::path TestCommand::fixtures_;
std::string TestCommand::registry_, TestCommand::proxy_;

TEST_F(TestCommand, SemverPicksTheHighestMatchingVersion) {
  auto r = test_cmd(proxy_ + "/org/semver:~1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.last_line(),
            "latest image according to constraint is " + proxy_ + "/org/semver:1.2.0");
  EXPECT_NE(r.err.find("level=info"), std::string::npos) << "logs go to stderr";
  r = test_cmd("--semver-constraint '>=2.0.0-0' " + proxy_ + "/org/semver");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.last_line(),
            "latest image according to constraint is " + proxy_ + "/org/semver:2.0.0-rc.1");
  r = test_cmd("'" + proxy_ + "/org/semver:>=3'");
  EXPECT_EQ(r.exit_code, 1) << "no candidate";
  EXPECT_EQ(r.out, "");
}

TEST_F(TestCommand, NewestBuildAlphabeticalAndPlatforms) {
  auto r = test_cmd("--update-strategy newest-build " + proxy_ + "/org/newest");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.last_line(), "latest image according to constraint is " + proxy_ + "/org/newest:mid");
  r = test_cmd("--update-strategy alphabetical " + proxy_ + "/org/newest");
  EXPECT_EQ(r.last_line(),
            "latest image according to constraint is " + proxy_ + "/org/newest:zeta");
  r = test_cmd("--update-strategy newest-build --platforms linux/arm64 " + proxy_ + "/org/multi");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.last_line(), "latest image according to constraint is " + proxy_ + "/org/multi:m2");
  r = test_cmd("--update-strategy newest-build --platforms linux/amd64 " + proxy_ + "/org/multi");
  EXPECT_EQ(r.last_line(), "latest image according to constraint is " + proxy_ + "/org/multi:s1");
  r = test_cmd("--update-strategy alphabetical --platforms linux/arm64 " + proxy_ + "/org/multi");
  EXPECT_EQ(r.last_line(), "latest image according to constraint is " + proxy_ + "/org/multi:m2")
      << "s1 sorts last but has no arm64 manifest";
  r = test_cmd("--update-strategy newest-build --platforms windows/amd64 " + proxy_ + "/org/multi");
  EXPECT_EQ(r.exit_code, 1);
}

TEST_F(TestCommand, DigestReportsTheCurrentManifestDigest) {
  auto r = test_cmd("--update-strategy digest " + proxy_ + "/org/multi:m1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string prefix =
      "latest image according to constraint is " + proxy_ + "/org/multi:m1@sha256:";
  ASSERT_EQ(r.last_line().substr(0, prefix.size()), prefix) << r.last_line();
  EXPECT_EQ(r.last_line().size(), prefix.size() + 64);
  // The same digest skopeo sees (the index digest for a multi-arch tag).
  const auto sk = shell(
      "skopeo inspect --raw --tls-verify=false docker://" + registry_ + "/org/multi:m1 | sha256sum",
      dir_->path());
  EXPECT_EQ(sk.out.substr(0, 64), r.last_line().substr(prefix.size()));
}

TEST_F(TestCommand, ASecondNewestBuildRunAsksNoManifestOrBlob) {
  auto first = test_cmd(
      "--update-strategy newest-build --platforms linux/amd64,linux/arm64 " + proxy_ + "/org/multi",
      "cache-rerun");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  reset_stats();
  auto second = test_cmd(
      "--update-strategy newest-build --platforms linux/amd64,linux/arm64 " + proxy_ + "/org/multi",
      "cache-rerun");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.last_line(), first.last_line());
  auto stats = stats_by_kind();
  EXPECT_EQ(stats["tags"], 1);
  EXPECT_EQ(stats["manifest"], 0);
  EXPECT_EQ(stats["blob"], 0);
}

TEST_F(TestCommand, UsageErrorsExitTwo) {
  EXPECT_EQ(test_cmd("--allow-tags '^1' " + proxy_ + "/org/semver").exit_code, 2);
  EXPECT_EQ(test_cmd("--semver-constraint '~1' " + proxy_ + "/org/semver:~2").exit_code, 2);
  EXPECT_EQ(test_cmd("--update-strategy calver " + proxy_ + "/org/semver").exit_code, 2);
  EXPECT_EQ(test_cmd("--platforms linux " + proxy_ + "/org/semver").exit_code, 2);
  EXPECT_EQ(test_cmd("--update-strategy digest " + proxy_ + "/org/semver").exit_code, 2)
      << "digest needs the tag to track";
  auto r = test_cmd("--ignore-tags 'a[' " + proxy_ + "/org/semver");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--ignore-tags[0]"), std::string::npos) << r.err;
}

}  // namespace
