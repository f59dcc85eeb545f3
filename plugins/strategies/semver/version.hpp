// Semantic versions as the `semver` update strategy sees them: the lenient ("coercing") grammar
// of Masterminds/semver v3.4.0 `NewVersion`, its canonical `String()` form and its precedence.
//
// Grammar accepted by parse_version (the whole text must match, nothing is trimmed):
//   [v] NUM [. NUM [. NUM]] [- ID {. ID}] [+ ID {. ID}]
//   NUM = one or more ASCII digits (leading zeros allowed, value must fit in uint64)
//   ID  = one or more of [0-9A-Za-z-]; a prerelease identifier made only of digits must not
//         have a leading zero ("01" is rejected, "0a" and "0" are fine)
// Missing minor/patch numbers are 0. Only a lowercase 'v' is accepted as a prefix.
//
// Lifetime contract: a Version does not own text. `prerelease`, `metadata` and `original` are
// views into the string that was parsed, so that string must outlive the Version. This keeps
// parsing, comparison and constraint checks free of heap allocation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace iu::semver {

struct Version {
  std::uint64_t major = 0;
  std::uint64_t minor = 0;
  std::uint64_t patch = 0;
  std::string_view prerelease;  // without the leading '-'; empty for a release
  std::string_view metadata;    // without the leading '+'; ignored by precedence
  std::string_view original;    // the complete text that was parsed (e.g. "v1.2")
};

// Why a text is not a version. The messages (see error_message) are the ones Masterminds v3.4.0
// reports, so logs read the same as upstream's.
enum class ParseError : std::uint8_t {
  kNone,
  kSyntax,                 // does not match the grammar at all
  kNumberOutOfRange,       // major, minor or patch does not fit in uint64
  kPrereleaseLeadingZero,  // numeric prerelease identifier such as "01"
};

// Parses without allocating. On failure returns ParseError and leaves `out` unspecified.
ParseError parse_version_into(std::string_view text, Version& out) noexcept;

// Lenient parse exactly like Masterminds NewVersion in its default coercing mode.
std::optional<Version> parse_version(std::string_view text) noexcept;

// Same, and on failure stores the upstream-style reason in *error (when error is not null).
std::optional<Version> parse_version(std::string_view text, std::string* error);

// A temporary std::string would leave the Version's views dangling, so parsing one is a
// compile error rather than a use-after-free (e.g. parse_version(line.substr(0, tab))).
// Lvalue strings, string_views and literals are unaffected.
template <typename S>
concept TemporaryString = std::is_same_v<S, std::string>;
std::optional<Version> parse_version(TemporaryString auto&& text) = delete;
std::optional<Version> parse_version(TemporaryString auto&& text, std::string* error) = delete;
ParseError parse_version_into(TemporaryString auto&& text, Version& out) = delete;

// Human-readable reason for `error` while parsing `text`, worded like Masterminds v3.4.0
// (e.g. "invalid semantic version", "version segment starts with 0").
std::string error_message(ParseError error, std::string_view text);

// Canonical form: "MAJOR.MINOR.PATCH[-prerelease][+metadata]" without any 'v' prefix.
std::string to_string(const Version& v);

// Precedence of two prerelease strings as Masterminds compares them once both versions have a
// prerelease: identifier by identifier, numeric (all digits and fitting in uint64) below
// alphanumeric, numbers by value, text by bytes, the shorter list lower when all shared
// identifiers are equal. An empty string counts as a single empty identifier, which ranks below
// any other identifier. Returns <0, 0 or >0.
int compare_prerelease(std::string_view a, std::string_view b) noexcept;

// Version precedence (major, minor, patch, then a release above its prereleases, then
// compare_prerelease). Build metadata and the original spelling are ignored. Returns -1, 0, 1.
int compare(const Version& a, const Version& b) noexcept;

// The order the semver strategy sorts candidates in: precedence first, then the original tag
// text byte by byte, so "v1.0.0" > "1.0.0+b" > "1.0.0+a" > "1.0.0" > "1.0" for equal versions.
int compare_candidates(const Version& a, const Version& b) noexcept;

}  // namespace iu::semver
