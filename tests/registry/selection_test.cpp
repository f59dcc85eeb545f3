// The selection pipeline against the fake registry plugin (a real .so) and the bundled
// strategies: what each strategy picks, and what each pass costs in registry calls.
#include <gtest/gtest.h>

#include "fake_registry.hpp"
#include "metrics/registry.hpp"
#include "registry/image_selector.hpp"

namespace iu::registry {
namespace {

using test::CallCounts;
using test::FakeRegistryFixture;
using test::TempDir;

class Selection : public testing::Test {
 protected:
  Selection() : fixture_(dir_.path() / "registry.json") {}

  // A service generation: store, tag-list cache and selector over `cache_dir` (a "restart"
  // makes a new one over the same directory).
  struct Service {
    MetadataStore store;
    TagListCache tags;
    ImageSelector selector;
    Service(const std::filesystem::path& cache_dir, TagDigestPolicy policy)
        : store({cache_dir, 1000}), tags({}), selector(store, tags, {policy, 4}) {}
  };

  void start(const std::string& tagsortmode = "none") {
    instance_ = test::fake_instance(fixture_.file(), tagsortmode);
    restart();
  }
  void restart() {
    service_.reset();
    TagDigestPolicy policy{std::chrono::hours(1), [this] { return now_ms_; }};
    service_ = std::make_unique<Service>(dir_.path() / "cache", policy);
  }

  registry::Selection select(const std::string& strategy, const std::string& version = "",
                             std::vector<std::string> platforms = {}, bool confirm = false,
                             const std::string& live_tag = "") {
    plugin_host::StrategyInstance s(
        test::test_catalog().resolve(plugin_host::Kind::strategy, strategy), {});
    RepositoryClient client(*instance_, "fake.test", "org/app", {});
    SelectionRequest req;
    req.image = "fake.test/org/app";
    req.version = version;
    req.strategy = &s;
    req.filter = filter_;
    for (const auto& p : platforms) req.platforms.push_back(*model::parse_platform(p));
    req.confirm_winner = confirm;
    req.live_tag = live_tag;
    service_->tags.begin_pass();
    return service_->selector.select(client, req);
  }

  std::string winner(const registry::Selection& s) { return s.winner ? s.winner->tag : "<none>"; }

  // Tags 1.0.0 .. with created times one hour apart, in this order, all linux/amd64.
  void tags(const std::vector<std::string>& names) {
    int hour = 0;
    for (const auto& n : names) {
      const std::string created =
          "2024-01-01T" + std::string(hour < 10 ? "0" : "") + std::to_string(hour) + ":00:00Z";
      fixture_.tag("org/app", n, fixture_.image(n, created));
      ++hour;
    }
    fixture_.write();
  }

