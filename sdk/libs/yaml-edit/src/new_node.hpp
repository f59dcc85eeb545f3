// Content that does not exist in the document yet, and how it is written in block or flow style.
// Internal header.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "iu/yamledit/document.hpp"
#include "scalar_format.hpp"

namespace iu::yamledit::detail {

struct NewNode {
  enum class Kind { kScalar, kMapping, kSequence };
  Kind kind = Kind::kScalar;
  Value scalar{""};
  std::vector<std::pair<std::string, NewNode>> entries;  // mapping, in writing order
  std::vector<NewNode> items;                            // sequence

  static NewNode of(const Value& v);
  static NewNode mapping(std::vector<std::pair<std::string, NewNode>> entries);
  static NewNode sequence(std::vector<NewNode> items);
  // A mapping of `fields` in their order.
  static NewNode fields(const std::vector<Field>& fields);
};

// `{k_from: {k_from+1: ... leaf}}` for the keys path[from..]; `leaf` itself when from ==
// path.size(). Throws EditError when one of those segments is a list index (indices are never
// created).
NewNode nest(const Path& path, std::size_t from, NewNode leaf);

// How new block content is laid out in a particular file.
struct BlockLayout {
  std::string eol = "\n";
  // Column of a new sequence's '-' relative to its key (0: `key:\n- a`, 2: `key:\n  - a`).
  std::size_t sequence_indent = 0;
};

// The token for a new scalar: a literal as given, a string plain when it reads back, else
// double-quoted.
std::string scalar_token(const Value& value, Context ctx);

// Lines `key: value` with the key at column `indent`; nested mappings 2 columns deeper. Every
// line ends with layout.eol.
std::string block_entry(const std::string& key, const NewNode& value, std::size_t indent,
                        const BlockLayout& layout);

// Lines of a sequence item: '-' at column `dash`, its content at column `dash + gap`.
std::string block_item(const NewNode& item, std::size_t dash, std::size_t gap,
                       const BlockLayout& layout);

// The lines that turn a null value of a key at column `key_indent` into `value` (a mapping or a
// sequence): the entries at key_indent + 2, or the items at key_indent + sequence_indent.
std::string block_children(const NewNode& value, std::size_t key_indent, const BlockLayout& layout);

// Flow form: `{a: b, c: [d]}`.
std::string flow(const NewNode& node);

}  // namespace iu::yamledit::detail
