// Multi-document files. A Document edits only the first document of its text; to edit another
// document of a file (an Application in a file of several manifests, SPEC.md §4.3), cut the file
// at its document spans, edit one span as a text of its own and put the pieces back together.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace iu::yamledit {

// The bytes [begin, end) of a file that belong to one document.
struct DocumentSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Cuts `text` into one span per document of the stream, in stream order. The spans are
// contiguous and cover the whole text: the first begins at 0 (a byte order mark and comments
// before the first document included), each next one at the start of the line where its
// document begins (its first directive or its `---` marker), and the last ends at the end of
// the text. A comment or `...` line between
// two documents therefore belongs to the span of the earlier one. Parsed on its own, span i has
// document i of the stream as its first document, and edits of that span change nothing of the
// other documents. Throws EditError ("line:col: problem", stream positions) when the text is not
// YAML. A stream without documents (empty, or only comments) gives no spans.
std::vector<DocumentSpan> split_documents(std::string_view text);

}  // namespace iu::yamledit
