// Document::upsert_entry and Document::upsert_scalar_entry: list entries matched by content.
#include "access.hpp"
#include "edit_ops.hpp"
#include "iu/yamledit/document.hpp"

namespace iu::yamledit {
namespace {

using detail::Access;
using detail::Aliases;
using detail::kNoNode;
using detail::NewNode;
using detail::Node;
using detail::NodeKind;
using detail::Source;
using detail::Walk;

using EntryTest = std::function<bool(const Source&, const Node&, const Path&)>;

// Indices of the entries of the list at `list` that pass `test`; empty when the list is missing
// or null. An alias entry whose anchored node would pass is an error: editing it would change
// the anchored node too.
std::vector<std::size_t> matching_entries(const Document& doc, const Path& list,
                                          const EntryTest& test) {
  Source src = Access::source(doc);
  Walk w = detail::walk(src, list, Aliases::kRefuse);
  if (w.matched() != list.size() || w.last() == kNoNode) return {};
  const Node& seq = src.node(w.last());
  if (detail::is_null(seq)) return {};
  if (seq.kind != NodeKind::kSequence) {
    detail::fail_at(
        src, seq.token_begin,
        "expected a sequence at " + detail::describe(list) + ", found " + detail::kind_name(seq));
  }
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < seq.children.size(); ++i) {
    const Node& item = src.node(seq.children[i]);
    const Path at = list.index(i);
    if (item.kind == NodeKind::kAlias) {
      if (test(src, src.node(item.alias_target), at)) {
        detail::fail_at(
            src, item.token_begin,
            detail::describe(at) + " is an alias (*" + item.value + "); cannot edit through it");
      }
      continue;
    }
    if (test(src, item, at)) found.push_back(i);
  }
  return found;
}

// Appends `item` to the list at `list`, creating the list (and, with Missing::kCreate, its
// missing parents) or turning a null into it.
void append_entry(Document& doc, const Path& list, const NewNode& item, Missing missing) {
  Source src = Access::source(doc);
  Walk w = detail::walk(src, list, Aliases::kRefuse);
  std::vector<detail::Splice> splices;
  detail::Change change{detail::Change::Kind::kAppend, list};
  if (w.matched() != list.size() || w.last() == kNoNode) {
    if (list.empty()) throw EditError("the document is empty: there is no root list");
    if (missing == Missing::kError) detail::fail_missing(src, w, list);
    splices = detail::insert_key(src, w, list, NewNode::sequence({item}));
    change = detail::insertion_change(src, w, list);
  } else if (const Node& n = src.node(w.last()); detail::is_null(n)) {
    splices = detail::fill_null(src, w, NewNode::sequence({item}));
    change.kind = detail::Change::Kind::kReplace;
  } else {
    splices = detail::append_item(src, w.last(), item);  // a sequence: matching_entries checked
  }
  Access::apply(doc, splices, list, change, [&](const Document& next) {
    Source s = Access::source(next);
    Walk nw = detail::walk(s, list, Aliases::kRefuse);
    if (nw.matched() != list.size() || nw.last() == kNoNode) return false;
    const Node& seq = s.node(nw.last());
    return seq.kind == NodeKind::kSequence && !seq.children.empty() &&
           detail::matches_new(s.tree, s.node(seq.children.back()), item);
  });
}

}  // namespace

bool Document::upsert_entry(const Path& list, std::string_view match_key,
                            std::string_view match_value, const std::vector<Field>& fields,
                            Missing missing) {
  Document work = *this;  // edited step by step, committed when every step succeeded
  std::vector<std::size_t> matches =
      matching_entries(work, list, [&](const Source& src, const Node& item, const Path& at) {
        if (item.kind != NodeKind::kMapping) return false;
        std::size_t pair = detail::find_key(src, item, match_key, at);
        if (pair == detail::kNoPair) return false;
        const Node& v = src.tree.value(item, pair);
        return v.kind == NodeKind::kScalar && v.value == match_value;
      });
  if (matches.empty()) {
    append_entry(work, list, NewNode::fields(fields), missing);
    *this = std::move(work);
    return true;
  }
  bool changed = false;
  for (std::size_t i : matches) {
    for (const Field& f : fields) {
      changed |= work.set_scalar(list.index(i).key(f.key), f.value, Missing::kCreate);
    }
  }
  if (changed) *this = std::move(work);
  return changed;
}

bool Document::upsert_scalar_entry(const Path& list,
                                   const std::function<bool(std::string_view)>& matches_value,
                                   const Value& value, Missing missing) {
  Document work = *this;
  std::vector<std::size_t> matches =
      matching_entries(work, list, [&](const Source&, const Node& item, const Path&) {
        return item.kind == NodeKind::kScalar && matches_value(item.value);
      });
  if (matches.empty()) {
    append_entry(work, list, NewNode::of(value), missing);
    *this = std::move(work);
    return true;
  }
  bool changed = false;
  for (std::size_t i : matches) changed |= work.set_scalar(list.index(i), value);
  if (changed) *this = std::move(work);
  return changed;
}

}  // namespace iu::yamledit
