#include "plugin_host/host_api.hpp"

#include <atomic>
#include <limits>
#include <mutex>

#include "log/log.hpp"
#include "metrics/registry.hpp"
#include "plugin_host/call.hpp"
#include "plugin_host/catalog.hpp"

#ifndef IU_VERSION
#define IU_VERSION "0.0.0"
#endif

namespace iu::plugin_host {
namespace {

std::string_view sv(iu_str s) {
  return s.size == 0 ? std::string_view{} : std::string_view(s.data, static_cast<size_t>(s.size));
}

std::mutex g_services_mu;
std::shared_ptr<HostServices> g_services = std::make_shared<HostServices>();

std::shared_ptr<HostServices> services() {
  std::lock_guard lock(g_services_mu);
  return g_services;
}

std::string plugin_label(const iu_call* call) {
  if (call == nullptr || call->instance == nullptr || call->instance->impl == nullptr)
    return "unknown";
  const auto* impl = call->instance->impl;
  return std::string(kind_name(impl->kind)) + "/" + impl->name;
}

void host_log(iu_call* call, int32_t level, iu_str message) {
  int32_t l = level < IU_LOG_TRACE ? IU_LOG_TRACE : level > IU_LOG_ERROR ? IU_LOG_ERROR : level;
  auto lv = static_cast<log::Level>(l);
  if (!log::enabled(lv)) return;
  if (call != nullptr && call->instance != nullptr && !call->instance->endpoint.empty()) {
    log::write(lv, sv(message),
               {{"plugin", plugin_label(call)}, {"registry", call->instance->endpoint}});
  } else {
    log::write(lv, sv(message), {{"plugin", plugin_label(call)}});
  }
}

int32_t host_log_enabled(iu_call*, int32_t level) {
  int32_t l = level < IU_LOG_TRACE ? IU_LOG_TRACE : level > IU_LOG_ERROR ? IU_LOG_ERROR : level;
  return log::enabled(static_cast<log::Level>(l)) ? 1 : 0;
}

void host_set_error(iu_call* call, iu_str message) {
  if (call != nullptr) call->error.assign(sv(message));
}

int32_t host_cancelled(iu_call* call) {
  if (call == nullptr) return 0;
  if (call->cancel != nullptr && call->cancel->load()) return 1;
  return std::chrono::steady_clock::now() >= call->deadline ? 1 : 0;
}

int64_t host_remaining_ms(iu_call* call) {
  if (call == nullptr || call->deadline == std::chrono::steady_clock::time_point::max())
    return std::numeric_limits<int64_t>::max();
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      call->deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : left.count();
}

iu_status host_config_get(iu_call* call, iu_str key, const iu_str_sink* out) {
  if (call == nullptr || call->instance == nullptr || out == nullptr) return IU_STATUS_NOT_FOUND;
  auto it = call->instance->config.find(std::string(sv(key)));
  if (it == call->instance->config.end()) return IU_STATUS_NOT_FOUND;
  out->put(out->user, iu_str{it->second.data(), it->second.size()});
  return IU_STATUS_OK;
}

iu_status host_http(iu_call* call, const iu_http_request* request, iu_http_response_fn fn,
                    void* user) {
  if (request == nullptr || fn == nullptr) return IU_STATUS_INVALID_ARGUMENT;
  return services()->http(call, request, fn, user);
}

iu_status host_resolve_secret(iu_call* call, iu_str ref, iu_str registry_host,
                              const iu_str_sink* out) {
  if (out == nullptr) return IU_STATUS_INVALID_ARGUMENT;
  std::string value;
  iu_status st = services()->resolve_secret(call, sv(ref), sv(registry_host), &value);
  if (st == IU_STATUS_OK) out->put(out->user, iu_str{value.data(), value.size()});
  return st;
}

std::vector<std::string> split_commas(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t c = s.find(',', start);
    out.emplace_back(s.substr(start, c == std::string_view::npos ? s.npos : c - start));
    if (c == std::string_view::npos) break;
    start = c + 1;
  }
  return out;
}

uint64_t host_metric_declare(iu_call* call, int32_t type, iu_str name, iu_str help,
                             iu_str label_names) {
  if (type < IU_METRIC_COUNTER || type > IU_METRIC_HISTOGRAM) return 0;
  try {
    return metrics::Registry::global().declare(static_cast<metrics::Type>(type),
                                               std::string(sv(name)), std::string(sv(help)),
                                               split_commas(sv(label_names)));
  } catch (const std::exception& e) {
    host_set_error(call, iu_str{e.what(), std::char_traits<char>::length(e.what())});
    return 0;
  }
}

void host_metric_update(iu_call*, uint64_t metric, iu_str label_values, double value) {
  metrics::Registry::global().update(metric, split_commas(sv(label_values)), value);
}

}  // namespace

iu_status HostServices::http(iu_call* call, const iu_http_request*, iu_http_response_fn, void*) {
  static constexpr std::string_view msg = "the host HTTP service is not configured in this process";
  if (call != nullptr) call->error.assign(msg);
  return IU_STATUS_UNSUPPORTED;
}

iu_status HostServices::resolve_secret(iu_call* call, std::string_view ref, std::string_view,
                                       std::string*) {
  if (call != nullptr)
    call->error = "credential reference \"" + std::string(ref) +
                  "\": no credential resolver is configured in this process";
  return IU_STATUS_UNSUPPORTED;
}

void set_host_services(std::shared_ptr<HostServices> s) {
  std::lock_guard lock(g_services_mu);
  g_services = s ? std::move(s) : std::make_shared<HostServices>();
}

const iu_host_api* host_api() {
  static const iu_host_api api = {
      sizeof(iu_host_api), IU_ABI_MAJOR,      IU_ABI_MINOR,         IU_VERSION,
      &host_log,           &host_set_error,   &host_cancelled,      &host_remaining_ms,
      &host_config_get,    &host_http,        &host_resolve_secret, &host_metric_declare,
      &host_metric_update, &host_log_enabled,
  };
  return &api;
}

std::string_view status_name(iu_status status) {
  switch (status) {
    case IU_STATUS_OK:
      return "ok";
    case IU_STATUS_NOT_FOUND:
      return "not found";
    case IU_STATUS_UNAUTHENTICATED:
      return "unauthenticated";
    case IU_STATUS_RATE_LIMITED:
      return "rate limited";
    case IU_STATUS_TRANSIENT:
      return "transient";
    case IU_STATUS_CONFLICT:
      return "conflict";
    case IU_STATUS_INVALID_ARGUMENT:
      return "invalid argument";
    case IU_STATUS_UNSUPPORTED:
      return "unsupported";
    case IU_STATUS_INTERNAL:
      return "internal";
    case IU_STATUS_CANCELLED:
      return "cancelled";
    default:
      return "unknown status";
  }
}

}  // namespace iu::plugin_host
