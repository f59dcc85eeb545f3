#include "iu/dockerv2/url.hpp"

#include "text.hpp"

namespace iu::dockerv2 {
namespace {

bool valid_authority(std::string_view a) {
  if (a.empty()) return false;
  for (char c : a) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_' || c == '%';
    if (!ok) return false;  // '@' (user information) and anything odd are refused
  }
  return true;
}

// Removes "." and ".." segments (RFC 3986 §5.2.4).
std::string remove_dot_segments(std::string in) {
  std::string out;
  auto pop_segment = [&out] {
    size_t slash = out.rfind('/');
    out.erase(slash == std::string::npos ? 0 : slash);
  };
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.erase(0, 3);
    } else if (in.starts_with("./")) {
      in.erase(0, 2);
    } else if (in.starts_with("/./")) {
      in.erase(0, 2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../")) {
      in.erase(0, 3);
      pop_segment();
    } else if (in == "/..") {
      in = "/";
      pop_segment();
    } else if (in == "." || in == "..") {
      in.clear();
    } else {
      size_t next = in.find('/', 1);
      out += in.substr(0, next);
      in.erase(0, next == std::string::npos ? in.size() : next);
    }
  }
  return out;
}

// RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" before any '/', '?' or '#'.
bool has_scheme(std::string_view ref) {
  size_t colon = ref.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = ref[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alpha && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))
      return false;
  }
  return true;
}

}  // namespace

std::string Url::str() const { return without_query() + (query.empty() ? "" : "?" + query); }

std::string Url::without_query() const { return scheme + "://" + authority + path; }

std::string Url::host() const {
  std::string_view a = authority;
  if (!a.empty() && a.front() == '[') {
    size_t close = a.find(']');
    return detail::lower(a.substr(1, close == a.npos ? a.npos : close - 1));
  }
  size_t colon = a.rfind(':');
  return detail::lower(colon == a.npos ? a : a.substr(0, colon));
}

std::string Url::origin() const {
  std::string a = detail::lower(authority);
  std::string_view default_port = scheme == "https" ? ":443" : ":80";
  if (a.size() > default_port.size() && a.ends_with(default_port) && a.back() != ']')
    a.resize(a.size() - default_port.size());
  return scheme + "://" + a;
}

std::optional<Url> parse_url(std::string_view text) {
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  Url u;
  u.scheme = detail::lower(text.substr(0, sep));
  if (u.scheme != "http" && u.scheme != "https") return std::nullopt;
  std::string_view rest = text.substr(sep + 3);
  if (rest.find('#') != std::string_view::npos) return std::nullopt;
  size_t path_start = rest.find_first_of("/?");
  u.authority = std::string(rest.substr(0, path_start));
  if (!valid_authority(u.authority)) return std::nullopt;
  if (path_start == std::string_view::npos) return u;
  rest = rest.substr(path_start);
  size_t q = rest.find('?');
  u.path = std::string(rest.substr(0, q));
  if (q != std::string_view::npos) u.query = std::string(rest.substr(q + 1));
  for (char c : u.path + u.query)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return std::nullopt;
  return u;
}

std::optional<Url> resolve_reference(const Url& base, std::string_view ref) {
  if (has_scheme(ref)) return parse_url(ref);
  if (ref.starts_with("//")) return parse_url(base.scheme + ":" + std::string(ref));
  if (ref.find('#') != std::string_view::npos) return std::nullopt;
  std::string path, query;
  size_t q = ref.find('?');
  std::string_view ref_path = ref.substr(0, q);
  if (q != std::string_view::npos) query = std::string(ref.substr(q + 1));
  if (ref_path.empty()) {
    path = base.path;
    if (q == std::string_view::npos) query = base.query;
  } else if (ref_path.front() == '/') {
    path = remove_dot_segments(std::string(ref_path));
  } else {
    std::string merged = base.path.empty() ? "/" : base.path.substr(0, base.path.rfind('/') + 1);
    path = remove_dot_segments(merged + std::string(ref_path));
  }
  std::string text = base.scheme + "://" + base.authority + path;
  if (!query.empty()) text += "?" + query;
  return parse_url(text);
}

std::string query_escape(std::string_view value) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xf];
    }
  }
  return out;
}

}  // namespace iu::dockerv2
