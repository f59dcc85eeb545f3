// Tag filters: allowTags values, unanchored RE2 search, ignore globs, the configuration errors
// and the surviving indices.
#include "model/tag_filter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace iu::model {
namespace {

using Field = TagFilterError::Field;

const std::vector<std::string> kTags = {"latest",      "1.2.3",          "1.2.3-rc1", "v1.2",
                                        "1.25-alpine", "sha256-abc.sig", "x1.0"};

TagFilter compile(std::optional<std::string_view> allow, std::vector<std::string> ignore = {}) {
  TagFilterError error;
  std::optional<TagFilter> f = TagFilter::compile(allow, ignore, &error);
  EXPECT_TRUE(f.has_value()) << error.message;
  return f.value_or(TagFilter{});
}

TagFilterError error_of(std::optional<std::string_view> allow, std::vector<std::string> ignore) {
  TagFilterError error;
  EXPECT_FALSE(TagFilter::compile(allow, ignore, &error).has_value());
  return error;
}

std::vector<std::size_t> all_indices() {
  std::vector<std::size_t> all;
  for (std::size_t i = 0; i < kTags.size(); ++i) all.push_back(i);
  return all;
}

TEST(TagFilter, UnsetEmptyAndAnyPassEverything) {
  for (std::optional<std::string_view> allow :
       {std::optional<std::string_view>{}, std::optional<std::string_view>{""},
        std::optional<std::string_view>{"any"}, std::optional<std::string_view>{"ANY"}}) {
    const TagFilter f = compile(allow);
    EXPECT_TRUE(f.passes_all());
    EXPECT_EQ(f.apply(kTags), all_indices());
  }
  EXPECT_TRUE(TagFilter{}.passes_all());
  EXPECT_EQ(TagFilter{}.apply(kTags), all_indices());
}

TEST(TagFilter, RegexpIsAnUnanchoredSearch) {
  const TagFilter f = compile("regexp:1\\.2");
  EXPECT_FALSE(f.passes_all());
  EXPECT_EQ(f.apply(kTags), (std::vector<std::size_t>{1, 2, 3, 4}));  // v1.2 and 1.25 too
  const TagFilter anchored = compile("regexp:^1\\.2\\.\\d+$");
  EXPECT_EQ(anchored.apply(kTags), (std::vector<std::size_t>{1}));
  // The keyword is case-insensitive, as upstream reads it.
  EXPECT_EQ(compile("Regexp:alpine$").apply(kTags), (std::vector<std::size_t>{4}));
  // An empty pattern finds a match in every tag.
  EXPECT_EQ(compile("regexp:").apply(kTags), all_indices());
}

TEST(TagFilter, BadRegexpCarriesRe2sMessage) {
  const TagFilterError e = error_of("regexp:(", {});
  EXPECT_EQ(e.field, Field::kAllowTags);
  EXPECT_EQ(e.message, "invalid regexp \"(\": missing ): (");
  // Constructs RE2 lacks are invalid, as in Go.
  const TagFilterError backref = error_of("regexp:(a)\\1", {});
  EXPECT_EQ(backref.field, Field::kAllowTags);
  EXPECT_EQ(backref.message.rfind("invalid regexp \"(a)\\1\": ", 0), 0u) << backref.message;
  EXPECT_FALSE(TagFilter::compile("regexp:(?=x)", {}).has_value());
}

TEST(TagFilter, OtherAllowValuesAreErrors) {
  for (std::string_view value : {"semver", "all", " any", "regex:^1", "^1\\.", "*"}) {
    const TagFilterError e = error_of(value, {});
    EXPECT_EQ(e.field, Field::kAllowTags);
    EXPECT_EQ(e.message, "unsupported value \"" + std::string(value) +
                             "\" (expected \"any\" or \"regexp:<pattern>\")");
  }
}

TEST(TagFilter, IgnoreGlobsDropMatchingTags) {
  const TagFilter f = compile(std::nullopt, {"*-rc*", "*.sig"});
  EXPECT_FALSE(f.passes_all());
  EXPECT_EQ(f.apply(kTags), (std::vector<std::size_t>{0, 1, 3, 4, 6}));
  EXPECT_FALSE(f.accepts("2.0-rc2"));
  EXPECT_TRUE(f.accepts("2.0"));
  // `*` alone ignores every tag, i.e. disables updates.
  EXPECT_TRUE(compile(std::nullopt, {"*"}).apply(kTags).empty());
}

TEST(TagFilter, AllowAndIgnoreCombine) {
  const TagFilter f = compile("regexp:^1\\.", {"*-alpine", "*-rc?"});
  EXPECT_EQ(f.apply(kTags), (std::vector<std::size_t>{1}));
}

TEST(TagFilter, MalformedGlobIsReportedWithItsIndex) {
  const TagFilterError e = error_of(std::nullopt, {"latest", "*-rc*", "[a-"});
  EXPECT_EQ(e.field, Field::kIgnoreTags);
  EXPECT_EQ(e.index, 2u);
  EXPECT_EQ(e.message, "invalid glob \"[a-\": unclosed '['");
  // allowTags is checked first.
  EXPECT_EQ(error_of("bogus", {"["}).field, Field::kAllowTags);
}

TEST(TagFilter, StringViewInputAndEmptyList) {
  const TagFilter f = compile("regexp:^v");
  const std::vector<std::string_view> views = {"v1", "1", "v2"};
  EXPECT_EQ(f.apply(views), (std::vector<std::size_t>{0, 2}));
  EXPECT_TRUE(f.apply(std::vector<std::string_view>{}).empty());
}

TEST(TagFilter, CopiesShareOneCompiledFilterAcrossThreads) {
  const TagFilter f = compile("regexp:^1\\.", {"*-rc*"});
  std::vector<std::vector<std::size_t>> results(4);
  std::vector<std::thread> workers;
  for (auto& result : results) {
    workers.emplace_back([copy = f, &result] {
      for (int i = 0; i < 200; ++i) result = copy.apply(kTags);
    });
  }
  for (std::thread& t : workers) t.join();
  for (const auto& result : results) EXPECT_EQ(result, (std::vector<std::size_t>{1, 4}));
}

}  // namespace
}  // namespace iu::model
