// Tag selection of the `semver` update strategy: among the tags that parse as versions
// (parse_version) and satisfy the constraint, the highest precedence wins; equal versions
// ("1.0" / "1.0.0" / "v1.0.0" / "1.0.0+b") are ordered by their original text byte by byte and
// the greater text wins (compare_candidates). Tags that are not versions are simply skipped.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "constraint.hpp"
#include "version.hpp"

namespace iu::semver {

// Index of the winning tag, or nullopt when no tag qualifies. One linear pass, no allocation;
// a tag that cannot beat the current winner is not checked against the constraint at all.
// Of several identical tags the first one is returned.
std::optional<std::size_t> select_best(std::span<const std::string_view> tags, const Constraint& c);
std::optional<std::size_t> select_best(std::span<const std::string> tags, const Constraint& c);

// Indices of every qualifying tag, best first (the order select_best agrees with: element 0 is
// select_best's answer). Identical tags keep their input order. Used when candidates must be
// examined one after another, e.g. walking down from the best until a platform matches.
std::vector<std::size_t> rank(std::span<const std::string_view> tags, const Constraint& c);
std::vector<std::size_t> rank(std::span<const std::string> tags, const Constraint& c);

}  // namespace iu::semver
