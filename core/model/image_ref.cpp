#include "model/image_ref.hpp"

#include <array>
#include <cstddef>
#include <vector>

namespace iu::model {
namespace {

// Limits of the reference grammar (SPEC.md §5.1).
constexpr std::size_t kMaxNameLength = 255;
constexpr std::size_t kMaxTagLength = 128;
constexpr std::string_view kLegacyDockerHub = "index.docker.io";
constexpr std::string_view kOfficialPrefix = "library/";

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alnum(char c) { return is_digit(c) || is_lower(c) || is_upper(c); }
bool is_lower_alnum(char c) { return is_digit(c) || is_lower(c); }
bool is_word(char c) { return is_alnum(c) || c == '_'; }
bool is_lower_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }
bool is_hex(char c) { return is_lower_hex(c) || (c >= 'A' && c <= 'F'); }
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out += s;
  out += '"';
  return out;
}

bool fail(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return false;
}

// path-component = 1*[a-z0-9] *( separator 1*[a-z0-9] ), separator = "." | "_" | "__" | 1*"-"
bool valid_path_component(std::string_view c) {
  std::size_t i = 0;
  while (true) {
    const std::size_t run = i;
    while (i < c.size() && is_lower_alnum(c[i])) ++i;
    if (i == run) return false;  // every separator sits between alphanumeric runs
    if (i == c.size()) return true;
    const std::size_t sep = i;
    while (i < c.size() && !is_lower_alnum(c[i])) ++i;
    const std::string_view s = c.substr(sep, i - sep);
    const bool dashes = s.find_first_not_of('-') == std::string_view::npos;
    if (s != "." && s != "_" && s != "__" && !dashes) return false;
  }
}

// domain-component = [A-Za-z0-9] | [A-Za-z0-9] *[A-Za-z0-9-] [A-Za-z0-9]
bool valid_domain_component(std::string_view c) {
  if (c.empty() || !is_alnum(c.front()) || !is_alnum(c.back())) return false;
  for (char ch : c) {
    if (!is_alnum(ch) && ch != '-') return false;
  }
  return true;
}

// host [":" port], where host is a dotted DNS-style name or a bracketed IPv6 address. The IPv6
// form is what the current Docker library accepts; the Debian 12 build predates it (§5.2).
bool valid_domain(std::string_view d) {
  std::string_view rest;
  if (!d.empty() && d.front() == '[') {
    const std::size_t close = d.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char ch : d.substr(1, close - 1)) {
      if (!is_hex(ch) && ch != ':') return false;
    }
    rest = d.substr(close + 1);
  } else {
    const std::size_t colon = d.find(':');
    std::string_view host = d.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view{} : d.substr(colon);
    while (true) {
      const std::size_t dot = host.find('.');
      if (!valid_domain_component(host.substr(0, dot))) return false;
      if (dot == std::string_view::npos) break;
      host.remove_prefix(dot + 1);
    }
  }
  if (rest.empty()) return true;
  if (rest.front() != ':' || rest.size() == 1) return false;
  for (char ch : rest.substr(1)) {
    if (!is_digit(ch)) return false;
  }
  return true;
}

// tag = [A-Za-z0-9_] 0*127[A-Za-z0-9_.-]
bool valid_tag(std::string_view t) {
  if (t.empty() || t.size() > kMaxTagLength || !is_word(t.front())) return false;
  for (char ch : t) {
    if (!is_word(ch) && ch != '.' && ch != '-') return false;
  }
  return true;
}

// `sha256:` + 64, `sha384:` + 96 or `sha512:` + 128 lower-case hex digits. That is what the
// reference grammar and go-digest's validation accept together.
bool check_digest(std::string_view d, std::string* error) {
  const std::string prefix = "invalid digest " + quoted(d) + ": ";
  const std::size_t colon = d.find(':');
  if (colon == std::string_view::npos) return fail(error, prefix + "expected <algorithm>:<hex>");
  const std::string_view algorithm = d.substr(0, colon);
  const std::string_view hex = d.substr(colon + 1);
  struct Known {
    std::string_view name;
    std::size_t hex_digits;
  };
  constexpr std::array<Known, 3> kKnown{{{"sha256", 64}, {"sha384", 96}, {"sha512", 128}}};
  for (const Known& k : kKnown) {
    if (algorithm != k.name) continue;
    bool ok = hex.size() == k.hex_digits;
    for (char ch : hex) ok = ok && is_lower_hex(ch);
    if (ok) return true;
    return fail(error, prefix + std::string(k.name) + " needs " + std::to_string(k.hex_digits) +
                           " lower-case hex digits");
  }
  return fail(error,
              prefix + "unsupported algorithm " + quoted(algorithm) + " (sha256, sha384, sha512)");
}

