// Integration: long runs across credential rotations never fail a lookup.
//  * ECR passwords rotate every 2 s and expire after 10 s (ecr_fake.py's registry front with
//    ECR's semantics: 403 DENIED once expired): tokens are refreshed before expiry, one fetch at
//    a time, by several threads at once.
//  * htpasswd rotation on the real registry (a rotated-out password stops working at once):
//    the rejected token is dropped and the lookup retried with a new one.
//  * STS temporary credentials that live 4 s are refreshed before they expire.
#include <atomic>
#include <chrono>
#include <thread>

#include "it_base.hpp"

namespace iu::test {
namespace {

using namespace std::chrono_literals;

// Runs `lookup` on `threads` threads for `duration`, 150 ms apart per thread; returns the
// failures (status and message), and counts the successes into `ok`.
std::vector<std::string> run_for(std::chrono::milliseconds duration, int threads,
                                 const std::function<void(int)>& lookup, std::atomic<int>& ok) {
  std::mutex mu;
  std::vector<std::string> failures;
  std::vector<std::thread> pool;
  const auto end = std::chrono::steady_clock::now() + duration;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; std::chrono::steady_clock::now() < end && i < 10000; ++i) {
        try {
          lookup(t * 7 + i);
          ok.fetch_add(1);
        } catch (const std::exception& e) {
          std::lock_guard lock(mu);
          failures.push_back(e.what());
        }
        std::this_thread::sleep_for(150ms);
      }
    });
  }
  for (auto& th : pool) th.join();
  return failures;
}

class RotationIT : public EcrIT {};

TEST_F(RotationIT, TokenRotationAndExpiryNeverFailALookup) {
  ScopedAwsEnv e(env_keys());
  auto r = make({{"listing", "tags-list"}});
  std::atomic<int> ok{0};
  auto failures = run_for(
      14s, 3,
      [&](int i) {
        auto tags = r->list_tags("team/app", anonymous_);
        if (tags.size() != kAppTags.size()) throw std::runtime_error("tags");
        const std::string& tag = kAppTags[static_cast<size_t>(i) % kAppTags.size()];
        auto m = r->get_manifest("team/app", anonymous_, tag);
        if (m.digest != world().app_digests.at(tag)) throw std::runtime_error("digest of " + tag);
        r->get_image_config("team/app", anonymous_, m.config_digest);
      },
      ok);
  EXPECT_TRUE(failures.empty()) << failures.size() << " failures, first: " << failures.front();
  EXPECT_GT(ok.load(), 30);
  // 14 s across 7 rotations: the first token (at most 10 s left) is replaced before it expires,
  // never a request with an expired one ...
  EXPECT_GE(world().fake->total("GetAuthorizationToken"), 2);
  // ... and one fetch per refresh, not one per thread (each token serves 7 s or more).
  EXPECT_LE(world().fake->total("GetAuthorizationToken"), 4);
  EXPECT_EQ(world().fake->total("proxy auth expired"), 0);
}

TEST_F(RotationIT, HtpasswdRotationIsRecoveredWithinTheLookup) {
  // A second fake that keeps the real registry's htpasswd user AWS at its current password.
  TempDir dir;
  EcrFake fake(dir.path(),
               {"--registry", world().registry->url(), "--registry-auth", "admin:adminpw",
                "--htpasswd-file", (world().registry->dir() / "auth" / "htpasswd").string(),
                "--bcrypt-cost", "4", "--token-rotate", "3", "--token-lifetime", "3600"},
               false);
  ScopedAwsEnv e(world().aws_env({{"AWS_ACCESS_KEY_ID", kEnvKeyId},
                                  {"AWS_SECRET_ACCESS_KEY", kEnvSecret},
                                  {"AWS_ENDPOINT_URL", fake.api_url()}}));
  services_->transport().configure(world().registry->host(), "", false);
  auto r = make_ecr(world().registry->url(), world().registry->host(), kEcrPrefix,
                    {{"listing", "tags-list"}});
  std::atomic<int> ok{0};
  auto failures = run_for(
      10s, 1,
      [&](int) {
        auto tags = r->list_tags("team/app", anonymous_);
        if (tags.size() != kAppTags.size()) throw std::runtime_error("tags");
      },
      ok);
  EXPECT_TRUE(failures.empty()) << failures.size() << " failures, first: " << failures.front();
  EXPECT_GT(ok.load(), 20);
  EXPECT_GE(fake.total("GetAuthorizationToken"), 2);
}

TEST_F(RotationIT, WebIdentityCredentialsAreRefreshedBeforeTheyExpire) {
  TempDir dir;
  const auto token = dir.path() / "token";
  run_checked({fixture_python(), (fixtures_dir() / "ecr_fake.py").string(), "mint-jwt", "--sub",
               "system:serviceaccount:argocd:argocd-image-updater", "--out", token.string()});
  ScopedAwsEnv e(
      env({{"AWS_ROLE_ARN", kRoleArn}, {"AWS_WEB_IDENTITY_TOKEN_FILE", token.string()}}));
  auto r = make();
  std::atomic<int> ok{0};
  auto failures = run_for(
      9s, 2,
      [&](int) {
        auto tags = r->list_tags("team/app", anonymous_);
        if (tags.size() != kAppTags.size()) throw std::runtime_error("tags");
      },
      ok);
  EXPECT_TRUE(failures.empty()) << failures.size() << " failures, first: " << failures.front();
  // Credentials living 4 s over 9 s: several exchanges, never one used after expiry.
  EXPECT_GE(world().fake->total("sts AssumeRoleWithWebIdentity"), 3);
  EXPECT_EQ(world().fake->count("DescribeImages", 400), 0);
}

}  // namespace
}  // namespace iu::test
