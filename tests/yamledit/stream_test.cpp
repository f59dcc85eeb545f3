// split_documents: multi-document files cut so that one document can be edited on its own.
#include "iu/yamledit/stream.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "iu/yamledit/document.hpp"

namespace iu::yamledit {
namespace {

std::vector<std::string> pieces(std::string_view text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (const DocumentSpan& s : split_documents(text)) {
    EXPECT_EQ(s.begin, at) << "spans must be contiguous";
    EXPECT_LE(s.begin, s.end);
    out.emplace_back(text.substr(s.begin, s.end - s.begin));
    at = s.end;
  }
  if (!out.empty()) {
    EXPECT_EQ(at, text.size()) << "spans must cover the text";
  }
  return out;
}

TEST(StreamTest, OneDocumentIsOneSpan) {
  EXPECT_EQ(pieces("a: 1\n"), std::vector<std::string>{"a: 1\n"});
  EXPECT_EQ(pieces("# head\n---\na: 1\n"), std::vector<std::string>{"# head\n---\na: 1\n"});
}

TEST(StreamTest, NoDocumentsNoSpans) {
  EXPECT_TRUE(split_documents("").empty());
  EXPECT_TRUE(split_documents("# only a comment\n\n").empty());
}

TEST(StreamTest, CutsAtMarkersAndDirectives) {
  const std::string text =
      "# first\n"
      "a: 1\n"
      "---\n"
      "b: 2   # two\n"
      "# between\n"
      "--- # three\n"
      "c: 3\n"
      "...\n"
      "%YAML 1.1\n"
      "---\n"
      "d: 4\n"
      "...\n";
  EXPECT_EQ(pieces(text),
            (std::vector<std::string>{"# first\na: 1\n", "---\nb: 2   # two\n# between\n",
                                      "--- # three\nc: 3\n...\n", "%YAML 1.1\n---\nd: 4\n...\n"}));
}

TEST(StreamTest, EachSpanParsesAsItsDocument) {
  const std::string text =
      "\xEF\xBB\xBF"
      "kind: A\r\n---\r\n  kind: B\r\n  x: [1, 2]\r\n---\r\nkind: C\r\nblock: |\r\n  --- not a "
      "marker\r\n";
  const std::vector<std::string> docs = pieces(text);
  ASSERT_EQ(docs.size(), 3u);
  const char* kinds[] = {"A", "B", "C"};
  for (std::size_t i = 0; i < docs.size(); ++i) {
    EXPECT_EQ(Document::parse(docs[i]).get_scalar({"kind"}), kinds[i]) << i;
    EXPECT_EQ(YAML::Load(docs[i])["kind"].as<std::string>(), kinds[i]) << i;
  }
  EXPECT_EQ(Document::parse(docs[2]).get_scalar({"block"}), "--- not a marker\n");
}

TEST(StreamTest, EditingOneSpanLeavesTheOtherDocumentsByteForByte) {
  const std::string text =
      "apiVersion: v1\nkind: ConfigMap # keep\n---\napiVersion: argoproj.io/v1alpha1\n"
      "kind: Application\nspec:\n  source:\n    helm:\n      parameters:\n      - name: "
      "image.tag\n        value: \"1.0\"\n---\nkind: Other\n";
  const std::vector<DocumentSpan> spans = split_documents(text);
  ASSERT_EQ(spans.size(), 3u);
  const DocumentSpan s = spans[1];
  Document doc = Document::parse(std::string_view(text).substr(s.begin, s.end - s.begin));
  ASSERT_TRUE(doc.upsert_entry({"spec", "source", "helm", "parameters"}, "name", "image.tag",
                               {{"name", "image.tag"}, {"value", "1.1"}}));
  const std::string edited = text.substr(0, s.begin) + doc.text() + text.substr(s.end);
  std::string expected = text;
  expected.replace(expected.find("\"1.0\""), 5, "\"1.1\"");
  EXPECT_EQ(edited, expected);
  const std::vector<YAML::Node> all = YAML::LoadAll(edited);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1]["spec"]["source"]["helm"]["parameters"][0]["value"].as<std::string>(), "1.1");
}

TEST(StreamTest, InvalidYamlIsAnErrorWithItsPosition) {
  try {
    split_documents("a: 1\n---\nb: [1, 2\n");
    FAIL() << "expected an EditError";
  } catch (const EditError& e) {
    EXPECT_GE(e.line(), 3);
  }
  EXPECT_THROW(split_documents("\xFF\xFE"
                               "a"),
               EditError);
}

}  // namespace
}  // namespace iu::yamledit
