#include "credentials/credential_cache.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "metrics/registry.hpp"
#include "test_helpers.hpp"

namespace iu::credentials {
namespace {

using namespace std::chrono_literals;
using test::FakeSecrets;

class CredentialCacheTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeSecrets> secrets = std::make_shared<FakeSecrets>();
  std::chrono::steady_clock::time_point now{std::chrono::hours(1)};
  CredentialCache cache{std::make_shared<Resolver>(secrets), [this] { return now; }};

  void SetUp() override { secrets->secrets["argocd/ghcr"] = {{"creds", "user:v1"}}; }
  void rotate(const std::string& value) { secrets->secrets["argocd/ghcr"]["creds"] = value; }
};

TEST_F(CredentialCacheTest, RegistryCredentialsWithoutExpiryAreKept) {
  EXPECT_EQ(cache.registry_credential("secret:argocd/ghcr#creds", "ghcr.io", 0ns).password, "v1");
  rotate("user:v2");
  now += 24h;
  EXPECT_EQ(cache.registry_credential("secret:argocd/ghcr#creds", "ghcr.io", 0ns).password, "v1");
  EXPECT_EQ(secrets->calls, 1);
}

TEST_F(CredentialCacheTest, CredsexpireReResolvesOnceTheTimeHasPassed) {
  const auto expire = std::chrono::duration_cast<std::chrono::nanoseconds>(12h);
  EXPECT_EQ(cache.registry_credential("secret:argocd/ghcr#creds", "ghcr.io", expire).password,
            "v1");
  rotate("user:v2");
  now += 12h - 1s;
  EXPECT_EQ(cache.registry_credential("secret:argocd/ghcr#creds", "ghcr.io", expire).password,
            "v1");
  EXPECT_EQ(secrets->calls, 1);
  now += 1s;
  EXPECT_EQ(cache.registry_credential("secret:argocd/ghcr#creds", "ghcr.io", expire).password,
            "v2");
  EXPECT_EQ(secrets->calls, 2);
  // The new value is kept for another full period.
  rotate("user:v3");
  now += 11h;
  EXPECT_EQ(cache.registry_credential("secret:argocd/ghcr#creds", "ghcr.io", expire).password,
            "v2");
}

TEST_F(CredentialCacheTest, RegistryFailuresAreNotKept) {
  secrets->fail_with = "connection refused";
  EXPECT_THROW(cache.registry_credential("secret:argocd/ghcr#creds", "ghcr.io", 0ns),
               CredentialError);
  secrets->fail_with.clear();
  EXPECT_EQ(cache.registry_credential("secret:argocd/ghcr#creds", "ghcr.io", 0ns).password, "v1");
  EXPECT_EQ(secrets->calls, 2);
}

TEST_F(CredentialCacheTest, PassCredentialsResolveOncePerPassIncludingFailures) {
  EXPECT_EQ(cache.pass_credential("secret:argocd/ghcr#creds", "ghcr.io", "a").password, "v1");
  rotate("user:v2");
  EXPECT_EQ(cache.pass_credential("secret:argocd/ghcr#creds", "quay.io", "b").password, "v1");
  EXPECT_EQ(secrets->calls, 1);
  cache.begin_pass();
  EXPECT_EQ(cache.pass_credential("secret:argocd/ghcr#creds", "ghcr.io", "a").password, "v2");
  EXPECT_EQ(secrets->calls, 2);

  cache.begin_pass();
  secrets->fail_with = "forbidden";
  EXPECT_THROW(cache.pass_credential("secret:argocd/ghcr#creds", "ghcr.io"), CredentialError);
  secrets->fail_with.clear();
  EXPECT_THROW(cache.pass_credential("secret:argocd/ghcr#creds", "ghcr.io"), CredentialError);
  EXPECT_EQ(secrets->calls, 3);
  cache.begin_pass();
  EXPECT_EQ(cache.pass_credential("secret:argocd/ghcr#creds", "ghcr.io").password, "v2");
}

TEST_F(CredentialCacheTest, PullSecretEntriesArePerRegistry) {
  secrets->secrets["argocd/regcred"] = {
      {".dockerconfigjson", R"({"auths":{"ghcr.io":{"username":"g","password":"1"},
                                         "quay.io":{"username":"q","password":"2"}}})"}};
  EXPECT_EQ(cache.registry_credential("pullsecret:argocd/regcred", "ghcr.io", 0ns).username, "g");
  EXPECT_EQ(
      cache.registry_credential("pullsecret:argocd/regcred", "https://quay.io/", 0ns).username,
      "q");
  EXPECT_EQ(cache.registry_credential("pullsecret:argocd/regcred", "https://ghcr.io", 0ns).username,
            "g");
  EXPECT_EQ(secrets->calls, 2);
}

TEST_F(CredentialCacheTest, InvalidateForcesResolutionAndCountsLookups) {
  auto& m = metrics::Registry::global();
  const double hits =
      m.value("argocd_image_updater_cache_lookups_total", {"credentials", "hit"}).value_or(0);
  cache.registry_credential("secret:argocd/ghcr#creds", "ghcr.io", 0ns);
  cache.registry_credential("secret:argocd/ghcr#creds", "ghcr.io", 0ns);
  EXPECT_EQ(m.value("argocd_image_updater_cache_lookups_total", {"credentials", "hit"}), hits + 1);
  rotate("user:v2");
  cache.invalidate("secret:argocd/ghcr#creds");
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.registry_credential("secret:argocd/ghcr#creds", "ghcr.io", 0ns).password, "v2");
  EXPECT_THROW(cache.registry_credential("nonsense", "ghcr.io", 0ns), CredentialError);
}

// A slow `ext:` helper shows that concurrent callers share one resolution.
TEST(CredentialCacheFlight, ConcurrentCallersShareOneResolution) {
  test::TempDir dir;
  const std::string count = (dir.path() / "count").string();
  const std::string path =
      dir.write("slow.sh", "#!/bin/sh\necho run >> " + count + "\nsleep 0.3\necho user:pw\n");
  CredentialCache cache(std::make_shared<Resolver>(nullptr));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&] {
      if (cache.registry_credential("ext:" + path, "ghcr.io", 0ns).password == "pw") ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 6);
  std::ifstream runs(count);
  int lines = 0;
  for (std::string line; std::getline(runs, line);) ++lines;
  EXPECT_EQ(lines, 1);
}

}  // namespace
}  // namespace iu::credentials
