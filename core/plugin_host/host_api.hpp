// The host services table handed to every plugin (iu_host_api), and the seam through which
// the core's services (HTTP transport, secret resolution) are plugged into it.
#pragma once

#include <memory>
#include <string>

#include "iu/plugin.h"

namespace iu::plugin_host {

// Services that live elsewhere in the core. Each method follows the contract of the matching
// iu_host_api slot. The default implementation reports IU_STATUS_UNSUPPORTED with a message
// that names the missing service, so a plugin gets a clear error instead of a crash.
class HostServices {
 public:
  virtual ~HostServices() = default;
  virtual iu_status http(iu_call* call, const iu_http_request* request,
                         iu_http_response_fn on_response, void* user);
  virtual iu_status resolve_secret(iu_call* call, std::string_view ref,
                                   std::string_view registry_host, std::string* out);
};

// Installs the services used by the table from now on (thread-safe; keeps ownership).
void set_host_services(std::shared_ptr<HostServices> services);

// The table itself; valid until exit.
const iu_host_api* host_api();

}  // namespace iu::plugin_host
