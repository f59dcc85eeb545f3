// The `argocd` write-back of the `dir` source (SPEC §4.3): the edits of app_edit.hpp made on the
// Application document inside its manifest file, with the byte-preserving editor (§9.6).
//
// The file may hold several documents; only the Application's own document is edited (found by
// kind, metadata.name and metadata.namespace, a missing namespace meaning the Argo CD
// namespace) and every other byte of the file stays as it was.
#pragma once

#include <string>
#include <vector>

#include "app_edit.hpp"

namespace iu::argocdwb {

struct AppDocument {
  std::string file;  // for messages: "<file>:<line>:<col>: ..."
  std::string ns, name;
  std::string default_namespace;  // for a document without metadata.namespace
};

// Applies `edits` to the source `source_field` (as app_edit.hpp) of the Application `who` in
// `file_text`. Returns the new text (equal to the input when nothing changed) and the number of
// image edits that changed something. Throws EditError naming the file, and the line and column
// within it when the editor points at one; the text is then unchanged. Throws DocumentNotFound
// when the file holds no such Application.
class DocumentNotFound : public EditError {
 public:
  using EditError::EditError;
};
EditOutcome apply_edits_in_file(const std::string& file_text, const AppDocument& who,
                                const std::string& source_field, const std::string& source_type,
                                const std::vector<ImageEdit>& edits);

}  // namespace iu::argocdwb
