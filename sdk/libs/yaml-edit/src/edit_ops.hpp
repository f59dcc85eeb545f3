// The primitive edits, as splices of the current text: replace a scalar token, insert a key,
// append a list item, fill a null value, remove a key. They only compute bytes; Document
// applies, re-parses and verifies them. Internal header.
#pragma once

#include <vector>

#include "new_node.hpp"
#include "resolve.hpp"
#include "text.hpp"

namespace iu::yamledit::detail {

// Replaces the token of the scalar `node` (reached by `path`) by `value` in the node's style;
// anchor and tag stay. Throws EditError for a block scalar.
std::vector<Splice> replace_scalar(const Source& src, std::uint32_t node, const Value& value,
                                   const Path& path);

// Inserts the first missing key of `path` (the one after walk `w` stopped) with `leaf` at the
// end of the path, creating the mappings in between. The parent is a mapping, a null value or
// absent (empty stream).
std::vector<Splice> insert_key(const Source& src, const Walk& w, const Path& path,
                               const NewNode& leaf);

// Replaces the null value `w.last()` by `content` (a mapping or a sequence).
std::vector<Splice> fill_null(const Source& src, const Walk& w, const NewNode& content);

// Appends `item` to the sequence `sequence`, copying the layout of its items.
std::vector<Splice> append_item(const Source& src, std::uint32_t sequence, const NewNode& item);

// Removes pair `pair` of `mapping` (see Document::remove_key for what is allowed).
std::vector<Splice> remove_pair(const Source& src, std::uint32_t mapping, std::size_t pair,
                                const Path& path);

}  // namespace iu::yamledit::detail
