// The registry-docker.so of this build, loaded once per process through the real loader, and
// registry instances created the way the host creates them (validated config, endpoint key).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "plugin_host/catalog.hpp"
#include "plugin_host/kinds.hpp"

namespace iu::test {

// The `docker-v2` implementation (loads the module on first use; throws if it cannot).
const plugin_host::Implementation& docker_v2();

// A registry instance for `api_url` whose endpoint key is `endpoint` (host[:port]); `prefix`
// names the registry in messages. `extra` adds plugin-declared keys (tags_page_size).
std::unique_ptr<plugin_host::RegistryInstance> make_registry(
    const std::string& api_url, const std::string& endpoint, const std::string& prefix,
    const std::map<std::string, std::string>& extra = {});

// Credentials as the host passes them; identity is what messages may name.
plugin_host::Credentials creds(const std::string& user, const std::string& password,
                               const std::string& identity = "secret:argocd/regcreds#creds");

}  // namespace iu::test
