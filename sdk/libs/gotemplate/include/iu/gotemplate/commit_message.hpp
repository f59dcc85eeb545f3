// Commit messages of the git write-back (SPEC.md §9.7): the data a message template sees, the
// built-in template, and rendering with upstream's fallback. The git plugin and the core's
// `template` command both use these, so they render identically.
//
// Template data (field order matters only for {{ . }}):
//   .AppName       string
//   .AppNamespace  string
//   .AppChanges    list of {.Image, .OldTag, .NewTag, .Labels}
//                    .Image   repository without the registry ("foo/bar"), as upstream has it
//                    .OldTag  the tag, or the digest when one is set
//                    .NewTag
//                    .Labels  map[string]string (config labels when metadata was fetched)
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "iu/gotemplate/template.hpp"
#include "iu/gotemplate/value.hpp"

namespace iu::gotemplate {

// The built-in template, upstream's text verbatim.
inline constexpr std::string_view kDefaultCommitMessageTemplate =
    "build: automatic update of {{ .AppName }}\n"
    "\n"
    "{{ range .AppChanges -}}\n"
    "updates image {{ .Image }} tag '{{ .OldTag }}' to '{{ .NewTag }}'\n"
    "{{ end -}}\n";

// kDefaultCommitMessageTemplate, parsed once.
const Template& default_commit_message_template();

struct Application {
  std::string name;
  std::string ns;  // namespace
};

struct ImageChange {
  std::string image;
  std::string old_tag;
  std::string new_tag;
  std::map<std::string, std::string> labels;
};

Value commit_message_data(const Application& app, const std::vector<ImageChange>& changes);

struct CommitMessage {
  std::string text;
  // Empty, or the execution error ("line:col: message") that made `text` the fallback
  // "build: update of application <app>". The caller logs it (SPEC.md §14: falls back).
  std::string error;
};

CommitMessage render_commit_message(const Template& tmpl, const Application& app,
                                    const std::vector<ImageChange>& changes);

}  // namespace iu::gotemplate
