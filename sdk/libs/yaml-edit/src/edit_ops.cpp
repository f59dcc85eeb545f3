#include "edit_ops.hpp"

#include "iu/yamledit/error.hpp"
#include "layout.hpp"

namespace iu::yamledit::detail {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The splice that puts `token` where the zero-length value `node` is: after its anchor or tag, or
// after the ':' or '-' that introduces it.
Splice fill_empty(const Source& src, const Node& node, const std::string& token) {
  if (node.has_properties) return Splice{node.end, 0, " " + token};
  std::size_t p = node.token_begin;
  while (p > 0 && is_blank(src.text[p - 1])) --p;
  if (p == 0 || (src.text[p - 1] != ':' && src.text[p - 1] != '-')) {
    fail_at(src, node.token_begin, "cannot locate the empty value to replace");
  }
  return Splice{p, 0, " " + token};
}

// Erases a null token (and the blanks before it) so that a block collection can follow it on
// the next lines: `key: ~ # c` becomes `key: # c`.
std::vector<Splice> erase_null_token(const Source& src, const Node& node) {
  if (node.token_begin == node.end) return {};
  std::size_t p = node.token_begin;
  while (p > 0 && is_blank(src.text[p - 1])) --p;
  return {Splice{p, node.end - p, ""}};
}

}  // namespace

std::vector<Splice> replace_scalar(const Source& src, std::uint32_t id, const Value& value,
                                   const Path& path) {
  const Node& n = src.node(id);
  if (n.style == ScalarStyle::kLiteral || n.style == ScalarStyle::kFolded) {
    fail_at(src, n.token_begin,
            describe(path) + " is a block scalar (" +
                (n.style == ScalarStyle::kLiteral ? "|" : ">") + "); cannot replace it");
  }
  Context ctx = n.in_flow ? Context::kFlow : Context::kBlock;
  std::string token = value.is_literal()
                          ? value.text()
                          : render_string(value.text(), n.style, ctx, is_string_tag(n.tag));
  if (n.token_begin == n.end) return {fill_empty(src, n, token)};
  return {Splice{n.token_begin, n.end - n.token_begin, token}};
}

std::vector<Splice> fill_null(const Source& src, const Walk& w, const NewNode& content) {
  const Node& n = src.node(w.last());
  if (n.in_flow) {
    std::string token = flow(content);
    if (n.token_begin == n.end) return {fill_empty(src, n, token)};
    return {Splice{n.token_begin, n.end - n.token_begin, token}};
  }
  BlockLayout layout = block_layout(src);
  std::string lines;
  if (n.parent == kNoNode) {
    // The root: the new collection starts at column 0.
    if (content.kind == NewNode::Kind::kMapping) {
      for (const auto& [k, v] : content.entries) lines += block_entry(k, v, 0, layout);
    } else {
      for (const NewNode& item : content.items) lines += block_item(item, 0, 2, layout);
    }
  } else {
    std::uint32_t key = w.keys.back();
    std::size_t base = key != kNoNode
                           ? byte_column(src.text, src.node(key).token_begin, src.tree.bom)
                           : byte_column(src.text, src.node(n.parent).token_begin, src.tree.bom);
    lines = block_children(content, base, layout);
  }
  std::vector<Splice> splices = erase_null_token(src, n);
  splices.push_back(insert_after_line(src, n.end, lines));
  return splices;
}

std::vector<Splice> insert_key(const Source& src, const Walk& w, const Path& path,
                               const NewNode& leaf) {
  std::size_t at = w.matched();
  const std::string& key = std::get<std::string>(path.segments[at]);
  NewNode value = nest(path, at + 1, leaf);
  std::uint32_t parent = w.last();
  if (parent == kNoNode) {
    // An empty stream (nothing, or only comments): the first document starts here.
    std::string lines = block_entry(key, value, 0, block_layout(src));
    bool at_line_start = src.text.size() == src.tree.bom || src.text.back() == '\n';
    if (at_line_start) return {Splice{src.text.size(), 0, lines}};
    return {insert_after_line(src, src.text.size(), lines)};
  }
  const Node& p = src.node(parent);
  if (p.kind != NodeKind::kMapping) {
    return fill_null(src, w, NewNode::mapping({{key, std::move(value)}}));
  }
  if (p.flow) {
    std::string entry = flow(NewNode::mapping({{key, std::move(value)}}));
    entry = entry.substr(1, entry.size() - 2);  // without the braces
    if (p.children.empty()) return {Splice{p.token_begin + 1, 0, entry}};
    return {Splice{src.node(p.children.back()).end, 0, ", " + entry}};
  }
  std::string lines = block_entry(key, value, key_column(src, p), block_layout(src));
  return {insert_after_line(src, p.end, lines)};
}

std::vector<Splice> append_item(const Source& src, std::uint32_t id, const NewNode& item) {
  const Node& seq = src.node(id);
  if (seq.flow) {
    std::string token = flow(item);
    if (seq.children.empty()) return {Splice{seq.token_begin + 1, 0, token}};
    return {Splice{src.node(seq.children.back()).end, 0, ", " + token}};
  }
  ItemLayout layout = item_layout(src, seq);
  std::string lines = block_item(item, layout.dash, layout.gap, block_layout(src));
  return {insert_after_line(src, seq.end, lines)};
}

std::vector<Splice> remove_pair(const Source& src, std::uint32_t id, std::size_t pair,
                                const Path& path) {
  const Node& m = src.node(id);
  const Node& key = src.tree.key(m, pair);
  const Node& value = src.tree.value(m, pair);
  std::size_t pairs = src.tree.pairs(m);
  if (pairs == 1) {
    fail_at(src, key.token_begin, "removing " + describe(path) + " would leave an empty mapping");
  }
  std::size_t next_key = pair + 1 < pairs ? src.tree.key(m, pair + 1).begin : kNoPos;
  if (m.flow) {
    if (pair > 0) {
      std::size_t from = src.tree.value(m, pair - 1).end;  // `, key: value` after the previous
      return {Splice{from, value.end - from, ""}};
    }
    return {Splice{key.begin, next_key - key.begin, ""}};
  }
  std::string_view entry = src.text.substr(key.begin, value.end - key.begin);
  if (entry.find('\n') != std::string_view::npos) {
    fail_at(src, key.token_begin, describe(path) + " spans several lines; cannot remove it");
  }
  std::size_t ls = line_start(src.text, key.begin, src.tree.bom);
  bool line_first = src.text.substr(ls, key.begin - ls).find_first_not_of(' ') == kNoPos;
  if (!line_first) {
    // `- digest: x` starts a list item: the next key moves up to the dash.
    if (next_key == kNoPos) {
      fail_at(src, key.token_begin, "cannot remove " + describe(path) + " from its line");
    }
    return {Splice{key.begin, next_key - key.begin, ""}};
  }
  std::size_t after = next_line_start(src.text, value.end);
  if (after != kNoPos) return {Splice{ls, after - ls, ""}};
  // The last line, without a line break: remove the break before it instead.
  std::size_t from = ls;
  if (from > 0 && src.text[from - 1] == '\n') --from;
  if (from > 0 && src.text[from - 1] == '\r') --from;
  return {Splice{from, src.text.size() - from, ""}};
}

}  // namespace iu::yamledit::detail
