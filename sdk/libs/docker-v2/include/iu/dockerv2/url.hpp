// The little URL handling the protocol needs: absolute http(s) URLs (api_url, token realms,
// pagination links), resolving references against them, and query escaping.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iu::dockerv2 {

// An absolute http or https URL split into its parts. No user information, no fragment.
struct Url {
  std::string scheme;     // "http" or "https", lower-cased
  std::string authority;  // host[:port] as written (IPv6 literals keep their brackets)
  std::string path;       // starts with '/' or is empty
  std::string query;      // without '?'; empty when absent

  // scheme://authority/path?query
  std::string str() const;
  // scheme://authority/path: what error messages show (queries may be long).
  std::string without_query() const;
  // The host part of authority (lower-cased, without port or brackets).
  std::string host() const;
  // scheme://authority with the default port removed and the host lower-cased: two URLs with
  // the same origin may share credentials.
  std::string origin() const;
};

// Parses an absolute http(s) URL. nullopt for anything else, including URLs with user
// information (credentials never travel in URLs) or a fragment.
std::optional<Url> parse_url(std::string_view text);

// Resolves a URI reference against `base` (RFC 3986 §5.2 for the forms servers send: absolute
// URLs, network paths `//host/...`, absolute paths, queries `?...` and relative paths).
// nullopt when the result is not an acceptable absolute http(s) URL.
std::optional<Url> resolve_reference(const Url& base, std::string_view reference);

// Percent-encodes everything but RFC 3986 unreserved characters, for query values.
std::string query_escape(std::string_view value);

}  // namespace iu::dockerv2
