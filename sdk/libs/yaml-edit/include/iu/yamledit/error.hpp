// The one exception type of iu::yamledit.
#pragma once

#include <stdexcept>
#include <string>

namespace iu::yamledit {

// A YAML text that cannot be parsed, or an edit that cannot be made (alias or block scalar on
// the path, duplicate keys, a sequence where a mapping is needed, ...). Whenever one is thrown
// the document being edited is left exactly as it was.
//
// what() is "<line>:<column>: <problem>" with 1-based line and column (columns count Unicode
// characters) of the node at fault, or just "<problem>" when no single place is at fault
// (line() == 0). Callers prefix the file name (SPEC.md §14):
//   apps/web/values.yaml:14:7: expected a mapping at "api.image", found a scalar
// Messages name paths and keys, never the values being written.
class EditError : public std::runtime_error {
 public:
  EditError(int line, int column, const std::string& problem);
  explicit EditError(const std::string& problem);

  int line() const noexcept { return line_; }
  int column() const noexcept { return column_; }
  // The message without the location prefix.
  const std::string& problem() const noexcept { return problem_; }

 private:
  int line_;
  int column_;
  std::string problem_;
};

}  // namespace iu::yamledit
