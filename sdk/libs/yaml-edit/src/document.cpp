#include "iu/yamledit/document.hpp"

#include "access.hpp"
#include "edit_ops.hpp"
#include "scalar_format.hpp"
#include "tree.hpp"

namespace iu::yamledit {
namespace detail {

void Access::apply(Document& doc, const std::vector<Splice>& splices, const Path& path,
                   const Change& change, const std::function<bool(const Document&)>& check) {
  std::string text = apply_splices(doc.text_, splices);
  std::shared_ptr<const Tree> tree;
  try {
    tree = std::make_shared<const Tree>(parse_tree(text));
  } catch (const EditError& e) {
    throw EditError("editing " + describe(path) + " would produce invalid YAML (" + e.problem() +
                    "); the file is left unchanged");
  }
  Document next(std::move(text), std::move(tree));
  if (!only_changed(source(doc), source(next), change)) {
    throw EditError("editing " + describe(path) +
                    " would change other content of the document; the file is left unchanged");
  }
  bool landed = false;
  try {
    landed = check(next);
  } catch (const EditError&) {
    landed = false;
  }
  if (!landed) {
    throw EditError("editing " + describe(path) +
                    " did not read back as intended; the file is left unchanged");
  }
  doc = std::move(next);
}

bool reads_back(const Node& n, const Value& v) {
  if (n.kind != NodeKind::kScalar) return false;
  if (v.is_literal()) return n.style == ScalarStyle::kPlain && n.value == v.text();
  return reads_back_as_string(n, v.text());
}

bool matches_new(const Tree& t, const Node& n, const NewNode& item) {
  switch (item.kind) {
    case NewNode::Kind::kScalar:
      return reads_back(n, item.scalar);
    case NewNode::Kind::kMapping:
      if (n.kind != NodeKind::kMapping || t.pairs(n) != item.entries.size()) return false;
      for (std::size_t i = 0; i < item.entries.size(); ++i) {
        if (t.key(n, i).value != item.entries[i].first ||
            !matches_new(t, t.value(n, i), item.entries[i].second)) {
          return false;
        }
      }
      return true;
    default:
      if (n.kind != NodeKind::kSequence || n.children.size() != item.items.size()) return false;
      for (std::size_t i = 0; i < item.items.size(); ++i) {
        if (!matches_new(t, t.at(n.children[i]), item.items[i])) return false;
      }
      return true;
  }
}

Change insertion_change(const Source& src, const Walk& w, const Path& path) {
  Path parent = path.prefix(w.matched());
  bool mapping = w.last() != kNoNode && src.node(w.last()).kind == NodeKind::kMapping;
  return Change{mapping ? Change::Kind::kAppend : Change::Kind::kReplace, std::move(parent)};
}

void fail_missing(const Source& src, const Walk& w, const Path& path) {
  const Path parent = path.prefix(w.matched());
  std::string problem = describe(path) + " not found: no key \"" +
                        std::get<std::string>(path.segments[w.matched()]) + "\" in " +
                        describe(parent);
  if (w.last() == kNoNode) throw EditError(problem);
  fail_at(src, src.node(w.last()).token_begin, problem);
}

}  // namespace detail

using detail::Access;
using detail::Aliases;
using detail::kNoNode;
using detail::kNoPair;
using detail::Node;
using detail::NodeKind;
using detail::Source;
using detail::Walk;

Document::Document(std::string text, std::shared_ptr<const detail::Tree> tree)
    : text_(std::move(text)), tree_(std::move(tree)) {}

Document Document::parse(std::string_view text) {
  auto tree = std::make_shared<const detail::Tree>(detail::parse_tree(text));
  return Document(std::string(text), std::move(tree));
}

bool Document::empty() const {
  return tree_->root == kNoNode || detail::is_null(tree_->at(tree_->root));
}

std::optional<NodeType> Document::type_at(const Path& path) const {
  Source src = Access::source(*this);
  Walk w = detail::walk(src, path, Aliases::kFollow);
  if (w.matched() != path.size() || w.last() == kNoNode) return std::nullopt;
  const Node& n = src.node(w.last());
  switch (n.kind) {
    case NodeKind::kMapping:
      return NodeType::kMapping;
    case NodeKind::kSequence:
      return NodeType::kSequence;
    default:
      return detail::is_null(n) ? NodeType::kNull : NodeType::kScalar;
  }
}

std::optional<std::string> Document::get_scalar(const Path& path) const {
  Source src = Access::source(*this);
  Walk w = detail::walk(src, path, Aliases::kFollow);
  if (w.matched() != path.size() || w.last() == kNoNode) return std::nullopt;
  const Node& n = src.node(w.last());
  if (n.kind != NodeKind::kScalar) {
    detail::fail_at(src, n.token_begin,
                    "expected a scalar at " + detail::describe(path) + ", found " + kind_name(n));
  }
  return n.value;
}

std::size_t Document::list_size(const Path& path) const {
  Source src = Access::source(*this);
  Walk w = detail::walk(src, path, Aliases::kFollow);
  if (w.matched() != path.size() || w.last() == kNoNode) return 0;
  const Node& n = src.node(w.last());
  if (detail::is_null(n)) return 0;
  if (n.kind != NodeKind::kSequence) {
    detail::fail_at(src, n.token_begin,
                    "expected a sequence at " + detail::describe(path) + ", found " + kind_name(n));
  }
  return n.children.size();
}

bool Document::set_scalar(const Path& path, const Value& value, Missing missing) {
  Source src = Access::source(*this);
  Walk w = detail::walk(src, path, Aliases::kRefuse);
  std::vector<detail::Splice> splices;
  detail::Change change{detail::Change::Kind::kReplace, path};
  if (w.matched() == path.size()) {
    if (w.last() == kNoNode) throw EditError("the document is empty: there is no root to set");
    const Node& n = src.node(w.last());
    if (n.kind != NodeKind::kScalar) {
      detail::fail_at(src, n.token_begin,
                      "expected a scalar at " + detail::describe(path) + ", found " + kind_name(n));
    }
    if (detail::reads_back(n, value)) return false;
    splices = detail::replace_scalar(src, w.last(), value, path);
  } else {
    if (missing == Missing::kError) detail::fail_missing(src, w, path);
    splices = detail::insert_key(src, w, path, detail::NewNode::of(value));
    change = detail::insertion_change(src, w, path);
  }
  Access::apply(*this, splices, path, change, [&](const Document& next) {
    Source s = Access::source(next);
    Walk nw = detail::walk(s, path, Aliases::kRefuse);
    return nw.matched() == path.size() && detail::reads_back(s.node(nw.last()), value);
  });
  return true;
}

bool Document::remove_key(const Path& path) {
  if (path.empty() || !std::holds_alternative<std::string>(path.segments.back())) {
    throw EditError("remove_key needs a path that ends with a key, got " + detail::describe(path));
  }
  Source src = Access::source(*this);
  const Path parent = path.prefix(path.size() - 1);
  Walk w = detail::walk(src, parent, Aliases::kRefuse);
  if (w.matched() != parent.size() || w.last() == kNoNode) return false;
  const Node& m = src.node(w.last());
  if (detail::is_null(m)) return false;
  if (m.kind != NodeKind::kMapping) {
    detail::fail_at(
        src, m.token_begin,
        "expected a mapping at " + detail::describe(parent) + ", found " + kind_name(m));
  }
  std::size_t pair = detail::find_key(src, m, std::get<std::string>(path.segments.back()), parent);
  if (pair == kNoPair) return false;
  Access::apply(*this, detail::remove_pair(src, w.last(), pair, path), path,
                detail::Change{detail::Change::Kind::kRemovePair, parent, pair},
                [&](const Document& next) { return !next.type_at(path).has_value(); });
  return true;
}

}  // namespace iu::yamledit
