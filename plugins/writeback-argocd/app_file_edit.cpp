#include "app_file_edit.hpp"

#include <algorithm>
#include <optional>

#include "iu/yamledit/document.hpp"
#include "iu/yamledit/override_file.hpp"
#include "iu/yamledit/stream.hpp"

namespace iu::argocdwb {
namespace {

namespace ye = iu::yamledit;

// A scalar at `path`, or "" when it is missing or not a scalar.
std::string scalar_or_empty(const ye::Document& doc, const ye::Path& path) {
  try {
    return doc.get_scalar(path).value_or("");
  } catch (const ye::EditError&) {
    return {};
  }
}

bool is_the_application(const ye::Document& doc, const AppDocument& who) {
  if (scalar_or_empty(doc, {"kind"}) != "Application") return false;
  if (scalar_or_empty(doc, {"apiVersion"}).rfind("argoproj.io/", 0) != 0) return false;
  if (scalar_or_empty(doc, {"metadata", "name"}) != who.name) return false;
  std::string ns = scalar_or_empty(doc, {"metadata", "namespace"});
  if (ns.empty()) ns = who.default_namespace;
  return ns == who.ns;
}

// Rethrows a yaml-edit error of the span starting at `first_line` (1-based) with the file name
// and the position in the file.
[[noreturn]] void fail(const ye::EditError& e, const AppDocument& who, int first_line) {
  if (e.line() == 0) throw EditError(who.file + ": " + e.problem());
  throw EditError(who.file + ":" + std::to_string(first_line + e.line() - 1) + ":" +
                  std::to_string(e.column()) + ": " + e.problem());
}

// Sets one entry; true when the bytes changed.
bool set_entry(ye::Document& doc, const ye::Path& list, const EntryEdit& x) {
  if (x.kind == EntryEdit::Kind::kKustomizeImage) {
    return doc.upsert_scalar_entry(
        list, [&](std::string_view existing) { return ye::kustomize_image_key(existing) == x.key; },
        ye::Value(x.value), ye::Missing::kCreate);
  }
  std::vector<ye::Field> fields{{"name", ye::Value(x.key)}, {"value", ye::Value(x.value)}};
  if (x.force_string) fields.push_back({"forceString", ye::Value::literal("true")});
  return doc.upsert_entry(list, "name", x.key, fields, ye::Missing::kCreate);
}

}  // namespace

EditOutcome apply_edits_in_file(const std::string& text, const AppDocument& who,
                                const std::string& source_field, const std::string& source_type,
                                const std::vector<ImageEdit>& edits) {
  long index = -1;
  try {
    index = source_index(source_field);
  } catch (const EditError& e) {
    throw EditError(who.file + ": " + e.what());
  }
  const std::string where = source_field.empty() ? "spec.source" : source_field;
  std::vector<ye::DocumentSpan> spans;
  try {
    spans = ye::split_documents(text);
  } catch (const ye::EditError& e) {
    fail(e, who, 1);
  }
  for (const ye::DocumentSpan& span : spans) {
    const std::string_view piece = std::string_view(text).substr(span.begin, span.end - span.begin);
    const int first_line =
        1 + static_cast<int>(
                std::count(text.begin(), text.begin() + static_cast<long>(span.begin), '\n'));
    std::optional<ye::Document> doc;
    try {
      doc = ye::Document::parse(piece);
    } catch (const ye::EditError& e) {
      fail(e, who, first_line);
    }
    if (!is_the_application(*doc, who)) continue;

    const ye::Path source = index < 0 ? ye::Path{"spec", "source"}
                                      : ye::Path{"spec", "sources", static_cast<size_t>(index)};
    EditOutcome out;
    try {
      if (doc->type_at(source) != ye::NodeType::kMapping)
        throw EditError(who.file + ": " + where + ": missing");
      for (const ImageEdit& e : edits) {
        std::vector<EntryEdit> entries;
        try {
          entries = entries_for(source_type, e);
        } catch (const EditError& bad) {
          throw EditError(who.file + ": " + bad.what());
        }
        bool changed = false;
        for (const EntryEdit& x : entries)
          changed = set_entry(*doc, source.key(x.block).key(x.list), x) || changed;
        if (changed) ++out.changed;
      }
    } catch (const ye::EditError& e) {
      fail(e, who, first_line);
    }
    if (out.changed == 0) {
      out.object = text;
      return out;
    }
    out.object = text.substr(0, span.begin) + doc->text() + text.substr(span.end);
    return out;
  }
  throw DocumentNotFound(who.file + ": no Application " + who.ns + "/" + who.name +
                         " in the file any more");
}

}  // namespace iu::argocdwb
