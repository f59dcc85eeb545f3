// The registry series of SPEC §13.1 that the HTTP service feeds, declared once in the
// process-wide metrics registry. Label values are the endpoint key (`registry`) and the
// request's `op`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace iu::http {

class HttpMetrics {
 public:
  // Declares the series (idempotent across instances).
  HttpMetrics();

  // One attempt sent to the registry and how it ended: `failed` for a transport error, 429
  // or 5xx (a 401 or 404 is an answer, not a failure).
  void attempt(const std::string& registry, const std::string& op, double seconds, bool failed);
  void retry(const std::string& registry, std::string_view reason);
  void rate_limited(const std::string& registry);  // an HTTP 429 was received
  void inflight(const std::string& registry, int count);
  void throttle_wait(const std::string& registry, double seconds);
  void singleflight(const std::string& op, bool leader);

 private:
  uint64_t requests_, failed_, duration_, retries_, rate_limited_, inflight_, throttle_,
      singleflight_;
};

}  // namespace iu::http
