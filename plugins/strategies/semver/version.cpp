#include "version.hpp"

#include <limits>

namespace iu::semver {
namespace {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Characters of a prerelease or metadata identifier: [0-9A-Za-z-].
constexpr bool is_ident_char(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

// Accumulates a run of digits into `value`. Returns false on uint64 overflow; any number of
// leading zeros is fine, exactly like strconv.ParseUint.
bool digits_to_u64(std::string_view digits, std::uint64_t& value) noexcept {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t v = 0;
  for (char c : digits) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (kMax - d) / 10) return false;
    v = v * 10 + d;
  }
  value = v;
  return true;
}

// Scans a dot-separated list of identifiers starting at `pos`; returns the end position, or
// npos when an identifier is empty. The list ends at the first character that is neither an
// identifier character nor a '.' followed by one.
std::size_t scan_identifiers(std::string_view s, std::size_t pos) noexcept {
  for (;;) {
    const std::size_t start = pos;
    while (pos < s.size() && is_ident_char(s[pos])) ++pos;
    if (pos == start) return std::string_view::npos;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      continue;
    }
    return pos;
  }
}

std::size_t scan_digits(std::string_view s, std::size_t pos) noexcept {
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  return pos;
}

// Splits off the next identifier of a prerelease; an exhausted list yields "" forever.
std::string_view next_identifier(std::string_view& rest) noexcept {
  const std::size_t dot = rest.find('.');
  std::string_view id = rest.substr(0, dot);
  rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  return id;
}

// A prerelease identifier counts as a number only when it is all digits and fits in uint64;
// longer digit strings compare as text, as in upstream (strconv.ParseUint fails on them).
bool numeric_identifier(std::string_view id, std::uint64_t& value) noexcept {
  if (id.empty()) return false;
  for (char c : id) {
    if (!is_digit(c)) return false;
  }
  return digits_to_u64(id, value);
}

int compare_identifier(std::string_view a, std::string_view b) noexcept {
  if (a == b) return 0;
  if (a.empty()) return -1;  // a list that ran out ranks lower
  if (b.empty()) return 1;
  std::uint64_t an = 0;
  std::uint64_t bn = 0;
  const bool a_num = numeric_identifier(a, an);
  const bool b_num = numeric_identifier(b, bn);
  if (a_num && b_num) return an > bn ? 1 : -1;
  if (a_num) return -1;  // numbers rank below text
  if (b_num) return 1;
  return a > b ? 1 : -1;
}

template <typename T>
int three_way(T a, T b) noexcept {
  return a < b ? -1 : (a > b ? 1 : 0);
}

}  // namespace

ParseError parse_version_into(std::string_view s, Version& out) noexcept {
  // Syntax first, numbers second: upstream matches its regular expression before converting
  // numbers, so "99999999999999999999.x" is a syntax error, not an overflow.
  std::size_t pos = 0;
  if (pos < s.size() && s[pos] == 'v') ++pos;

  std::string_view parts[3];
  int count = 0;
  for (; count < 3; ++count) {
    std::size_t start = pos;
    if (count > 0) {
      // Later parts need ".<digit>"; anything else after a number ends the numeric section.
      if (pos + 1 >= s.size() || s[pos] != '.' || !is_digit(s[pos + 1])) break;
      start = ++pos;
    }
    pos = scan_digits(s, pos);
    if (pos == start) return ParseError::kSyntax;  // only possible for the major part
    parts[count] = s.substr(start, pos - start);
  }

  std::string_view prerelease;
  if (pos < s.size() && s[pos] == '-') {
    const std::size_t end = scan_identifiers(s, pos + 1);
    if (end == std::string_view::npos) return ParseError::kSyntax;
    prerelease = s.substr(pos + 1, end - pos - 1);
    pos = end;
  }
  std::string_view metadata;
  if (pos < s.size() && s[pos] == '+') {
    const std::size_t end = scan_identifiers(s, pos + 1);
    if (end == std::string_view::npos) return ParseError::kSyntax;
    metadata = s.substr(pos + 1, end - pos - 1);
    pos = end;
  }
  if (pos != s.size()) return ParseError::kSyntax;

  std::uint64_t numbers[3] = {0, 0, 0};
  for (int i = 0; i < count; ++i) {
    if (!digits_to_u64(parts[i], numbers[i])) return ParseError::kNumberOutOfRange;
  }

  // Numeric prerelease identifiers must not have leading zeros (metadata may).
  std::string_view rest = prerelease;
  while (!rest.empty()) {
    const std::string_view id = next_identifier(rest);
    if (id.size() > 1 && id[0] == '0' && scan_digits(id, 0) == id.size()) {
      return ParseError::kPrereleaseLeadingZero;
    }
  }

  out.major = numbers[0];
  out.minor = numbers[1];
  out.patch = numbers[2];
  out.prerelease = prerelease;
  out.metadata = metadata;
  out.original = s;
  return ParseError::kNone;
}

