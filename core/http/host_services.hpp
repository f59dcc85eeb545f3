// Plugs the HTTP service into the plugin host table: iu_host_api.http goes to an HttpService,
// every other service slot to the HostServices given (so the services owned by other parts of
// the core, e.g. secret resolution, compose with this one). Install with
// plugin_host::set_host_services(std::make_shared<HttpHostServices>(http, others)).
#pragma once

#include <memory>

#include "http/http_service.hpp"
#include "plugin_host/host_api.hpp"

namespace iu::http {

class HttpHostServices : public plugin_host::HostServices {
 public:
  // `others` null: the defaults of HostServices (UNSUPPORTED with a message naming the service).
  explicit HttpHostServices(std::shared_ptr<HttpService> http,
                            std::shared_ptr<plugin_host::HostServices> others = nullptr);

  iu_status http(iu_call* call, const iu_http_request* request, iu_http_response_fn on_response,
                 void* user) override;
  iu_status resolve_secret(iu_call* call, std::string_view ref, std::string_view registry_host,
                           std::string* out) override;

 private:
  std::shared_ptr<HttpService> http_;
  std::shared_ptr<plugin_host::HostServices> others_;
};

}  // namespace iu::http
