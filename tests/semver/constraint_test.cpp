// Constraint syntax and semantics of SPEC.md §6.4 ("Constraint" and "Prereleases").
#include "constraint.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "version.hpp"

namespace {

using iu::semver::Constraint;

struct Case {
  const char* constraint;
  const char* version;
  bool expected;
};

void expect_cases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    std::string error;
    const auto parsed = Constraint::parse(c.constraint, &error);
    ASSERT_TRUE(parsed) << c.constraint << ": " << error;
    const auto v = iu::semver::parse_version(c.version);
    ASSERT_TRUE(v) << c.version;
    EXPECT_EQ(parsed->check(*v), c.expected)
        << '"' << c.constraint << "\" vs " << c.version << " should be " << c.expected;
  }
}

TEST(semver_constraint, EqualityAndWildcards) {
  expect_cases({
      {"1.2.3", "1.2.3", true},
      {"=1.2.3", "1.2.3+meta", true},
      {"1.2.3", "1.2.4", false},
      {"v1.2.3", "1.2.3", true},
      {"1.2", "1.2.9", true},
      {"1.2", "1.3.0", false},
      {"1.2.x", "1.2.0", true},
      {"=1.2", "1.1.9", false},
      {"1", "1.99.0", true},
      {"1.x", "2.0.0", false},
      {"*", "0.0.0", true},
      {"x", "2024.1.2", true},
      {"1.*.3", "1.7.0", true},    // a wildcard minor makes the patch irrelevant
      {"*", "1.0.0-rc.1", false},  // "*" never admits prereleases
  });
}

TEST(semver_constraint, Comparisons) {
  expect_cases({
      {"!=1.2.3", "1.2.4", true}, {"!=1.2.3", "1.2.3", false}, {"!=1.2", "1.2.7", false},
      {"!=1.2", "1.3.0", true},   {"!=1.x", "1.0.0", false},   {"!=1.x", "2.0.0", true},
      {">1.2.3", "1.2.4", true},  {">1.2.3", "1.2.3", false},  {">1.2", "1.2.9", false},
      {">1.2", "1.3.0", true},    {">1", "1.9.9", false},      {">1", "2.0.0", true},
      {"<1.2.3", "1.2.2", true},  {"<1.2", "1.1.99", true},    {"<1.2", "1.2.0", false},
      {">=1.2", "1.2.0", true},   {">=1.2", "1.1.9", false},   {"=>1.2", "1.2.0", true},
      {"<=1.2.3", "1.2.3", true}, {"<=1.2.3", "1.2.4", false}, {"<=1.2", "1.2.99", true},
      {"<=1.2", "1.3.0", false},  {"<=1", "1.99.0", true},     {"=<1", "2.0.0", false},
  });
}

TEST(semver_constraint, TildeAndCaret) {
  expect_cases({
      {"~1.2.3", "1.2.9", true},  {"~1.2.3", "1.2.2", false}, {"~1.2.3", "1.3.0", false},
      {"~1.2", "1.2.0", true},    {"~>1.2", "1.2.5", true},   {"~1", "1.9.0", true},
      {"~1", "2.0.0", false},     {"~0", "1.0.0", false},     {"~*", "5.0.0", true},
      {"~0.0.0", "5.0.0", true},  // nothing pinned: ">=0.0.0"
      {"^1.2.3", "1.9.0", true},  {"^1.2.3", "1.2.2", false}, {"^1.2.3", "2.0.0", false},
      {"^0.2.3", "0.2.9", true},  {"^0.2.3", "0.3.0", false}, {"^0.0.3", "0.0.3", true},
      {"^0.0.3", "0.0.4", false}, {"^1.x", "1.0.0", true},    {"^1.x", "2.0.0", false},
      {"^0", "0.9.9", true},      {"^0", "1.0.0", false},     {"^0.0", "0.0.9", true},
      {"^0.0", "0.1.0", false},   {"^v1", "1.5.0", true},
  });
}

TEST(semver_constraint, AndOrAndHyphenRanges) {
  expect_cases({
      {">=1.2 <2", "1.9.0", true},
      {">=1.2, <2", "2.0.0", false},
      {">=1.2 ,  <2", "1.2.0", true},
      {">1 <1", "1.5.0", false},
      {"1.x || 3.x", "3.1.0", true},
      {"1.x || 3.x", "2.1.0", false},
      {"1.2 - 1.4", "1.4.0", true},
      {"1.2 - 1.4", "1.1.9", false},
      {"1.2.3 - 2", "2.9.0", true},
      {"1.2.3 - 2", "1.2.2", false},
      {"1 - 2 || 4", "4.1.0", true},
      {"1 - 2 || 4", "3.0.0", false},
      // The rewrite leaves a space after the range, so a comparator may follow directly.
      {"1 - 2 >1", "2.5.0", true},
      {"1 - 2 >1", "1.5.0", false},
      {"2 - 3 4 - 5", "3.0.0", false},
      {"1.0.0 - 2.0.0 <=2.0.0", "2.0.0", true},
  });
}

