#include "iu/yamledit/error.hpp"

namespace iu::yamledit {
namespace {

std::string with_location(int line, int column, const std::string& problem) {
  if (line <= 0) return problem;
  return std::to_string(line) + ":" + std::to_string(column) + ": " + problem;
}

}  // namespace

EditError::EditError(int line, int column, const std::string& problem)
    : std::runtime_error(with_location(line, column, problem)),
      line_(line > 0 ? line : 0),
      column_(line > 0 ? column : 0),
      problem_(problem) {}

EditError::EditError(const std::string& problem) : EditError(0, 0, problem) {}

}  // namespace iu::yamledit
