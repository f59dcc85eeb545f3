#include "new_node.hpp"

#include <algorithm>

#include "iu/yamledit/error.hpp"
#include "resolve.hpp"

namespace iu::yamledit::detail {

NewNode NewNode::of(const Value& v) {
  NewNode n;
  n.scalar = v;
  return n;
}

NewNode NewNode::mapping(std::vector<std::pair<std::string, NewNode>> entries) {
  NewNode n;
  n.kind = Kind::kMapping;
  n.entries = std::move(entries);
  return n;
}

NewNode NewNode::sequence(std::vector<NewNode> items) {
  NewNode n;
  n.kind = Kind::kSequence;
  n.items = std::move(items);
  return n;
}

NewNode NewNode::fields(const std::vector<Field>& fields) {
  std::vector<std::pair<std::string, NewNode>> entries;
  for (const Field& f : fields) entries.emplace_back(f.key, of(f.value));
  return mapping(std::move(entries));
}

NewNode nest(const Path& path, std::size_t from, NewNode leaf) {
  for (std::size_t i = path.size(); i > from; --i) {
    const auto* key = std::get_if<std::string>(&path.segments[i - 1]);
    if (key == nullptr) {
      throw EditError(describe(path.prefix(i - 1)) + " does not exist; list index " +
                      std::to_string(std::get<std::size_t>(path.segments[i - 1])) +
                      " cannot be created");
    }
    leaf = NewNode::mapping({{*key, std::move(leaf)}});
  }
  return leaf;
}

std::string scalar_token(const Value& value, Context ctx) {
  if (value.is_literal()) return value.text();
  return render_string(value.text(), ScalarStyle::kPlain, ctx);
}

namespace {

std::string key_token(const std::string& key, Context ctx) {
  return render_string(key, ScalarStyle::kPlain, ctx);
}

bool is_empty_collection(const NewNode& n) {
  return (n.kind == NewNode::Kind::kMapping && n.entries.empty()) ||
         (n.kind == NewNode::Kind::kSequence && n.items.empty());
}

}  // namespace

std::string block_children(const NewNode& value, std::size_t key_indent,
                           const BlockLayout& layout) {
  std::string out;
  if (value.kind == NewNode::Kind::kMapping) {
    for (const auto& [k, v] : value.entries) out += block_entry(k, v, key_indent + 2, layout);
  } else {
    for (const NewNode& item : value.items) {
      out += block_item(item, key_indent + layout.sequence_indent, 2, layout);
    }
  }
  return out;
}

std::string block_entry(const std::string& key, const NewNode& value, std::size_t indent,
                        const BlockLayout& layout) {
  std::string out(indent, ' ');
  out += key_token(key, Context::kBlock) + ":";
  if (value.kind == NewNode::Kind::kScalar || is_empty_collection(value)) {
    std::string token = value.kind == NewNode::Kind::kScalar
                            ? scalar_token(value.scalar, Context::kBlock)
                            : flow(value);
    return out + " " + token + layout.eol;
  }
  return out + layout.eol + block_children(value, indent, layout);
}

std::string block_item(const NewNode& item, std::size_t dash, std::size_t gap,
                       const BlockLayout& layout) {
  gap = std::max<std::size_t>(gap, 2);  // a '-' is always followed by a blank
  std::string prefix = std::string(dash, ' ') + "-" + std::string(gap - 1, ' ');
  if (item.kind != NewNode::Kind::kMapping || item.entries.empty()) {
    std::string token = item.kind == NewNode::Kind::kScalar
                            ? scalar_token(item.scalar, Context::kBlock)
                            : flow(item);
    return prefix + token + layout.eol;
  }
  std::size_t content = dash + gap;
  std::string out;
  for (const auto& [k, v] : item.entries) {
    std::string lines = block_entry(k, v, content, layout);
    // The first entry shares its line with the dash.
    out += out.empty() ? prefix + lines.substr(content) : lines;
  }
  return out;
}

std::string flow(const NewNode& node) {
  std::string out;
  if (node.kind == NewNode::Kind::kScalar) return scalar_token(node.scalar, Context::kFlow);
  if (node.kind == NewNode::Kind::kMapping) {
    for (const auto& [k, v] : node.entries) {
      out += (out.empty() ? "" : ", ") + key_token(k, Context::kFlow) + ": " + flow(v);
    }
    return "{" + out + "}";
  }
  for (const NewNode& item : node.items) out += (out.empty() ? "" : ", ") + flow(item);
  return "[" + out + "]";
}

}  // namespace iu::yamledit::detail
