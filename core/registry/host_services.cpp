#include "registry/host_services.hpp"

#include "plugin_host/call.hpp"

namespace iu::registry {

CoreHostServices::CoreHostServices(std::shared_ptr<http::HttpService> http,
                                   std::shared_ptr<const credentials::Resolver> resolver)
    : http_(std::move(http)), resolver_(std::move(resolver)) {}

iu_status CoreHostServices::http(iu_call* call, const iu_http_request* request,
                                 iu_http_response_fn on_response, void* user) {
  if (!http_) return HostServices::http(call, request, on_response, user);
  return http_->handle(call, request, on_response, user);
}

iu_status CoreHostServices::resolve_secret(iu_call* call, std::string_view ref,
                                           std::string_view registry_host, std::string* out) {
  if (!resolver_) return HostServices::resolve_secret(call, ref, registry_host, out);
  try {
    auto c = resolver_->resolve(ref, registry_host);
    *out = c.username + ":" + c.password;
    return IU_STATUS_OK;
  } catch (const credentials::CredentialError& e) {
    if (call != nullptr) call->error = e.what();
    return IU_STATUS_INVALID_ARGUMENT;
  } catch (const std::exception& e) {
    // Access errors (e.g. the Kubernetes API failed) may succeed on a later attempt.
    if (call != nullptr)
      call->error = std::string("credential reference ") + std::string(ref) + ": " + e.what();
    return IU_STATUS_TRANSIENT;
  }
}

}  // namespace iu::registry
