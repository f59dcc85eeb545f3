#include "registry_module.hpp"

#include <mutex>
#include <stdexcept>

#include "plugin_host/instance.hpp"
#include "plugin_host/loader.hpp"

// LeakSanitizer: the factory storage IU_PLUGIN's entry point allocates lives for the process
// by design (ABI rule 1), but the macro's function-local vector that points at it is destroyed
// at exit while the module stays loaded, so LSan reports it. Suppressed for allocations made
// inside the entry point only; the plugin's per-call allocations stay checked.
extern "C" const char* __lsan_default_suppressions() { return "leak:iu_plugin_entry\n"; }

namespace iu::test {

const plugin_host::Implementation& registry_implementation(const std::string& path,
                                                           const std::string& type) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<plugin_host::Catalog>> catalogs;  // by path
  std::lock_guard lock(mu);
  auto& catalog = catalogs[path];
  if (!catalog) {
    catalog = std::make_unique<plugin_host::Catalog>();
    plugin_host::load_file(path, *catalog);
  }
  const plugin_host::Implementation* impl = catalog->find(plugin_host::Kind::registry, type);
  if (impl == nullptr) {
    std::string why;
    for (const auto& r : catalog->rejections()) why += " " + r.reason;
    throw std::runtime_error("registry/" + type + " not offered by " + path + ":" + why);
  }
  return *impl;
}

std::unique_ptr<plugin_host::RegistryInstance> registry_instance(
    const plugin_host::Implementation& impl, const std::string& api_url,
    const std::string& endpoint, const std::string& prefix,
    const std::map<std::string, std::string>& extra) {
  plugin_host::ConfigMap given{{"api_url", api_url},  {"prefix", prefix},
                               {"name", prefix},      {"defaultns", ""},
                               {"insecure", "false"}, {"tagsortmode", "none"}};
  for (const auto& [k, v] : extra) given[k] = v;
  const std::vector<std::string> host_keys{"api_url",   "prefix",   "name",
                                           "defaultns", "insecure", "tagsortmode"};
  plugin_host::ConfigMap config =
      plugin_host::validate_config(impl, given, "registries.conf: registries[0]", host_keys);
  return std::make_unique<plugin_host::RegistryInstance>(impl, std::move(config), endpoint);
}

}  // namespace iu::test
