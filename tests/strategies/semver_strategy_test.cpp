// `semver` through its vtable: constraint validation and its message, ordering with ties and
// prereleases, constraint filtering, max_results, and the shared conformance vectors.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <string>
#include <vector>

#include "shared_dir.hpp"
#include "strategies.hpp"
#include "strategy_harness.hpp"

namespace iu::strategies {
namespace {

using test::ranked_tags;
using test::tags;
using Tags = std::vector<std::string>;

class SemverTest : public testing::Test {
 protected:
  static void SetUpTestSuite() { test::install_fake_host(); }
  test::StrategyUnderTest strategy{semver_factory()};
};

TEST_F(SemverTest, ValidateAcceptsConstraintsAndTheEmptyText) {
  for (const char* v :
       {"", "*", "1.2.3", "~1.2", "^0.2.3", ">=1.2, <2 || 3.x", "1.0 - 2.0", ">=2.0.0-0"}) {
    const auto out = strategy.validate(v);
    EXPECT_EQ(out.status, IU_STATUS_OK) << v << ": " << out.error;
    EXPECT_EQ(out.error, "") << v;
  }
}

TEST_F(SemverTest, InvalidConstraintIsAnInvalidArgumentNamingTheText) {
  for (const char* v : {">==1", "1.2.3x", "latest", "~1.2 ||", ">1 <"}) {
    const std::string prefix = std::string("invalid semver constraint \"") + v + "\": ";
    for (const auto& out : {strategy.validate(v), strategy.rank(v, tags({"1.0.0"}), 1),
                            strategy.rank(v, tags({"1.0.0"}), 0)}) {
      EXPECT_EQ(out.status, IU_STATUS_INVALID_ARGUMENT) << v;
      EXPECT_TRUE(out.indices.empty()) << v;
      ASSERT_GT(out.error.size(), prefix.size()) << v << ": no reason in \"" << out.error << '"';
      EXPECT_EQ(out.error.substr(0, prefix.size()), prefix);
    }
  }
}

TEST_F(SemverTest, EqualVersionsAreOrderedByTheirOriginalText) {
  const auto c = tags({"1.0.0", "v1.0.0", "1.0", "1.0.0+b", "0.9", "1.0.0+a"});
  EXPECT_EQ(ranked_tags(strategy.rank("", c), c),
            (Tags{"v1.0.0", "1.0.0+b", "1.0.0+a", "1.0.0", "1.0", "0.9"}));
  EXPECT_EQ(ranked_tags(strategy.rank("", c, 1), c), (Tags{"v1.0.0"}));
}

TEST_F(SemverTest, OrdersNumericallyAndDropsTagsThatAreNotVersions) {
  const auto c = tags({"1.9.0", "latest", "1.10.0", "1.2.3.4", "2024", "V3.0.0", "v1.9.1", "7"});
  EXPECT_EQ(ranked_tags(strategy.rank("", c), c), (Tags{"2024", "7", "1.10.0", "v1.9.1", "1.9.0"}));
}

TEST_F(SemverTest, PrereleasesOnlyWhenTheConstraintAsksForThem) {
  const auto c = tags({"2.0.0-rc.2", "1.9.0", "2.0.0-beta", "2.0.0-rc.10", "2.0.0-rc.1"});
  EXPECT_EQ(ranked_tags(strategy.rank("", c), c), (Tags{"1.9.0"}));
  EXPECT_EQ(ranked_tags(strategy.rank("*", c), c), (Tags{"1.9.0"}));
  // Numeric identifiers compare numerically, text by ASCII.
  EXPECT_EQ(ranked_tags(strategy.rank(">=1.0.0-0", c), c),
            (Tags{"2.0.0-rc.10", "2.0.0-rc.2", "2.0.0-rc.1", "2.0.0-beta", "1.9.0"}));
  // The release ranks above its prereleases.
  const auto d = tags({"2.0.0-rc.1", "2.0.0", "2.0.0-rc.2"});
  EXPECT_EQ(ranked_tags(strategy.rank(">=2.0.0-0", d, 1), d), (Tags{"2.0.0"}));
}

TEST_F(SemverTest, ConstraintFiltersTheCandidates) {
  const auto c = tags({"1.2.0", "1.2.10", "1.3.0", "1.2.9", "v1.2.11", "1.1.99", "2.0.0"});
  EXPECT_EQ(ranked_tags(strategy.rank("~1.2", c), c),
            (Tags{"v1.2.11", "1.2.10", "1.2.9", "1.2.0"}));
  EXPECT_EQ(ranked_tags(strategy.rank("~1.2", c, 1), c), (Tags{"v1.2.11"}));
  EXPECT_EQ(ranked_tags(strategy.rank("<1.2 || >=2", c), c), (Tags{"2.0.0", "1.1.99"}));
  EXPECT_TRUE(strategy.rank("3.x", c, 0).indices.empty());
  EXPECT_TRUE(strategy.rank("3.x", c, 1).indices.empty());
}

TEST_F(SemverTest, MaxResultsLimitsTheRankingToItsBestEntries) {
  const auto c = tags({"1.0.0", "3.0.0", "latest", "2.0.0", "4.0.0"});
  const auto all = strategy.rank("", c, 0);
  EXPECT_EQ(ranked_tags(all, c), (Tags{"4.0.0", "3.0.0", "2.0.0", "1.0.0"}));
  for (uint64_t k = 1; k <= 6; ++k) {
    const auto some = strategy.rank("", c, k);
    const size_t n = std::min<size_t>(k, all.indices.size());
    EXPECT_EQ(some.indices, std::vector<uint64_t>(all.indices.begin(), all.indices.begin() + n))
        << "max_results " << k;
  }
}

TEST_F(SemverTest, LogsOneDebugLineNamingTheImageAndTheOutcome) {
  const auto found = strategy.rank("~1", tags({"1.4.0", "main", "2.0.0"}), 1);
  ASSERT_EQ(found.logs.size(), 1u);
  EXPECT_EQ(found.logs[0].first, IU_LOG_DEBUG);
  EXPECT_EQ(found.logs[0].second,
            "registry.test/acme/app: semver constraint \"~1\": best of 3 tags is \"1.4.0\"");
  const auto none = strategy.rank("", tags({"main", "latest"}), 0);
  ASSERT_EQ(none.logs.size(), 1u);
  EXPECT_EQ(none.logs[0].second,
            "registry.test/acme/app: semver constraint \"*\": none of 2 tags is a version "
            "satisfying it");
}

// Every row of the shared semver-select vectors (generated with the upstream strategy): the
// winner through the vtable, with max_results 1 (linear pass) and 0 (full ranking) agreeing.
TEST_F(SemverTest, ConformanceVectors) {
  std::ifstream in(test::conformance_file("semver-select.jsonl"));
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    ++rows;
    rapidjson::Document row;
    ASSERT_FALSE(row.Parse(line.c_str()).HasParseError()) << line;
    const std::string constraint = row["constraint"].GetString();
    std::vector<test::Candidate> c;
    for (const auto& t : row["tags"].GetArray()) c.push_back({t.GetString(), 0});
    SCOPED_TRACE("row " + std::to_string(rows) + ": " + line);

    if (row["constraint_error"].GetBool()) {
      EXPECT_EQ(strategy.validate(constraint).status, IU_STATUS_INVALID_ARGUMENT);
      EXPECT_EQ(strategy.rank(constraint, c, 1).status, IU_STATUS_INVALID_ARGUMENT);
      continue;
    }
    EXPECT_EQ(strategy.validate(constraint).status, IU_STATUS_OK);
    const Tags expected = row["expect"].IsNull() ? Tags{} : Tags{row["expect"].GetString()};
    const auto one = strategy.rank(constraint, c, 1);
    ASSERT_EQ(one.status, IU_STATUS_OK) << one.error;
    EXPECT_EQ(ranked_tags(one, c), expected);
    const auto all = strategy.rank(constraint, c, 0);
    ASSERT_EQ(all.status, IU_STATUS_OK) << all.error;
    ASSERT_EQ(all.indices.empty(), expected.empty());
    if (!expected.empty()) {
      EXPECT_EQ(all.indices.front(), one.indices.front());
    }
  }
  EXPECT_GT(rows, 0);
}

}  // namespace
}  // namespace iu::strategies
