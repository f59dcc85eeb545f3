// One attempt on the wire and what its outcome means: retry (with the reason and the wait),
// a final response, or an error (SPEC §7.5).
#include <string>

#include "http/engine.hpp"
#include "http/retry_policy.hpp"
#include "log/log.hpp"

namespace iu::http {
namespace {

// Bounded pool of reset easy handles: reusing them avoids re-allocating libcurl's per-handle
// buffers for every attempt.
constexpr size_t kEasyPoolSize = 64;

// Worth another attempt of an idempotent request: the connection failed or broke.
bool network_error(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_HTTP2:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

// The server's certificate is not trusted (or ours is unusable): a configuration matter.
bool trust_error(CURLcode code) {
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CERTPROBLEM:
      return true;
    default:
      return false;
  }
}

std::string describe(const Flight& f) { return f.request.method + " " + redact_url(f.request.url); }

}  // namespace

CURL* Engine::take_easy() {
  if (!easy_pool_.empty()) {
    CURL* easy = easy_pool_.back();
    easy_pool_.pop_back();
    return easy;
  }
  return curl_easy_init();
}

void Engine::return_easy(CURL* easy) {
  if (easy == nullptr) return;
  if (easy_pool_.size() >= kEasyPoolSize) {
    curl_easy_cleanup(easy);
    return;
  }
  curl_easy_reset(easy);
  easy_pool_.push_back(easy);
}

void Engine::start(const JobPtr& job, Clock::time_point) {
  Job& j = *job;
  const Flight& f = *j.flight;
  j.config = j.endpoint->config;
  TransferSettings settings;
  settings.insecure = j.config->policy.insecure;
  settings.ca_bundle = j.config->ca_bundle;
  settings.proxy = proxy_for(proxy_, f.url.scheme, f.url.host);
  settings.no_proxy = proxy_.no_proxy;
  settings.share = share_;
  CURL* easy = take_easy();
  if (easy == nullptr) return fail(job, IU_STATUS_INTERNAL, "libcurl cannot create a transfer");
  try {
    j.transfer = std::make_unique<Transfer>(easy, f.request, f.url, settings, &j);
  } catch (const std::exception& e) {
    return_easy(easy);
    return fail(job, IU_STATUS_INTERNAL, e.what());
  }
  if (curl_multi_add_handle(multi_, easy) != CURLM_OK) {
    j.transfer.reset();
    return_easy(easy);
    return fail(job, IU_STATUS_INTERNAL, "libcurl refused the transfer");
  }
  j.easy = easy;
  ++j.attempts;
}

void Engine::harvest() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURLcode code = msg->data.result;
    Job* raw = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &raw);
    // Jobs stay in jobs_ while on the wire (drop() takes them off the wire first).
    auto it = raw != nullptr ? jobs_.find(raw->flight.get()) : jobs_.end();
    if (it == jobs_.end()) continue;
    JobPtr job = it->second;
    TransferResult result = job->transfer->finish(code);
    detach_transfer(*job);
    release_slot(*job);
    settle(job, std::move(result));
  }
}

