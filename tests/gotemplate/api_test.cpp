// The library's API beyond the golden renderings: values, error positions, reuse across
// threads, commit messages with their fallback, and branch names.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "iu/gotemplate/branch_name.hpp"
#include "iu/gotemplate/commit_message.hpp"
#include "iu/gotemplate/template.hpp"
#include "iu/gotemplate/template_command.hpp"

namespace iu::gotemplate {
namespace {

// Go 1.19's output for the same data (golden/commit.json: default_sample, dump).
constexpr const char* kSampleDefaultMessage =
    "build: automatic update of example-app\n\n"
    "updates image foo/bar tag '1.0.0' to '1.0.1'\n"
    "updates image foo/baz tag "
    "'sha256:2d59a8e7d1d7b0b2f1a8b1e2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f50' to "
    "'sha256:9c1e4d4f0a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f'\n";
constexpr const char* kLabeledDump =
    "{shop team-a [{acme/api 2.4.6 2.4.7 map[org.opencontainers.image.revision:abc123 "
    "org.opencontainers.image.source:https://github.com/acme/api]} {acme/web 1.0.0 1.1.0 "
    "map[]}]}";

const Application kShop{"shop", "team-a"};

std::vector<ImageChange> labeled_changes() {
  return {{"acme/api",
           "2.4.6",
           "2.4.7",
           {{"org.opencontainers.image.source", "https://github.com/acme/api"},
            {"org.opencontainers.image.revision", "abc123"}}},
          {"acme/web", "1.0.0", "1.1.0", {}}};
}

TEST(Value, KindsAndLookup) {
  EXPECT_TRUE(Value().is_null());
  EXPECT_EQ(Value(true).kind(), Value::Kind::kBool);
  EXPECT_EQ(Value(7).as_int(), 7);
  EXPECT_EQ(Value("s").as_string(), "s");
  const Value map = Value::map({{"a", 1}});
  const Value strings = Value::string_map({{"a", "1"}});
  const Value record = Value::record({{"A", 1}, {"A", 2}});
  EXPECT_FALSE(map.is_string_map());
  EXPECT_TRUE(strings.is_string_map());
  ASSERT_NE(map.find("a"), nullptr);
  EXPECT_EQ(map.find("b"), nullptr);
  EXPECT_EQ(record.find("A")->as_int(), 1);  // the first of duplicates
  EXPECT_EQ(Value(5).find("a"), nullptr);
  const Value copy = record;  // shares the fields
  EXPECT_EQ(&copy.as_record(), &record.as_record());
}

TEST(Errors, ParseErrorHasLineAndCharacterColumn) {
  try {
    Template::parse("line one\nzwölf {{ .a }} {{ if }}");
    FAIL() << "parsed";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 22);  // characters, not bytes: "ö" is one column
    EXPECT_EQ(e.message(), "missing value for if");
    EXPECT_STREQ(e.what(), "2:22: missing value for if");
  }
}

TEST(Errors, ExecErrorNamesTheConstruct) {
  const Template t = Template::parse("ok\n  {{ .Missing }}");
  try {
    t.execute(Value::record({{"A", 1}}));
    FAIL() << "rendered";
  } catch (const ExecError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 6);
    EXPECT_EQ(e.message(), "at <.Missing>: can't evaluate field Missing in type struct { A int }");
  }
}

TEST(Errors, DeepNestingIsAParseErrorNotACrash) {
  const std::string parens = std::string(5000, '(') + "1" + std::string(5000, ')');
  EXPECT_THROW(Template::parse("{{ " + parens + " }}"), ParseError);
  std::string ifs;
  for (int i = 0; i < 5000; ++i) ifs += "{{if 1}}";
  EXPECT_THROW(Template::parse(ifs), ParseError);
  // Reasonable nesting is fine.
  EXPECT_EQ(Template::parse("{{ (((1))) }}").execute({}), "1");
}

