#include "constraint.hpp"

#include <cstddef>

namespace iu::semver {
namespace {

// Whitespace as Go's regexp `\s` defines it: no vertical tab, nothing outside ASCII.
constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

// Characters upstream's constraint grammar accepts in a major/minor/patch slot. It includes
// '|' (an artefact of upstream's character class); such slots only survive when ignored, e.g.
// the minor of "*.|", and otherwise make the comparator fail to parse.
constexpr bool is_part_char(char c) noexcept {
  return (c >= '0' && c <= '9') || c == 'x' || c == 'X' || c == '*' || c == '|';
}

constexpr bool is_ident_char(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

constexpr bool is_op_char(char c) noexcept {
  return c == '=' || c == '!' || c == '<' || c == '>' || c == '~' || c == '^';
}

bool is_wildcard(std::string_view part) noexcept {
  return part == "x" || part == "X" || part == "*";
}

std::size_t skip_space(std::string_view s, std::size_t pos) noexcept {
  while (pos < s.size() && is_space(s[pos])) ++pos;
  return pos;
}

// The textual pieces of one partial version as written in a constraint.
struct PartialVersion {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string_view major;       // never empty
  std::string_view minor;       // without the dot; empty when absent
  std::string_view patch;       // without the dot; empty when absent
  std::string_view prerelease;  // including the leading '-'; empty when absent
};

// Matches `[v] PART [.PART [.PART]] [-ID{.ID}] [+ID{.ID}]` at `pos`, taking as much as
// possible. Maximal munch is exact here: wherever the grammar uses a partial version, it must
// be followed by whitespace, a comma or the end, none of which a shorter match could leave.
bool match_partial(std::string_view s, std::size_t pos, PartialVersion& out) noexcept {
  out.begin = pos;
  if (pos + 1 < s.size() && s[pos] == 'v' && is_part_char(s[pos + 1])) ++pos;
  const auto run = [&](std::size_t from, bool (*pred)(char) noexcept) {
    while (from < s.size() && pred(s[from])) ++from;
    return from;
  };
  std::size_t end = run(pos, is_part_char);
  if (end == pos) return false;
  out.major = s.substr(pos, end - pos);
  pos = end;
  std::string_view* const later[2] = {&out.minor, &out.patch};
  for (std::string_view* part : later) {
    *part = {};
    if (pos + 1 < s.size() && s[pos] == '.' && is_part_char(s[pos + 1])) {
      end = run(pos + 1, is_part_char);
      *part = s.substr(pos + 1, end - pos - 1);
      pos = end;
    }
  }
  const auto identifiers = [&](char lead) {
    const std::size_t start = pos;
    if (pos + 1 < s.size() && s[pos] == lead && is_ident_char(s[pos + 1])) {
      pos = run(pos + 1, is_ident_char);
      while (pos + 1 < s.size() && s[pos] == '.' && is_ident_char(s[pos + 1])) {
        pos = run(pos + 1, is_ident_char);
      }
    }
    return s.substr(start, pos - start);
  };
  out.prerelease = identifiers('-');
  identifiers('+');  // metadata: matched so it is consumed; kept only via the full text
  out.end = pos;
  return true;
}

// Upstream rewrites every "A - B" into ">= A, <= B " with a regular expression
// `\s*(A)\s+-\s+(B)\s*` found left to right over the whole text, then replaces, for each
// match in turn, the first occurrence of the matched text (surrounding whitespace included).
// The same steps are reproduced here so that odd inputs ("x 1 - 2", ">=1 - 2") end up exactly
// as malformed, or as well-formed, as upstream finds them.
std::string rewrite_ranges(std::string_view in) {
  struct Range {
    std::string_view whole, low, high;
  };
  std::vector<Range> found;
  std::size_t p = 0;
  while (p < in.size()) {
    PartialVersion low;
    PartialVersion high;
    bool matched = false;
    std::size_t end = 0;
    const std::size_t first = skip_space(in, p);
    if (match_partial(in, first, low)) {
      const std::size_t dash = skip_space(in, low.end);
      if (dash > low.end && dash < in.size() && in[dash] == '-') {
        const std::size_t hi = skip_space(in, dash + 1);
        if (hi > dash + 1 && match_partial(in, hi, high)) {
          end = skip_space(in, high.end);
          matched = true;
        }
      }
    }
    if (!matched) {
      // Attempts starting anywhere in the whitespace before `first` are the attempt at
      // `first`, so they fail too: resume after it (keeps long blank runs linear).
      p = first + 1;
      continue;
    }
    found.push_back({in.substr(p, end - p), in.substr(low.begin, low.end - low.begin),
                     in.substr(high.begin, high.end - high.begin)});
    p = end;
  }
  std::string out(in);
  for (const Range& r : found) {
    const std::size_t at = out.find(r.whole);
    if (at == std::string::npos) continue;
    // The trailing space keeps a following comparator separated ("1 - 2 >0" stays valid).
    std::string replacement = ">= ";
    replacement.append(r.low).append(", <= ").append(r.high).append(" ");
    out.replace(at, r.whole.size(), replacement);
  }
  return out;
}

std::optional<Op> op_from_text(std::string_view op) noexcept {
  if (op.empty() || op == "=") return Op::kTildeOrEqual;
  if (op == "!=") return Op::kNotEqual;
  if (op == ">") return Op::kGreater;
  if (op == "<") return Op::kLess;
  if (op == ">=" || op == "=>") return Op::kGreaterEqual;
  if (op == "<=" || op == "=<") return Op::kLessEqual;
  if (op == "~" || op == "~>") return Op::kTilde;
  if (op == "^") return Op::kCaret;
  return std::nullopt;
}

struct Token {
  Op op;
  PartialVersion version;
};

// Splits one OR-group into comparators. Accepts exactly upstream's group grammar:
// `\s* OP \s* VERSION \s*` followed by any number of `(\s+ | ,\s*) OP \s* VERSION \s*`.
// An operator is the whole run of operator characters before the version (a version never
// starts with one), so ">==1" is rejected as an unknown operator.
bool tokenize_group(std::string_view group, std::vector<Token>& out) {
  std::size_t pos = skip_space(group, 0);
  for (;;) {
    std::size_t op_end = pos;
    while (op_end < group.size() && is_op_char(group[op_end])) ++op_end;
    const std::optional<Op> op = op_from_text(group.substr(pos, op_end - pos));
    if (!op) return false;
    Token token{*op, {}};
    if (!match_partial(group, skip_space(group, op_end), token.version)) return false;
    out.push_back(token);
    const std::size_t after = token.version.end;
    pos = skip_space(group, after);
    if (pos == group.size()) return true;
    if (group[pos] == ',') {
      pos = skip_space(group, pos + 1);
    } else if (pos == after) {
      return false;  // two comparators need whitespace or a comma between them
    }
  }
}

// The version upstream builds for a comparator: wildcard or missing parts become 0 (and then
// the prerelease is kept but the 'v' and metadata are not); a complete version is used as
// written. Returns the text to parse and sets the dirty flags.
std::string bound_text(std::string_view group, const PartialVersion& pv, Comparator& c) {
  std::string text;
  if (is_wildcard(pv.major)) {
    c.dirty = true;
    text = "0.0.0";
  } else if (pv.minor.empty() || is_wildcard(pv.minor)) {
    c.dirty = c.minor_dirty = true;
    text.append(pv.major).append(".0.0");
  } else if (pv.patch.empty() || is_wildcard(pv.patch)) {
    c.dirty = c.patch_dirty = true;
    text.append(pv.major).append(".").append(pv.minor).append(".0");
  } else {
    return std::string(group.substr(pv.begin, pv.end - pv.begin));
  }
  text.append(pv.prerelease);
  return text;
}

bool tilde(const Comparator& c, const Version& v) noexcept {
  const Version& b = c.bound;
  if (compare(v, b) < 0) return false;
  // A bound of 0.0.0 with no dirty minor/patch ("~*", "~0.0.0") pins nothing: ">=0.0.0".
  // "~0" is not such a case: its minor is missing, so it means ">=0.0.0 <1.0.0".
  if (b.major == 0 && b.minor == 0 && b.patch == 0 && !c.minor_dirty && !c.patch_dirty) {
    return true;
  }
  if (v.major != b.major) return false;
  return c.minor_dirty || v.minor == b.minor;
}

bool caret(const Comparator& c, const Version& v) noexcept {
  const Version& b = c.bound;
  if (compare(v, b) < 0) return false;
  if (b.major > 0 || c.minor_dirty) return v.major == b.major;  // ^1.2.3, ^0, ^1.x
  if (v.major > 0) return false;
  if (b.minor > 0 || c.patch_dirty) return v.minor == b.minor;  // ^0.2.3, ^0.0
  if (v.minor > 0) return false;
  return v.patch == b.patch;  // ^0.0.3 pins the patch
}

bool not_equal(const Comparator& c, const Version& v) noexcept {
  const Version& b = c.bound;
  if (c.dirty) {
    // A wildcard excludes the whole range it spells: "!=1.x" rejects every 1.y.z.
    if (v.major != b.major) return true;
    if (c.minor_dirty) return false;
    if (v.minor != b.minor) return true;
    if (c.patch_dirty) {
      // Inside 1.2.x only a differing prerelease escapes "!=1.2" (upstream's rule).
      if (!v.prerelease.empty() || !b.prerelease.empty()) {
        return compare_prerelease(v.prerelease, b.prerelease) != 0;
      }
      return false;
    }
    if (v.patch != b.patch) return true;
  }
  return compare(v, b) != 0;
}

bool greater(const Comparator& c, const Version& v) noexcept {
  const Version& b = c.bound;
  if (!c.dirty) return compare(v, b) > 0;
  if (v.major != b.major) return v.major > b.major;
  if (c.minor_dirty) return false;              // ">1" means ">=2.0.0"
  if (c.patch_dirty) return v.minor > b.minor;  // ">1.2" means ">=1.3.0"
  return compare(v, b) > 0;
}

bool less_equal(const Comparator& c, const Version& v) noexcept {
  const Version& b = c.bound;
  if (!c.dirty) return compare(v, b) <= 0;
  if (v.major > b.major) return false;                                  // "<=1" means "<2.0.0"
  return !(v.major == b.major && v.minor > b.minor && !c.minor_dirty);  // "<=1.2": "<1.3.0"
}

}  // namespace

bool satisfies(const Comparator& c, const Version& v, bool group_prereleases) noexcept {
  // The opt-in is decided per group, not per comparator: in ">=1.2.0-0 <2" the "<2" accepts
  // 1.5.0-rc.1 as well.
  if (!v.prerelease.empty() && !group_prereleases) return false;
  switch (c.op) {
    case Op::kTildeOrEqual:
      return c.dirty ? tilde(c, v) : compare(v, c.bound) == 0;
    case Op::kNotEqual:
      return not_equal(c, v);
    case Op::kGreater:
      return greater(c, v);
    case Op::kLess:
      return compare(v, c.bound) < 0;
    case Op::kGreaterEqual:
      return compare(v, c.bound) >= 0;
    case Op::kLessEqual:
      return less_equal(c, v);
    case Op::kTilde:
      return tilde(c, v);
    case Op::kCaret:
      return caret(c, v);
  }
  return false;
}

std::optional<Constraint> Constraint::parse(std::string_view text, std::string* error) {
  const std::string rewritten = rewrite_ranges(text);
  const std::string_view all(rewritten);

  Constraint result;
  result.text_ = std::string(text);
  std::vector<std::string> bounds;  // per comparator, parsed once storage is final
  std::size_t start = 0;
  for (;;) {
    const std::size_t bar = all.find("||", start);
    const std::string_view group =
        all.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    std::vector<Token> tokens;
    if (!tokenize_group(group, tokens)) {
      if (error != nullptr) *error = "improper constraint: " + std::string(group);
      return std::nullopt;
    }
    Group g;
    g.begin = static_cast<std::uint32_t>(result.comparators_.size());
    for (const Token& token : tokens) {
      Comparator c;
      c.op = token.op;
      std::string bound = bound_text(group, token.version, c);
      std::string why;
      if (!parse_version(bound, &why)) {
        if (error != nullptr) {
          *error = "constraint parser error: \"" +
                   std::string(
                       group.substr(token.version.begin, token.version.end - token.version.begin)) +
                   "\": " + why;
        }
        return std::nullopt;
      }
      result.comparators_.push_back(c);
      bounds.push_back(std::move(bound));
    }
    g.end = static_cast<std::uint32_t>(result.comparators_.size());
    result.groups_.push_back(g);
    if (bar == std::string_view::npos) break;
    start = bar + 2;
  }

  // Move every bound's text into one immutable heap string, then parse the bounds from it so
  // their prerelease views stay valid for the lifetime of the constraint and its copies.
  auto storage = std::make_shared<std::string>();
  for (const std::string& b : bounds) storage->append(b);
  std::size_t offset = 0;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    const std::string_view slice = std::string_view(*storage).substr(offset, bounds[i].size());
    parse_version_into(slice, result.comparators_[i].bound);  // succeeded above on equal text
    offset += bounds[i].size();
  }
  for (Group& g : result.groups_) {
    for (std::uint32_t i = g.begin; i < g.end; ++i) {
      g.prereleases = g.prereleases || !result.comparators_[i].bound.prerelease.empty();
    }
  }
  result.storage_ = std::move(storage);
  return result;
}

std::optional<Constraint> Constraint::parse_or_any(std::string_view text, std::string* error) {
  if (!text.empty()) return parse(text, error);
  Constraint c = any();
  c.text_.clear();  // report what was configured: nothing
  return c;
}

Constraint Constraint::any() { return *parse("*", nullptr); }

bool Constraint::check(const Version& v) const noexcept {
  for (const Group& g : groups_) {
    bool all = true;
    for (std::uint32_t i = g.begin; i < g.end && all; ++i) {
      all = satisfies(comparators_[i], v, g.prereleases);
    }
    if (all) return true;
  }
  return false;
}

std::vector<Comparator> Constraint::group(std::size_t g) const {
  const Group& range = groups_.at(g);
  return {comparators_.begin() + range.begin, comparators_.begin() + range.end};
}

}  // namespace iu::semver
