#include "layout.hpp"

namespace iu::yamledit::detail {

BlockLayout block_layout(const Source& src) {
  BlockLayout layout;
  layout.eol = src.tree.eol;
  for (const Node& n : src.tree.nodes) {
    if (n.kind != NodeKind::kSequence || n.flow || n.parent == kNoNode) continue;
    const Node& parent = src.node(n.parent);
    if (parent.kind != NodeKind::kMapping || parent.flow) continue;
    std::size_t dash = byte_column(src.text, n.token_begin, src.tree.bom);
    std::size_t key = key_column(src, parent);
    layout.sequence_indent = dash > key ? dash - key : 0;
    break;
  }
  return layout;
}

std::size_t key_column(const Source& src, const Node& mapping) {
  return byte_column(src.text, mapping.token_begin, src.tree.bom);
}

ItemLayout item_layout(const Source& src, const Node& sequence) {
  ItemLayout layout;
  layout.dash = byte_column(src.text, sequence.token_begin, src.tree.bom);
  for (auto it = sequence.children.rbegin(); it != sequence.children.rend(); ++it) {
    std::size_t begin = src.node(*it).begin;
    std::size_t p = begin;
    while (p > 0 && src.text[p - 1] == ' ') --p;
    if (p > 0 && src.text[p - 1] == '-' && begin - (p - 1) >= 2) {
      layout.gap = begin - (p - 1);
      break;
    }
  }
  return layout;
}

Splice insert_after_line(const Source& src, std::size_t end, const std::string& lines) {
  std::size_t at = next_line_start(src.text, end);
  if (at != kNoPos) return Splice{at, 0, lines};
  const std::string& eol = src.tree.eol;
  return Splice{src.text.size(), 0, eol + lines.substr(0, lines.size() - eol.size())};
}

}  // namespace iu::yamledit::detail
