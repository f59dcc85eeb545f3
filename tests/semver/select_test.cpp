// Tag selection of the semver strategy (SPEC.md §6.4 "Ordering"): highest precedence wins,
// equal versions are ordered by their original text, non-versions are skipped.
#include "select.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "constraint.hpp"

namespace {

using iu::semver::Constraint;

std::string pick(const std::vector<std::string>& tags, std::string_view constraint) {
  const auto c = Constraint::parse_or_any(constraint, nullptr);
  if (!c) return "<invalid constraint>";
  const auto best = iu::semver::select_best(std::span<const std::string>(tags), *c);
  return best ? tags[*best] : "<none>";
}

std::vector<std::string> ranked(const std::vector<std::string>& tags, std::string_view constraint) {
  const auto c = Constraint::parse_or_any(constraint, nullptr);
  std::vector<std::string> out;
  for (std::size_t i : iu::semver::rank(std::span<const std::string>(tags), *c)) {
    out.push_back(tags[i]);
  }
  return out;
}

TEST(semver_select, HighestSatisfyingVersionWins) {
  const std::vector<std::string> tags = {"1.9.0",       "latest",  "1.10.0",       "2.0.0",
                                         "sha-abc1234", "1.2.3.4", "v1.10.0-rc.1", "main-0a1b2c"};
  EXPECT_EQ(pick(tags, ""), "2.0.0");
  EXPECT_EQ(pick(tags, "1.x"), "1.10.0");  // numeric, not textual, order
  EXPECT_EQ(pick(tags, "<1.9"), "<none>");
  EXPECT_EQ(pick(tags, ">=1.10.0-0 <2"), "1.10.0");
  EXPECT_EQ(pick(tags, ">=1.10.0-0 <1.10.0"), "v1.10.0-rc.1");
}

TEST(semver_select, EqualVersionsBreakTiesByGreaterOriginalText) {
  EXPECT_EQ(pick({"1.0.0", "v1.0.0", "1.0"}, ""), "v1.0.0");
  EXPECT_EQ(pick({"1.0.0+a", "1.0.0+b", "1.0.0"}, ""), "1.0.0+b");
  EXPECT_EQ(pick({"1.0", "1.0.0"}, ""), "1.0.0");
  EXPECT_EQ(pick({"1.0.0", "1.0"}, ""), "1.0.0");  // independent of input order
}

TEST(semver_select, NoConstraintExcludesPrereleases) {
  EXPECT_EQ(pick({"1.0.0", "2.0.0-rc.1"}, ""), "1.0.0");
  EXPECT_EQ(pick({"2.0.0-rc.1"}, ""), "<none>");
  EXPECT_EQ(pick({"1.0.0", "2.0.0-rc.1"}, "*-0"), "2.0.0-rc.1");
}

TEST(semver_select, BareNumbersAndDatesAreVersions) {
  // Beware (SPEC): "2024" and "7" are versions, so they outrank ordinary releases.
  EXPECT_EQ(pick({"1.25.3", "7", "stable"}, ""), "7");
  EXPECT_EQ(pick({"1.25.3", "20240102", "2024.01.02"}, ""), "20240102");
  EXPECT_EQ(pick({"1.25.3", "20240102", "2024.01.02"}, "<3000"), "2024.01.02");
}

TEST(semver_select, InvalidConstraintIsReported) {
  EXPECT_EQ(pick({"1.0.0"}, ">==1"), "<invalid constraint>");
}

TEST(semver_select, RankOrdersBestFirstAndKeepsDuplicatesInInputOrder) {
  const std::vector<std::string> tags = {"1.0", "2.0.0-rc.1", "v1.0.0", "0.9",
                                         "x",   "1.0.0",      "v1.0.0", "1.1"};
  EXPECT_EQ(ranked(tags, "<2"),
            (std::vector<std::string>{"1.1", "v1.0.0", "v1.0.0", "1.0.0", "1.0", "0.9"}));
  EXPECT_TRUE(ranked(tags, ">5").empty());
}

TEST(semver_select, FirstOfIdenticalTagsIsReturned) {
  const std::vector<std::string_view> tags = {"3.0", "3.0", "2.0"};
  const auto best = iu::semver::select_best(tags, Constraint::any());
  ASSERT_TRUE(best);
  EXPECT_EQ(*best, 0u);
}

}  // namespace
