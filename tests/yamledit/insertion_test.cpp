// Where new keys go and how they are laid out (SPEC.md §9.6 "Insertion").
#include <gtest/gtest.h>

#include "iu/yamledit/document.hpp"

namespace iu::yamledit {
namespace {

std::string after_set(const std::string& before, const Path& path, const std::string& value) {
  Document doc = Document::parse(before);
  EXPECT_TRUE(doc.set_scalar(path, value, Missing::kCreate));
  return doc.text();
}

TEST(InsertionTest, NewKeyFollowsTheLastEntryAtSiblingIndentation) {
  EXPECT_EQ(
      after_set("api:\n    image:\n        repository: x # r\n\n    # about other\nother: 1\n",
                {"api", "image", "tag"}, "v1"),
      "api:\n    image:\n        repository: x # r\n        tag: v1\n\n    # about other\n"
      "other: 1\n");
}

TEST(InsertionTest, MissingMappingsAreCreatedTwoColumnsDeeper) {
  EXPECT_EQ(after_set("api:\n    replicas: 2\n", {"api", "image", "tag"}, "v1"),
            "api:\n    replicas: 2\n    image:\n      tag: v1\n");
  EXPECT_EQ(after_set("x: 1\n", {"a", "b", "c"}, "v"), "x: 1\na:\n  b:\n    c: v\n");
}

TEST(InsertionTest, NullParentBecomesAMappingAtKeyColumnPlusTwo) {
  EXPECT_EQ(after_set("image:\nnext: 1\n", {"image", "tag"}, "v"), "image:\n  tag: v\nnext: 1\n");
  EXPECT_EQ(after_set("a:\n    image: ~ # none yet\n", {"a", "image", "tag"}, "v"),
            "a:\n    image: # none yet\n      tag: v\n");
  EXPECT_EQ(after_set("a:\n  image: &i null\n", {"a", "image", "tag"}, "v"),
            "a:\n  image: &i\n    tag: v\n");
}

TEST(InsertionTest, FlowMappingGetsTheKeyBeforeTheBrace) {
  EXPECT_EQ(after_set("image: {repository: x, tag: 1} # c\n", {"image", "pullPolicy"}, "Always"),
            "image: {repository: x, tag: 1, pullPolicy: Always} # c\n");
  EXPECT_EQ(after_set("image: {}\n", {"image", "tag"}, "v"), "image: {tag: v}\n");
  EXPECT_EQ(after_set("image: {\n  repository: x,\n}\n", {"image", "a", "b"}, "1.0"),
            "image: {\n  repository: x, a: {b: \"1.0\"},\n}\n");
  EXPECT_EQ(after_set("m: {a: }\n", {"m", "a", "b"}, "v"), "m: {a: {b: v} }\n");
}

TEST(InsertionTest, MappingInsideAListEntry) {
  EXPECT_EQ(after_set("c:\n  - name: a\n    image: x\n  - name: b\n", {"c", 0, "tag"}, "v"),
            "c:\n  - name: a\n    image: x\n    tag: v\n  - name: b\n");
}

TEST(InsertionTest, LineEndingsFinalNewlineAndBom) {
  EXPECT_EQ(after_set("a: 1\r\nb:\r\n  c: 2\r\n", {"b", "d"}, "v"),
            "a: 1\r\nb:\r\n  c: 2\r\n  d: v\r\n");
  EXPECT_EQ(after_set("a: 1\r\nb: 2", {"c", "d"}, "v"), "a: 1\r\nb: 2\r\nc:\r\n  d: v");
  EXPECT_EQ(after_set("a: 1", {"b"}, "v"), "a: 1\nb: v");
  EXPECT_EQ(after_set("\xef\xbb\xbf"
                      "a:\n  b: 1\n",
                      {"a", "c"}, "v"),
            "\xef\xbb\xbf"
            "a:\n  b: 1\n  c: v\n");
}

TEST(InsertionTest, EmptyAndCommentOnlyDocuments) {
  EXPECT_EQ(after_set("", {"a", "b"}, "v"), "a:\n  b: v\n");
  EXPECT_EQ(after_set("# header\n", {"a"}, "v"), "# header\na: v\n");
  EXPECT_EQ(after_set("# header", {"a"}, "v"), "# header\na: v");
  EXPECT_EQ(after_set("---\n", {"a"}, "v"), "---\na: v\n");
  EXPECT_EQ(after_set("--- # doc\n...\n", {"a"}, "v"), "--- # doc\na: v\n...\n");
}

TEST(InsertionTest, AfterABlockScalar) {
  EXPECT_EQ(after_set("a:\n  script: |\n    echo hi\n\nb: 1\n", {"a", "tag"}, "v"),
            "a:\n  script: |\n    echo hi\n\n  tag: v\nb: 1\n");
}

TEST(InsertionTest, RefusedWhenItWouldChangeABlockScalarAtTheEndOfTheFile) {
  // Without a final newline `text` has no line break; a line after it would add one.
  Document doc = Document::parse("a: |\n  text");
  try {
    doc.set_scalar({"b"}, "v", Missing::kCreate);
    FAIL() << doc.text();
  } catch (const EditError& e) {
    EXPECT_STREQ(e.what(),
                 "editing \"b\" would change other content of the document; the file is left "
                 "unchanged");
  }
  EXPECT_EQ(doc.text(), "a: |\n  text");
  Document strip = Document::parse("a: |-\n  text");
  EXPECT_TRUE(strip.set_scalar({"b"}, "v", Missing::kCreate));
  EXPECT_EQ(strip.text(), "a: |-\n  text\nb: v");
}

TEST(InsertionTest, NullListItemAndExplicitKeys) {
  EXPECT_EQ(after_set("l:\n- ~\n- x\n", {"l", 0, "a"}, "v"), "l:\n-\n  a: v\n- x\n");
  EXPECT_EQ(after_set("? a\n: 1\n", {"b"}, "v"), "? a\n: 1\nb: v\n");
  EXPECT_EQ(after_set("--- ~\n", {"a"}, "v"), "---\na: v\n");
}

TEST(InsertionTest, FieldOfAFlowEntryInABlockList) {
  Document doc = Document::parse("l:\n- {name: app}\n");
  EXPECT_TRUE(doc.upsert_entry({"l"}, "name", "app", {{"name", "app"}, {"value", "v"}}));
  EXPECT_EQ(doc.text(), "l:\n- {name: app, value: v}\n");
}

TEST(InsertionTest, NewKeysAreQuotedWhenNeeded) {
  EXPECT_EQ(after_set("a: 1\n", {"yes"}, "v"), "a: 1\n\"yes\": v\n");
  EXPECT_EQ(after_set("a: 1\n", {"image.tag"}, "v"), "a: 1\nimage.tag: v\n");
}

}  // namespace
}  // namespace iu::yamledit