TEST(Template, RendersOnSeveralThreadsAtOnce) {
  const Template t = Template::parse("{{ range . }}{{ printf \"%03d\" . }}{{ end }}");
  Value::List items;
  std::string expected;
  for (int i = 0; i < 200; ++i) {
    items.push_back(i);
    expected += (i < 10 ? "00" : i < 100 ? "0" : "") + std::to_string(i);
  }
  const Value data = Value::list(items);
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&] {
      for (int round = 0; round < 50; ++round) result = t.execute(data);
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_EQ(result, expected);
  EXPECT_EQ(t.text(), "{{ range . }}{{ printf \"%03d\" . }}{{ end }}");
}

TEST(CommitMessage, DefaultTemplateIsUpstreamText) {
  EXPECT_EQ(default_commit_message_template().text(),
            "build: automatic update of {{ .AppName }}\n\n{{ range .AppChanges -}}\n"
            "updates image {{ .Image }} tag '{{ .OldTag }}' to '{{ .NewTag }}'\n{{ end -}}\n");
}

TEST(CommitMessage, RendersTheSampleAsGoDoes) {
  const CommitMessage m = render_commit_message(default_commit_message_template(),
                                                sample_application(), sample_changes());
  EXPECT_EQ(m.text, kSampleDefaultMessage);
  EXPECT_EQ(m.error, "");
}

TEST(CommitMessage, DataHasUpstreamShape) {
  const Template dump = Template::parse("{{ . }}");
  EXPECT_EQ(dump.execute(commit_message_data(kShop, labeled_changes())), kLabeledDump);
  const Template labels = Template::parse(
      "{{ range .AppChanges }}[{{ index .Labels \"org.opencontainers.image.revision\" }}]{{ end "
      "}}");
  EXPECT_EQ(labels.execute(commit_message_data(kShop, labeled_changes())), "[abc123][]");
}

TEST(CommitMessage, ExecutionErrorFallsBack) {
  const Template t = Template::parse("subject\n{{ range .AppChanges }}{{ .Digest }}{{ end }}");
  const CommitMessage m = render_commit_message(t, kShop, labeled_changes());
  EXPECT_EQ(m.text, "build: update of application shop");
  EXPECT_NE(m.error.find("2:27: at <.Digest>: can't evaluate field Digest"), std::string::npos)
      << m.error;
}

TEST(CommitMessage, NoChangesStillRenders) {
  const CommitMessage m = render_commit_message(default_commit_message_template(), kShop, {});
  EXPECT_EQ(m.text, "build: automatic update of shop\n\n");
}

TEST(BranchName, Sha256CoversEveryChangeInOrder) {
  const std::vector<BranchImage> images = {{"acme/api", "api", "2.4.6", "2.4.7"},
                                           {"acme/web", "web", "1.0.0", "1.1.0"}};
  // sha256("acme/api-2.4.6-2.4.7,acme/web-1.0.0-1.1.0,")
  EXPECT_EQ(changes_sha256(images),
            "2e114b199412d21952c2ddf0336f3d2179c76f376ea915b0b1d3751dbbd6d7af");
  EXPECT_EQ(changes_sha256({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const Template t = Template::parse(
      "{{ .AppNamespace }}/{{ .AppName }}/{{ .TargetKey }}{{ range .Images }}-{{ .Alias }}.{{ "
      ".NewTag }}{{ end }}-{{ printf \"%.8s\" .SHA256 }}");
  EXPECT_EQ(render_branch_name(t, kShop, images, "1a2b3c4d"),
            "team-a/shop/1a2b3c4d-api.2.4.7-web.1.1.0-2e114b19");
}

TEST(BranchName, TruncatesTo255BytesOnACharacterBoundary) {
  const Template t = Template::parse("{{ .AppName }}");
  const std::string ascii(300, 'a');
  EXPECT_EQ(render_branch_name(t, {ascii, ""}, {}, ""), std::string(255, 'a'));
  // 254 ASCII bytes then "é" (2 bytes): keeping it would need 256 bytes.
  const std::string name = std::string(254, 'b') + "é" + "tail";
  EXPECT_EQ(render_branch_name(t, {name, ""}, {}, ""), std::string(254, 'b'));
}

TEST(BranchName, MissingFieldThrows) {
  const Template t = Template::parse("{{ .Branch }}");
  EXPECT_THROW(render_branch_name(t, kShop, {}, ""), ExecError);
}

}  // namespace
}  // namespace iu::gotemplate
