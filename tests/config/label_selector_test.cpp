// Label selectors: the string form of --match-application-label, matchLabels/matchExpressions
// semantics and the validation the API server would do.
#include "config/label_selector.hpp"

#include <gtest/gtest.h>

namespace iu::config {
namespace {

using Op = LabelRequirement::Op;

LabelSelector parse_ok(std::string_view text) {
  std::string error;
  auto selector = parse_label_selector(text, &error);
  EXPECT_TRUE(selector.has_value()) << text << ": " << error;
  return selector.value_or(LabelSelector{});
}

std::string parse_error(std::string_view text) {
  std::string error;
  EXPECT_FALSE(parse_label_selector(text, &error).has_value()) << text;
  return error;
}

TEST(LabelSelectorString, ParsesEveryRequirementForm) {
  const LabelSelector s = parse_ok("a=b,c!=d,e in (x,y),!f,g,h notin (z),i==j");
  ASSERT_EQ(s.match_expressions.size(), 7u);
  const auto& e = s.match_expressions;
  EXPECT_EQ(e[0].key, "a");
  EXPECT_EQ(e[0].op, Op::kIn);
  EXPECT_EQ(e[0].values, std::vector<std::string>{"b"});
  EXPECT_EQ(e[1].op, Op::kNotIn);
  EXPECT_EQ(e[1].values, std::vector<std::string>{"d"});
  EXPECT_EQ(e[2].op, Op::kIn);
  EXPECT_EQ(e[2].values, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(e[3].key, "f");
  EXPECT_EQ(e[3].op, Op::kDoesNotExist);
  EXPECT_EQ(e[4].op, Op::kExists);
  EXPECT_EQ(e[5].op, Op::kNotIn);
  EXPECT_EQ(e[6].op, Op::kIn);
  EXPECT_EQ(e[6].values, std::vector<std::string>{"j"});
  EXPECT_TRUE(s.match_labels.empty());
}

TEST(LabelSelectorString, ToleratesWhitespaceAndEmptyValues) {
  const LabelSelector s = parse_ok("  tier = web , env in ( prod , stage ) , empty=  ");
  ASSERT_EQ(s.match_expressions.size(), 3u);
  EXPECT_EQ(s.match_expressions[1].values, (std::vector<std::string>{"prod", "stage"}));
  EXPECT_EQ(s.match_expressions[2].values, std::vector<std::string>{""});
  EXPECT_TRUE(s.matches({{"tier", "web"}, {"env", "prod"}, {"empty", ""}}));
}

TEST(LabelSelectorString, EmptyTextSelectsEverything) {
  EXPECT_TRUE(parse_ok("").matches({}));
  EXPECT_TRUE(parse_ok("   ").matches({{"a", "b"}}));
}

TEST(LabelSelectorString, MatchesLikeTheApiServer) {
  const LabelSelector s = parse_ok("a=b,c!=d,e in (x,y),!f");
  EXPECT_TRUE(s.matches({{"a", "b"}, {"e", "x"}}));  // c absent satisfies !=
  EXPECT_TRUE(s.matches({{"a", "b"}, {"e", "y"}, {"c", "other"}}));
  EXPECT_FALSE(s.matches({{"a", "b"}, {"e", "x"}, {"c", "d"}}));  // c!=d violated
  EXPECT_FALSE(s.matches({{"a", "b"}, {"e", "z"}}));              // e not in set
  EXPECT_FALSE(s.matches({{"a", "b"}}));                          // e absent fails `in`
  EXPECT_FALSE(s.matches({{"a", "b"}, {"e", "x"}, {"f", ""}}));   // !f: f exists
  EXPECT_FALSE(s.matches({{"a", "B"}, {"e", "x"}}));              // values are case-sensitive
  EXPECT_TRUE(parse_ok("h notin (z)").matches({}));               // notin matches absent labels
  EXPECT_FALSE(parse_ok("g").matches({}));
  EXPECT_TRUE(parse_ok("g").matches({{"g", ""}}));
}

TEST(LabelSelectorString, ReportsWhereTheTextIsWrong) {
  EXPECT_EQ(parse_error("a in x"),
            "invalid label selector \"a in x\": expected \"(\" after \"in\" at offset 5");
  EXPECT_EQ(parse_error("a=b,"),
            "invalid label selector \"a=b,\": expected a label key at offset 4");
  EXPECT_EQ(parse_error("a in ()"),
            "invalid label selector \"a in ()\": expected at least one value inside \"()\" at "
            "offset 7");
  EXPECT_EQ(parse_error("a in (x"),
            "invalid label selector \"a in (x\": expected \")\" at offset 7");
  EXPECT_EQ(parse_error("tier=front end"),
            "invalid label selector \"tier=front end\": expected \",\" at offset 11");
  EXPECT_EQ(parse_error("a b"),
            "invalid label selector \"a b\": expected =, ==, !=, in or notin after \"a\" at "
            "offset 2");
  EXPECT_EQ(parse_error("!"),
            "invalid label selector \"!\": expected a label key after \"!\" at "
            "offset 1");
  EXPECT_EQ(parse_error("a>1"),
            "invalid label selector \"a>1\": invalid label key \"a>1\": name must be 1-63 "
            "characters of [A-Za-z0-9._-], beginning and ending with an alphanumeric character");
  EXPECT_EQ(parse_error("tier=-web"),
            "invalid label selector \"tier=-web\": invalid label value \"-web\": must be at most "
            "63 characters of [A-Za-z0-9._-], beginning and ending with an alphanumeric "
            "character");
}

TEST(LabelSelector, MatchLabelsAndExpressionsAllHold) {
  LabelSelector s;
  s.match_labels = {{"tier", "backend"}};
  s.match_expressions = {{"env", Op::kIn, {"prod", "stage"}}, {"legacy", Op::kDoesNotExist, {}}};
  EXPECT_TRUE(s.matches({{"tier", "backend"}, {"env", "prod"}}));
  EXPECT_FALSE(s.matches({{"tier", "frontend"}, {"env", "prod"}}));
  EXPECT_FALSE(s.matches({{"tier", "backend"}, {"env", "dev"}}));
  EXPECT_FALSE(s.matches({{"tier", "backend"}, {"env", "prod"}, {"legacy", "yes"}}));
  EXPECT_EQ(s.entry_count(), 3u);
  EXPECT_TRUE(LabelSelector{}.matches({{"any", "thing"}}));
}

TEST(LabelSelector, ValidationNamesTheField) {
  LabelSelector s;
  s.match_expressions = {{"tier", Op::kIn, {}}};
  auto p = validate(s);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->field, "matchExpressions[0].values");
  EXPECT_EQ(p->message, "must be non-empty when operator is In");

  s.match_expressions = {{"tier", Op::kExists, {"x"}}};
  p = validate(s);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->message, "must be empty when operator is Exists");

  s.match_expressions = {{"Bad_Prefix/x", Op::kExists, {}}};
  p = validate(s);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->field, "matchExpressions[0].key");
  EXPECT_EQ(p->message, "invalid label key \"Bad_Prefix/x\": prefix must be a DNS subdomain");

  s.match_expressions.clear();
  s.match_labels = {{"app.kubernetes.io/name", std::string(64, 'a')}};
  p = validate(s);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->field, "matchLabels[\"app.kubernetes.io/name\"]");

  s.match_labels = {{"app.kubernetes.io/name", "web"}};
  EXPECT_FALSE(validate(s));
}

TEST(LabelSelector, OperatorNamesRoundTrip) {
  for (auto op : {Op::kIn, Op::kNotIn, Op::kExists, Op::kDoesNotExist})
    EXPECT_EQ(parse_op(op_name(op)), op);
  EXPECT_FALSE(parse_op("in"));
}

}  // namespace
}  // namespace iu::config
