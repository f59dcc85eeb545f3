// The `template [PATH]` command (SPEC.md §3.5): output, exit codes and error format.
#include "iu/gotemplate/template_command.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace iu::gotemplate {
namespace {

class TemplateCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("iu-gotemplate-" + std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  int run(const std::string& path) {
    out_.str("");
    err_.str("");
    return run_template_command(path, out_, err_);
  }

  std::filesystem::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(TemplateCommand, BuiltInTemplateWithSampleData) {
  EXPECT_EQ(run(""), 0);
  // Upstream prints the message and a newline; the default message ends with one already.
  EXPECT_EQ(out_.str(),
            "build: automatic update of example-app\n\n"
            "updates image foo/bar tag '1.0.0' to '1.0.1'\n"
            "updates image foo/baz tag "
            "'sha256:2d59a8e7d1d7b0b2f1a8b1e2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f50' to "
            "'sha256:9c1e4d4f0a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f'\n\n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(TemplateCommand, CustomTemplate) {
  // Upstream's own test template, with the namespace this port adds.
  const std::string path = write("custom.tmpl",
                                 "Custom Commit Message:\nApp: {{.AppNamespace}}/{{.AppName}}\n"
                                 "{{- range .AppChanges }}\n- {{.Image}}: {{.OldTag}} -> "
                                 "{{.NewTag}}\n{{- end }}");
  EXPECT_EQ(run(path), 0);
  EXPECT_EQ(out_.str(),
            "Custom Commit Message:\nApp: argocd/example-app\n- foo/bar: 1.0.0 -> 1.0.1\n"
            "- foo/baz: sha256:2d59a8e7d1d7b0b2f1a8b1e2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f50 -> "
            "sha256:9c1e4d4f0a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f\n");
}

TEST_F(TemplateCommand, ParseErrorPrintsPathLineColumn) {
  const std::string path = write("bad.tmpl", "subject\n\n{{ range .AppChanges }}\n- {{ .Image }\n");
  EXPECT_EQ(run(path), 2);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), path + ":4:13: unexpected \"}\" in operand\n");
}

TEST_F(TemplateCommand, MissingEndNamesTheOpenBlock) {
  const std::string path = write("open.tmpl", "a\n{{ range .AppChanges }}\nx\n");
  EXPECT_EQ(run(path), 2);
  EXPECT_EQ(err_.str(), path + ":4:1: unexpected EOF: {{range}} at 2:1 has no {{end}}\n");
}

TEST_F(TemplateCommand, ExecutionErrorIsReportedNotFallenBack) {
  const std::string path = write("exec.tmpl", "{{ range .AppChanges }}\n  {{ .Tag }}{{ end }}");
  EXPECT_EQ(run(path), 2);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str().rfind(path + ":2:6: at <.Tag>: can't evaluate field Tag in type struct", 0),
            0u)
      << err_.str();
}

TEST_F(TemplateCommand, UnsupportedConstructIsAParseError) {
  const std::string path = write("tpl.tmpl", "{{ template \"x\" }}");
  EXPECT_EQ(run(path), 2);
  EXPECT_EQ(err_.str(), path + ":1:4: {{template}} is not supported in these templates\n");
}

TEST_F(TemplateCommand, UnreadablePath) {
  const std::string missing = (dir_ / "nope.tmpl").string();
  EXPECT_EQ(run(missing), 2);
  EXPECT_EQ(err_.str(), missing + ": cannot read template: No such file or directory\n");
  EXPECT_EQ(run(dir_.string()), 2);
  EXPECT_EQ(err_.str(), dir_.string() + ": cannot read template: is a directory\n");
}

TEST_F(TemplateCommand, EmptyFileRendersEmptyMessage) {
  EXPECT_EQ(run(write("empty.tmpl", "")), 0);
  EXPECT_EQ(out_.str(), "\n");
}

}  // namespace
}  // namespace iu::gotemplate
