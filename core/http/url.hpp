// URL facts the HTTP service needs, parsed with libcurl's URL API (the parser the transfer
// itself uses, so the two never disagree).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iu::http {

struct UrlParts {
  std::string scheme;  // lower case: "http" or "https"
  std::string host;    // without brackets
  std::string port;    // as written; "" when the URL has none
  // host[:port] as written in the URL (IPv6 in brackets): the default endpoint key.
  std::string authority() const;
};

// Parses an absolute http(s) URL. nullopt with *error set ("unsupported scheme \"ftp\"",
// libcurl's reason) otherwise.
std::optional<UrlParts> parse_http_url(std::string_view url, std::string* error);

// The URL as it may appear in logs and error messages: user name and password removed, the
// values of query parameters whose names suggest a secret (token, signature, credential,
// password, secret, key, auth, code, sig) replaced with "REDACTED". Unparsable input gives
// "<invalid URL>" rather than risking an echo of a secret.
std::string redact_url(std::string_view url);

}  // namespace iu::http
