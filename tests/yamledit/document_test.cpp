// Document: parsing, reads, scalar replacement in place and the errors of SPEC.md §9.6.
#include "iu/yamledit/document.hpp"

#include <gtest/gtest.h>

#include "error_of.hpp"

namespace iu::yamledit {
namespace {

// The message of the EditError `f` throws; fails the test when it throws nothing.
template <typename F>
std::string error_of(F&& f) {
  return test::error_of<EditError>(std::forward<F>(f));
}

TEST(DocumentTest, SpecExampleChangesOnlyTheTagBytes) {
  const std::string before =
      "api:\n  image:\n    repository: ghcr.io/acme/shop-api\n"
      "    tag: \"2.4.6\"   # managed by the updater\n";
  Document doc = Document::parse(before);
  EXPECT_TRUE(doc.set_scalar({"api", "image", "tag"}, "2.4.7"));
  EXPECT_EQ(doc.text(),
            "api:\n  image:\n    repository: ghcr.io/acme/shop-api\n"
            "    tag: \"2.4.7\"   # managed by the updater\n");
}

TEST(DocumentTest, NoOpEditKeepsIdenticalBytes) {
  const std::string before = "a: 1.2.3 # c\nb: 'x'\nc: \"y\"\n";
  Document doc = Document::parse(before);
  EXPECT_FALSE(doc.set_scalar({"a"}, "1.2.3"));
  EXPECT_FALSE(doc.set_scalar({"b"}, "x"));
  EXPECT_FALSE(doc.set_scalar({"c"}, "y"));
  EXPECT_EQ(doc.text(), before);
}

TEST(DocumentTest, GetFollowsAliasesAndReportsTypes) {
  Document doc = Document::parse("base: &b {tag: '1'}\nother: *b\nlist: [a]\nnothing:\n");
  EXPECT_EQ(doc.get_scalar({"other", "tag"}), "1");
  EXPECT_EQ(doc.get_scalar({"missing", "x"}), std::nullopt);
  EXPECT_EQ(doc.type_at({"list"}), NodeType::kSequence);
  EXPECT_EQ(doc.type_at({"base"}), NodeType::kMapping);
  EXPECT_EQ(doc.type_at({"nothing"}), NodeType::kNull);
  EXPECT_EQ(doc.type_at({"list", 0}), NodeType::kScalar);
  EXPECT_EQ(doc.list_size({"list"}), 1u);
  EXPECT_EQ(doc.list_size({"absent"}), 0u);
  EXPECT_EQ(error_of([&] { (void)doc.get_scalar({"base"}); }),
            "1:10: expected a scalar at \"base\", found a mapping");
}

TEST(DocumentTest, AnchorAndTagStayOnTheEditedNode) {
  Document doc = Document::parse("a: &v !!str 1.0 # c\nb: *v\n");
  EXPECT_TRUE(doc.set_scalar({"a"}, "2.0"));
  EXPECT_EQ(doc.text(), "a: &v !!str 2.0 # c\nb: *v\n");
  EXPECT_EQ(doc.get_scalar({"b"}), "2.0");
}

TEST(DocumentTest, EditingThroughAnAliasIsAnError) {
  const std::string before = "base: &b\n  tag: 1\nx: *b\ny: &t v1\nz: *t\n";
  Document doc = Document::parse(before);
  EXPECT_EQ(error_of([&] {
              doc.set_scalar({"x", "tag"}, "2");
            }),
            "3:4: \"x\" is an alias (*b); cannot edit through it");
  EXPECT_EQ(error_of([&] { doc.set_scalar({"z"}, "v2"); }),
            "5:4: \"z\" is an alias (*t); edit the anchored node instead");
  EXPECT_EQ(doc.text(), before);
}

TEST(DocumentTest, BlockScalarTargetIsAnError) {
  const std::string before = "a: |\n  text\nb: >-\n  folded\n";
  Document doc = Document::parse(before);
  EXPECT_EQ(error_of([&] { doc.set_scalar({"a"}, "x"); }),
            "1:4: \"a\" is a block scalar (|); cannot replace it");
  EXPECT_EQ(error_of([&] { doc.set_scalar({"b"}, "x"); }),
            "3:4: \"b\" is a block scalar (>); cannot replace it");
  EXPECT_EQ(doc.text(), before);
}

TEST(DocumentTest, DuplicateKeyOnThePathIsAnError) {
  Document doc = Document::parse("api:\n  image: {}\n  image:\n    tag: 1\n");
  EXPECT_EQ(error_of([&] {
              doc.set_scalar({"api", "image", "tag"}, "2");
            }),
            "3:3: duplicate key \"image\" in the mapping at \"api\"");
  // A duplicate off the path does not matter.
  Document other = Document::parse("a: 1\nb: 1\nb: 2\n");
  EXPECT_TRUE(other.set_scalar({"a"}, "3"));
}

TEST(DocumentTest, NonMappingWhereAMappingIsNeededNamesPathAndPosition) {
  Document doc = Document::parse("api:\n  image: nginx\n");
  EXPECT_EQ(error_of([&] {
              doc.set_scalar({"api", "image", "tag"}, "2", Missing::kCreate);
            }),
            "2:10: expected a mapping at \"api.image\", found a scalar");
  Document seq = Document::parse("- a\n");
  EXPECT_EQ(error_of([&] {
              doc.set_scalar({"api", 0}, "2");
            }),
            "2:3: expected a sequence at \"api\", found a mapping");
  EXPECT_EQ(error_of([&] { seq.set_scalar({"x"}, "2", Missing::kCreate); }),
            "1:1: expected a mapping at the document root, found a sequence");
}

TEST(DocumentTest, IndicesAreResolvedButNeverCreated) {
  Document doc = Document::parse("c:\n- image: a\n- image: b\n");
  EXPECT_TRUE(doc.set_scalar({"c", 1, "image"}, "z"));
  EXPECT_EQ(doc.text(), "c:\n- image: a\n- image: z\n");
  EXPECT_EQ(error_of([&] {
              doc.set_scalar({"c", 2, "image"}, "y", Missing::kCreate);
            }),
            "2:1: index 2 out of range at \"c\" (2 entries)");
  EXPECT_EQ(error_of([&] {
              doc.set_scalar({"d", 0, "image"}, "y", Missing::kCreate);
            }),
            "\"d\" does not exist; list index 0 cannot be created");
}

TEST(DocumentTest, MissingKeyWithoutCreateIsAnError) {
  Document doc = Document::parse("a:\n  b: 1\n");
  EXPECT_EQ(error_of([&] {
              doc.set_scalar({"a", "c"}, "2");
            }),
            "2:3: \"a.c\" not found: no key \"c\" in \"a\"");
}

TEST(DocumentTest, SetOnAMappingIsAnError) {
  Document doc = Document::parse("a:\n  b: 1\n");
  EXPECT_EQ(error_of([&] { doc.set_scalar({"a"}, "2"); }),
            "2:3: expected a scalar at \"a\", found a mapping");
}

TEST(DocumentTest, InvalidYamlIsRejectedWithItsPosition) {
  EXPECT_EQ(error_of([] { Document::parse("a: b\n c: d\n"); }),
            "2:3: mapping values are not allowed in this context");
  EXPECT_EQ(error_of([] { Document::parse("a: *nope\n"); }), "1:4: undefined alias *nope");
  EXPECT_EQ(error_of([] { Document::parse("a: \xff\n"); }),
            "1:4: invalid UTF-8 text: invalid leading UTF-8 octet");
  // A broken later document makes the whole file unparsable.
  EXPECT_NE(error_of([] { Document::parse("a: 1\n---\nb: [\n"); }), "");
}

TEST(DocumentTest, OnlyTheFirstDocumentIsEdited) {
  const std::string before = "a: 1\n---\na: 1\n...\n";
  Document doc = Document::parse(before);
  EXPECT_TRUE(doc.set_scalar({"a"}, "v2", Missing::kCreate));
  EXPECT_TRUE(doc.set_scalar({"b"}, "v3", Missing::kCreate));
  EXPECT_EQ(doc.text(), "a: v2\nb: v3\n---\na: 1\n...\n");
}

TEST(DocumentTest, EmptyDocuments) {
  EXPECT_TRUE(Document::parse("").empty());
  EXPECT_TRUE(Document::parse("# just a comment\n").empty());
  EXPECT_TRUE(Document::parse("---\n").empty());
  EXPECT_TRUE(Document::parse("~\n").empty());
  EXPECT_FALSE(Document::parse("a: 1\n").empty());
}

TEST(DocumentTest, RemoveKeyRemovesTheWholeLine) {
  Document doc =
      Document::parse("- name: a\n  newTag: 1 # t\n  digest: sha256:00 # d\n- name: b\n");
  EXPECT_TRUE(doc.remove_key({0, "digest"}));
  EXPECT_EQ(doc.text(), "- name: a\n  newTag: 1 # t\n- name: b\n");
  EXPECT_FALSE(doc.remove_key({0, "digest"}));
  EXPECT_EQ(error_of([&] {
              doc.remove_key({5, "digest"});
            }),
            "1:1: index 5 out of range at the document root (2 entries)");
}

TEST(DocumentTest, RemoveKeyFirstInItemAndInFlowAndWithoutFinalNewline) {
  Document first = Document::parse("- digest: x\n  name: a\n");
  EXPECT_TRUE(first.remove_key({0, "digest"}));
  EXPECT_EQ(first.text(), "- name: a\n");
  Document flow = Document::parse("- {name: a, digest: x, newTag: 1}\n");
  EXPECT_TRUE(flow.remove_key({0, "digest"}));
  EXPECT_EQ(flow.text(), "- {name: a, newTag: 1}\n");
  Document last = Document::parse("name: a\r\ndigest: x");
  EXPECT_TRUE(last.remove_key({"digest"}));
  EXPECT_EQ(last.text(), "name: a");
  Document only = Document::parse("digest: x\n");
  EXPECT_EQ(error_of([&] { only.remove_key({"digest"}); }),
            "1:1: removing \"digest\" would leave an empty mapping");
}

}  // namespace
}  // namespace iu::yamledit
