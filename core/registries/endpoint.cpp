#include "registries/endpoint.hpp"

#include "registries/hosts.hpp"

namespace iu::registries {

std::string Endpoint::api_host() const {
  auto url = parse_api_url(api_url);
  return url ? url->authority : std::string();
}

std::string Endpoint::api_hostname() const {
  auto url = parse_api_url(api_url);
  return url ? url->host_port.host : std::string();
}

}  // namespace iu::registries
