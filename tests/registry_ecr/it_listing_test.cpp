// Integration: what the plugin reports equals what the registry holds. DescribeImages gives
// every tag with the digest the registry serves and its push time, ordered by push time, over
// as many pages as it takes; the plain v2 path (listing: tags-list) gives the same tags;
// manifests (also multi-arch indexes) and config blobs come through the Docker v2 protocol.
#include <algorithm>
#include <set>

#include "it_base.hpp"

namespace iu::test {
namespace {

class ListingIT : public EcrIT {
 protected:
  void SetUp() override {
    EcrIT::SetUp();
    env_ = std::make_unique<ScopedAwsEnv>(env_keys());
  }
  void TearDown() override { env_.reset(); }
  std::unique_ptr<ScopedAwsEnv> env_;
};

TEST_F(ListingIT, DescribeImagesGivesTagsDigestsAndPushTimesInPushOrder) {
  auto r = make();
  auto tags = r->list_tags("team/app", anonymous_);
  ASSERT_EQ(tags.size(), kAppTags.size());
  for (size_t i = 0; i < tags.size(); ++i) {
    SCOPED_TRACE(tags[i].tag);
    // populate.py pushed them in kAppTags order; ecr_fake's push time is build time + 30 s.
    EXPECT_EQ(tags[i].tag, kAppTags[i]);
    EXPECT_EQ(tags[i].digest, world().app_digests.at(kAppTags[i]));
    EXPECT_EQ(tags[i].pushed_at_ms,
              (kCreatedBase + static_cast<int64_t>(i) * kCreatedStep + 30) * 1000);
  }
  // One page, no v2 request at all.
  EXPECT_EQ(world().fake->count("DescribeImages"), 1);
  EXPECT_EQ(services_->count("tags"), 1u);
  EXPECT_EQ(world().fake->total("proxy auth ok"), 0);
}

TEST_F(ListingIT, DigestsEqualWhatTheRegistryServes) {
  auto r = make();
  for (const auto& t : r->list_tags("team/app", anonymous_)) {
    auto m = r->get_manifest("team/app", anonymous_, t.tag, IU_MANIFEST_HEAD_ONLY);
    EXPECT_EQ(m.digest, t.digest) << t.tag;
  }
}

TEST_F(ListingIT, EveryPageIsCollected) {
  auto r = make({{"describe_page_size", "4"}});
  auto tags = r->list_tags("team/app", anonymous_);
  std::vector<std::string> names = tag_names(tags);
  EXPECT_EQ(names, kAppTags);
  EXPECT_EQ(world().fake->count("DescribeImages"), 2);
}

TEST_F(ListingIT, PlainV2PathHoldsTheSameTags) {
  auto r = make({{"listing", "tags-list"}});
  auto tags = r->list_tags("team/app", anonymous_);
  std::set<std::string> got, want(kAppTags.begin(), kAppTags.end());
  for (const auto& t : tags) {
    got.insert(t.tag);
    EXPECT_TRUE(t.digest.empty());
    EXPECT_EQ(t.pushed_at_ms, IU_TIME_UNKNOWN);
  }
  EXPECT_EQ(got, want);
  EXPECT_EQ(world().fake->count("DescribeImages"), 0);
  EXPECT_GE(world().fake->total("proxy auth ok"), 1);
}

TEST_F(ListingIT, MultiArchIndexThroughTheV2Protocol) {
  auto r = make();
  auto m = r->get_manifest("team/multi", anonymous_, "x");
  EXPECT_TRUE(m.is_index);
  ASSERT_EQ(m.children.size(), 2u);
  std::set<std::string> archs;
  for (const auto& c : m.children) archs.insert(c.platform.architecture);
  EXPECT_EQ(archs, (std::set<std::string>{"amd64", "arm64"}));
  auto child = r->get_manifest("team/multi", anonymous_, m.children[0].digest);
  auto cfg = r->get_image_config("team/multi", anonymous_, child.config_digest);
  EXPECT_EQ(cfg.platform.architecture, m.children[0].platform.architecture);
}

TEST_F(ListingIT, MissingRepositoryIsNotFound) {
  auto r = make();
  auto [st, msg] = plugin_error([&] { r->list_tags("team/absent", anonymous_); });
  EXPECT_EQ(st, IU_STATUS_NOT_FOUND);
  EXPECT_NE(msg.find("RepositoryNotFoundException"), std::string::npos) << msg;
  EXPECT_NE(msg.find("team/absent"), std::string::npos) << msg;
}

TEST_F(ListingIT, BadSettingsAreRejectedAtCreation) {
  auto [st, msg] = plugin_error([&] { make({{"listing", "catalog"}}); });
  EXPECT_EQ(st, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(msg.find("listing: \"catalog\""), std::string::npos) << msg;
  auto [st2, msg2] = plugin_error([&] { make({{"describe_page_size", "5000"}}); });
  EXPECT_EQ(st2, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(msg2.find("describe_page_size"), std::string::npos) << msg2;
  {
    ScopedAwsEnv e(env_keys());
    auto [st3, msg3] = plugin_error([&] {
      make_ecr(world().fake->proxy_url(), world().fake->proxy_host(), "ecr-cache.internal");
    });
    EXPECT_EQ(st3, IU_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(msg3.find("AWS_REGION"), std::string::npos) << msg3;
  }
}

}  // namespace
}  // namespace iu::test
