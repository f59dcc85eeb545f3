#include "iu/yamledit/stream.hpp"

#include "text.hpp"
#include "tree.hpp"

namespace iu::yamledit {

std::vector<DocumentSpan> split_documents(std::string_view text) {
  const std::size_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  std::vector<DocumentSpan> spans;
  for (std::size_t start : detail::document_starts(text)) {
    std::size_t begin = spans.empty() ? 0 : detail::line_start(text, start, bom);
    if (!spans.empty()) spans.back().end = begin;
    spans.push_back(DocumentSpan{begin, text.size()});
  }
  return spans;
}

}  // namespace iu::yamledit
