// Byte-level helpers over the text of a document: lines, columns, locations and splices.
// Internal header. Line breaks are '\n' (a preceding '\r' belongs to the line's ending).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace iu::yamledit::detail {

inline constexpr std::size_t kNoPos = std::string_view::npos;

// Offset of the first byte of the line holding `pos` (after a leading byte order mark).
std::size_t line_start(std::string_view text, std::size_t pos, std::size_t bom);

// Where a line inserted after the line holding the last byte before `pos` goes: `pos` itself
// when it already starts a line, else just past the next '\n'; kNoPos when that line is the last
// one and has no line break.
std::size_t next_line_start(std::string_view text, std::size_t pos);

// Byte column (0-based) of `pos` within its line. Used for indentation, which is ASCII.
std::size_t byte_column(std::string_view text, std::size_t pos, std::size_t bom);

// The line ending of `text`: that of its first line break, "\n" when it has none.
std::string detect_eol(std::string_view text);

// 1-based line and column (in Unicode characters) of `pos`, for messages.
struct Location {
  int line = 0;
  int column = 0;
};
Location locate(std::string_view text, std::size_t pos, std::size_t bom);

// True when `text` holds nothing but blanks and line breaks: a file to be generated anew.
bool only_whitespace(std::string_view text);

// Replace `erase` bytes at `at` by `insert`.
struct Splice {
  std::size_t at = 0;
  std::size_t erase = 0;
  std::string insert;
};

// Applies non-overlapping splices (in any order) to `text`.
std::string apply_splices(std::string_view text, std::vector<Splice> splices);

}  // namespace iu::yamledit::detail
