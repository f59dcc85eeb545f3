// `newest-build`: by build time ascending, ties by tag name byte-wise ascending, best = last.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "strategies.hpp"
#include "strategy_harness.hpp"

namespace iu::strategies {
namespace {

using test::Candidate;
using test::ranked_tags;
using Tags = std::vector<std::string>;

class NewestBuildTest : public testing::Test {
 protected:
  static void SetUpTestSuite() { test::install_fake_host(); }
  test::StrategyUnderTest strategy{newest_build_factory()};
};

TEST_F(NewestBuildTest, RanksByBuildTimeThenByTagName) {
  const std::vector<Candidate> c{{"v1", 1'700'000'000'000},  {"b", 1'700'000'000'500},
                                 {"old", 1'600'000'000'000}, {"a", 1'700'000'000'500},
                                 {"B", 1'700'000'000'500},   {"v2", 1'700'000'000'000}};
  const auto out = strategy.rank("", c);
  ASSERT_EQ(out.status, IU_STATUS_OK) << out.error;
  // Same build time: the byte-wise greater name ranks higher ("b" > "a" > "B").
  EXPECT_EQ(ranked_tags(out, c), (Tags{"b", "a", "B", "v2", "v1", "old"}));
}

TEST_F(NewestBuildTest, TimeWinsOverName) {
  // Alphabetically "zzz" would win; the newer build must.
  const std::vector<Candidate> c{{"zzz", 1000}, {"aaa", 2000}};
  EXPECT_EQ(ranked_tags(strategy.rank("", c, 1), c), (Tags{"aaa"}));
  // A one-millisecond difference is enough.
  const std::vector<Candidate> d{{"aaa", 1999}, {"zzz", 1998}};
  EXPECT_EQ(ranked_tags(strategy.rank("", d, 1), d), (Tags{"aaa"}));
}

TEST_F(NewestBuildTest, MissingBuildTimeCountsAsTheEpoch) {
  // The host sends 0 for a missing `created`; IU_TIME_UNKNOWN must mean the same, so the tie
  // with "a" (epoch) is broken by name, and a pre-1970 build ranks below both.
  const std::vector<Candidate> c{{"a", 0}, {"b", IU_TIME_UNKNOWN}, {"pre", -86'400'000}};
  EXPECT_EQ(ranked_tags(strategy.rank("", c), c), (Tags{"b", "a", "pre"}));
  EXPECT_EQ(ranked_tags(strategy.rank("", c, 1), c), (Tags{"b"}));
}

TEST_F(NewestBuildTest, SingleResultAndPartialRankingAgreeWithTheFullRanking) {
  std::vector<Candidate> c;
  for (int i = 0; i < 40; ++i)
    c.push_back(Candidate{"t" + std::to_string((i * 7) % 40), int64_t{(i * 13) % 5} * 1000});
  const auto all = strategy.rank("", c, 0);
  ASSERT_EQ(all.indices.size(), c.size());
  // The full ranking is descending by (time, name) and a permutation of the input.
  for (size_t i = 1; i < all.indices.size(); ++i) {
    const Candidate& hi = c[all.indices[i - 1]];
    const Candidate& lo = c[all.indices[i]];
    EXPECT_TRUE(hi.created_ms > lo.created_ms ||
                (hi.created_ms == lo.created_ms && hi.tag > lo.tag))
        << hi.tag << " before " << lo.tag;
  }
  auto sorted = all.indices;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
  for (uint64_t k : {1u, 2u, 7u, 39u, 40u, 41u}) {
    const auto some = strategy.rank("", c, k);
    const auto n = std::min<size_t>(k, c.size());
    EXPECT_EQ(some.indices, std::vector<uint64_t>(all.indices.begin(), all.indices.begin() + n))
        << "max_results " << k;
  }
}

TEST_F(NewestBuildTest, NoCandidatesPutsNothing) {
  const auto out = strategy.rank("", {}, 1);
  EXPECT_EQ(out.status, IU_STATUS_OK);
  EXPECT_TRUE(out.indices.empty());
}

TEST_F(NewestBuildTest, IgnoresTheVersionText) {
  EXPECT_EQ(strategy.validate("").status, IU_STATUS_OK);
  EXPECT_EQ(strategy.validate("~1.2 || >==nonsense").status, IU_STATUS_OK);
  const std::vector<Candidate> c{{"1.0", 5}, {"2.0", 1}};
  EXPECT_EQ(ranked_tags(strategy.rank("2.0", c, 1), c), (Tags{"1.0"}));
}

}  // namespace
}  // namespace iu::strategies
