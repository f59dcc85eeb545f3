#include "iu/gotemplate/template.hpp"

#include "exec.hpp"
#include "parser.hpp"

namespace iu::gotemplate {

Error::Error(int line, int column, const std::string& message)
    : std::runtime_error(std::to_string(line) + ":" + std::to_string(column) + ": " + message),
      line_(line),
      column_(column),
      message_(message) {}

Template Template::parse(std::string_view text) {
  return Template(std::make_shared<const detail::Tree>(detail::parse_tree(text)));
}

std::string Template::execute(const Value& data) const {
  return detail::execute_tree(*tree_, data);
}

const std::string& Template::text() const { return tree_->text; }

}  // namespace iu::gotemplate
