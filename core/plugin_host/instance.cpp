#include "plugin_host/instance.hpp"

#include <algorithm>

#include "util/duration.hpp"

namespace iu::plugin_host {
namespace {

std::string check_value(int32_t type, const std::string& value, std::string* normalised) {
  *normalised = value;
  switch (type) {
    case IU_CONFIG_BOOL: {
      auto b = util::parse_bool(value);
      if (!b) return "invalid boolean \"" + value + "\"";
      *normalised = *b ? "true" : "false";
      return {};
    }
    case IU_CONFIG_INT: {
      size_t i = (!value.empty() && (value[0] == '-' || value[0] == '+')) ? 1 : 0;
      if (i == value.size() || value.size() > 20 ||
          !std::all_of(value.begin() + static_cast<long>(i), value.end(),
                       [](char c) { return c >= '0' && c <= '9'; }))
        return "invalid integer \"" + value + "\"";
      return {};
    }
    case IU_CONFIG_DURATION: {
      std::string err;
      auto d = util::parse_duration(value, &err);
      if (!d) return err;
      *normalised =
          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(*d).count());
      return {};
    }
    case IU_CONFIG_STRING:
    case IU_CONFIG_LIST:
      return {};
    default:
      return "declared with unknown type " + std::to_string(type);
  }
}

}  // namespace

ConfigMap validate_config(const Implementation& impl, const ConfigMap& given,
                          std::string_view object, const std::vector<std::string>& host_keys) {
  const std::string prefix = std::string(object) + ": ";
  ConfigMap out;
  for (const auto& [key, value] : given) {
    if (std::find(host_keys.begin(), host_keys.end(), key) != host_keys.end()) {
      out[key] = value;
      continue;
    }
    auto spec = std::find_if(impl.config_keys.begin(), impl.config_keys.end(),
                             [&](const ConfigKeySpec& s) { return s.name == key; });
    if (spec == impl.config_keys.end()) {
      std::string known;
      for (const auto& s : impl.config_keys) known += (known.empty() ? "" : ", ") + s.name;
      throw ConfigError(prefix + key + ": unknown key for " + std::string(kind_name(impl.kind)) +
                        " \"" + impl.name + "\" (known: " + (known.empty() ? "none" : known) + ")");
    }
    std::string norm;
    if (std::string err = check_value(spec->type, value, &norm); !err.empty())
      throw ConfigError(prefix + key + ": " + err);
    out[key] = norm;
  }
  for (const auto& spec : impl.config_keys) {
    if (out.count(spec.name) != 0) continue;
    if (spec.default_value) {
      std::string norm;
      if (std::string err = check_value(spec.type, *spec.default_value, &norm); !err.empty())
        throw ConfigError(prefix + spec.name + ": plugin default is invalid: " + err);
      out[spec.name] = norm;
    } else if (spec.required) {
      throw ConfigError(prefix + spec.name + ": required by " + std::string(kind_name(impl.kind)) +
                        " \"" + impl.name + "\"");
    }
  }
  return out;
}

Instance::Instance(const Implementation& impl, ConfigMap config, std::string endpoint) {
  ctx_.impl = &impl;
  ctx_.config = std::move(config);
  ctx_.endpoint = std::move(endpoint);
}

Instance::~Instance() {
  if (handle_ != nullptr && destroy_ != nullptr) destroy_(handle_);
}

void Instance::create(iu_status (*create_fn)(iu_call*, void**), void (*destroy_fn)(void*)) {
  destroy_ = destroy_fn;
  invoke("create", [&](iu_call* call) { return create_fn(call, &handle_); });
}

void Instance::invoke(std::string_view op, const std::function<iu_status(iu_call*)>& fn) const {
  iu_call call;
  call.instance = &ctx_;
  call.cancel = &cancelled_;
  iu_status st;
  if (ctx_.impl->concurrent()) {
    st = fn(&call);
  } else {
    std::lock_guard lock(mu_);
    st = fn(&call);
  }
  if (st == IU_STATUS_OK) return;
  std::string msg = std::string(kind_name(ctx_.impl->kind)) + " \"" + ctx_.impl->name +
                    "\": " + std::string(op) + ": " +
                    (call.error.empty() ? std::string(status_name(st)) : call.error);
  throw PluginError(st, msg);
}

}  // namespace iu::plugin_host
