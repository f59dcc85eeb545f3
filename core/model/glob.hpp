// Globs with the exact semantics of Go's path/filepath.Match on Unix (SPEC.md §6.2), used by
// ignoreTags and by application-name patterns.
//
//   *        any run of bytes without '/'
//   ?        one character (UTF-8 rune) other than '/'
//   [...]    one character in the class: items `c` or ranges `lo-hi`; `[^...]` negates
//            (`!` is an ordinary character); `\x` escapes inside and outside classes
//   \x       the literal x
//
// Two entry points, because Go reports a malformed pattern lazily: filepath.Match validates
// each chunk (the text between stars) it reaches, in full, but never looks at the chunks after
// an early mismatch, so `z*\` is "no match" for `y` yet ErrBadPattern for `z`.
//  * filepath_match() reproduces that exactly (the conformance vectors come from it);
//  * Glob::compile() validates the whole pattern up front, as configuration loading needs
//    (SPEC.md §6.2). For a pattern it accepts, Glob::match() equals filepath_match().
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iu::model {

enum class GlobResult { kNoMatch, kMatch, kBadPattern };

// Exactly filepath.Match(pattern, name) of Go 1.19 on Unix: kBadPattern stands for
// ErrBadPattern, returned only when matching reaches a malformed part of the pattern. A
// malformed pattern never yields kMatch.
GlobResult filepath_match(std::string_view pattern, std::string_view name);

class Glob {
 public:
  // Validates `pattern`. On failure returns std::nullopt and sets `*error` (when given) to e.g.
  // `invalid glob "a[": unclosed '['`. Malformed: an unclosed class, a trailing backslash, a
  // class starting with ']', a range missing a bound (`[-a]`, `[a-]`), invalid UTF-8 in a class.
  static std::optional<Glob> compile(std::string_view pattern, std::string* error = nullptr);

  // True when the whole of `name` matches, exactly as filepath.Match(pattern, name) would.
  bool match(std::string_view name) const;

  const std::string& pattern() const { return pattern_; }

 private:
  explicit Glob(std::string_view pattern) : pattern_(pattern) {}

  std::string pattern_;  // validated: matching it can never hit a malformed part
};

}  // namespace iu::model
