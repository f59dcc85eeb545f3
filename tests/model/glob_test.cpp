// Globs: every row of shared/conformance/glob-match.tsv (Go's filepath.Match), plus the corners
// the vectors do not reach (UTF-8, '/', escapes inside classes) and the error messages.
#include "model/glob.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "shared_dir.hpp"

namespace iu::model {
namespace {

// Decodes one JSON string literal (the TSV quotes its fields so blanks stay visible).
std::string json_string(const std::string& literal) {
  rapidjson::Document doc;
  doc.Parse(literal.data(), literal.size());
  if (doc.HasParseError() || !doc.IsString()) {
    ADD_FAILURE() << "not a JSON string: " << literal;
    return {};
  }
  return std::string(doc.GetString(), doc.GetStringLength());
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) return fields;
    start = tab + 1;
  }
}

// "true", "false" or "error", as the vectors spell Go's answer.
std::string go_match(std::string_view pattern, std::string_view name) {
  switch (filepath_match(pattern, name)) {
    case GlobResult::kMatch:
      return "true";
    case GlobResult::kNoMatch:
      return "false";
    case GlobResult::kBadPattern:
      return "error";
  }
  return "unreachable";
}

// What the strict entry point says: "error" when compile() refuses the pattern.
std::string compiled_match(std::string_view pattern, std::string_view name) {
  const std::optional<Glob> glob = Glob::compile(pattern);
  if (!glob) return "error";
  return glob->match(name) ? "true" : "false";
}

TEST(GlobConformance, EveryVectorRowMatchesGo) {
  std::ifstream in(iu::test::conformance_file("glob-match.tsv"));
  ASSERT_TRUE(in) << "cannot open glob-match.tsv";
  std::string line;
  int rows = 0;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const std::vector<std::string> fields = split_tabs(line);
    ASSERT_EQ(fields.size(), 3u) << "line " << line_no << ": " << line;
    const std::string pattern = json_string(fields[0]);
    const std::string tag = json_string(fields[1]);
    EXPECT_EQ(go_match(pattern, tag), fields[2])
        << "line " << line_no << ": pattern " << fields[0] << " tag " << fields[1];
    // The vectors never exercise a lazily-unreported bad pattern, so the strict entry point
    // must give the same answers.
    EXPECT_EQ(compiled_match(pattern, tag), fields[2])
        << "line " << line_no << ": pattern " << fields[0] << " tag " << fields[1];
    ++rows;
  }
  EXPECT_GE(rows, 440);  // a truncated oracle must not pass silently
  std::cout << "glob-match.tsv: " << rows << " rows checked\n";
}

struct Case {
  std::string pattern;
  std::string name;
  std::string expected;  // "true", "false" or "error"
};

class GoSemantics : public ::testing::TestWithParam<Case> {};

TEST_P(GoSemantics, MatchesLikeFilepathMatch) {
  const Case& c = GetParam();
  EXPECT_EQ(go_match(c.pattern, c.name), c.expected)
      << "pattern \"" << c.pattern << "\" name \"" << c.name << "\"";
}

INSTANTIATE_TEST_SUITE_P(
    Corners, GoSemantics,
    ::testing::Values(
        // Empty pattern and literal text.
        Case{"", "", "true"}, Case{"", "a", "false"}, Case{"abc", "abc", "true"},
        Case{"abc", "abcd", "false"},
        // Stars never cross '/'; they can run across several chunks.
        Case{"a*", "ab/c", "false"}, Case{"a*/b", "abc/b", "true"}, Case{"a*/b", "a/c/b", "false"},
        Case{"*/*", "a/b", "true"}, Case{"a*b*c*d*e*/f", "axbxcxdxexxx/f", "true"},
        Case{"a*b*c*d*e*/f", "axbxcxdxe/xxx/f", "false"},
        Case{"a*b?c*x", "abxbbxdbxebxczzx", "true"}, Case{"a*b?c*x", "abxbbxdbxebxczzy", "false"},
        Case{"*x", "xxx", "true"}, Case{"a*", "a", "true"},
        // '?' is one UTF-8 character, never '/'.
        Case{"a?b", "a\u263Ab", "true"}, Case{"a???b", "a\u263Ab", "false"},
        Case{"a?b", "a/b", "false"},
        // Classes: ranges, '^' negation ('!' is literal), escapes, '*' inside a class.
        Case{"ab[b-d]", "abc", "true"}, Case{"ab[^b-d]", "abc", "false"},
        Case{"ab[^e-g]", "abc", "true"}, Case{"[!a]", "!", "true"}, Case{"[!a]", "b", "false"},
        Case{"a[^a]b", "a\u263Ab", "true"}, Case{"[a-\u03B6]*", "\u03B1", "true"},
        Case{"[\\]a]", "]", "true"}, Case{"[x\\-]", "-", "true"}, Case{"[x\\-]", "z", "false"},
        Case{"[\\-x]", "x", "true"}, Case{"[*]", "*", "true"}, Case{"[*]", "a", "false"},
        Case{"a[*]b*", "a*bcd", "true"}, Case{"[z-a]", "m", "false"}, Case{"[^a]", "/", "true"},
        // Escapes outside classes.
        Case{"a\\*b", "a*b", "true"}, Case{"a\\*b", "ab", "false"}, Case{"\\[", "[", "true"},
        // A malformed chunk is an error once matching reaches it, even after a mismatch
        // inside that chunk ...
        Case{"[-]", "-", "error"}, Case{"[x-]", "x", "error"}, Case{"[a-b-c]", "a", "error"},
        Case{"[^", "a", "error"}, Case{"[^bc", "a", "error"}, Case{"[^]", "a", "error"},
        Case{"\\", "a", "error"}, Case{"a\\", "b", "error"}, Case{"a/b[", "x", "error"},
        Case{"z*\\", "z", "error"}, Case{"*[]", "", "error"},
        Case{std::string("[\xff]"), "x", "error"},
        // ... but chunks after the point where matching gives up are never examined.
        Case{"a*b[", "zzz", "false"}, Case{"x*[", "", "false"}, Case{"z*\\", "y", "false"},
        Case{"a*[", "b/", "false"}));

