// Version parsing, canonical form and precedence (SPEC.md §6.4 "Candidate set" and "Ordering").
#include "version.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using iu::semver::compare;
using iu::semver::compare_candidates;
using iu::semver::compare_prerelease;
using iu::semver::parse_version;
using iu::semver::to_string;

std::string canonical(std::string_view text) {
  const auto v = parse_version(text);
  return v ? to_string(*v) : "<invalid>";
}

TEST(semver_version, LenientForms) {
  EXPECT_EQ(canonical("1.2.3"), "1.2.3");
  EXPECT_EQ(canonical("v1.2.3"), "1.2.3");
  EXPECT_EQ(canonical("v1"), "1.0.0");
  EXPECT_EQ(canonical("1.2"), "1.2.0");
  EXPECT_EQ(canonical("01.002.0003"), "1.2.3");
  EXPECT_EQ(canonical("2024"), "2024.0.0");
  EXPECT_EQ(canonical("7"), "7.0.0");
  EXPECT_EQ(canonical("1.25-alpine"), "1.25.0-alpine");
  EXPECT_EQ(canonical("1.2.3-rc.1+build.5"), "1.2.3-rc.1+build.5");
  EXPECT_EQ(canonical("1.2.3+001"), "1.2.3+001");  // metadata may have leading zeros
  EXPECT_EQ(canonical("1.2.3--"), "1.2.3--");
  EXPECT_EQ(canonical("1.2.3-0a"), "1.2.3-0a");
  EXPECT_EQ(canonical("2024-01-02"), "2024.0.0-01-02");  // "01-02" is not numeric
  EXPECT_EQ(canonical("18446744073709551615"), "18446744073709551615.0.0");
}

TEST(semver_version, Rejections) {
  for (const char* text :
       {"",     "v",      "V1.0.0",      " 1.2.3",     "1.2.3 ",   "1.2.3.4",  "1.",
        "1..2", "1.2.3-", "1.2.3+",      "1.2.3-a..b", "1.2.3-a.", "1.2.3-01", "1.x",
        "*",    "latest", "sha-abc1234", "1.2.3_4",    "1.2.3-é",  "vv1"}) {
    EXPECT_FALSE(parse_version(text).has_value()) << '"' << text << '"';
  }
}

TEST(semver_version, ErrorMessages) {
  std::string error;
  EXPECT_FALSE(parse_version("latest", &error));
  EXPECT_EQ(error, "invalid semantic version");
  EXPECT_FALSE(parse_version("1.2.3-01", &error));
  EXPECT_EQ(error, "version segment starts with 0");
  EXPECT_FALSE(parse_version("1.18446744073709551616", &error));
  EXPECT_EQ(error,
            "error parsing version segment: strconv.ParseUint: parsing "
            "\"18446744073709551616\": value out of range");
  // Syntax is judged before numbers, as upstream's regular expression runs first.
  EXPECT_FALSE(parse_version("99999999999999999999999.x", &error));
  EXPECT_EQ(error, "invalid semantic version");
}

TEST(semver_version, ViewsIntoTheParsedText) {
  const std::string text = "v1.2.3-rc.1+linux.amd64";
  const auto v = parse_version(text);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->major, 1u);
  EXPECT_EQ(v->minor, 2u);
  EXPECT_EQ(v->patch, 3u);
  EXPECT_EQ(v->prerelease, "rc.1");
  EXPECT_EQ(v->metadata, "linux.amd64");
  EXPECT_EQ(v->original, text);
  EXPECT_EQ(v->prerelease.data(), text.data() + 7);  // a view, not a copy
}

// The semver.org §11 example chain, plus numeric-vs-alphanumeric and length rules.
TEST(semver_version, PrecedenceChain) {
  const std::vector<std::string> ascending = {
      "1.0.0-0",          "1.0.0-1",    "1.0.0-2",      "1.0.0-10",
      "1.0.0-A",          "1.0.0-a",    "1.0.0-alpha",  "1.0.0-alpha.1",
      "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
      "1.0.0-rc.1",       "1.0.0",      "1.0.1",        "1.1.0",
      "1.10.0",           "2.0.0-rc1",  "2.0.0",        "10.0.0"};
  for (std::size_t i = 0; i < ascending.size(); ++i) {
    for (std::size_t j = 0; j < ascending.size(); ++j) {
      const auto a = parse_version(ascending[i]);
      const auto b = parse_version(ascending[j]);
      ASSERT_TRUE(a && b);
      const int expected = i < j ? -1 : (i > j ? 1 : 0);
      EXPECT_EQ(compare(*a, *b), expected) << ascending[i] << " vs " << ascending[j];
    }
  }
}

TEST(semver_version, MetadataAndSpellingIgnoredByPrecedence) {
  const auto a = parse_version("1.0.0+a");
  const auto b = parse_version("v1.0");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(compare(*a, *b), 0);
}

TEST(semver_version, PrereleaseIdentifierRules) {
  EXPECT_LT(compare_prerelease("9", "10"), 0);       // numbers by value
  EXPECT_LT(compare_prerelease("10", "9a"), 0);      // numbers below text
  EXPECT_LT(compare_prerelease("a.b", "a.b.0"), 0);  // fewer identifiers rank lower
  EXPECT_GT(compare_prerelease("b", "a.z"), 0);
  EXPECT_EQ(compare_prerelease("rc.1", "rc.1"), 0);
  EXPECT_LT(compare_prerelease("", "0"), 0);  // empty counts as one empty identifier
  // A digit string beyond uint64 is not a number: it compares as text, above every number.
  EXPECT_GT(compare_prerelease("99999999999999999999", "5"), 0);
  EXPECT_LT(compare_prerelease("100000000000000000000", "99999999999999999999"), 0);
}

TEST(semver_version, CandidateTieBreakByOriginalText) {
  // Equal versions: the greater original text ranks higher (byte-wise).
  std::vector<std::string> tags = {"v1.0.0", "1.0", "1.0.0+b", "1.0.0", "1.0.0+a"};
  std::vector<iu::semver::Version> versions;
  for (const auto& t : tags) versions.push_back(*parse_version(t));
  std::sort(versions.begin(), versions.end(),
            [](const auto& a, const auto& b) { return compare_candidates(a, b) < 0; });
  std::vector<std::string_view> order;
  for (const auto& v : versions) order.push_back(v.original);
  EXPECT_EQ(order, (std::vector<std::string_view>{"1.0", "1.0.0", "1.0.0+a", "1.0.0+b", "v1.0.0"}));
}

}  // namespace
