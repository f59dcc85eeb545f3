#include "http/http_metrics.hpp"

#include "metrics/registry.hpp"

namespace iu::http {
namespace {

constexpr std::string_view kPrefix = "argocd_image_updater_";

uint64_t declare(metrics::Type type, std::string_view name, const char* help,
                 std::vector<std::string> labels) {
  // Histograms use the registry buckets of SPEC §13.1 (0.01 ... 60 s), the registry's default.
  return metrics::Registry::global().declare(type, std::string(kPrefix) + std::string(name), help,
                                             std::move(labels));
}

}  // namespace

HttpMetrics::HttpMetrics()
    : requests_(declare(metrics::Type::counter, "registry_requests_total",
                        "HTTP requests sent to a registry (every attempt)", {"registry"})),
      failed_(declare(metrics::Type::counter, "registry_requests_failed_total",
                      "Registry requests that ended in a transport error, 429 or 5xx",
                      {"registry"})),
      duration_(declare(metrics::Type::histogram, "registry_request_duration_seconds",
                        "Duration of one registry request attempt", {"registry", "op"})),
      retries_(declare(metrics::Type::counter, "registry_retries_total",
                       "Registry requests repeated, by reason", {"registry", "reason"})),
      rate_limited_(declare(metrics::Type::counter, "registry_rate_limited_total",
                            "HTTP 429 answers received from a registry", {"registry"})),
      inflight_(declare(metrics::Type::gauge, "registry_inflight_requests",
                        "Registry requests currently on the wire", {"registry"})),
      throttle_(declare(metrics::Type::histogram, "registry_throttle_wait_seconds",
                        "Time a registry request waited for a rate-limit token", {"registry"})),
      singleflight_(declare(metrics::Type::counter, "singleflight_total",
                            "Requests that led or joined a shared flight", {"op", "role"})) {}

void HttpMetrics::attempt(const std::string& registry, const std::string& op, double seconds,
                          bool failed) {
  auto& r = metrics::Registry::global();
  r.update(requests_, {registry}, 1);
  if (failed) r.update(failed_, {registry}, 1);
  r.update(duration_, {registry, op}, seconds);
}

void HttpMetrics::retry(const std::string& registry, std::string_view reason) {
  metrics::Registry::global().update(retries_, {registry, std::string(reason)}, 1);
}

void HttpMetrics::rate_limited(const std::string& registry) {
  metrics::Registry::global().update(rate_limited_, {registry}, 1);
}

void HttpMetrics::inflight(const std::string& registry, int count) {
  metrics::Registry::global().update(inflight_, {registry}, count);
}

void HttpMetrics::throttle_wait(const std::string& registry, double seconds) {
  metrics::Registry::global().update(throttle_, {registry}, seconds);
}

void HttpMetrics::singleflight(const std::string& op, bool leader) {
  metrics::Registry::global().update(singleflight_, {op, leader ? "leader" : "follower"}, 1);
}

}  // namespace iu::http
