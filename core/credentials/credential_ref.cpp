#include "credentials/credential_ref.hpp"

namespace iu::credentials {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// One DNS-1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters.
bool is_dns_label(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!is_lower_alnum(s.front()) || !is_lower_alnum(s.back())) return false;
  for (char c : s)
    if (!is_lower_alnum(c) && c != '-') return false;
  return true;
}

// A DNS-1123 subdomain (Secret names): dot-separated labels, at most 253 characters.
bool is_dns_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  while (true) {
    size_t dot = s.find('.');
    if (!is_dns_label(s.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

// A Secret data key: [-._a-zA-Z0-9]+, at most 253 characters.
bool is_secret_key(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::optional<CredentialRef> fail(std::string* error, std::string_view ref, std::string_view why) {
  if (error != nullptr)
    *error = "invalid credential reference \"" + std::string(ref) + "\": " + std::string(why);
  return std::nullopt;
}

// Splits `<ns>/<name>` and checks both parts; returns the problem or "".
std::string split_namespaced(std::string_view text, CredentialRef& out) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return "missing \"/\" between namespace and name";
  std::string_view ns = text.substr(0, slash), name = text.substr(slash + 1);
  if (!is_dns_label(ns))
    return "namespace \"" + std::string(ns) + "\" is not a valid Kubernetes namespace";
  if (!is_dns_subdomain(name))
    return "name \"" + std::string(name) + "\" is not a valid Kubernetes Secret name";
  out.ns = std::string(ns);
  out.name = std::string(name);
  return {};
}

}  // namespace

std::string_view kind_name(RefKind kind) {
  switch (kind) {
    case RefKind::kPullSecret:
      return "pullsecret";
    case RefKind::kSecret:
      return "secret";
    case RefKind::kEnv:
      return "env";
    case RefKind::kExt:
      return "ext";
  }
  return "unknown";
}

std::optional<CredentialRef> parse_ref(std::string_view ref, std::string* error) {
  size_t colon = ref.find(':');
  if (colon == std::string_view::npos)
    return fail(error, ref, "expected pullsecret:, secret:, env: or ext: followed by its argument");
  std::string_view source = ref.substr(0, colon), arg = ref.substr(colon + 1);
  CredentialRef out;
  out.text = std::string(ref);
  if (source == "pullsecret") {
    out.kind = RefKind::kPullSecret;
    if (std::string why = split_namespaced(arg, out); !why.empty())
      return fail(error, ref, "expected pullsecret:<namespace>/<name>: " + why);
  } else if (source == "secret") {
    out.kind = RefKind::kSecret;
    size_t hash = arg.find('#');
    if (hash == std::string_view::npos)
      return fail(error, ref, "expected secret:<namespace>/<name>#<field>: missing \"#<field>\"");
    if (std::string why = split_namespaced(arg.substr(0, hash), out); !why.empty())
      return fail(error, ref, "expected secret:<namespace>/<name>#<field>: " + why);
    std::string_view field = arg.substr(hash + 1);
    if (!is_secret_key(field))
      return fail(error, ref,
                  "expected secret:<namespace>/<name>#<field>: field \"" + std::string(field) +
                      "\" is not a valid Secret key ([-._a-zA-Z0-9]+)");
    out.field = std::string(field);
  } else if (source == "env") {
    out.kind = RefKind::kEnv;
    if (arg.empty()) return fail(error, ref, "expected env:<VARIABLE>: empty variable name");
    if (arg.find('=') != std::string_view::npos || arg.find('\0') != std::string_view::npos)
      return fail(error, ref, "expected env:<VARIABLE>: a variable name cannot contain \"=\"");
    out.env = std::string(arg);
  } else if (source == "ext") {
    out.kind = RefKind::kExt;
    if (arg.empty() || arg.front() != '/')
      return fail(error, ref, "expected ext:<absolute path>: the path must be absolute");
    if (arg.find('\0') != std::string_view::npos)
      return fail(error, ref, "expected ext:<absolute path>: the path contains a NUL byte");
    out.path = std::string(arg);
  } else {
    return fail(error, ref,
                "unknown source \"" + std::string(source) +
                    "\" (expected pullsecret:, secret:, env: or ext:)");
  }
  return out;
}

}  // namespace iu::credentials
