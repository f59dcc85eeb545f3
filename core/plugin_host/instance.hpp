// Host-side handle of one plugin instance: validated configuration, create/destroy, and the
// calling discipline (a fresh iu_call per call; calls serialised unless the factory declared
// IU_FACTORY_CONCURRENT; a non-OK status becomes a PluginError with the plugin's message).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>

#include "plugin_host/call.hpp"
#include "plugin_host/catalog.hpp"

namespace iu::plugin_host {

using ConfigMap = std::map<std::string, std::string>;

// A configuration problem; what() is "<object>: <key>: <problem>" (SPEC §14).
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Validates and defaults `given` against the implementation's declared keys. Keys in
// `host_keys` are provided by the host for every instance of the kind and pass through.
// Unknown keys, missing required keys and values of the wrong type throw ConfigError naming
// `object` and the key. Durations are normalised to milliseconds, booleans to "true"/"false".
ConfigMap validate_config(const Implementation& impl, const ConfigMap& given,
                          std::string_view object, const std::vector<std::string>& host_keys = {});

class Instance {
 public:
  Instance(const Implementation& impl, ConfigMap config, std::string endpoint = {});
  virtual ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  const Implementation& implementation() const { return *ctx_.impl; }
  const ConfigMap& config() const { return ctx_.config; }

  // Cancels every call in progress (they see host->cancelled() == 1) and all later ones.
  void cancel() { cancelled_.store(true); }

 protected:
  // Runs fn(call) under the calling discipline; `op` names the operation in errors.
  void invoke(std::string_view op, const std::function<iu_status(iu_call*)>& fn) const;
  void* handle() const { return handle_; }
  // Called by the derived constructor: creates the plugin-side instance.
  void create(iu_status (*create_fn)(iu_call*, void**), void (*destroy_fn)(void*));

 private:
  InstanceContext ctx_;
  void* handle_ = nullptr;
  void (*destroy_)(void*) = nullptr;
  mutable std::mutex mu_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace iu::plugin_host
