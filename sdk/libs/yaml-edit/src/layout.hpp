// Reading the layout of existing block content, so that inserted lines copy it. Internal header.
#pragma once

#include <cstddef>
#include <string>

#include "new_node.hpp"
#include "resolve.hpp"
#include "text.hpp"

namespace iu::yamledit::detail {

// The file's line ending and how its block sequences sit under their keys (the first block
// sequence that is the value of a block mapping key decides; not indented when there is none).
BlockLayout block_layout(const Source& src);

// Column of the keys of a block mapping.
std::size_t key_column(const Source& src, const Node& mapping);

// Where the items of a block sequence put their '-' and their content: the dash column shared
// by all items, and the gap to the content copied from the last item that has its content on
// the dash's line (2 when none has).
struct ItemLayout {
  std::size_t dash = 0;
  std::size_t gap = 2;
};
ItemLayout item_layout(const Source& src, const Node& sequence);

// Inserts `lines` (each ending with the file's line ending) as new lines directly after the line
// holding the byte before `end`. When that line is the last one and has no line break, the break
// goes before the new lines instead, so a file without a final newline still ends without one.
Splice insert_after_line(const Source& src, std::size_t end, const std::string& lines);

}  // namespace iu::yamledit::detail
