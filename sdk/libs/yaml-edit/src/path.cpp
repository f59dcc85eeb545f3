#include "iu/yamledit/path.hpp"

namespace iu::yamledit {

Path Path::key(std::string k) const {
  Path p = *this;
  p.segments.emplace_back(std::move(k));
  return p;
}

Path Path::index(std::size_t i) const {
  Path p = *this;
  p.segments.emplace_back(i);
  return p;
}

Path Path::prefix(std::size_t n) const {
  Path p;
  p.segments.assign(
      segments.begin(),
      segments.begin() + static_cast<std::ptrdiff_t>(n < segments.size() ? n : segments.size()));
  return p;
}

std::string Path::to_string() const {
  std::string out;
  for (const PathSegment& s : segments) {
    if (const auto* k = std::get_if<std::string>(&s)) {
      if (!out.empty()) out += '.';
      out += *k;
    } else {
      out += '[' + std::to_string(std::get<std::size_t>(s)) + ']';
    }
  }
  return out;
}

}  // namespace iu::yamledit
