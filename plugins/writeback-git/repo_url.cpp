#include "repo_url.hpp"

#include <algorithm>
#include <cctype>

namespace iu::gitwb {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

}  // namespace

std::string display_url(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);  // scp-like or a path
  size_t authority = scheme_end + 3;
  size_t path = url.find('/', authority);
  std::string_view auth =
      url.substr(authority, path == std::string_view::npos ? url.npos : path - authority);
  size_t at = auth.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  std::string_view userinfo = auth.substr(0, at);
  bool http = starts_with_ci(url, "http");
  std::string out(url.substr(0, authority));
  if (!http) {
    size_t colon = userinfo.find(':');
    out += userinfo.substr(0, colon);
    out += '@';
  }
  out += url.substr(authority + at + 1);
  return out;
}

std::string normalize_url(std::string_view url) {
  std::string s = display_url(trim(url));
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!s.empty() && s.back() == '/') s.pop_back();
  if (s.size() > 4 && s.ends_with(".git")) s.resize(s.size() - 4);
  return s;
}

bool is_ssh_url(std::string_view url) {
  url = trim(url);
  if (starts_with_ci(url, "ssh://") || starts_with_ci(url, "git+ssh://")) return true;
  if (url.find("://") != std::string_view::npos || url.starts_with("/")) return false;
  // scp-like syntax: [user@]host:path, with no slash before the colon.
  size_t colon = url.find(':');
  size_t slash = url.find('/');
  return colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash);
}

}  // namespace iu::gitwb
