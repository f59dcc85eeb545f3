// `digest`: the only candidate is the tag named by the version text; an empty version is a
// configuration error.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "strategies.hpp"
#include "strategy_harness.hpp"

namespace iu::strategies {
namespace {

using test::ranked_tags;
using test::tags;

constexpr const char* kMissingTag =
    "the digest strategy needs the tag to track in imageName (e.g. \"nginx:latest\")";

class DigestTest : public testing::Test {
 protected:
  static void SetUpTestSuite() { test::install_fake_host(); }
  test::StrategyUnderTest strategy{digest_factory()};
};

TEST_F(DigestTest, ValidateAcceptsAnyTag) {
  for (const char* v : {"latest", "1.2.3", "~1.2", "stable-alpine"}) {
    const auto out = strategy.validate(v);
    EXPECT_EQ(out.status, IU_STATUS_OK) << v;
    EXPECT_EQ(out.error, "") << v;
  }
}

TEST_F(DigestTest, ValidateRejectsAnEmptyVersion) {
  const auto out = strategy.validate("");
  EXPECT_EQ(out.status, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(out.error, kMissingTag);
}

TEST_F(DigestTest, RanksTheTrackedTagWhenPresent) {
  const auto c = tags({"1.0", "latest", "stable", "latest-alpine"});
  for (uint64_t max : {0u, 1u, 5u}) {
    const auto out = strategy.rank("latest", c, max);
    ASSERT_EQ(out.status, IU_STATUS_OK) << out.error;
    EXPECT_EQ(out.indices, std::vector<uint64_t>{1}) << "max_results " << max;
  }
}

TEST_F(DigestTest, MatchesTheTagExactly) {
  // No case folding, no prefix match, no semver reading of the version.
  const auto c = tags({"Latest", "latest-alpine", "latest ", "1.0.0"});
  EXPECT_TRUE(strategy.rank("latest", c).indices.empty());
  EXPECT_TRUE(strategy.rank("1.0", c).indices.empty());
  EXPECT_EQ(ranked_tags(strategy.rank("latest ", c), c), std::vector<std::string>{"latest "});
}

TEST_F(DigestTest, AbsentTagPutsNothing) {
  const auto out = strategy.rank("latest", tags({"1.0", "stable"}));
  EXPECT_EQ(out.status, IU_STATUS_OK);
  EXPECT_TRUE(out.indices.empty());
  EXPECT_TRUE(strategy.rank("latest", {}).indices.empty());
}

TEST_F(DigestTest, RankRejectsAnEmptyVersion) {
  // A host that skipped validate must not get "the candidate named ''".
  const auto out = strategy.rank("", tags({"", "latest"}));
  EXPECT_EQ(out.status, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(out.error, kMissingTag);
  EXPECT_TRUE(out.indices.empty());
}

}  // namespace
}  // namespace iu::strategies
