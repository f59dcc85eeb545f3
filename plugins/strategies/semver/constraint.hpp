// Version constraints with the syntax and the (sometimes surprising) semantics of
// Masterminds/semver v3.4.0 `NewConstraint` + `Constraints.Check`.
//
// Syntax: OR-groups separated by "||"; inside a group, comparators separated by whitespace
// and/or one comma (AND). A comparator is an optional operator (=, !=, >, <, >=, =>, <=, =<, ~,
// ~>, ^) followed by a partial version whose major/minor/patch may be a number or x/X/*, with
// optional "-prerelease" and "+metadata". "A - B" (whitespace around the dash) is rewritten to
// ">= A, <= B " before anything else, textually and with upstream's quirks.
//
// Prereleases: a version with a prerelease can satisfy a group only when some comparator of
// that group carries a prerelease itself (e.g. ">=1.2.0-0"); it is then compared by normal
// precedence. "*" therefore never admits prereleases.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "version.hpp"

namespace iu::semver {

enum class Op : std::uint8_t {
  kTildeOrEqual,  // "" and "=": equality, or a "~" range when a part is a wildcard/missing
  kNotEqual,      // "!="
  kGreater,       // ">"
  kLess,          // "<"
  kGreaterEqual,  // ">=", "=>"
  kLessEqual,     // "<=", "=<"
  kTilde,         // "~", "~>"
  kCaret,         // "^"
};

// One parsed comparator. `bound` is the comparator's version with wildcard/missing parts set to
// 0 (its prerelease kept, its 'v' and - for wildcard forms - its metadata dropped); the dirty
// flags record which parts were wildcards or missing, which several operators interpret.
struct Comparator {
  Op op = Op::kTildeOrEqual;
  Version bound;
  bool dirty = false;        // some part was a wildcard or missing
  bool minor_dirty = false;  // minor (and so patch) was a wildcard or missing: "1", "1.x"
  bool patch_dirty = false;  // only patch was a wildcard or missing: "1.2", "1.2.*"
};

class Constraint {
 public:
  // Parses like NewConstraint. On failure returns nullopt and, when `error` is not null, sets
  // it to upstream's message ("improper constraint: <group>" for a malformed group, "constraint
  // parser error: ..." for a comparator whose version is not a number, e.g. "1.2.3x" or "1.x|").
  // The empty text is not a constraint (upstream rejects it too); see parse_or_any.
  static std::optional<Constraint> parse(std::string_view text, std::string* error);

  // The semver strategy's reading of an image's constraint: empty text means "no constraint",
  // which behaves as "*" (every release, no prereleases); anything else goes through parse.
  static std::optional<Constraint> parse_or_any(std::string_view text, std::string* error);

  // Equivalent of parse("*").
  static Constraint any();

  // Masterminds Check: true when every comparator of at least one group accepts `v`.
  // Allocation-free.
  bool check(const Version& v) const noexcept;

  // The text this constraint was parsed from (before range rewriting).
  const std::string& text() const noexcept { return text_; }

  // Introspection for tests and diagnostics: comparators of group `g`, in written order.
  std::size_t group_count() const noexcept { return groups_.size(); }
  std::vector<Comparator> group(std::size_t g) const;
  bool group_includes_prereleases(std::size_t g) const { return groups_.at(g).prereleases; }

 private:
  struct Group {
    std::uint32_t begin = 0;   // index into comparators_
    std::uint32_t end = 0;     // one past the last comparator
    bool prereleases = false;  // some comparator carries a prerelease: prereleases may match
  };

  Constraint() = default;

  std::vector<Comparator> comparators_;
  std::vector<Group> groups_;
  // Immutable heap text the bounds' prerelease/metadata views point into. Shared so that copies
  // and moves of a Constraint keep those views valid without re-parsing.
  std::shared_ptr<const std::string> storage_;
  std::string text_;
};

// True when `v` satisfies comparator `c`; `group_prereleases` is the group's prerelease opt-in.
bool satisfies(const Comparator& c, const Version& v, bool group_prereleases) noexcept;

}  // namespace iu::semver
