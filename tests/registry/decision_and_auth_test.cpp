// The update decision (§6.8) and the auth retry of registry calls (§7.5).
#include <gtest/gtest.h>

#include "fake_registry.hpp"
#include "registry/repository_client.hpp"
#include "registry/update_decision.hpp"

namespace iu::registry {
namespace {

DecisionInput input(const std::string& image, const std::optional<std::string>& live,
                    const std::string& tag, int32_t result = IU_RESULT_TAG,
                    const std::string& digest = "") {
  DecisionInput in;
  in.image = *model::parse_image_spec(image);
  if (live) in.live = *model::parse_reference(*live);
  in.result = result;
  in.chosen_tag = tag;
  in.chosen_digest = digest;
  return in;
}

const std::string kD1 = "sha256:" + std::string(64, '1');
const std::string kD2 = "sha256:" + std::string(64, '2');

TEST(UpdateDecision, TagStrategiesCompareTagNamesOnly) {
  auto d = decide_update(input("nginx:~1.25", "nginx:1.25.1", "1.25.3"));
  EXPECT_TRUE(d.update);
  EXPECT_EQ(d.old_version, "1.25.1");
  EXPECT_EQ(written_version(d), "1.25.3");
  d = decide_update(input("nginx:~1.25", "nginx:1.25.3@" + kD1, "1.25.3"));
  EXPECT_FALSE(d.update) << "digests are not compared for tag strategies";
  d = decide_update(input("nginx", "nginx:2.0", "1.0"));
  EXPECT_TRUE(d.update) << "no monotonic guard";
}

TEST(UpdateDecision, NotDeployedWithoutForceUpdateIsNoChange) {
  EXPECT_FALSE(decide_update(input("nginx", std::nullopt, "1.0")).update);
  auto in = input("nginx", std::nullopt, "1.0");
  in.force_update = true;
  auto d = decide_update(in);
  EXPECT_TRUE(d.update);
  EXPECT_EQ(d.old_version, "");
}

TEST(UpdateDecision, DigestStrategyComparesDigests) {
  auto d =
      decide_update(input("nginx:latest", "nginx:latest", "latest", IU_RESULT_FRESH_DIGEST, kD1));
  EXPECT_TRUE(d.update) << d.reason;
  EXPECT_EQ(written_version(d), "latest@" + kD1);
  d = decide_update(
      input("nginx:latest", "nginx:latest@" + kD1, "latest", IU_RESULT_FRESH_DIGEST, kD1));
  EXPECT_FALSE(d.update);
  d = decide_update(
      input("nginx:latest", "nginx:latest@" + kD2, "latest", IU_RESULT_FRESH_DIGEST, kD1));
  EXPECT_TRUE(d.update);
  EXPECT_EQ(d.old_version, "latest@" + kD2);
}

TEST(UpdateDecision, AnUnmappedKustomizeNameIsAChange) {
  auto in = input("ghcr.io/acme/api:^1", "ghcr.io/acme/api:1.2.0", "1.2.0");
  in.kustomize_name = "acme/api-original";
  EXPECT_TRUE(decide_update(in).update);
  in.kustomize_name = "ghcr.io/acme/api";
  EXPECT_FALSE(decide_update(in).update);
  auto hub = input("nginx:^1", "nginx:1.2.0", "1.2.0");
  hub.kustomize_name = "docker.io/library/nginx";
  EXPECT_FALSE(decide_update(hub).update) << "names compare normalized (§5.3)";
}

class AuthRetry : public testing::Test {
 protected:
  AuthRetry() : fixture_(dir_.path() / "registry.json") {
    fixture_.tag("org/app", "1.0", fixture_.image("1.0", ""));
    fixture_.require_password("right");
    fixture_.write();
    instance_ = test::fake_instance(fixture_.file());
  }
  test::TempDir dir_;
  test::FakeRegistryFixture fixture_;
  std::unique_ptr<plugin_host::RegistryInstance> instance_;
};

TEST_F(AuthRetry, ReResolvesCredentialsOnceAfterUnauthenticated) {
  std::vector<bool> refreshes;
  RepositoryClient client(*instance_, "fake.test", "org/app", [&](bool refresh) {
    refreshes.push_back(refresh);
    return plugin_host::Credentials{"u", refreshes.size() == 1 ? "stale" : "right", "env:CREDS"};
  });
  const auto before = test::CallCounts::now();
  EXPECT_EQ(client.list_tags().size(), 1u);
  EXPECT_EQ(refreshes, (std::vector<bool>{false, true}));
  EXPECT_EQ((test::CallCounts::now() - before).unauthenticated, 1);
  EXPECT_EQ(client.manifest("1.0").digest, test::fake_digest("manifest/1.0"));
  EXPECT_EQ(refreshes.size(), 2u) << "good credentials are kept";
  EXPECT_EQ(client.identity(), "env:CREDS");
}

TEST_F(AuthRetry, ASecondRefusalIsFinal) {
  int resolves = 0;
  RepositoryClient client(*instance_, "fake.test", "org/app", [&](bool) {
    ++resolves;
    return plugin_host::Credentials{"u", "wrong", "env:CREDS"};
  });
  try {
    client.list_tags();
    FAIL() << "expected an authentication error";
  } catch (const plugin_host::PluginError& e) {
    EXPECT_EQ(e.status(), IU_STATUS_UNAUTHENTICATED);
    EXPECT_EQ(std::string(e.what()).find("wrong\""), std::string::npos);
  }
  EXPECT_EQ(resolves, 2);
}

TEST_F(AuthRetry, OtherErrorsAreNotRetried) {
  int resolves = 0;
  RepositoryClient client(*instance_, "fake.test", "org/nothing", [&](bool) {
    ++resolves;
    return plugin_host::Credentials{"u", "right", "env:CREDS"};
  });
  try {
    client.list_tags();
    FAIL() << "expected not found";
  } catch (const plugin_host::PluginError& e) {
    EXPECT_EQ(e.status(), IU_STATUS_NOT_FOUND);
    EXPECT_NE(std::string(e.what()).find("repository unknown: org/nothing"), std::string::npos);
  }
  EXPECT_EQ(resolves, 1);
}

}  // namespace
}  // namespace iu::registry
