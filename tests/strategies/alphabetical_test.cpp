// `alphabetical`: byte-wise ascending order (no locale, no natural sort), best = last.
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
using test::tags;
using Tags = std::vector<std::string>;

class AlphabeticalTest : public testing::Test {
 protected:
  static void SetUpTestSuite() { test::install_fake_host(); }
  test::StrategyUnderTest strategy{alphabetical_factory()};
};

TEST_F(AlphabeticalTest, RanksBestFirstInByteOrderWithCaseDigitsAndPrefixes) {
  // 'B' (0x42) < '_' (0x5f) < 'a' (0x61); "10" < "9"; a proper prefix sorts first; UTF-8
  // "é" (0xc3 0xa9) sorts after every ASCII byte because bytes compare unsigned.
  const auto c = tags({"a", "B", "10", "9", "a0", "_x", "\xc3\xa9t\xc3\xa9", "Z", "1.10", "1.9"});
  const auto out = strategy.rank("", c);
  ASSERT_EQ(out.status, IU_STATUS_OK) << out.error;
  EXPECT_EQ(ranked_tags(out, c),
            (Tags{"\xc3\xa9t\xc3\xa9", "a0", "a", "_x", "Z", "B", "9", "10", "1.9", "1.10"}));
}

TEST_F(AlphabeticalTest, SingleResultIsTheLastTagInByteOrder) {
  const auto c = tags({"v1.9", "v1.10", "V2", "v1.9-rc"});
  const auto out = strategy.rank("", c, 1);
  ASSERT_EQ(out.status, IU_STATUS_OK);
  EXPECT_EQ(ranked_tags(out, c), (Tags{"v1.9-rc"}));
}

TEST_F(AlphabeticalTest, OrderDoesNotDependOnTheRegistryOrder) {
  auto c = tags({"main", "Main", "main-2", "release-1", "r", "release", "0", ""});
  const Tags expected{"release-1", "release", "r", "main-2", "main", "Main", "0", ""};
  for (int reversed = 0; reversed < 2; ++reversed) {
    for (size_t r = 0; r < c.size(); ++r) {
      std::rotate(c.begin(), c.begin() + 1, c.end());
      EXPECT_EQ(ranked_tags(strategy.rank("", c, 0), c), expected);
      EXPECT_EQ(ranked_tags(strategy.rank("", c, 1), c), Tags{expected.front()});
      EXPECT_EQ(ranked_tags(strategy.rank("", c, 3), c),
                Tags(expected.begin(), expected.begin() + 3));
    }
    std::reverse(c.begin(), c.end());
  }
}

TEST_F(AlphabeticalTest, MaxResultsLimitsTheRankingToItsBestEntries) {
  const auto c = tags({"c", "a", "e", "b", "d"});
  EXPECT_EQ(ranked_tags(strategy.rank("", c, 2), c), (Tags{"e", "d"}));
  EXPECT_EQ(ranked_tags(strategy.rank("", c, 5), c), (Tags{"e", "d", "c", "b", "a"}));
  EXPECT_EQ(ranked_tags(strategy.rank("", c, 99), c), (Tags{"e", "d", "c", "b", "a"}));
}

TEST_F(AlphabeticalTest, NoCandidatesPutsNothing) {
  for (uint64_t max : {0u, 1u, 3u}) {
    const auto out = strategy.rank("", {}, max);
    EXPECT_EQ(out.status, IU_STATUS_OK);
    EXPECT_TRUE(out.indices.empty());
  }
}

TEST_F(AlphabeticalTest, IgnoresTheVersionText) {
  EXPECT_EQ(strategy.validate("").status, IU_STATUS_OK);
  EXPECT_EQ(strategy.validate(">==1 garbage").status, IU_STATUS_OK);
  const auto c = tags({"a", "b"});
  EXPECT_EQ(ranked_tags(strategy.rank("a", c, 1), c), (Tags{"b"}));
}

}  // namespace
}  // namespace iu::strategies
