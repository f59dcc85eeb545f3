// Style preservation and the re-quoting rules of SPEC.md §9.6 for replaced and new scalars.
#include <gtest/gtest.h>

#include "iu/yamledit/document.hpp"

namespace iu::yamledit {
namespace {

// The bytes after `prefix` once the scalar at {"k"} of `prefix + old` is set to `value`.
std::string written(const std::string& old, const std::string& value) {
  Document doc = Document::parse("k: " + old + "\n");
  doc.set_scalar({"k"}, value);
  std::string t = doc.text();
  return t.substr(3, t.size() - 4);
}

TEST(QuotingTest, PlainStaysPlainWhenTheValueReadsBack) {
  EXPECT_EQ(written("1.2.3", "2.4.7"), "2.4.7");
  EXPECT_EQ(written("x", "ghcr.io/acme/shop-api"), "ghcr.io/acme/shop-api");
  EXPECT_EQ(written("x", "nginx:1.25@sha256:abc"), "nginx:1.25@sha256:abc");
  EXPECT_EQ(written("x", "v1.10"), "v1.10");
  EXPECT_EQ(written("x", "a b"), "a b");
  EXPECT_EQ(written("x", "-foo"), "-foo");
  EXPECT_EQ(written("x", "a#b"), "a#b");
  EXPECT_EQ(written("x", "a:b"), "a:b");
  EXPECT_EQ(written("x", "héllo"), "héllo");
}

TEST(QuotingTest, PlainBecomesDoubleQuotedWhenTheValueWouldReadBackDifferently) {
  for (const char* v : {"1.10",
                        "1",
                        "-1",
                        "+1",
                        "0x1f",
                        "0o17",
                        "017",
                        "0b101",
                        "1_000",
                        "1:30",
                        "1e3",
                        "1.5e-3",
                        ".5",
                        ".inf",
                        "-.Inf",
                        ".NaN",
                        "yes",
                        "No",
                        "on",
                        "OFF",
                        "y",
                        "n",
                        "true",
                        "False",
                        "~",
                        "null",
                        "NULL",
                        "2024-01-02",
                        "2001-12-14t21:59:43.10-05:00",
                        "<<",
                        "="}) {
    EXPECT_EQ(written("x", v), "\"" + std::string(v) + "\"") << v;
  }
  EXPECT_EQ(written("x", ""), "\"\"");
  EXPECT_EQ(written("x", " a"), "\" a\"");
  EXPECT_EQ(written("x", "a "), "\"a \"");
  EXPECT_EQ(written("x", "a: b"), "\"a: b\"");
  EXPECT_EQ(written("x", "a #b"), "\"a #b\"");
  EXPECT_EQ(written("x", "a:"), "\"a:\"");
  EXPECT_EQ(written("x", "- a"), "\"- a\"");
  EXPECT_EQ(written("x", "---"), "\"---\"");
  for (const char* v : {"*a", "&a", "!a", "|a", ">a", "'a", "%a", "@a", "`a", "#a", "{a", "[a",
                        "]a", "}a", ",a", "?a", ":a"}) {
    EXPECT_EQ(written("x", v), "\"" + std::string(v) + "\"") << v;
  }
}

TEST(QuotingTest, QuotedStylesAreKept) {
  EXPECT_EQ(written("'1.0'", "1.1"), "'1.1'");
  EXPECT_EQ(written("'x'", "it's"), "'it''s'");
  EXPECT_EQ(written("\"x\"", "plain"), "\"plain\"");
  EXPECT_EQ(written("\"x\"", "a\"b\\c"), "\"a\\\"b\\\\c\"");
}

TEST(QuotingTest, ControlCharactersAndLineBreaksAreEscapedInDoubleQuotes) {
  EXPECT_EQ(written("x", "a\nb"), "\"a\\nb\"");
  EXPECT_EQ(written("'x'", "a\tb"), "\"a\\tb\"");
  EXPECT_EQ(written("\"x\"", std::string("a\0b\x7f", 4)), "\"a\\0b\\x7F\"");
  EXPECT_EQ(written("\"x\"", "\xc2\x85|\xe2\x80\xa8|\xef\xbb\xbf"), "\"\\N|\\L|\\uFEFF\"");
}

TEST(QuotingTest, ExistingPlainTokenOfAnotherTypeIsRequoted) {
  // `1.10` reads back as the float 1.1: setting the string "1.10" is a change.
  Document doc = Document::parse("tag: 1.10\n");
  EXPECT_TRUE(doc.set_scalar({"tag"}, "1.10"));
  EXPECT_EQ(doc.text(), "tag: \"1.10\"\n");
  EXPECT_FALSE(doc.set_scalar({"tag"}, "1.10"));
}

TEST(QuotingTest, StringTagKeepsPlainTokens) {
  Document doc = Document::parse("tag: !!str 1.0\n");
  EXPECT_TRUE(doc.set_scalar({"tag"}, "1.10"));
  EXPECT_EQ(doc.text(), "tag: !!str 1.10\n");
}

TEST(QuotingTest, FlowContextQuotesFlowIndicators) {
  Document doc = Document::parse("a: [x, y]\nb: {k: v}\n");
  EXPECT_TRUE(doc.set_scalar({"a", 0}, "p,q"));
  EXPECT_TRUE(doc.set_scalar({"b", "k"}, "{z}"));
  EXPECT_TRUE(doc.set_scalar({"a", 1}, "host:5000/app:1"));
  EXPECT_EQ(doc.text(), "a: [\"p,q\", host:5000/app:1]\nb: {k: \"{z}\"}\n");
}

TEST(QuotingTest, LiteralValuesAreWrittenPlain) {
  Document doc = Document::parse("a: \"true\"\nb: false # c\n");
  EXPECT_TRUE(doc.set_scalar({"a"}, Value::literal("true")));
  EXPECT_TRUE(doc.set_scalar({"b"}, Value::literal("true")));
  EXPECT_FALSE(doc.set_scalar({"b"}, Value::literal("true")));
  EXPECT_EQ(doc.text(), "a: true\nb: true # c\n");
  // A literal that does not read back as itself is refused, the text stays.
  EXPECT_THROW(doc.set_scalar({"b"}, Value::literal("x: y")), EditError);
  EXPECT_EQ(doc.text(), "a: true\nb: true # c\n");
}

TEST(QuotingTest, NullAndEmptyValuesAreReplaced) {
  Document doc = Document::parse("a:\nb: ~\nc: # note\nd: &x\ne: {f: }\n");
  EXPECT_TRUE(doc.set_scalar({"a"}, "1.0.1"));
  EXPECT_TRUE(doc.set_scalar({"b"}, "v"));
  EXPECT_TRUE(doc.set_scalar({"c"}, "w"));
  EXPECT_TRUE(doc.set_scalar({"d"}, "z"));
  EXPECT_TRUE(doc.set_scalar({"e", "f"}, "g"));
  EXPECT_EQ(doc.text(), "a: 1.0.1\nb: v\nc: w # note\nd: &x z\ne: {f: g }\n");
}

TEST(QuotingTest, MultiLineScalarsBecomeOneToken) {
  Document doc = Document::parse("a: one\n  two\nb: \"x\n  y\"\nc: 1\n");
  EXPECT_TRUE(doc.set_scalar({"a"}, "three"));
  EXPECT_TRUE(doc.set_scalar({"b"}, "z"));
  EXPECT_EQ(doc.text(), "a: three\nb: \"z\"\nc: 1\n");
}

}  // namespace
}  // namespace iu::yamledit
