#include "iu/dockerv2/link.hpp"

#include "text.hpp"

namespace iu::dockerv2 {
namespace {

bool rel_has_next(std::string_view rel) {
  size_t i = 0;
  while (i < rel.size()) {
    while (i < rel.size() && rel[i] == ' ') ++i;
    size_t start = i;
    while (i < rel.size() && rel[i] != ' ') ++i;
    if (detail::iequals(rel.substr(start, i - start), "next")) return true;
  }
  return false;
}

[[noreturn]] void bad(const std::string& what, size_t at) {
  throw LinkHeaderError("malformed Link header: " + what + " at offset " + std::to_string(at));
}

}  // namespace

std::optional<std::string> next_link(std::string_view v) {
  size_t i = 0;
  auto skip_ows = [&] {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
  };
  while (true) {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) ++i;
    if (i >= v.size()) return std::nullopt;
    if (v[i] != '<') bad("expected '<'", i);
    size_t close = v.find('>', i + 1);
    if (close == std::string_view::npos) bad("unterminated '<'", i);
    std::string_view uri = v.substr(i + 1, close - i - 1);
    i = close + 1;
    std::string rel;
    while (true) {
      skip_ows();
      if (i >= v.size() || v[i] != ';') break;
      ++i;
      skip_ows();
      size_t name_start = i;
      while (i < v.size() && detail::is_tchar(v[i])) ++i;
      std::string_view name = v.substr(name_start, i - name_start);
      if (name.empty()) bad("parameter without a name", name_start);
      skip_ows();
      std::string value;
      if (i < v.size() && v[i] == '=') {
        ++i;
        skip_ows();
        if (i < v.size() && v[i] == '"') {
          size_t open = i++;
          bool closed = false;
          while (i < v.size()) {
            char c = v[i++];
            if (c == '"') {
              closed = true;
              break;
            }
            if (c == '\\' && i < v.size()) c = v[i++];
            value += c;
          }
          if (!closed) bad("unterminated quoted string", open);
        } else {
          size_t vs = i;
          while (i < v.size() && detail::is_tchar(v[i])) ++i;
          value = std::string(v.substr(vs, i - vs));
        }
      }
      if (detail::iequals(name, "rel") && rel.empty()) rel = std::move(value);
    }
    if (i < v.size() && v[i] != ',') bad("unexpected character", i);
    if (rel_has_next(rel)) {
      if (uri.empty()) bad("empty link target", close);
      return std::string(uri);
    }
  }
}

}  // namespace iu::dockerv2
