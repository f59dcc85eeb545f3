#include "iu/gotemplate/template_command.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

namespace iu::gotemplate {

Application sample_application() { return {"example-app", "argocd"}; }

std::vector<ImageChange> sample_changes() {
  return {
      {"foo/bar", "1.0.0", "1.0.1", {}},
      {"foo/baz",
       "sha256:2d59a8e7d1d7b0b2f1a8b1e2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f50",
       "sha256:9c1e4d4f0a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f",
       {}},
  };
}

int run_template_command(const std::string& path, std::ostream& out, std::ostream& err) {
  std::string text(kDefaultCommitMessageTemplate);
  const std::string name = path.empty() ? "<built-in>" : path;
  if (!path.empty()) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      err << path << ": cannot read template: is a directory\n";
      return 2;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      err << path << ": cannot read template: " << std::strerror(errno) << "\n";
      return 2;
    }
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) {
      err << path << ": cannot read template: " << std::strerror(errno) << "\n";
      return 2;
    }
    text = content.str();
  }
  try {
    const Template tmpl = Template::parse(text);
    // Unlike the write-back, the command shows an execution error instead of falling back.
    const std::string rendered =
        tmpl.execute(commit_message_data(sample_application(), sample_changes()));
    out << rendered << "\n";
    return 0;
  } catch (const Error& e) {
    err << name << ":" << e.what() << "\n";
    return 2;
  }
}

}  // namespace iu::gotemplate
