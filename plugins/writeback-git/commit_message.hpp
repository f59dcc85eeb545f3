// Commit messages (SPEC §9.7), rendered with iu_gotemplate's commit-message helpers so that the
// plugin and the core's `template` command agree.
//
// Per application the template sees .AppName, .AppNamespace and .AppChanges[] (.Image: the
// repository without registry; .OldTag; .NewTag with the digest when one is set; .Labels:
// empty, an intent carries no image labels). A template that does not parse is reported once
// and replaced by the built-in one; one that fails to execute gives
// "build: update of application <app>" (reported through `warn`).
//
// A batch of one application uses that application's message unchanged; a batch of N > 1 has
// the subject "build: automatic update of N applications", a blank line, then each
// application's message in (namespace, name) order, separated by blank lines.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "iu/gotemplate/template.hpp"
#include "settings.hpp"

namespace iu::gitwb {

using Warn = std::function<void(const std::string&)>;

class CommitMessages {
 public:
  // `template_text` "" = the built-in template. A parse error is passed to `warn`.
  CommitMessages(const std::string& template_text, const Warn& warn);

  std::string application(const Intent& intent, const Warn& warn) const;
  // The message of a commit holding `applied` (at least one intent).
  std::string batch(std::vector<const Intent*> applied, const Warn& warn) const;

 private:
  std::optional<iu::gotemplate::Template> custom_;  // nullopt: the built-in template
};

// Appends "Signed-off-by: <user> <email>" as a trailer paragraph.
std::string with_sign_off(std::string message, const std::string& user, const std::string& email);

}  // namespace iu::gitwb
