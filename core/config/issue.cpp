#include "config/issue.hpp"

#include "log/log.hpp"

namespace iu::config {

std::string ObjectRef::display() const { return kind + " " + ns + "/" + name; }

std::string ObjectRef::location() const {
  if (file.empty()) return {};
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string ConfigIssue::what() const {
  std::string out = object.kind.empty() ? object.location() : object.display();
  if (!field_path.empty()) out += (out.empty() ? "" : ": ") + field_path;
  if (!message.empty()) out += (out.empty() ? "" : ": ") + message;
  return out;
}

ConfigIssue make_issue(Scope scope, const ObjectRef& object, std::string field_path,
                       std::string message, Severity severity) {
  ConfigIssue issue;
  issue.severity = severity;
  issue.scope = scope;
  issue.object = object;
  issue.field_path = std::move(field_path);
  issue.message = std::move(message);
  return issue;
}

void log_issues(std::span<const ConfigIssue> issues) {
  for (const ConfigIssue& issue : issues) {
    const log::Level level =
        issue.severity == Severity::kError ? log::Level::error : log::Level::warn;
    if (!log::enabled(level)) continue;
    if (issue.object.kind.empty() || issue.object.file.empty())
      log::write(level, issue.what());
    else
      log::write(level, issue.what(), {{"file", issue.object.location()}});
  }
}

bool has_errors(std::span<const ConfigIssue> issues) {
  for (const ConfigIssue& issue : issues)
    if (issue.severity == Severity::kError) return true;
  return false;
}

}  // namespace iu::config
