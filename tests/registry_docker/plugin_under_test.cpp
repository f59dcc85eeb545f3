#include "plugin_under_test.hpp"

#include "registry_module.hpp"

#ifndef IU_REGISTRY_DOCKER_MODULE
#error "IU_REGISTRY_DOCKER_MODULE must name the built registry-docker.so"
#endif

namespace iu::test {

const plugin_host::Implementation& docker_v2() {
  return registry_implementation(IU_REGISTRY_DOCKER_MODULE, "docker-v2");
}

std::unique_ptr<plugin_host::RegistryInstance> make_registry(
    const std::string& api_url, const std::string& endpoint, const std::string& prefix,
    const std::map<std::string, std::string>& extra) {
  return registry_instance(docker_v2(), api_url, endpoint, prefix, extra);
}

plugin_host::Credentials creds(const std::string& user, const std::string& password,
                               const std::string& identity) {
  return plugin_host::Credentials{user, password, identity};
}

}  // namespace iu::test
