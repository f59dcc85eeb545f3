// Quoting and unquoting with the exact rules of Go's strconv package: %q output, and the
// string and character literals of template actions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace iu::gotemplate::detail {

// strconv.Quote (ascii_only: strconv.QuoteToASCII).
std::string quote(std::string_view s, bool ascii_only);

// strconv.QuoteRune (ascii_only: strconv.QuoteRuneToASCII). An invalid rune quotes as U+FFFD.
std::string quote_rune(char32_t r, bool ascii_only);

// strconv.CanBackquote.
bool can_backquote(std::string_view s);

struct UnquotedChar {
  char32_t value;
  bool multibyte;  // false: `value` is one byte to copy as is (\x.. and octal escapes)
  std::size_t consumed;
};

// strconv.UnquoteChar(s, quote): decodes the first character or escape of `s`; nullopt on a
// syntax error.
std::optional<UnquotedChar> unquote_char(std::string_view s, char quote);

// strconv.Unquote for a double-quoted or back-quoted literal (quotes included); nullopt on a
// syntax error. Back-quoted literals drop their carriage returns.
std::optional<std::string> unquote(std::string_view literal);

}  // namespace iu::gotemplate::detail
