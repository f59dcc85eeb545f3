#include "tree.hpp"

#include <yaml.h>

#include <algorithm>
#include <unordered_map>

#include "iu/yamledit/error.hpp"
#include "text.hpp"

namespace iu::yamledit::detail {
namespace {

// libyaml marks count characters (a CRLF counts two) and leave out a leading byte order mark;
// edits need bytes. Maps a mark index to the byte offset of that character.
class CharOffsets {
 public:
  CharOffsets(std::string_view text, std::size_t bom) : bom_(bom), size_(text.size()) {
    bool ascii = std::all_of(text.begin() + static_cast<std::ptrdiff_t>(bom), text.end(),
                             [](char c) { return (static_cast<unsigned char>(c) & 0x80) == 0; });
    if (ascii) return;
    starts_.reserve(text.size() - bom);
    for (std::size_t i = bom; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts_.push_back(i);
    }
    mapped_ = true;
  }

  std::size_t byte(std::size_t index) const {
    if (!mapped_) return std::min(bom_ + index, size_);
    return index < starts_.size() ? starts_[index] : size_;
  }

 private:
  std::size_t bom_;
  std::size_t size_;
  bool mapped_ = false;
  std::vector<std::size_t> starts_;
};

class Parser {
 public:
  explicit Parser(std::string_view text) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~Parser() { yaml_parser_delete(&parser_); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  yaml_parser_t* get() { return &parser_; }

 private:
  yaml_parser_t parser_;
};

struct Event {
  yaml_event_t e{};
  ~Event() { yaml_event_delete(&e); }
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_flow_indicator(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

// Skips the anchor (`&a`), tag (`!t`, `!!str`, `!<uri>`), blanks, line breaks and comments that
// precede a node's token. Never goes past `limit`.
std::size_t skip_properties(std::string_view text, std::size_t pos, std::size_t limit) {
  while (pos < limit) {
    char c = text[pos];
    if (is_space(c)) {
      ++pos;
    } else if (c == '#') {
      std::size_t nl = text.find('\n', pos);
      pos = nl == kNoPos ? limit : nl;
    } else if (c == '!' && pos + 1 < limit && text[pos + 1] == '<') {
      std::size_t close = text.find('>', pos);
      pos = close == kNoPos ? limit : close + 1;
    } else if (c == '&' || c == '!') {
      ++pos;
      while (pos < limit && !is_space(text[pos]) && !is_flow_indicator(text[pos])) ++pos;
    } else {
      break;
    }
  }
  return std::min(pos, limit);
}

std::string str(const yaml_char_t* s) {
  return s == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(s));
}

ScalarStyle scalar_style(yaml_scalar_style_t s) {
  switch (s) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
      return ScalarStyle::kSingleQuoted;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
      return ScalarStyle::kDoubleQuoted;
    case YAML_LITERAL_SCALAR_STYLE:
      return ScalarStyle::kLiteral;
    case YAML_FOLDED_SCALAR_STYLE:
      return ScalarStyle::kFolded;
    default:
      return ScalarStyle::kPlain;
  }
}

EditError parse_error(yaml_parser_t* p, std::string_view text, std::size_t bom) {
  std::string problem = p->problem != nullptr ? p->problem : "invalid YAML";
  if (p->error == YAML_READER_ERROR) {
    Location loc = locate(text, p->problem_offset, bom);
    return EditError(loc.line, loc.column, "invalid UTF-8 text: " + problem);
  }
  if (p->context != nullptr) {
    problem += std::string(" ") + p->context + " started at " +
               std::to_string(p->context_mark.line + 1) + ":" +
               std::to_string(p->context_mark.column + 1);
  }
  return EditError(static_cast<int>(p->problem_mark.line) + 1,
                   static_cast<int>(p->problem_mark.column) + 1, problem);
}

// Builds the nodes of the first document from its events; later documents are only checked.
class Builder {
 public:
  Builder(std::string_view text, Tree& tree) : text_(text), tree_(tree), at_(text, tree.bom) {}

  void document_start() {
    ++documents_;
    anchors_.clear();
  }