  TempDir dir_;
  FakeRegistryFixture fixture_;
  std::unique_ptr<plugin_host::RegistryInstance> instance_;
  std::unique_ptr<Service> service_;
  model::TagFilter filter_;
  int64_t now_ms_ = 1'700'000'000'000;
};

TEST_F(Selection, SemverPicksTheHighestMatchWithoutMetadata) {
  tags({"1.0.0", "1.2.0", "1.10.0", "2.0.0", "v1.9.0", "latest", "1.11.0-rc.1"});
  start();
  const auto before = CallCounts::now();
  auto s = select("semver", "~1");
  EXPECT_EQ(winner(s), "1.10.0");
  EXPECT_EQ(s.tags_listed, 7u);
  EXPECT_EQ(s.candidates, 7u);
  EXPECT_TRUE(s.winner->digest.empty()) << "semver writes tags and fetches nothing";
  const auto cost = CallCounts::now() - before;
  EXPECT_EQ(cost.list_tags, 1);
  EXPECT_EQ(cost.manifest_get + cost.manifest_head + cost.config, 0);
}

TEST_F(Selection, FiltersRunBeforeTheStrategy) {
  tags({"1.0.0", "1.2.0", "1.3.0-debug", "2.0.0"});
  std::vector<std::string> ignore{"*-debug", "2.*"};
  filter_ = *model::TagFilter::compile("regexp:^1\\.", ignore);
  start();
  auto s = select("alphabetical");
  EXPECT_EQ(winner(s), "1.2.0");
  EXPECT_EQ(s.tags_allowed, 2u);
  filter_ = *model::TagFilter::compile("regexp:^9", {});
  s = select("semver");
  EXPECT_FALSE(s.winner);
  EXPECT_NE(s.reason.find("no tags of fake.test/org/app passed allowTags"), std::string::npos)
      << s.reason;
}

TEST_F(Selection, NoMatchingVersionIsNoCandidateNotAnError) {
  tags({"1.0.0"});
  start();
  auto s = select("semver", ">=2");
  EXPECT_FALSE(s.winner);
  EXPECT_NE(s.reason.find("matched the semver strategy for \">=2\""), std::string::npos)
      << s.reason;
}

TEST_F(Selection, NewestBuildOrdersByCreatedThenName) {
  fixture_.tag("org/app", "b", fixture_.image("b", "2024-03-01T00:00:00Z"));
  fixture_.tag("org/app", "a", fixture_.image("a", "2024-03-01T00:00:00Z"));
  fixture_.tag("org/app", "old", fixture_.image("old", "2023-03-01T00:00:00+02:00"));
  fixture_.tag("org/app", "nocreated", fixture_.image("nocreated", ""));
  fixture_.write();
  start();
  auto s = select("newest-build");
  ASSERT_EQ(winner(s), "b") << "equal times: the greater name wins";
  EXPECT_EQ(s.winner->created_ms, 1709251200000);
  EXPECT_EQ(s.winner->digest, test::fake_digest("manifest/b"));
}

TEST_F(Selection, NewestBuildTreatsMissingCreatedAsEpochAndDropsUnparsable) {
  fixture_.tag("org/app", "nocreated", fixture_.image("nocreated", ""));
  fixture_.tag("org/app", "broken", fixture_.image("broken", "last tuesday"));
  fixture_.write();
  start();
  testing::internal::CaptureStderr();
  auto s = select("newest-build");
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(winner(s), "nocreated");
  EXPECT_EQ(s.winner->created_ms, 0);
  EXPECT_EQ(s.candidates, 1u);
  EXPECT_NE(log.find("tag \\\"broken\\\": config created \\\"last tuesday\\\""), std::string::npos)
      << log;
}

TEST_F(Selection, NewestBuildChecksPlatformsOfEveryCandidate) {
  const auto amd = fixture_.image("multi-amd64", "2024-01-01T00:00:00Z", {"linux", "amd64", ""},
                                  {{"arch", "amd64"}});
  const auto arm = fixture_.image("multi-arm64", "2024-06-01T00:00:00Z", {"linux", "arm64", "v8"},
                                  {{"arch", "arm64"}});
  fixture_.tag("org/app", "multi", fixture_.index("multi", {amd, arm}));
  fixture_.tag("org/app", "armonly",
               fixture_.image("armonly", "2025-01-01T00:00:00Z", {"linux", "arm64", ""}));
  fixture_.tag("org/app", "amdonly", fixture_.image("amdonly", "2024-03-01T00:00:00Z"));
  fixture_.write();
  start();
  auto s = select("newest-build", "", {"linux/amd64"});
  EXPECT_EQ(winner(s), "amdonly") << "the index counts only its amd64 child (January)";
  EXPECT_EQ(s.candidates, 2u);
  s = select("newest-build", "", {"linux/arm64"});
  EXPECT_EQ(winner(s), "armonly");
  s = select("newest-build", "", {"linux/arm64/v8"});
  ASSERT_EQ(winner(s), "multi") << "armonly has no variant, so v8 does not match it";
  EXPECT_EQ(s.winner->created_ms, 1717200000000);
  EXPECT_EQ(s.winner->labels,
            (std::vector<std::pair<std::string, std::string>>{{"arch", "arm64"}}));
  s = select("newest-build", "", {"windows/amd64"});
  EXPECT_FALSE(s.winner);
  EXPECT_NE(s.reason.find("platforms windows/amd64"), std::string::npos) << s.reason;
}

TEST_F(Selection, ASecondNewestBuildPassCostsNoManifestOrConfigCalls) {
  const auto amd = fixture_.image("m-amd64", "2024-01-01T00:00:00Z");
  const auto arm = fixture_.image("m-arm64", "2024-01-02T00:00:00Z", {"linux", "arm64", "v8"});
  fixture_.tag("org/app", "multi", fixture_.index("multi", {amd, arm}));
  tags({"1.0", "1.1", "1.2"});
  start();
  auto before = CallCounts::now();
  EXPECT_EQ(winner(select("newest-build", "", {"linux/amd64", "linux/arm64"})), "multi");
  auto cost = CallCounts::now() - before;
  EXPECT_EQ(cost.manifest_get, 4 + 2) << "one GET per tag, one per index child";
  EXPECT_EQ(cost.config, 5);
  EXPECT_EQ(cost.manifest_head, 0);

  auto metric = [](const char* cache, const char* result) {
    return metrics::Registry::global()
        .value("argocd_image_updater_cache_lookups_total", {cache, result})
        .value_or(0);
  };
  const double metadata_hits = metric("metadata", "hit");
  const double tag_digest_hits = metric("tag_digest", "hit");
  before = CallCounts::now();
  EXPECT_EQ(winner(select("newest-build", "", {"linux/amd64", "linux/arm64"})), "multi");
  cost = CallCounts::now() - before;
  EXPECT_EQ(cost.list_tags, 1);
  EXPECT_EQ(cost.manifest_get + cost.manifest_head + cost.config, 0);
  EXPECT_EQ(metric("metadata", "hit") - metadata_hits, 4 + 2 + 5);
  EXPECT_EQ(metric("tag_digest", "hit") - tag_digest_hits, 4);

  restart();  // a new process over the same cache directory
  before = CallCounts::now();
  EXPECT_EQ(winner(select("newest-build", "", {"linux/amd64", "linux/arm64"})), "multi");
  cost = CallCounts::now() - before;
  EXPECT_EQ(cost.manifest_get + cost.manifest_head + cost.config, 0);

  // Confirming the winner costs exactly one HEAD.
  before = CallCounts::now();
  EXPECT_EQ(winner(select("newest-build", "", {"linux/amd64", "linux/arm64"}, true)), "multi");
  cost = CallCounts::now() - before;
  EXPECT_EQ(cost.manifest_head, 1);
  EXPECT_EQ(cost.manifest_get + cost.config, 0);
}

TEST_F(Selection, StaleTagDigestsAreRevalidatedAndRepushedTagsReRead) {
  tags({"a", "b"});
  start();
  EXPECT_EQ(winner(select("newest-build")), "b");
  // Re-push `a` with a newer build: within the TTL the cache still answers (by design).
  fixture_.tag("org/app", "a", fixture_.image("a2", "2025-01-01T00:00:00Z"));
  fixture_.write();
  auto before = CallCounts::now();
  EXPECT_EQ(winner(select("newest-build")), "b");
  EXPECT_EQ((CallCounts::now() - before).manifest_head, 0);
  // Past TTL + 10 %: one HEAD per tag; only the moved tag costs a GET and a config.
  now_ms_ += 66 * 60 * 1000;
  before = CallCounts::now();
  auto s = select("newest-build");
  EXPECT_EQ(winner(s), "a");
  EXPECT_EQ(s.winner->digest, test::fake_digest("manifest/a2"));
  auto cost = CallCounts::now() - before;
  EXPECT_EQ(cost.manifest_head, 2);
  EXPECT_EQ(cost.manifest_get, 1);
  EXPECT_EQ(cost.config, 1);
}

TEST_F(Selection, AConfirmedWinnerThatMovedIsRankedAgain) {
  tags({"a", "b"});
  start();
  EXPECT_EQ(winner(select("newest-build")), "b");
  // `b` is re-pushed with an older build; the cache still says it is the newest.
  fixture_.tag("org/app", "b", fixture_.image("b-old", "2020-01-01T00:00:00Z"));
  fixture_.write();
  EXPECT_EQ(winner(select("newest-build", "", {}, false)), "b");
  EXPECT_EQ(winner(select("newest-build", "", {}, true)), "a");
}

TEST_F(Selection, TheDeployedTagIsAlwaysCheckedFresh) {
  tags({"a", "b"});
  start();
  select("newest-build");
  auto before = CallCounts::now();
  select("newest-build", "", {}, false, "a");
  EXPECT_EQ((CallCounts::now() - before).manifest_head, 1);
}

TEST_F(Selection, TagSortModesSynthesizeTimesAndFetchNothing) {
  tags({"x", "y", "z"});
  start("latest-first");
  auto before = CallCounts::now();
  EXPECT_EQ(winner(select("newest-build", "", {"plan9/mips"})), "x");
  auto cost = CallCounts::now() - before;
  EXPECT_EQ(cost.manifest_get + cost.manifest_head + cost.config, 0);
  start("latest-last");
  EXPECT_EQ(winner(select("newest-build", "", {"plan9/mips"})), "z");
}

TEST_F(Selection, DigestResolvesTheTagFreshOnEveryCheck) {
  tags({"stable", "1.0"});
  start();
  auto s = select("digest", "stable");
  ASSERT_EQ(winner(s), "stable");
  EXPECT_EQ(s.winner->digest, test::fake_digest("manifest/stable"));
  fixture_.tag("org/app", "stable", fixture_.image("stable2", "2024-01-01T00:00:00Z"));
  fixture_.write();
  auto before = CallCounts::now();
  s = select("digest", "stable");
  EXPECT_EQ(s.winner->digest, test::fake_digest("manifest/stable2")) << "never from the cache";
  EXPECT_EQ((CallCounts::now() - before).manifest_head, 1);
  EXPECT_FALSE(select("digest", "missing").winner);
}

TEST_F(Selection, DigestChecksTheWinnersPlatform) {
  fixture_.tag("org/app", "arm", fixture_.image("arm", "", {"linux", "arm64", ""}));
  fixture_.write();
  start();
  EXPECT_FALSE(select("digest", "arm", {"linux/amd64"}).winner);
  auto s = select("digest", "arm", {"linux/arm64"});
  EXPECT_EQ(winner(s), "arm");
}

TEST_F(Selection, SemverWalksLazilyOnlyWhenPlatformsAreExplicit) {
  fixture_.tag("org/app", "1.0.0", fixture_.image("1.0.0", ""));
  fixture_.tag("org/app", "1.1.0", fixture_.image("1.1.0", ""));
  fixture_.tag("org/app", "1.2.0", fixture_.image("1.2.0", "", {"linux", "arm64", ""}));
  fixture_.tag("org/app", "1.3.0", fixture_.image("1.3.0", "", {"linux", "arm64", ""}));
  fixture_.write();
  start();
  auto before = CallCounts::now();
  EXPECT_EQ(winner(select("semver")), "1.3.0") << "no explicit platforms: no check";
  EXPECT_EQ((CallCounts::now() - before).manifest_get, 0);
  before = CallCounts::now();
  EXPECT_EQ(winner(select("semver", "", {"linux/amd64"})), "1.1.0");
  EXPECT_EQ((CallCounts::now() - before).manifest_get, 3) << "1.3.0, 1.2.0, then 1.1.0";
  EXPECT_EQ(winner(select("alphabetical", "", {"linux/arm64"})), "1.3.0");
  EXPECT_FALSE(select("alphabetical", "", {"linux/s390x"}).winner);
}

TEST_F(Selection, ATagDeletedAfterTheListingIsSkipped) {
  tags({"a", "b"});
  start();
  // The listing is cached for the pass; delete `b` behind it and re-read the metadata.
  service_->tags.begin_pass();
  RepositoryClient client(*instance_, "fake.test", "org/app", {});
  plugin_host::StrategyInstance s(
      test::test_catalog().resolve(plugin_host::Kind::strategy, "newest-build"), {});
  SelectionRequest req;
  req.image = "fake.test/org/app";
  req.strategy = &s;
  service_->selector.select(client, req);  // fills the tag-list cache (and the metadata cache)
  fixture_.untag("org/app", "b");
  fixture_.write();
  now_ms_ += 100LL * 3600 * 1000;  // every tag->digest entry is stale: the registry is asked
  testing::internal::CaptureStderr();
  auto sel = service_->selector.select(client, req);
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(winner(sel), "a");
  EXPECT_NE(log.find("tag disappeared"), std::string::npos) << log;
}

}  // namespace
}  // namespace iu::registry