std::optional<Version> parse_version(std::string_view text) noexcept {
  Version v;
  if (parse_version_into(text, v) != ParseError::kNone) return std::nullopt;
  return v;
}

std::optional<Version> parse_version(std::string_view text, std::string* error) {
  Version v;
  const ParseError e = parse_version_into(text, v);
  if (e == ParseError::kNone) return v;
  if (error != nullptr) *error = error_message(e, text);
  return std::nullopt;
}

std::string error_message(ParseError error, std::string_view text) {
  switch (error) {
    case ParseError::kNone:
      return {};
    case ParseError::kSyntax:
      return "invalid semantic version";
    case ParseError::kNumberOutOfRange: {
      // Name the first segment that overflows, worded like strconv.ParseUint's error.
      std::size_t pos = !text.empty() && text[0] == 'v' ? 1 : 0;
      for (int part = 0; part < 3 && pos < text.size(); ++part) {
        const std::size_t end = scan_digits(text, pos);
        const std::string_view digits = text.substr(pos, end - pos);
        std::uint64_t ignored = 0;
        if (!digits_to_u64(digits, ignored)) {
          return "error parsing version segment: strconv.ParseUint: parsing \"" +
                 std::string(digits) + "\": value out of range";
        }
        pos = end + 1;  // skip the '.'
      }
      return "error parsing version segment: value out of range";
    }
    case ParseError::kPrereleaseLeadingZero:
      return "version segment starts with 0";
  }
  return "invalid semantic version";
}

std::string to_string(const Version& v) {
  std::string out = std::to_string(v.major);
  out += '.';
  out += std::to_string(v.minor);
  out += '.';
  out += std::to_string(v.patch);
  if (!v.prerelease.empty()) {
    out += '-';
    out += v.prerelease;
  }
  if (!v.metadata.empty()) {
    out += '+';
    out += v.metadata;
  }
  return out;
}

int compare_prerelease(std::string_view a, std::string_view b) noexcept {
  // Walk both lists in place (no splitting into containers). Like upstream, the comparison
  // runs over max(len) positions with "" standing in for a missing identifier; an empty input
  // is one empty identifier, so both exhausted at once ends the walk.
  bool a_done = false;
  bool b_done = false;
  while (!(a_done && b_done)) {
    const std::string_view ai = a_done ? std::string_view{} : next_identifier(a);
    const std::string_view bi = b_done ? std::string_view{} : next_identifier(b);
    if (const int d = compare_identifier(ai, bi); d != 0) return d;
    a_done = a_done || a.empty();
    b_done = b_done || b.empty();
  }
  return 0;
}

int compare(const Version& a, const Version& b) noexcept {
  if (a.major != b.major) return three_way(a.major, b.major);
  if (a.minor != b.minor) return three_way(a.minor, b.minor);
  if (a.patch != b.patch) return three_way(a.patch, b.patch);
  const bool a_pre = !a.prerelease.empty();
  const bool b_pre = !b.prerelease.empty();
  if (!a_pre || !b_pre) return three_way(b_pre, a_pre);  // the release ranks higher
  const int d = compare_prerelease(a.prerelease, b.prerelease);
  return three_way(d, 0);
}

int compare_candidates(const Version& a, const Version& b) noexcept {
  if (const int d = compare(a, b); d != 0) return d;
  return three_way(a.original.compare(b.original), 0);
}

}  // namespace iu::semver
