#include "plugin_under_test.hpp"

#include <mutex>
#include <stdexcept>

#include "plugin_host/instance.hpp"
#include "plugin_host/loader.hpp"

#ifndef IU_REGISTRY_DOCKER_MODULE
#error "IU_REGISTRY_DOCKER_MODULE must name the built registry-docker.so"
#endif

// LeakSanitizer: the factory storage IU_PLUGIN's entry point allocates lives for the process
// by design (ABI rule 1), but the macro's function-local vector that points at it is destroyed
// at exit while the module stays loaded, so LSan reports it. Suppressed for allocations made
// inside the entry point only; the plugin's per-call allocations stay checked.
extern "C" const char* __lsan_default_suppressions() { return "leak:iu_plugin_entry\n"; }

namespace iu::test {

const plugin_host::Implementation& docker_v2() {
  static plugin_host::Catalog catalog;
  static std::once_flag once;
  std::call_once(once, [] { plugin_host::load_file(IU_REGISTRY_DOCKER_MODULE, catalog); });
  const plugin_host::Implementation* impl = catalog.find(plugin_host::Kind::registry, "docker-v2");
  if (impl == nullptr) {
    std::string why;
    for (const auto& r : catalog.rejections()) why += " " + r.reason;
    throw std::runtime_error(std::string("registry/docker-v2 not offered by ") +
                             IU_REGISTRY_DOCKER_MODULE + ":" + why);
  }
  return *impl;
}

std::unique_ptr<plugin_host::RegistryInstance> make_registry(
    const std::string& api_url, const std::string& endpoint, const std::string& prefix,
    const std::map<std::string, std::string>& extra) {
  plugin_host::ConfigMap given{{"api_url", api_url},  {"prefix", prefix},
                               {"name", prefix},      {"defaultns", ""},
                               {"insecure", "false"}, {"tagsortmode", "none"}};
  for (const auto& [k, v] : extra) given[k] = v;
  const std::vector<std::string> host_keys{"api_url",   "prefix",   "name",
                                           "defaultns", "insecure", "tagsortmode"};
  plugin_host::ConfigMap config =
      plugin_host::validate_config(docker_v2(), given, "registries.conf: registries[0]", host_keys);
  return std::make_unique<plugin_host::RegistryInstance>(docker_v2(), std::move(config), endpoint);
}

plugin_host::Credentials creds(const std::string& user, const std::string& password,
                               const std::string& identity) {
  return plugin_host::Credentials{user, password, identity};
}

}  // namespace iu::test
