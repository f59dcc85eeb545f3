// The core's services behind the plugin host table (plugin_host::HostServices): HTTP through
// the HttpService (with the calling instance's endpoint policy) and secret resolution through
// the credential resolver. Install with plugin_host::set_host_services().
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "credentials/resolver.hpp"
#include "http/http_service.hpp"
#include "plugin_host/host_api.hpp"

namespace iu::registry {

class CoreHostServices : public plugin_host::HostServices {
 public:
  // Either may be null: that service then answers UNSUPPORTED, as the default does.
  CoreHostServices(std::shared_ptr<http::HttpService> http,
                   std::shared_ptr<const credentials::Resolver> resolver);

  iu_status http(iu_call* call, const iu_http_request* request, iu_http_response_fn on_response,
                 void* user) override;
  iu_status resolve_secret(iu_call* call, std::string_view ref, std::string_view registry_host,
                           std::string* out) override;

 private:
  std::shared_ptr<http::HttpService> http_;
  std::shared_ptr<const credentials::Resolver> resolver_;
};

}  // namespace iu::registry