bool is_image_id(std::string_view text) {
  if (text.size() != 64) return false;
  for (char ch : text) {
    if (!is_lower_hex(ch)) return false;
  }
  return true;
}

std::vector<std::string_view> split_slashes(std::string_view s) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t slash = s.find('/');
    parts.push_back(s.substr(0, slash));
    if (slash == std::string_view::npos) return parts;
    s.remove_prefix(slash + 1);
  }
}

// Matches `full` (always `<domain candidate>/<remainder>`) against the whole reference grammar:
// name [":" tag] ["@" digest]. The first component is the domain when it is a valid domain
// (the grammar prefers that reading); otherwise it must be a path component, giving an empty
// domain. On success fills domain, path, version and digest of `out`.
bool match_reference(std::string_view full, ImageRef& out, std::string* error) {
  std::string_view body = full;
  if (const std::size_t at = body.find('@'); at != std::string_view::npos) {
    const std::string_view digest = body.substr(at + 1);
    if (!check_digest(digest, error)) return false;
    out.digest = digest;
    body = body.substr(0, at);
  }
  const std::size_t last_slash = body.rfind('/');
  const std::size_t colon =
      body.find(':', last_slash == std::string_view::npos ? 0 : last_slash + 1);
  if (colon != std::string_view::npos) {
    const std::string_view tag = body.substr(colon + 1);
    if (!valid_tag(tag)) {
      return fail(error, "invalid tag " + quoted(tag) + " (allowed: [A-Za-z0-9_][A-Za-z0-9_.-]*, " +
                             std::to_string(kMaxTagLength) + " characters at most)");
    }
    out.version = tag;
    body = body.substr(0, colon);
  }
  const std::vector<std::string_view> parts = split_slashes(body);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].empty()) return fail(error, "empty path component");
    if (!valid_path_component(parts[i])) {
      return fail(error, "invalid repository path component " + quoted(parts[i]));
    }
  }
  std::size_t first_path = 0;
  if (parts.size() >= 2 && valid_domain(parts[0])) {
    out.domain = parts[0];
    first_path = parts[0].size() + 1;
  } else if (parts[0].empty()) {
    return fail(error, "empty path component");
  } else if (!valid_path_component(parts[0])) {
    return fail(error, "invalid registry host " + quoted(parts[0]));
  }
  if (body.size() > kMaxNameLength) {
    return fail(error,
                "repository name longer than " + std::to_string(kMaxNameLength) + " characters");
  }
  out.path = body.substr(first_path);
  return true;
}

bool has_outer_space(std::string_view text) {
  return !text.empty() && (is_space(text.front()) || is_space(text.back()));
}

// Stage A without the error prefix. `text` is also what the updater view looks at.
bool parse_strict(std::string_view text, ImageRef& out, std::string* error) {
  if (text.empty()) return fail(error, "empty reference");
  if (has_outer_space(text)) return fail(error, "leading or trailing whitespace");
  if (is_image_id(text)) {
    return fail(error, "a string of 64 hex digits is an image ID, not a repository name");
  }
  // Docker's host detection: the first component is a host only when it looks like one.
  std::string domain(kDockerHub);
  std::string_view remainder = text;
  if (const std::size_t slash = text.find('/'); slash != std::string_view::npos) {
    const std::string_view first = text.substr(0, slash);
    if (first.find_first_of(".:") != std::string_view::npos || first == "localhost") {
      domain = first;
      remainder = text.substr(slash + 1);
    }
  }
  if (domain == kLegacyDockerHub) domain = kDockerHub;
  std::string full = domain + "/";
  if (domain == kDockerHub && remainder.find('/') == std::string_view::npos) {
    full += kOfficialPrefix;
  }
  full += remainder;
  for (char ch : remainder.substr(0, remainder.find(':'))) {
    if (is_upper(ch)) return fail(error, "repository name must be lowercase");
  }
  if (!match_reference(full, out, error)) return false;

  // The updater's view (upstream-compatible, §5.2).
  const bool hub = out.domain == kDockerHub;
  out.registry = hub && !text.starts_with(kDockerHub) ? std::string() : out.domain;
  const bool drop_library = hub && !text.starts_with(kOfficialPrefix) &&
                            std::string_view(out.path).starts_with(kOfficialPrefix);
  out.name = drop_library ? out.path.substr(kOfficialPrefix.size()) : out.path;
  out.stage = ParseStage::kStrict;
  return true;
}

