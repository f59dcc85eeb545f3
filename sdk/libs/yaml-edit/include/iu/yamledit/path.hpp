// Addresses of nodes inside a YAML document: mapping keys and sequence indices.
#pragma once

#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace iu::yamledit {

// One step of a Path: a mapping key (compared with the key's scalar value, whatever its
// quoting) or a 0-based sequence index.
using PathSegment = std::variant<std::string, std::size_t>;

// One step of a path literal such as {"spec", "images", 0, "name"}: a key from any string type,
// an index from any integer type (a negative index is a precondition violation).
struct PathStep {
  PathSegment segment;
  PathStep(const char* key) : segment(std::string(key)) {}       // NOLINT: implicit by design
  PathStep(std::string key) : segment(std::move(key)) {}         // NOLINT
  PathStep(std::string_view key) : segment(std::string(key)) {}  // NOLINT
  template <std::integral I>
  requires(!std::same_as<I, bool> && !std::same_as<I, char>) PathStep(I index)
      : segment(static_cast<std::size_t>(index)) {}  // NOLINT
};

// A path from the root of a document, e.g. {"spec", "images", 0, "name"}. The empty path is the
// root itself. Keys are literal: "image.tag" is one key containing a dot (the Helm layer splits
// dotted keys itself, see helm_values.hpp).
struct Path {
  std::vector<PathSegment> segments;

  Path() = default;
  Path(std::initializer_list<PathStep> steps) {  // NOLINT: implicit, for path literals
    for (const PathStep& s : steps) segments.push_back(s.segment);
  }
  explicit Path(std::vector<PathSegment> s) : segments(std::move(s)) {}

  Path key(std::string k) const;     // this path extended by a mapping key
  Path index(std::size_t i) const;   // this path extended by a sequence index
  Path prefix(std::size_t n) const;  // the first n segments
  std::size_t size() const noexcept { return segments.size(); }
  bool empty() const noexcept { return segments.empty(); }

  // Display form used in error messages: keys joined by '.', indices as "[i]"
  // ("spec.images[0].name"); the empty path gives "".
  std::string to_string() const;

  bool operator==(const Path&) const = default;
};

}  // namespace iu::yamledit
