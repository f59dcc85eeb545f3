// Parses a template into a Tree, accepting exactly what Go 1.19's text/template/parse accepts
// within the subset (see template.hpp) and rejecting the rest with a ParseError.
#pragma once

#include <string_view>

#include "ast.hpp"

namespace iu::gotemplate::detail {

// Throws ParseError.
Tree parse_tree(std::string_view text);

struct Position {
  int line;
  int column;
};

// The 1-based line and column (in characters) of byte offset `pos` in `text`.
Position position_of(std::string_view text, std::size_t pos);

}  // namespace iu::gotemplate::detail