// "<=1.4" keeps the 1.4 minor (">1.4" would need 1.5): the hyphen range "1.2 - 1.4" therefore
// admits 1.4.x. Checked separately so the table above stays readable.
TEST(semver_constraint, HyphenRangeUpperWildcardKeepsMinor) {
  const auto c = Constraint::parse("1.2 - 1.4", nullptr);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->check(*iu::semver::parse_version("1.4.9")));
  EXPECT_FALSE(c->check(*iu::semver::parse_version("1.5.0")));
}

TEST(semver_constraint, PrereleaseOptInIsPerGroup) {
  expect_cases({
      {">=1.2.0", "1.3.0-rc.1", false},
      {">=1.2.0-0", "1.3.0-rc.1", true},  // compared by precedence once opted in
      {">=1.2.0-0", "1.2.0-0", true},
      {">=2.0.0-0", "1.9.9-rc", false},
      {"2.x-0", "2.1.0-beta", true},
      {"*-0", "0.0.1-alpha", true},
      {"^2.0.0-0", "2.4.0-rc.1", true},
      {"^2.0.0-0", "3.0.0-rc.1", false},
      {"~2.0.0-rc", "2.0.0-rc.2", true},
      {"~2.0.0-rc", "2.0.0-beta", false},
      // Any comparator with a prerelease opens the whole AND group...
      {">=1.0.0-alpha <1.0.0", "1.0.0-beta", true},
      {">=1.2.0-0 <2", "1.5.0-rc.1", true},
      // ...but not the other OR groups.
      {"~1.2 || ^2.0.0-0", "1.2.5-rc", false},
      {"~1.2 || ^2.0.0-0", "2.0.0-rc", true},
      {"!=2.1.9-0", "1.0.0-rc", true},
      {"!=1.2.3", "1.0.0-rc", false},
  });
}

TEST(semver_constraint, InvalidConstraintsExplainWhy) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"", "improper constraint: "},
      {">==1", "improper constraint: >==1"},
      {"1.2.3.4", "improper constraint: 1.2.3.4"},
      {"abc", "improper constraint: abc"},
      {"1,,2", "improper constraint: 1,,2"},
      {">1>2", "improper constraint: >1>2"},
      {"1.x || foo", "improper constraint:  foo"},
      {">= 1 - 2", "improper constraint: >=>= 1, <= 2 "},  // upstream rewrites the range first
      {"1.2.3x", "constraint parser error: \"1.2.3x\": invalid semantic version"},
      {"1.2.3-01", "constraint parser error: \"1.2.3-01\": version segment starts with 0"},
  };
  for (const auto& [text, message] : cases) {
    std::string error;
    EXPECT_FALSE(Constraint::parse(text, &error)) << text;
    EXPECT_EQ(error, message) << text;
  }
}

TEST(semver_constraint, ParseOrAnyTreatsEmptyAsStar) {
  std::string error;
  const auto any = Constraint::parse_or_any("", &error);
  ASSERT_TRUE(any);
  EXPECT_TRUE(any->check(*iu::semver::parse_version("20240102")));
  EXPECT_FALSE(any->check(*iu::semver::parse_version("1.0.0-rc.1")));
  EXPECT_FALSE(Constraint::parse_or_any(" ", &error));  // only the empty text means "none"
}

TEST(semver_constraint, StructureIsExposed) {
  const auto c = Constraint::parse(">=1.2, <2 || ~3.1-0", nullptr);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->group_count(), 2u);
  EXPECT_EQ(c->group(0).size(), 2u);
  EXPECT_FALSE(c->group_includes_prereleases(0));
  ASSERT_EQ(c->group(1).size(), 1u);
  EXPECT_TRUE(c->group_includes_prereleases(1));
  EXPECT_EQ(c->group(1)[0].op, iu::semver::Op::kTilde);
  EXPECT_TRUE(c->group(1)[0].patch_dirty);
  EXPECT_EQ(c->group(1)[0].bound.prerelease, "0");
  EXPECT_EQ(c->text(), ">=1.2, <2 || ~3.1-0");
}

// Bounds view text owned by the constraint: copies and moves must stay valid after the
// original is gone.
TEST(semver_constraint, CopiesOutliveTheOriginal) {
  auto original = std::make_unique<Constraint>(Constraint::parse("^2.0.0-beta.1", nullptr).value());
  Constraint copy(*original);
  original.reset();
  const Constraint moved(std::move(copy));
  EXPECT_TRUE(moved.check(*iu::semver::parse_version("2.0.0-beta.2")));
  EXPECT_FALSE(moved.check(*iu::semver::parse_version("2.0.0-alpha")));
  EXPECT_EQ(moved.group(0)[0].bound.prerelease, "beta.1");
}

}  // namespace
