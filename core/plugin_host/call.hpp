// The host side of `iu_call` (opaque to plugins): what one call into a plugin carries.
// Created on the caller's stack for the duration of a single plugin call.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

#include "iu/plugin.h"

namespace iu::plugin_host {

struct Implementation;

// Per-instance state the host keeps: which implementation, its validated configuration, and
// the endpoint identity that scopes host HTTP policy (rate limit, TLS) for registry plugins.
struct InstanceContext {
  const Implementation* impl = nullptr;
  std::map<std::string, std::string> config;  // validated and defaulted
  std::string endpoint;                       // e.g. registry prefix; "" for non-registry instances
};

}  // namespace iu::plugin_host

struct iu_call {
  const iu::plugin_host::InstanceContext* instance = nullptr;
  std::string error;                          // message set by the plugin with host->set_error
  const std::atomic<bool>* cancel = nullptr;  // may be null
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

namespace iu::plugin_host {

// A non-OK status returned by a plugin, with the plugin's message (or a host-made one).
class PluginError : public std::runtime_error {
 public:
  PluginError(iu_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  iu_status status() const noexcept { return status_; }

 private:
  iu_status status_;
};

std::string_view status_name(iu_status status);

}  // namespace iu::plugin_host
