#include "text.hpp"

#include <algorithm>

namespace iu::yamledit::detail {

std::size_t line_start(std::string_view text, std::size_t pos, std::size_t bom) {
  std::size_t nl = pos == 0 ? kNoPos : text.rfind('\n', pos - 1);
  std::size_t start = nl == kNoPos ? 0 : nl + 1;
  return std::max(start, std::min(bom, pos));
}

std::size_t next_line_start(std::string_view text, std::size_t pos) {
  if (pos > 0 && text[pos - 1] == '\n') return pos;
  std::size_t nl = text.find('\n', pos);
  return nl == kNoPos ? kNoPos : nl + 1;
}

std::size_t byte_column(std::string_view text, std::size_t pos, std::size_t bom) {
  return pos - line_start(text, pos, bom);
}

std::string detect_eol(std::string_view text) {
  std::size_t nl = text.find('\n');
  if (nl != kNoPos && nl > 0 && text[nl - 1] == '\r') return "\r\n";
  return "\n";
}

Location locate(std::string_view text, std::size_t pos, std::size_t bom) {
  pos = std::min(pos, text.size());
  Location loc;
  loc.line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
  std::size_t start = line_start(text, pos, bom);
  loc.column = 1;
  for (std::size_t i = start; i < pos; ++i) {
    // Count characters: every byte that does not continue a UTF-8 sequence.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++loc.column;
  }
  return loc;
}

bool only_whitespace(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string apply_splices(std::string_view text, std::vector<Splice> splices) {
  std::sort(splices.begin(), splices.end(),
            [](const Splice& a, const Splice& b) { return a.at < b.at; });
  std::string out;
  out.reserve(text.size() + 256);
  std::size_t copied = 0;
  for (const Splice& s : splices) {
    out.append(text.substr(copied, s.at - copied));
    out.append(s.insert);
    copied = s.at + s.erase;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace iu::yamledit::detail
