#include "resolve.hpp"

#include "iu/yamledit/error.hpp"
#include "text.hpp"

namespace iu::yamledit::detail {

void fail_at(const Source& src, std::size_t pos, const std::string& problem) {
  Location loc = locate(src.text, pos, src.tree.bom);
  throw EditError(loc.line, loc.column, problem);
}

std::string describe(const Path& path) {
  return path.empty() ? "the document root" : "\"" + path.to_string() + "\"";
}

std::string kind_name(const Node& node) {
  switch (node.kind) {
    case NodeKind::kMapping:
      return "a mapping";
    case NodeKind::kSequence:
      return "a sequence";
    case NodeKind::kAlias:
      return "an alias";
    default:
      return is_null(node) ? "a null value" : "a scalar";
  }
}

std::size_t find_key(const Source& src, const Node& mapping, std::string_view key, const Path& at) {
  std::size_t found = kNoPair;
  for (std::size_t i = 0; i < src.tree.pairs(mapping); ++i) {
    const Node& k = src.tree.key(mapping, i);
    if (k.kind != NodeKind::kScalar || k.value != key) continue;
    if (found != kNoPair) {
      fail_at(src, k.token_begin,
              "duplicate key \"" + std::string(key) + "\" in the mapping at " + describe(at));
    }
    found = i;
  }
  return found;
}

namespace {

[[noreturn]] void fail_alias(const Source& src, const Node& alias, const Path& at, bool leaf) {
  fail_at(src, alias.token_begin,
          describe(at) + " is an alias (*" + alias.value + "); " +
              (leaf ? "edit the anchored node instead" : "cannot edit through it"));
}

}  // namespace

Walk walk(const Source& src, const Path& path, Aliases aliases) {
  Walk w;
  w.nodes.push_back(src.tree.root);
  w.keys.push_back(kNoNode);
  for (std::size_t i = 0; i < path.size(); ++i) {
    std::uint32_t cur = w.nodes.back();
    if (cur == kNoNode) return w;  // empty stream: everything is missing
    const Path here = path.prefix(i);
    if (src.node(cur).kind == NodeKind::kAlias) {
      if (aliases == Aliases::kRefuse) fail_alias(src, src.node(cur), here, false);
      cur = w.nodes.back() = src.node(cur).alias_target;
    }
    const Node& n = src.node(cur);
    if (const auto* key = std::get_if<std::string>(&path.segments[i])) {
      if (is_null(n)) return w;
      if (n.kind != NodeKind::kMapping) {
        fail_at(src, n.token_begin,
                "expected a mapping at " + describe(here) + ", found " + kind_name(n));
      }
      std::size_t pair = find_key(src, n, *key, here);
      if (pair == kNoPair) return w;
      w.keys.push_back(n.children[2 * pair]);
      w.nodes.push_back(n.children[2 * pair + 1]);
    } else {
      std::size_t index = std::get<std::size_t>(path.segments[i]);
      if (n.kind != NodeKind::kSequence) {
        fail_at(src, n.token_begin,
                "expected a sequence at " + describe(here) + ", found " + kind_name(n));
      }
      if (index >= n.children.size()) {
        fail_at(src, n.token_begin,
                "index " + std::to_string(index) + " out of range at " + describe(here) + " (" +
                    std::to_string(n.children.size()) + " entries)");
      }
      w.nodes.push_back(n.children[index]);
      w.keys.push_back(kNoNode);
    }
  }
  std::uint32_t leaf = w.nodes.back();
  if (leaf != kNoNode && src.node(leaf).kind == NodeKind::kAlias) {
    if (aliases == Aliases::kRefuse) fail_alias(src, src.node(leaf), path, true);
    w.nodes.back() = src.node(leaf).alias_target;
  }
  return w;
}

}  // namespace iu::yamledit::detail
