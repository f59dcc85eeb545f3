// The host HTTP service (SPEC §7.3-7.5, §13.1): one libcurl multi handle driven by its own
// transfer thread, with the per-registry load controls in front of it — a token bucket, an
// in-flight cap with a FIFO queue, retries with jittered back-off honouring Retry-After, and
// singleflight for identical concurrent requests. Callers block in perform(); the transfer
// thread does all I/O. libcurl stays out of this header.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "iu/plugin.h"

struct iu_call;

namespace iu::http {

// Load controls and TLS settings of one registry endpoint (a registries.conf entry or an
// inferred registry). `key` is the endpoint's identity and its `registry` metric label.
struct EndpointPolicy {
  std::string key;             // e.g. "registry.local:5000"
  double rate_limit_rps = 20;  // token refill per second; capacity max(1, ceil(rps)); 0 = unlimited
  int max_inflight = 30;       // concurrent requests; further ones queue FIFO
  bool insecure = false;       // skip TLS verification (and CA loading)
  std::string ca_file, ca_data;                      // PEM certificates ADDED to the system roots
  int max_retries = 3;                               // --registry-max-retries
  std::chrono::milliseconds max_retry_after{60000};  // --registry-max-retry-after
};

struct Request {
  std::string method = "GET";
  std::string url;  // absolute http(s) URL
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string op = "api";         // metric label: ping, token, tags, manifest, blob, referrers, api
  std::string singleflight_key;   // non-empty: identical concurrent requests share one flight
  std::string aws_sigv4;          // e.g. "aws:amz:us-east-1:ecr": sign with SigV4
  std::string aws_credentials;    // "ACCESS_KEY:SECRET[:SESSION_TOKEN]"; never logged
  bool idempotent = true;         // retried on network errors, 429, 502, 503, 504
  bool follow_redirects = false;  // up to 10; Authorization dropped on cross-host redirects
  bool bypass_rate_limit = false;        // skip the token bucket (never the in-flight cap)
  uint64_t max_body_bytes = 0;           // larger responses fail with INVALID_ARGUMENT; 0 = 16 MiB
  std::chrono::milliseconds timeout{0};  // per attempt; 0 = none beyond the transport timeouts
};

struct Response {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names, in order
  std::string body;
  std::string effective_url;  // after redirects
  int http_version = 0;       // 1 (HTTP/1.x) or 2 (HTTP/2)

  // The first header with this lower-case name.
  std::optional<std::string_view> header(std::string_view name) const;
};

// A request that produced no usable response. status(): TRANSIENT (network errors, retries
// exhausted), RATE_LIMITED (Retry-After beyond the endpoint's maximum), CANCELLED (caller
// cancelled, deadline passed, service stopped), INVALID_ARGUMENT (bad request, body above the
// limit, untrusted certificate). what() names the registry, method and URL (credentials and
// secret query values removed) and the transport error.
class HttpError : public std::runtime_error {
 public:
  HttpError(iu_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  iu_status status() const noexcept { return status_; }

 private:
  iu_status status_;
};

class HttpService {
 public:
  // Starts the transfer thread. Proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and their
  // lower-case forms) are read from the environment here, once, as Go's transport does.
  HttpService();
  // Stops the transfer thread; requests still waiting or in flight fail with CANCELLED.
  ~HttpService();
  HttpService(const HttpService&) = delete;
  HttpService& operator=(const HttpService&) = delete;

  // Adds or replaces the policy for p.key (thread-safe; used on registries.conf reload).
  // Requests already in flight finish under the old TLS settings; queues, tokens and the
  // in-flight count carry over. Throws std::invalid_argument naming the registry and field for
  // a bad policy (negative rate, max_inflight < 1, negative retries, unreadable or invalid
  // ca_file, ca_data without a PEM certificate).
  void set_policy(EndpointPolicy p);

  // Performs the request under the endpoint's policy. An unknown key gets the default policy
  // under that key; "" selects a default policy keyed by the URL's host[:port]. Returns the
  // final response (any HTTP status) after retries; throws HttpError otherwise. `cancel` (may
  // be null) and `deadline` end this caller's wait with CANCELLED; the flight itself stops
  // only when every caller sharing it has given up.
  Response perform(const std::string& endpoint_key, const Request& r,
                   const std::atomic<bool>* cancel = nullptr,
                   std::chrono::steady_clock::time_point deadline =
                       std::chrono::steady_clock::time_point::max());

  // The iu_host_api.http contract (plugin.h): endpoint = call->instance->endpoint, cancellation
  // and deadline from the call. OK after handing the response to on_response; otherwise the
  // status with the message set on call->error.
  iu_status handle(iu_call* call, const iu_http_request* req, iu_http_response_fn on_response,
                   void* user);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iu::http