  // Adds the node of a scalar, alias or collection-start event. Nodes of later documents are
  // not kept; their anchors are still tracked so that undefined aliases are errors everywhere.
  void node(const yaml_event_t& e) {
    std::string anchor;
    Node n;
    n.begin = at_.byte(e.start_mark.index);
    n.end = at_.byte(e.end_mark.index);
    switch (e.type) {
      case YAML_ALIAS_EVENT: {
        n.kind = NodeKind::kAlias;
        n.value = str(e.data.alias.anchor);
        auto it = anchors_.find(n.value);
        if (it == anchors_.end()) {
          Location loc = locate(text_, n.begin, tree_.bom);
          throw EditError(loc.line, loc.column, "undefined alias *" + n.value);
        }
        n.alias_target = it->second;
        n.token_begin = n.begin;
        break;
      }
      case YAML_SCALAR_EVENT:
        n.style = scalar_style(e.data.scalar.style);
        n.value.assign(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
        n.tag = str(e.data.scalar.tag);
        anchor = str(e.data.scalar.anchor);
        n.has_properties = !anchor.empty() || e.data.scalar.tag != nullptr;
        n.token_begin = n.has_properties ? skip_properties(text_, n.begin, n.end) : n.begin;
        break;
      case YAML_MAPPING_START_EVENT:
        n.kind = NodeKind::kMapping;
        n.flow = e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
        n.tag = str(e.data.mapping_start.tag);
        anchor = str(e.data.mapping_start.anchor);
        n.has_properties = !anchor.empty() || e.data.mapping_start.tag != nullptr;
        // Block mappings: the start event ends at the first key (or its `?`).
        n.token_begin = n.flow ? skip_properties(text_, n.begin, text_.size()) : n.end;
        break;
      default:  // YAML_SEQUENCE_START_EVENT
        n.kind = NodeKind::kSequence;
        n.flow = e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
        n.tag = str(e.data.sequence_start.tag);
        anchor = str(e.data.sequence_start.anchor);
        n.has_properties = !anchor.empty() || e.data.sequence_start.tag != nullptr;
        // Block sequences: the start event ends just past the first '-'.
        n.token_begin = n.flow ? skip_properties(text_, n.begin, text_.size())
                               : (n.end > 0 && text_[n.end - 1] == '-'
                                      ? n.end - 1
                                      : std::min(text_.find('-', n.begin), text_.size()));
        break;
    }
    if (documents_ != 1) {
      if (!anchor.empty()) anchors_[anchor] = kNoNode;
      return;
    }
    auto id = static_cast<std::uint32_t>(tree_.nodes.size());
    if (!open_.empty()) {
      Node& parent = tree_.nodes[open_.back()];
      n.parent = open_.back();
      n.in_flow = parent.flow || parent.in_flow;
      parent.children.push_back(id);
    } else {
      tree_.root = id;
    }
    bool collection = n.kind == NodeKind::kMapping || n.kind == NodeKind::kSequence;
    tree_.nodes.push_back(std::move(n));
    if (!anchor.empty()) anchors_[anchor] = id;
    if (collection) open_.push_back(id);
  }

  void collection_end(const yaml_event_t& e) {
    if (documents_ != 1) return;
    Node& n = tree_.nodes[open_.back()];
    open_.pop_back();
    if (n.flow) {
      n.end = at_.byte(e.end_mark.index);
      return;
    }
    n.end = n.token_begin;
    for (std::uint32_t c : n.children) n.end = std::max(n.end, tree_.nodes[c].end);
  }

 private:
  std::string_view text_;
  Tree& tree_;
  CharOffsets at_;
  int documents_ = 0;
  std::vector<std::uint32_t> open_;
  std::unordered_map<std::string, std::uint32_t> anchors_;
};

}  // namespace

bool is_null(const Node& node) {
  if (node.kind != NodeKind::kScalar || node.style != ScalarStyle::kPlain || !node.tag.empty()) {
    return false;
  }
  const std::string& v = node.value;
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

namespace {

// The byte order mark's length (3 or 0); UTF-16/32 texts are refused.
std::size_t check_encoding(std::string_view text) {
  auto starts = [&](std::string_view p) { return text.substr(0, p.size()) == p; };
  if (starts("\xFE\xFF") || starts("\xFF\xFE")) {
    throw EditError(1, 1, "the file is UTF-16 or UTF-32; only UTF-8 is supported");
  }
  return starts("\xEF\xBB\xBF") ? 3 : 0;
}

}  // namespace

std::vector<std::size_t> document_starts(std::string_view text) {
  const std::size_t bom = check_encoding(text);
  const CharOffsets at(text, bom);
  std::vector<std::size_t> starts;
  Parser parser(text);
  for (;;) {
    Event ev;
    if (yaml_parser_parse(parser.get(), &ev.e) == 0) throw parse_error(parser.get(), text, bom);
    if (ev.e.type == YAML_STREAM_END_EVENT) return starts;
    if (ev.e.type == YAML_DOCUMENT_START_EVENT) starts.push_back(at.byte(ev.e.start_mark.index));
  }
}

Tree parse_tree(std::string_view text) {
  Tree tree;
  tree.bom = check_encoding(text);
  tree.eol = detect_eol(text);
  Builder builder(text, tree);
  Parser parser(text);
  for (;;) {
    Event ev;
    if (yaml_parser_parse(parser.get(), &ev.e) == 0)
      throw parse_error(parser.get(), text, tree.bom);
    switch (ev.e.type) {
      case YAML_STREAM_END_EVENT:
        return tree;
      case YAML_DOCUMENT_START_EVENT:
        builder.document_start();
        break;
      case YAML_ALIAS_EVENT:
      case YAML_SCALAR_EVENT:
      case YAML_MAPPING_START_EVENT:
      case YAML_SEQUENCE_START_EVENT:
        builder.node(ev.e);
        break;
      case YAML_MAPPING_END_EVENT:
      case YAML_SEQUENCE_END_EVENT:
        builder.collection_end(ev.e);
        break;
      default:
        break;
    }
  }
}

}  // namespace iu::yamledit::detail
