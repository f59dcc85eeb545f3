#include "http/host_services.hpp"

#include <stdexcept>

namespace iu::http {

HttpHostServices::HttpHostServices(std::shared_ptr<HttpService> http,
                                   std::shared_ptr<plugin_host::HostServices> others)
    : http_(std::move(http)),
      others_(others ? std::move(others) : std::make_shared<plugin_host::HostServices>()) {
  if (!http_) throw std::invalid_argument("HttpHostServices: the HTTP service is required");
}

iu_status HttpHostServices::http(iu_call* call, const iu_http_request* request,
                                 iu_http_response_fn on_response, void* user) {
  return http_->handle(call, request, on_response, user);
}

iu_status HttpHostServices::resolve_secret(iu_call* call, std::string_view ref,
                                           std::string_view registry_host, std::string* out) {
  return others_->resolve_secret(call, ref, registry_host, out);
}

}  // namespace iu::http
