// Integer and character constants of template actions, read as Go's parser reads them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace iu::gotemplate::detail {

// The value of a number or character-constant token, or an error message: Go syntax (signs,
// 0x/0o/0b prefixes, a leading 0 for octal, '_' between digits, 'c' with escapes). Floating-point
// constants are refused: the subset has no floats.
std::variant<std::int64_t, std::string> parse_number(std::string_view text, bool char_constant);

}  // namespace iu::gotemplate::detail
