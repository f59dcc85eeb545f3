// Walking a Path through a Tree, with the errors of SPEC.md §9.6 / §14. Internal header.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "iu/yamledit/path.hpp"
#include "tree.hpp"

namespace iu::yamledit::detail {

// A tree together with the text it was parsed from: enough to name places in errors.
struct Source {
  const Tree& tree;
  std::string_view text;
  const Node& node(std::uint32_t i) const { return tree.at(i); }
};

// What walk() does with an alias on the path: reads follow it, edits refuse it (an edit through
// an alias would change every place that shares the anchored node).
enum class Aliases { kFollow, kRefuse };

struct Walk {
  // nodes[i] is the node reached after i segments: nodes[0] is the root (kNoNode for an empty
  // stream). With Aliases::kFollow an alias is replaced by its target.
  std::vector<std::uint32_t> nodes;
  // keys[i] is the key node through which nodes[i] was reached (kNoNode for the root and for
  // sequence items).
  std::vector<std::uint32_t> keys;

  std::size_t matched() const { return nodes.size() - 1; }
  std::uint32_t last() const { return nodes.back(); }
};

// Walks `path` from the root and stops before the first key that is missing, either absent from
// its mapping or below a null (a parent that may receive it). Throws EditError for an alias
// (kRefuse), a duplicate key, a node of the wrong kind, or an index out of range.
Walk walk(const Source& src, const Path& path, Aliases aliases);

// Index of the pair of `mapping` whose key is the scalar `key`, or kNoPair. Throws EditError when
// the key is there twice.
inline constexpr std::size_t kNoPair = static_cast<std::size_t>(-1);
std::size_t find_key(const Source& src, const Node& mapping, std::string_view key, const Path& at);

// Throws EditError located at byte `pos`.
[[noreturn]] void fail_at(const Source& src, std::size_t pos, const std::string& problem);

// `"a.b[0]"`, or `the document root` for the empty path.
std::string describe(const Path& path);

// "a scalar", "a mapping", "a sequence", "an alias", "a null value".
std::string kind_name(const Node& node);

}  // namespace iu::yamledit::detail
