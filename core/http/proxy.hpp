// Proxy selection from the environment (SPEC §7.3), with Go's net/http semantics: HTTPS_PROXY
// for https URLs, HTTP_PROXY for http URLs (upper case wins over lower case), NO_PROXY for
// exceptions, and never a proxy for `localhost` or a loopback IP literal. NO_PROXY matching
// itself is left to libcurl (CURLOPT_NOPROXY: domains with subdomains, IPs, CIDR ranges, "*").
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace iu::http {

struct ProxySettings {
  std::string https_proxy;  // HTTPS_PROXY / https_proxy
  std::string http_proxy;   // HTTP_PROXY / http_proxy
  std::string no_proxy;     // NO_PROXY / no_proxy

  // Reads the variables through `getenv` (std::getenv when empty).
  static ProxySettings from_environment(const std::function<const char*(const char*)>& getenv = {});
};

// The proxy URL for a request to `scheme`://`host` ("" = connect directly). `host` is the URL's
// host without port or brackets.
std::string proxy_for(const ProxySettings& settings, std::string_view scheme,
                      std::string_view host);

}  // namespace iu::http
