// The parse of a YAML text that edits work on: the nodes of the FIRST document with exact byte
// spans, built from libyaml's events (which carry start and end marks). Internal header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace iu::yamledit::detail {

inline constexpr std::uint32_t kNoNode = 0xffffffffu;

enum class NodeKind { kScalar, kMapping, kSequence, kAlias };
enum class ScalarStyle { kPlain, kSingleQuoted, kDoubleQuoted, kLiteral, kFolded };

// One node. Offsets are bytes into the text the tree was parsed from.
struct Node {
  NodeKind kind = NodeKind::kScalar;
  ScalarStyle style = ScalarStyle::kPlain;  // scalars
  bool flow = false;                        // collections written in flow style ({...} or [...])
  bool in_flow = false;                     // inside a flow collection
  bool has_properties = false;              // an anchor or a tag is written before the node
  // First byte of the node, its anchor or tag included.
  std::size_t begin = 0;
  // Scalar and alias: first byte of the token itself (after anchor and tag). Block mapping: its
  // first key. Block sequence: its first '-'. Flow collection: the '{' or '['.
  std::size_t token_begin = 0;
  // One past the last byte of the node's content. For block collections: the end of their last
  // entry (libyaml's own end mark lies at the next token). An empty scalar has token_begin ==
  // end: right after the ':' or '-' it follows (block) or at the next token (flow).
  std::size_t end = 0;
  std::string value;  // scalar value; alias: the anchor name it refers to
  std::string tag;    // resolved tag when one is written (e.g. "tag:yaml.org,2002:str")
  std::uint32_t parent = kNoNode;
  std::uint32_t alias_target = kNoNode;  // aliases: the anchored node
  std::vector<std::uint32_t> children;   // mapping: key, value, key, value...; sequence: items
};

struct Tree {
  std::vector<Node> nodes;
  std::uint32_t root = kNoNode;  // root of the first document; kNoNode for an empty stream
  std::size_t bom = 0;           // 3 when the text starts with a UTF-8 byte order mark
  std::string eol = "\n";        // the file's line ending: that of its first line break

  const Node& at(std::uint32_t i) const { return nodes[i]; }
  // Number of key/value pairs of a mapping.
  std::size_t pairs(const Node& mapping) const { return mapping.children.size() / 2; }
  const Node& key(const Node& mapping, std::size_t i) const {
    return nodes[mapping.children[2 * i]];
  }
  const Node& value(const Node& mapping, std::size_t i) const {
    return nodes[mapping.children[2 * i + 1]];
  }
};

// True for a plain, untagged scalar that YAML reads as null: empty, `~`, `null`, `Null`, `NULL`.
bool is_null(const Node& node);

// Parses the whole stream (so a broken later document is still an error) and keeps the first
// document. Throws EditError with the position libyaml reports.
Tree parse_tree(std::string_view text);

// Byte offset at which each document of the stream begins (libyaml's document-start mark: the
// first directive, the `---` marker or the first token). Throws EditError as parse_tree().
std::vector<std::size_t> document_starts(std::string_view text);

}  // namespace iu::yamledit::detail
