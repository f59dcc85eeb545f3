// A registry plugin module loaded once per test process, and instances of its implementation
// created the way the registry service creates them (host keys + validated plugin keys).
// Shared by the docker-v2 and ECR plugin tests.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "plugin_host/catalog.hpp"
#include "plugin_host/kinds.hpp"

namespace iu::test {

// The `registry/<type>` implementation of the module at `path` (loaded once per path).
// Throws naming the module and the loader's reasons when it does not offer it.
const plugin_host::Implementation& registry_implementation(const std::string& path,
                                                           const std::string& type);

// An instance with the host keys of an entry (api_url, prefix, name; defaultns empty,
// insecure false, tagsortmode none), overridden or extended by `extra`.
std::unique_ptr<plugin_host::RegistryInstance> registry_instance(
    const plugin_host::Implementation& impl, const std::string& api_url,
    const std::string& endpoint, const std::string& prefix,
    const std::map<std::string, std::string>& extra);

}  // namespace iu::test
