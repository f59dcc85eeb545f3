#include "iu/yamledit/helm_values.hpp"

#include <vector>

#include "text.hpp"

namespace iu::yamledit {
namespace {

// One dot-separated part of a Helm key: a mapping key and the list indices after it.
struct HelmSegment {
  std::string name;
  std::vector<std::size_t> indices;
};

[[noreturn]] void fail_key(std::string_view key, const std::string& problem) {
  throw EditError("invalid Helm key \"" + std::string(key) + "\": " + problem);
}

std::vector<HelmSegment> parse_helm_key(std::string_view key) {
  std::vector<HelmSegment> out;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = key.find('.', start);
    std::string_view part = key.substr(start, dot == std::string_view::npos ? dot : dot - start);
    HelmSegment seg;
    std::size_t bracket = part.find('[');
    seg.name = std::string(part.substr(0, bracket));
    if (seg.name.empty()) fail_key(key, "empty key segment");
    while (bracket != std::string_view::npos && bracket < part.size()) {
      std::size_t close = part.find(']', bracket);
      std::string_view digits = close == std::string_view::npos
                                    ? std::string_view()
                                    : part.substr(bracket + 1, close - bracket - 1);
      if (part[bracket] != '[' || digits.empty() || digits.size() > 9 ||
          digits.find_first_not_of("0123456789") != std::string_view::npos) {
        fail_key(key, "list index must be [<digits>] after \"" + seg.name + "\"");
      }
      seg.indices.push_back(std::stoul(std::string(digits)));
      bracket = close + 1;
    }
    out.push_back(std::move(seg));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

std::string join_names(const std::vector<HelmSegment>& segs, std::size_t from, std::size_t n) {
  std::string out = segs[from].name;
  for (std::size_t i = from + 1; i < from + n; ++i) out += "." + segs[i].name;
  return out;
}

}  // namespace

Path resolve_helm_key(const Document& doc, std::string_view key) {
  std::vector<HelmSegment> segs = parse_helm_key(key);
  Path path;
  bool exists = true;
  for (std::size_t i = 0; i < segs.size();) {
    // A run of segments may be joined into one literal key only up to the first one that
    // carries list indices (which then ends the run).
    std::size_t longest = 1;
    while (i + longest - 1 < segs.size() - 1 && segs[i + longest - 1].indices.empty()) ++longest;
    std::size_t take = 1;
    if (exists) {
      for (std::size_t k = longest; k > 1; --k) {
        if (doc.type_at(path.key(join_names(segs, i, k)))) {
          take = k;
          break;
        }
      }
    }
    path = path.key(join_names(segs, i, take));
    if (exists && !doc.type_at(path)) exists = false;
    for (std::size_t index : segs[i + take - 1].indices) path = path.index(index);
    i += take;
  }
  return path;
}

std::optional<std::string> get_helm_value(const Document& doc, std::string_view key) {
  return doc.get_scalar(resolve_helm_key(doc, key));
}

bool set_helm_value(Document& doc, std::string_view key, std::string_view value) {
  Document work = doc;
  bool created = false;
  if (detail::only_whitespace(work.text())) {
    work = Document::parse(std::string(kHelmValuesHeader) + "\n");
    created = true;
  }
  bool changed = work.set_scalar(resolve_helm_key(work, key), Value(value), Missing::kCreate);
  if (!changed && !created) return false;
  doc = std::move(work);
  return true;
}

}  // namespace iu::yamledit
