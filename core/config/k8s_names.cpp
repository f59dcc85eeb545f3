#include "config/k8s_names.hpp"

namespace iu::config::k8s {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

// The "qualified name" part shared by label keys and values.
bool is_qualified_name(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!is_alnum(s.front()) || !is_alnum(s.back())) return false;
  for (char c : s)
    if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

}  // namespace

bool is_dns_label(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!is_lower_alnum(s.front()) || !is_lower_alnum(s.back())) return false;
  for (char c : s)
    if (!is_lower_alnum(c) && c != '-') return false;
  return true;
}

bool is_dns_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  while (true) {
    const std::size_t dot = s.find('.');
    if (!is_dns_label(s.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

std::string label_key_problem(std::string_view key) {
  const std::string quoted = "\"" + std::string(key) + "\"";
  std::string_view name = key;
  if (const std::size_t slash = key.find('/'); slash != std::string_view::npos) {
    if (!is_dns_subdomain(key.substr(0, slash)))
      return "invalid label key " + quoted + ": prefix must be a DNS subdomain";
    name = key.substr(slash + 1);
  }
  if (!is_qualified_name(name))
    return "invalid label key " + quoted +
           ": name must be 1-63 characters of [A-Za-z0-9._-], beginning and ending with an "
           "alphanumeric character";
  return {};
}

std::string label_value_problem(std::string_view value) {
  if (value.empty() || is_qualified_name(value)) return {};
  return "invalid label value \"" + std::string(value) +
         "\": must be at most 63 characters of [A-Za-z0-9._-], beginning and ending with an "
         "alphanumeric character";
}

}  // namespace iu::config::k8s
