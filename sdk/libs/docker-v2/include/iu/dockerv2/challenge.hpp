// Authentication challenges (RFC 7235 `WWW-Authenticate`) as registries send them on 401:
//   Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="..."
//   Basic realm="Registry Realm"
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace iu::dockerv2 {

// One challenge of a WWW-Authenticate header: the scheme and its auth-params.
struct Challenge {
  std::string scheme;                         // lower-cased: "bearer", "basic", ...
  std::map<std::string, std::string> params;  // names lower-cased, values unquoted and unescaped
  std::string token68;                        // the token68 form, when the scheme used it

  // The parameter's value, or "" when absent.
  std::string param(std::string_view name) const;
};

// Parses one header value, which may hold several comma-separated challenges. Malformed parts
// end the parse: the challenges read before them are returned (a registry's odd header must not
// hide a usable Bearer challenge in front of it), so the result may be empty.
std::vector<Challenge> parse_challenges(std::string_view header);

// How a registry wants to be authenticated, reduced to what the protocol client acts on.
struct AuthChallenge {
  enum class Scheme { none, basic, bearer };
  Scheme scheme = Scheme::none;
  std::string realm;    // bearer: token endpoint URL
  std::string service;  // bearer: `service` parameter (may be empty)

  bool operator==(const AuthChallenge&) const = default;
};

// The challenge to answer among those offered: the first Bearer challenge with a non-empty
// realm, else the first Basic one, else none.
AuthChallenge select_challenge(const std::vector<Challenge>& offered);

}  // namespace iu::dockerv2
