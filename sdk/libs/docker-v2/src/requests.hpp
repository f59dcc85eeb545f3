// The endpoint a client talks to and the one way requests reach the host: perform().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "iu/dockerv2/client.hpp"
#include "iu/dockerv2/url.hpp"
#include "iu/plugin.hpp"

namespace iu::dockerv2::detail {

struct Endpoint {
  ClientOptions options;
  Url api;  // options.api_url parsed, path without a trailing '/'

  // Throws iu::sdk::Error(INVALID_ARGUMENT) naming the registry and api_url.
  explicit Endpoint(ClientOptions opts);

  const std::string& registry() const { return options.registry; }

  // api_url + "/v2/" + rest.
  std::string v2_url(std::string_view rest) const;

  // "GET /v2/acme/api/tags/list" for URLs of the API's origin, "GET https://auth.io/token" for
  // others: never a query (it may be long and is never needed to tell requests apart).
  std::string subject(std::string_view method, std::string_view url) const;

  // The actions of token scopes (ClientOptions::token_actions or the registry's default).
  std::string token_actions() const;
};

// A GET/HEAD request with the flags, operation label and size limit it needs.
sdk::HttpRequest make_request(std::string_view method, std::string url, std::string_view op,
                              uint64_t max_body_bytes);

// Performs `request` through the host. A transport failure (no response) becomes an
// iu::sdk::Error with the host's status and a §14 message naming the request.
sdk::HttpResponse perform(sdk::Call& call, const Endpoint& endpoint,
                          const sdk::HttpRequest& request);

// All values of a response header (names are lower-case in responses).
std::vector<std::string_view> header_values(const sdk::HttpResponse& response,
                                            std::string_view name);

}  // namespace iu::dockerv2::detail