// Stage B: `name[:version][@digest]` where the version is any non-empty text.
bool parse_fallback(std::string_view text, ImageRef& out, std::string* error) {
  if (text.empty()) return fail(error, "empty reference");
  if (has_outer_space(text)) return fail(error, "leading or trailing whitespace");
  std::string_view body = text;
  std::string digest;
  if (const std::size_t at = body.rfind('@'); at != std::string_view::npos) {
    if (!check_digest(body.substr(at + 1), error)) return false;
    digest = body.substr(at + 1);
    body = body.substr(0, at);
  }
  // Cutting after the last `/` keeps a registry port (`host:5000/img:~1`) out of the version.
  const std::size_t last_slash = body.rfind('/');
  const std::size_t colon =
      body.find(':', last_slash == std::string_view::npos ? 0 : last_slash + 1);
  std::string version;
  if (colon != std::string_view::npos) {
    version = body.substr(colon + 1);
    if (version.empty()) return fail(error, "empty version after ':'");
    body = body.substr(0, colon);
  }
  if (!parse_strict(body, out, error)) return false;
  out.version = std::move(version);
  out.digest = std::move(digest);
  out.stage = ParseStage::kFallback;
  return true;
}

// The message callers see: the reference quoted, then what is wrong with it.
void report(std::string_view text, std::string_view detail, std::string* error) {
  if (error == nullptr) return;
  *error = text.empty() ? std::string("empty image reference")
                        : "invalid image reference " + quoted(text) + ": " + std::string(detail);
}

}  // namespace

std::optional<ImageRef> parse_reference(std::string_view text, std::string* error) {
  ImageRef ref;
  std::string detail;
  if (!parse_strict(text, ref, &detail)) {
    report(text, detail, error);
    return std::nullopt;
  }
  return ref;
}

std::optional<ImageRef> parse_image_spec(std::string_view text, std::string* error) {
  std::string alias;
  if (const std::size_t eq = text.find('='); eq != std::string_view::npos) {
    if (is_valid_alias(text.substr(0, eq))) {
      alias = text.substr(0, eq);
      text.remove_prefix(eq + 1);
    }
  }
  ImageRef ref;
  std::string detail;
  if (!parse_strict(text, ref, nullptr)) {
    ref = ImageRef{};
    // Stage B's complaint is the useful one: it is the last reading that was tried.
    if (!parse_fallback(text, ref, &detail)) {
      report(text, detail, error);
      return std::nullopt;
    }
  }
  ref.alias = std::move(alias);
  return ref;
}

bool is_valid_alias(std::string_view alias) {
  if (alias.empty() || !is_alnum(alias.front())) return false;
  for (char ch : alias) {
    if (!is_alnum(ch) && ch != '-' && ch != '.' && ch != '_') return false;
  }
  return true;
}

std::string canonical_registry(std::string_view registry) {
  std::string host(registry);
  for (char& ch : host) {
    if (is_upper(ch)) ch = static_cast<char>(ch - 'A' + 'a');
  }
  if (host == kLegacyDockerHub || host == "registry-1.docker.io") return std::string(kDockerHub);
  return host;
}

bool is_docker_hub(std::string_view registry) {
  return !registry.empty() && canonical_registry(registry) == kDockerHub;
}

namespace {

// The endpoint a reference resolves to; an empty default means Docker Hub.
std::string_view endpoint_host(const ImageRef& ref, const EndpointDefaults& endpoint) {
  if (!ref.registry.empty()) return ref.registry;
  return endpoint.default_registry.empty() ? kDockerHub : endpoint.default_registry;
}

}  // namespace

std::string api_repository(const ImageRef& ref, const EndpointDefaults& endpoint) {
  if (ref.name.find('/') != std::string::npos) return ref.name;
  const std::string_view ns = endpoint.defaultns.has_value()                ? *endpoint.defaultns
                              : is_docker_hub(endpoint_host(ref, endpoint)) ? "library"
                                                                            : "";
  if (ns.empty()) return ref.name;
  std::string repo(ns);
  repo += '/';
  repo += ref.name;
  return repo;
}

std::string normalized_name(const ImageRef& ref, const EndpointDefaults& endpoint) {
  return canonical_registry(endpoint_host(ref, endpoint)) + "/" + api_repository(ref, endpoint);
}

bool same_image(const ImageRef& a, const ImageRef& b, const EndpointDefaults& endpoint) {
  return normalized_name(a, endpoint) == normalized_name(b, endpoint);
}

std::string full_name(const ImageRef& ref) {
  return ref.registry.empty() ? ref.name : ref.registry + "/" + ref.name;
}

std::string full_name_with_tag(const ImageRef& ref) {
  std::string out = full_name(ref);
  if (!ref.version.empty()) out += ":" + ref.version;
  if (!ref.digest.empty()) out += "@" + ref.digest;
  return out;
}

std::string tag_with_digest(const ImageRef& ref) {
  if (ref.digest.empty()) return ref.version;
  return (ref.version.empty() ? std::string("latest") : ref.version) + "@" + ref.digest;
}

std::string to_spec(const ImageRef& ref) {
  const std::string body = full_name_with_tag(ref);
  return ref.alias.empty() ? body : ref.alias + "=" + body;
}

}  // namespace iu::model