TEST(Glob, CompileRejectsEveryMalformedPatternUpFront) {
  for (std::string_view pattern : {"a*b[", "x*[", "z*\\", "ok*[a-", "*[]", "[^]"}) {
    std::string error;
    EXPECT_FALSE(Glob::compile(pattern, &error).has_value()) << pattern;
    EXPECT_EQ(error.rfind("invalid glob \"" + std::string(pattern) + "\": ", 0), 0u) << error;
  }
}

// For every pattern compile() accepts, Glob::match() is filepath_match(); a pattern it refuses
// never matches anything under filepath_match() either. Random strings over an alphabet rich in
// metacharacters explore far more shapes than the hand-written cases.
TEST(Glob, StrictAndExactEntryPointsAgree) {
  const std::vector<std::string> pattern_atoms = {"a", "b", "/", "*",  "?",      "[",   "]",
                                                  "^", "!", "-", "\\", "\u03b1", "\xff"};
  const std::vector<std::string> name_atoms = {"a", "b", "/", "-", "]", "[", "*", "\u03b1", "\xff"};
  std::uint32_t state = 12345;
  const auto next = [&state](std::size_t bound) {
    state = state * 1664525u + 1013904223u;  // fixed LCG: the run is reproducible
    return static_cast<std::size_t>((state >> 8) % bound);
  };
  int accepted = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string pattern;
    std::string name;
    for (std::size_t n = next(7); n > 0; --n) pattern += pattern_atoms[next(pattern_atoms.size())];
    for (std::size_t n = next(6); n > 0; --n) name += name_atoms[next(name_atoms.size())];
    const GlobResult exact = filepath_match(pattern, name);
    const std::optional<Glob> glob = Glob::compile(pattern);
    if (glob) {
      ++accepted;
      ASSERT_NE(exact, GlobResult::kBadPattern) << pattern << " / " << name;
      ASSERT_EQ(glob->match(name), exact == GlobResult::kMatch) << pattern << " / " << name;
    } else {
      ASSERT_NE(exact, GlobResult::kMatch) << pattern << " / " << name;
    }
  }
  EXPECT_GT(accepted, 1000);  // the generator must produce valid patterns too
}

TEST(Glob, ErrorMessagesSayWhatIsWrong) {
  const auto message = [](std::string_view pattern) {
    std::string error;
    EXPECT_FALSE(Glob::compile(pattern, &error).has_value()) << pattern;
    return error;
  };
  EXPECT_EQ(message("a["), "invalid glob \"a[\": unclosed '['");
  EXPECT_EQ(message("1.*\\"), "invalid glob \"1.*\\\": trailing backslash");
  EXPECT_EQ(message("[]a]"),
            "invalid glob \"[]a]\": character class starts with ']' (escape it as \\])");
  EXPECT_EQ(message("[-a]*"),
            "invalid glob \"[-a]*\": '-' without a lower bound in character class (escape it as "
            "\\-)");
  EXPECT_EQ(message("[a-]*"),
            "invalid glob \"[a-]*\": range without an upper bound in character class");
  EXPECT_EQ(message(std::string("[\xff]")),
            "invalid glob \"" + std::string("[\xff]") + "\": invalid UTF-8 in character class");
}

TEST(Glob, InvalidUtf8InTheNameIsOneCharacter) {
  const std::optional<Glob> one = Glob::compile("a?b");
  ASSERT_TRUE(one.has_value());
  EXPECT_TRUE(one->match(std::string("a\xff") + "b"));
  EXPECT_FALSE(one->match(std::string("a\xe2\x98") + "b"));  // truncated: two characters
}

TEST(Glob, CopiesKeepWorkingAndRememberThePattern) {
  std::optional<Glob> original = Glob::compile("v?.*-rc*");
  ASSERT_TRUE(original.has_value());
  const Glob copy = *original;
  original.reset();
  EXPECT_EQ(copy.pattern(), "v?.*-rc*");
  EXPECT_TRUE(copy.match("v1.2-rc1"));
  EXPECT_FALSE(copy.match("v1.2"));
}

}  // namespace
}  // namespace iu::model
