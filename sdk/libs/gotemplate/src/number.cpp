#include "number.hpp"

#include <optional>

#include "strconv.hpp"

namespace iu::gotemplate::detail {
namespace {

char lower(char c) { return static_cast<char>(c | 0x20); }

// strconv's underscoreOK: '_' may only separate digits (a base prefix counts as a digit).
bool underscores_ok(std::string_view s) {
  char saw = '^';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  std::size_t i = 0;
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

enum class IntStatus { kOk, kSyntax, kRange };

// strconv.ParseUint(s, 0, 64) without the sign.
IntStatus parse_unsigned(std::string_view s, std::uint64_t* out) {
  const std::string_view whole = s;
  if (s.empty()) return IntStatus::kSyntax;
  unsigned base = 10;
  if (s[0] == '0') {
    if (s.size() >= 3 && lower(s[1]) == 'b') {
      base = 2;
      s.remove_prefix(2);
    } else if (s.size() >= 3 && lower(s[1]) == 'o') {
      base = 8;
      s.remove_prefix(2);
    } else if (s.size() >= 3 && lower(s[1]) == 'x') {
      base = 16;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  std::uint64_t n = 0;
  bool underscores = false;
  bool overflow = false;
  for (char c : s) {
    unsigned d;
    if (c == '_') {
      underscores = true;
      continue;
    } else if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else if (lower(c) >= 'a' && lower(c) <= 'z') {
      d = static_cast<unsigned>(lower(c) - 'a' + 10);
    } else {
      return IntStatus::kSyntax;
    }
    if (d >= base) return IntStatus::kSyntax;
    if (n > (UINT64_MAX - d) / base) overflow = true;
    n = n * base + d;
  }
  if (underscores && !underscores_ok(whole)) return IntStatus::kSyntax;
  if (overflow) return IntStatus::kRange;
  *out = n;
  return IntStatus::kOk;
}

bool looks_like_float(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
  const bool hex = digits.size() > 1 && digits[0] == '0' && lower(digits[1]) == 'x';
  return digits.find_first_of(hex ? ".pP" : ".eEpP") != std::string_view::npos;
}

}  // namespace

std::variant<std::int64_t, std::string> parse_number(std::string_view text, bool char_constant) {
  if (char_constant) {
    const auto c = unquote_char(text.substr(1), '\'');
    if (!c) return "invalid syntax in character constant " + std::string(text);
    if (text.substr(1 + c->consumed) != "'") {
      return "malformed character constant: " + std::string(text);
    }
    return static_cast<std::int64_t>(c->value);
  }
  if (!text.empty() && text.back() == 'i') {
    return "complex constant " + std::string(text) + " is not supported in these templates";
  }
  const bool negative = !text.empty() && text[0] == '-';
  const std::string_view digits =
      !text.empty() && (text[0] == '-' || text[0] == '+') ? text.substr(1) : text;
  std::uint64_t magnitude = 0;
  switch (parse_unsigned(digits, &magnitude)) {
    case IntStatus::kOk: {
      const std::uint64_t limit = negative ? (std::uint64_t{1} << 63) : INT64_MAX;
      if (magnitude > limit) return std::string(text) + " overflows int";
      if (negative) return static_cast<std::int64_t>(0 - magnitude);
      return static_cast<std::int64_t>(magnitude);
    }
    case IntStatus::kRange:
      return std::string(text) + " overflows int";
    case IntStatus::kSyntax:
      break;
  }
  if (looks_like_float(text)) {
    return "floating-point constant " + std::string(text) + " is not supported in these templates";
  }
  return "illegal number syntax: " + quote(text, false);
}

}  // namespace iu::gotemplate::detail
