// Byte-preserving, path-based edits of the FIRST document of a YAML text (SPEC.md §9.6).
//
// A Document holds the exact bytes of a file and a parse of them. Edits change only the bytes of
// the scalar tokens they replace, plus whole lines inserted for new keys and list entries (and,
// for the one permitted removal, the lines of a removed key). Everything else stays byte for
// byte: comments, key order, indentation, quoting of other scalars, blank lines, document
// markers, trailing whitespace, the presence of a final newline, CRLF line endings (inserted
// lines use the file's ending) and a UTF-8 byte order mark. Later documents of a multi-document
// file are parsed (a file that does not parse is never edited) but never changed.
//
// Every edit is atomic: it either completes, is re-parsed and verified to read back the intended
// value, or throws EditError and leaves the Document as it was.
//
// Scalar styles. A replaced scalar keeps its style (plain, 'single' or "double" quoted), its
// anchor and its tag. A plain scalar is written double-quoted when the new value would not
// read back as that exact string under YAML 1.1 or 1.2 (null, bool, number or timestamp forms
// such as `1.10`, `yes`, `0x1f`, `~`; a leading indicator; `: ` or ` #`; surrounding spaces;
// empty; `,[]{}` inside flow collections); a single-quoted one is written double-quoted when the
// value holds line breaks or control characters. New scalars are plain unless that rule
// requires double quotes.
//
// Layout of insertions. A new key goes directly after the last line of its mapping's last entry,
// at the indentation of its siblings; under a null parent (`key:`, `key: ~`) at the parent key's
// column + 2, replacing the null token. In a flow mapping it goes before the closing `}`. A new
// list entry copies the dash column and the gap after the dash of its siblings. A new sequence
// is indented under its key like the document's other block sequences (not indented when there
// are none). Nested mappings created on the way use 2 more spaces than their parent.
//
// Errors (EditError, document unchanged): the target or a node on the path is an alias (`*x`);
// the target is a block scalar (`|`, `>`); a mapping on the path holds the key twice; a
// non-mapping where a mapping is needed (or non-sequence where a list is needed); an index past
// the end of a list (indices are never created); a file that is not valid UTF-8 YAML.
//
// Not thread-safe for concurrent mutation; a const Document may be read from several threads.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iu/yamledit/error.hpp"
#include "iu/yamledit/path.hpp"

namespace iu::yamledit {

namespace detail {
struct Tree;
struct Access;
}  // namespace detail

// What a path leads to. kNull is a plain null scalar (empty, `~`, `null`) without a tag: a
// parent that may receive new keys or list entries.
enum class NodeType { kNull, kScalar, kMapping, kSequence };

// A scalar to write: a string (quoted when the rules above require it) or a literal token written
// plain as given, for booleans and numbers such as `true` (the token must be a valid plain
// scalar; it replaces the old token whatever its style).
class Value {
 public:
  Value(std::string_view text) : text_(text) {}    // NOLINT: strings convert implicitly
  Value(const char* text) : text_(text) {}         // NOLINT
  Value(const std::string& text) : text_(text) {}  // NOLINT
  static Value literal(std::string_view token) {
    Value v(token);
    v.literal_ = true;
    return v;
  }
  const std::string& text() const noexcept { return text_; }
  bool is_literal() const noexcept { return literal_; }

 private:
  std::string text_;
  bool literal_ = false;
};

// One `key: value` of a list entry that is a mapping.
struct Field {
  std::string key;
  Value value;
};

// What to do when a path does not exist yet.
enum class Missing {
  kError,   // throw EditError naming the missing key
  kCreate,  // create the missing keys as nested mappings (list indices are never created)
};

class Document {
 public:
  // Parses `text`, which is copied. Throws EditError for text that is not YAML (every document
  // of the stream must parse), that is not UTF-8, or that uses an undefined alias.
  static Document parse(std::string_view text);

  // The current bytes.
  const std::string& text() const noexcept { return text_; }

  // True when the first document has no content: an empty or comment-only file, or a document
  // whose root is null. Callers use it to decide that a file is "new".
  bool empty() const;

  // The type of the node at `path` (aliases are followed), or nullopt when a key on the path is
  // missing. Throws EditError when the path cannot exist (a scalar where a mapping is needed,
  // duplicate keys, an index out of range).
  std::optional<NodeType> type_at(const Path& path) const;

  // The value of the scalar at `path` (aliases are followed; a null reads as its text, e.g. ""
  // or "~"), or nullopt when a key on the path is missing. Throws EditError as type_at(), and
  // when the node is a mapping or a sequence.
  std::optional<std::string> get_scalar(const Path& path) const;

  // Number of entries of the list at `path` (aliases are followed): 0 when it is missing or null.
  // Throws EditError as type_at(), and when the node is not a sequence.
  std::size_t list_size(const Path& path) const;

  // Sets the scalar at `path` to `value`. An existing scalar token is replaced in its style; a
  // missing key is inserted (with its missing parent mappings when `missing` is kCreate), a null
  // parent becomes a mapping. Returns false, leaving the bytes identical, when the node already
  // reads back as `value` (a string value equal to a plain token that would read back as a
  // different type, such as `1.10`, is re-quoted: that is a change).
  bool set_scalar(const Path& path, const Value& value, Missing missing = Missing::kError);

  // Upserts entries of the list at `list` that are mappings. Each entry whose key `match_key`
  // holds the scalar `match_value` gets every field of `fields` set (existing keys replaced in
  // their style, missing keys appended to the entry); when no entry matches, a new entry with
  // `fields` (in that order) is appended. A missing list is created (with missing parents when
  // `missing` is kCreate); a null value becomes the list. Returns whether the bytes changed.
  bool upsert_entry(const Path& list, std::string_view match_key, std::string_view match_value,
                    const std::vector<Field>& fields, Missing missing = Missing::kError);

  // Upserts scalar entries of the list at `list`: every entry for which `matches(value)` holds is
  // replaced by `value` (in its style); when none matches, `value` is appended. Missing and null
  // lists as upsert_entry(). Returns whether the bytes changed.
  bool upsert_scalar_entry(const Path& list, const std::function<bool(std::string_view)>& matches,
                           const Value& value, Missing missing = Missing::kError);

  // Removes the key at `path` (a key of a mapping) together with its value and the rest of the
  // lines they occupy. Only for single-line entries such as a stale kustomize `digest:` (§9.5, the
  // one permitted removal); refuses to empty a mapping. Returns false when the key is absent.
  bool remove_key(const Path& path);

 private:
  Document(std::string text, std::shared_ptr<const detail::Tree> tree);
  friend struct detail::Access;

  std::string text_;
  std::shared_ptr<const detail::Tree> tree_;
};

}  // namespace iu::yamledit
