// UTF-8 and character classes with the exact semantics of Go's unicode/utf8 and unicode
// packages, which text/template and fmt are built on.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace iu::gotemplate::detail {

inline constexpr char32_t kRuneError = 0xFFFD;
inline constexpr char32_t kMaxRune = 0x10FFFF;

struct DecodedRune {
  char32_t rune;
  std::size_t width;  // bytes consumed: 0 only at the end of input
};

// utf8.DecodeRuneInString(s[pos:]): an invalid or truncated sequence, an overlong form or a
// surrogate decodes as (kRuneError, 1).
DecodedRune decode_rune(std::string_view s, std::size_t pos);

// utf8.DecodeLastRuneInString(s[:end]).
DecodedRune decode_last_rune(std::string_view s, std::size_t end);

// utf8.RuneCountInString: every invalid byte counts as one rune.
std::size_t rune_count(std::string_view s);

// utf8.ValidRune.
bool valid_rune(char32_t r);

// utf8.AppendRune: an invalid rune is written as U+FFFD.
void append_rune(std::string& out, char32_t r);

// unicode.IsPrint: categories L, M, N, P, S and the ASCII space.
bool is_print(char32_t r);

// The lexer's isAlphaNumeric: '_', unicode.IsLetter (L) or unicode.IsDigit (Nd).
bool is_alphanumeric(char32_t r);

}  // namespace iu::gotemplate::detail
