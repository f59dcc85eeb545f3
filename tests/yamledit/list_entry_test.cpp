// Document::upsert_entry and upsert_scalar_entry: match, update in place, append with the
// siblings' layout, create missing lists.
#include <gtest/gtest.h>

#include "iu/yamledit/document.hpp"

namespace iu::yamledit {
namespace {

const std::vector<Field> kFields{{"name", "app"}, {"value", "1.0.1"}};

std::string upsert(const std::string& before, const Path& list) {
  Document doc = Document::parse(before);
  doc.upsert_entry(list, "name", "app", kFields, Missing::kCreate);
  return doc.text();
}

TEST(ListEntryTest, MatchingEntryIsUpdatedInPlace) {
  EXPECT_EQ(upsert("l:\n- name: x\n  value: 1\n- value: '0.9' # old\n  name: app\n", {"l"}),
            "l:\n- name: x\n  value: 1\n- value: '1.0.1' # old\n  name: app\n");
}

TEST(ListEntryTest, MissingFieldsAreAppendedToTheEntry) {
  EXPECT_EQ(upsert("l:\n  -   name: app\n  - name: b\n", {"l"}),
            "l:\n  -   name: app\n      value: 1.0.1\n  - name: b\n");
}

TEST(ListEntryTest, NewEntryCopiesTheSiblingsLayout) {
  EXPECT_EQ(
      upsert("l:\n    -   name: x\n        value: 1\nz: 1\n", {"l"}),
      "l:\n    -   name: x\n        value: 1\n    -   name: app\n        value: 1.0.1\nz: 1\n");
  EXPECT_EQ(upsert("l:\n- name: x\n", {"l"}), "l:\n- name: x\n- name: app\n  value: 1.0.1\n");
  EXPECT_EQ(upsert("l: [{name: x}]\n", {"l"}), "l: [{name: x}, {name: app, value: 1.0.1}]\n");
  EXPECT_EQ(upsert("l: []\n", {"l"}), "l: [{name: app, value: 1.0.1}]\n");
}

TEST(ListEntryTest, MissingOrNullListIsCreated) {
  EXPECT_EQ(upsert("a: 1\n", {"h", "l"}), "a: 1\nh:\n  l:\n  - name: app\n    value: 1.0.1\n");
  EXPECT_EQ(upsert("l:\n", {"l"}), "l:\n- name: app\n  value: 1.0.1\n");
  EXPECT_EQ(upsert("l: ~\r\n", {"l"}), "l:\r\n- name: app\r\n  value: 1.0.1\r\n");
}

TEST(ListEntryTest, NewSequencesAreIndentedLikeTheDocumentsOthers) {
  EXPECT_EQ(upsert("other:\n  - x\nh: {}\n", {"l"}),
            "other:\n  - x\nh: {}\nl:\n  - name: app\n    value: 1.0.1\n");
}

TEST(ListEntryTest, EveryMatchingEntryIsUpdated) {
  EXPECT_EQ(upsert("- name: app\n  value: 1\n- name: app\n  value: 2\n", {}),
            "- name: app\n  value: 1.0.1\n- name: app\n  value: 1.0.1\n");
}

TEST(ListEntryTest, NoOpUpsertKeepsBytes) {
  const std::string before = "l:\n- name: app # c\n  value: \"1.0.1\"\n";
  Document doc = Document::parse(before);
  EXPECT_FALSE(doc.upsert_entry({"l"}, "name", "app", kFields));
  EXPECT_EQ(doc.text(), before);
}

TEST(ListEntryTest, ErrorsLeaveTheDocumentUnchanged) {
  const std::string before = "l:\n- &e {name: app, value: 1}\n- *e\nm: {a: 1}\n";
  Document doc = Document::parse(before);
  EXPECT_THROW(doc.upsert_entry({"l"}, "name", "app", kFields), EditError);
  EXPECT_THROW(doc.upsert_entry({"m"}, "name", "app", kFields), EditError);
  EXPECT_THROW(doc.upsert_entry({"x"}, "name", "app", kFields, Missing::kError), EditError);
  // A field that is a mapping in the matching entry: the earlier field must not stay edited.
  Document nested = Document::parse("- name: app\n  other: 1\n  value: {a: 1}\n");
  EXPECT_THROW(nested.upsert_entry({}, "name", "app", {{"other", "2"}, {"value", "3"}}), EditError);
  EXPECT_EQ(nested.text(), "- name: app\n  other: 1\n  value: {a: 1}\n");
  EXPECT_EQ(doc.text(), before);
}

TEST(ListEntryTest, ScalarEntries) {
  auto same_name = [](std::string_view v) { return v.substr(0, v.find(':')) == "nginx"; };
  Document doc = Document::parse("images:\n- 'nginx:1.0'\n- redis:7\n");
  EXPECT_TRUE(doc.upsert_scalar_entry({"images"}, same_name, "nginx:1.1"));
  EXPECT_EQ(doc.text(), "images:\n- 'nginx:1.1'\n- redis:7\n");
  EXPECT_TRUE(doc.upsert_scalar_entry(
      {"images"}, [](std::string_view v) { return v == "none"; }, "app:2"));
  EXPECT_EQ(doc.text(), "images:\n- 'nginx:1.1'\n- redis:7\n- app:2\n");
  EXPECT_FALSE(doc.upsert_scalar_entry({"images"}, same_name, "nginx:1.1"));
}

}  // namespace
}  // namespace iu::yamledit