void Engine::settle(const JobPtr& job, TransferResult r) {
  const Job& j = *job;
  const Request& req = j.flight->request;
  const EndpointPolicy& policy = j.config->policy;
  const int status = r.response.status;
  const bool failed = r.code != CURLE_OK || status == 429 || status >= 500;
  metrics_.attempt(policy.key, req.op, r.seconds, failed);
  if (log::enabled(log::Level::debug)) {
    log::debug("registry request",
               {{"registry", policy.key},
                {"op", req.op},
                {"method", req.method},
                {"url", redact_url(req.url)},
                {"status", r.code == CURLE_OK ? std::to_string(status) : "none"},
                {"error", r.code == CURLE_OK ? "" : r.error_text},
                {"attempt", std::to_string(j.attempts)},
                {"duration_ms", std::to_string(r.seconds * 1000)}});
  }
  const bool may_retry = req.idempotent && j.attempts <= policy.max_retries;

  if (r.code != CURLE_OK) {
    if (r.body_too_large) {
      uint64_t limit = req.max_body_bytes == 0 ? kDefaultMaxBodyBytes : req.max_body_bytes;
      return fail(job, IU_STATUS_INVALID_ARGUMENT,
                  "response body exceeds the limit of " + std::to_string(limit) + " bytes");
    }
    if (trust_error(r.code)) {
      return fail(
          job, IU_STATUS_INVALID_ARGUMENT,
          r.error_text + " (trust the registry's CA with ca_file or ca_data, or set insecure)");
    }
    if (network_error(r.code) && may_retry) return retry_later(job, "network", std::nullopt);
    std::string detail = r.error_text;
    if (j.attempts > 1) detail += " (after " + std::to_string(j.attempts) + " attempts)";
    return fail(job, IU_STATUS_TRANSIENT, detail);
  }

  if (status == 429) metrics_.rate_limited(policy.key);
  std::optional<std::chrono::milliseconds> retry_after;
  if (status == 429 || status == 503) {
    if (auto value = r.response.header("retry-after")) {
      retry_after = parse_retry_after(*value, std::chrono::system_clock::now());
      if (retry_after && retry_after->count() > 0) {
        j.endpoint->bucket.pause_until(Clock::now() + *retry_after);
        if (*retry_after > policy.max_retry_after) {
          return fail_rate_limited(job, *retry_after,
                                   "HTTP " + std::to_string(status) + " with Retry-After " +
                                       std::string(*value) + " (the maximum is " +
                                       std::to_string(policy.max_retry_after.count() / 1000) +
                                       "s)");
        }
      }
    }
  }
  RetryReason reason = retry_reason_for_status(status);
  if (reason != RetryReason::none && may_retry)
    return retry_later(job, reason_label(reason), retry_after);
  succeed(job, std::move(r.response));
}

void Engine::retry_later(const JobPtr& job, std::string_view reason,
                         std::optional<std::chrono::milliseconds> retry_after) {
  const EndpointPolicy& policy = job->config->policy;
  metrics_.retry(policy.key, reason);
  auto wait = retry_wait(job->attempts - 1, retry_after, rng_);
  if (log::enabled(log::Level::debug)) {
    log::debug("retrying registry request", {{"registry", policy.key},
                                             {"op", job->flight->request.op},
                                             {"url", redact_url(job->flight->request.url)},
                                             {"reason", std::string(reason)},
                                             {"wait_ms", std::to_string(wait.count())}});
  }
  backoff_.emplace(Clock::now() + wait, job);
}

void Engine::fail(const JobPtr& job, iu_status status, const std::string& detail) {
  finish_job(*job);
  const Flight& f = *job->flight;
  job->flight->fail(
      HttpError(status, "registry " + f.endpoint_key + ": " + describe(f) + ": " + detail));
}

void Engine::fail_rate_limited(const JobPtr& job, std::chrono::milliseconds wait,
                               const std::string& detail) {
  finish_job(*job);
  const Flight& f = *job->flight;
  auto seconds = (wait.count() + 999) / 1000;
  job->flight->fail(HttpError(IU_STATUS_RATE_LIMITED, "rate limited by " + f.endpoint_key +
                                                          " for " + std::to_string(seconds) +
                                                          "s: " + describe(f) + ": " + detail));
}

void Engine::succeed(const JobPtr& job, Response response) {
  finish_job(*job);
  job->flight->finish(std::move(response));
}

void Engine::finish_job(Job& job) {
  job.finished = true;
  detach_transfer(job);
  release_slot(job);
  jobs_.erase(job.flight.get());
}

void Engine::detach_transfer(Job& job) {
  if (job.easy == nullptr) return;
  curl_multi_remove_handle(multi_, job.easy);
  job.transfer.reset();
  return_easy(job.easy);
  job.easy = nullptr;
}

}  // namespace iu::http
