#include "commit_message.hpp"

#include <algorithm>
#include <tuple>

#include "image_name.hpp"
#include "iu/gotemplate/commit_message.hpp"

namespace iu::gitwb {
namespace {

namespace gt = iu::gotemplate;

std::string trim_trailing_newlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

CommitMessages::CommitMessages(const std::string& template_text, const Warn& warn) {
  if (template_text.empty()) return;
  try {
    custom_ = gt::Template::parse(template_text);
  } catch (const gt::Error& e) {
    warn(std::string("commit message template: ") + e.what() + "; using the built-in template");
  }
}

std::string CommitMessages::application(const Intent& in, const Warn& warn) const {
  std::vector<gt::ImageChange> changes;
  for (const Change& c : in.changes)
    changes.push_back(gt::ImageChange{repository_of(c.image_name), c.old_tag, c.tag_value(), {}});
  const gt::Template& tmpl = custom_ ? *custom_ : gt::default_commit_message_template();
  gt::CommitMessage m = gt::render_commit_message(tmpl, {in.app_name, in.app_namespace}, changes);
  if (!m.error.empty())
    warn("commit message template failed for application " + in.app_id() + ": " + m.error +
         "; using the fallback message");
  return m.text;
}

std::string CommitMessages::batch(std::vector<const Intent*> applied, const Warn& warn) const {
  if (applied.size() == 1) return application(*applied.front(), warn);
  std::sort(applied.begin(), applied.end(), [](const Intent* a, const Intent* b) {
    return std::tie(a->app_namespace, a->app_name) < std::tie(b->app_namespace, b->app_name);
  });
  std::string out =
      "build: automatic update of " + std::to_string(applied.size()) + " applications\n";
  for (const Intent* in : applied)
    out += "\n" + trim_trailing_newlines(application(*in, warn)) + "\n";
  return out;
}

std::string with_sign_off(std::string message, const std::string& user, const std::string& email) {
  return trim_trailing_newlines(std::move(message)) + "\n\nSigned-off-by: " + user + " <" + email +
         ">\n";
}

}  // namespace iu::gitwb
