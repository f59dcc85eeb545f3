// Internal access to a Document: its parse, and the commit step shared by all edits.
#pragma once

#include <functional>
#include <vector>

#include "iu/yamledit/document.hpp"
#include "new_node.hpp"
#include "resolve.hpp"
#include "text.hpp"
#include "verify.hpp"

namespace iu::yamledit::detail {

struct Access {
  static Source source(const Document& doc) { return Source{*doc.tree_, doc.text_}; }

  // Applies `splices` to `doc` and re-parses the result; replaces `doc` only when the text
  // parses, nothing but `change` differs from before (only_changed) and `check` confirms the
  // edit site. Otherwise throws EditError naming `path` and leaves `doc` as it was.
  static void apply(Document& doc, const std::vector<Splice>& splices, const Path& path,
                    const Change& change, const std::function<bool(const Document&)>& check);
};

// True when the existing value `n` reads back as the value `v` would be written.
bool reads_back(const Node& n, const Value& v);

// True when `n` (aliases not followed) holds exactly the content of `item`.
bool matches_new(const Tree& t, const Node& n, const NewNode& item);

// The Change made by insert_key() after walk `w` stopped on the way to `path`: one more pair in
// an existing mapping, or a null (or nothing) replaced by a new mapping.
Change insertion_change(const Source& src, const Walk& w, const Path& path);

// Throws EditError: the key of `path` after the walk's last node is missing.
[[noreturn]] void fail_missing(const Source& src, const Walk& w, const Path& path);

}  // namespace iu::yamledit::detail
