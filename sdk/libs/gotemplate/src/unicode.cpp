#include "unicode.hpp"

#include <unicode/uchar.h>

namespace iu::gotemplate::detail {

DecodedRune decode_rune(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return {kRuneError, 0};
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[pos + i]); };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return {b0, 1};
  const DecodedRune invalid{kRuneError, 1};
  std::size_t need;
  char32_t rune;
  // The second byte's range depends on the first (no overlongs, no surrogates, <= U+10FFFF).
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    rune = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    rune = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    rune = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return invalid;
  }
  if (pos + need >= s.size()) return invalid;  // truncated
  const unsigned char b1 = byte(1);
  if (b1 < lo || b1 > hi) return invalid;
  rune = (rune << 6) | (b1 & 0x3F);
  for (std::size_t i = 2; i <= need; ++i) {
    const unsigned char b = byte(i);
    if (b < 0x80 || b > 0xBF) return invalid;
    rune = (rune << 6) | (b & 0x3F);
  }
  return {rune, need + 1};
}

DecodedRune decode_last_rune(std::string_view s, std::size_t end) {
  if (end == 0) return {kRuneError, 0};
  // A rune is at most 4 bytes: find the latest start byte within reach and check that it
  // decodes to exactly the bytes up to `end`.
  const std::size_t limit = end >= 4 ? end - 4 : 0;
  std::size_t start = end - 1;
  while (start > limit && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  const DecodedRune r = decode_rune(s.substr(0, end), start);
  if (start + r.width != end) return {kRuneError, 1};
  return r;
}

std::size_t rune_count(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); i += decode_rune(s, i).width) ++n;
  return n;
}

bool valid_rune(char32_t r) { return r <= kMaxRune && !(r >= 0xD800 && r <= 0xDFFF); }

void append_rune(std::string& out, char32_t r) {
  if (!valid_rune(r)) r = kRuneError;
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

bool is_print(char32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7F;
  if (!valid_rune(r)) return false;
  switch (u_charType(static_cast<UChar32>(r))) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
    case U_CONNECTOR_PUNCTUATION:
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
    case U_MATH_SYMBOL:
    case U_CURRENCY_SYMBOL:
    case U_MODIFIER_SYMBOL:
    case U_OTHER_SYMBOL:
      return true;
    default:
      return false;
  }
}

bool is_alphanumeric(char32_t r) {
  if (r == '_') return true;
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9');
  if (!valid_rune(r)) return false;
  const auto c = static_cast<UChar32>(r);
  return u_isalpha(c) || u_charType(c) == U_DECIMAL_DIGIT_NUMBER;
}

}  // namespace iu::gotemplate::detail
