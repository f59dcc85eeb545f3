#include "http/engine.hpp"

#include <algorithm>
#include <stdexcept>

namespace iu::http {
namespace {

// SPEC §7.4: connections per host and idle connections kept overall.
constexpr long kMaxHostConnections = 30;
constexpr long kMaxCachedConnections = 1000;
// The loop wakes at least this often even when nothing is due (cheap; bounds any missed wake-up).
constexpr std::chrono::milliseconds kMaxPoll{1000};

}  // namespace

Engine::Engine(HttpMetrics& metrics, ProxySettings proxy)
    : metrics_(metrics), proxy_(std::move(proxy)), rng_(std::random_device{}()) {
  multi_ = curl_multi_init();
  share_ = curl_share_init();
  if (multi_ == nullptr || share_ == nullptr) {
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
    if (share_ != nullptr) curl_share_cleanup(share_);
    throw std::runtime_error("HTTP service: libcurl cannot create its multi or share handle");
  }
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, kMaxHostConnections);
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, kMaxCachedConnections);
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING, long{CURLPIPE_MULTIPLEX});
  // The multi handle already shares connections and DNS among its transfers; TLS sessions
  // are per easy handle unless shared. Only the transfer thread uses the share: no locks.
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  thread_ = std::thread([this] { run(); });
}

Engine::~Engine() {
  {
    std::lock_guard lock(inbox_mu_);
    stopping_ = true;
    curl_multi_wakeup(multi_);
  }
  thread_.join();
  for (CURL* easy : easy_pool_) curl_easy_cleanup(easy);
  curl_multi_cleanup(multi_);
  curl_share_cleanup(share_);
}

bool Engine::submit(std::shared_ptr<Flight> flight) {
  // Wake-ups happen under the inbox lock: once stopping_ is set nobody touches multi_ again,
  // so the destructor may clean it up after joining.
  std::lock_guard lock(inbox_mu_);
  if (stopping_) return false;
  submitted_.push_back(std::move(flight));
  curl_multi_wakeup(multi_);
  return true;
}

void Engine::abandon(std::shared_ptr<Flight> flight) {
  std::lock_guard lock(inbox_mu_);
  if (stopping_) return;
  abandoned_.push_back(std::move(flight));
  curl_multi_wakeup(multi_);
}

void Engine::set_policy(std::shared_ptr<const EndpointConfig> config) {
  std::lock_guard lock(inbox_mu_);
  if (stopping_) return;
  policies_.push_back(std::move(config));
  curl_multi_wakeup(multi_);
}

void Engine::run() {
  while (drain_inbox()) {
    auto now = Clock::now();
    fire_timers(now);
    for (auto& [key, ep] : endpoints_) pump(*ep, now);
    int running = 0;
    curl_multi_perform(multi_, &running);
    harvest();
    now = Clock::now();
    // Slots freed by finished attempts go to the next in line right away.
    for (auto& [key, ep] : endpoints_) pump(*ep, now);
    curl_multi_poll(multi_, nullptr, 0, poll_timeout_ms(Clock::now()), nullptr);
  }
  shutdown();
}

bool Engine::drain_inbox() {
  std::vector<std::shared_ptr<Flight>> submitted, abandoned;
  std::vector<std::shared_ptr<const EndpointConfig>> policies;
  {
    std::lock_guard lock(inbox_mu_);
    if (stopping_) return false;
    submitted.swap(submitted_);
    abandoned.swap(abandoned_);
    policies.swap(policies_);
  }
  auto now = Clock::now();
  for (auto& config : policies) {
    // A new endpoint's bucket starts full, at the new capacity.
    Endpoint& ep = endpoint(config->policy.key);
    ep.config = config;
    ep.bucket.set_rate(config->policy.rate_limit_rps, now);
  }
  for (auto& flight : submitted) {
    if (flight->abandoned()) continue;
    auto job = std::make_shared<Job>();
    job->flight = flight;
    job->endpoint = &endpoint(flight->endpoint_key);
    jobs_[flight.get()] = job;
    admit(job);
  }
  for (auto& flight : abandoned) drop(flight);
  return true;
}

Engine::Endpoint& Engine::endpoint(const std::string& key) {
  auto& slot = endpoints_[key];
  if (!slot) {
    // A key nobody configured: the defaults of EndpointPolicy under that key.
    auto config = std::make_shared<EndpointConfig>();
    config->policy.key = key;
    slot = std::make_unique<Endpoint>(
        Endpoint{config, TokenBucket(config->policy.rate_limit_rps, Clock::now()), 0, {}, {}});
  }
  return *slot;
}

void Engine::admit(const JobPtr& job) { job->endpoint->slot_queue.push_back(job); }

void Engine::pump(Endpoint& ep, Clock::time_point now) {
  const EndpointPolicy& policy = ep.config->policy;
  while (ep.inflight < policy.max_inflight && !ep.slot_queue.empty()) {
    JobPtr job = std::move(ep.slot_queue.front());
    ep.slot_queue.pop_front();
    if (job->finished) continue;
    job->holds_slot = true;
    metrics_.inflight(policy.key, ++ep.inflight);
    if (job->flight->request.bypass_rate_limit) {
      start(job, now);
    } else {
      job->token_queued_at = now;
      ep.token_queue.push_back(std::move(job));
    }
  }
  while (!ep.token_queue.empty()) {
    JobPtr job = ep.token_queue.front();
    if (job->finished) {
      ep.token_queue.pop_front();
      continue;
    }
    // A pause longer than the endpoint tolerates fails at once instead of queueing.
    auto paused = ep.bucket.paused_until();
    if (paused > now && paused - now > policy.max_retry_after) {
      ep.token_queue.pop_front();
      fail_rate_limited(job, std::chrono::ceil<std::chrono::milliseconds>(paused - now),
                        "the registry asked to pause all requests (Retry-After)");
      continue;
    }
    if (!ep.bucket.try_take(now)) break;
    ep.token_queue.pop_front();
    metrics_.throttle_wait(policy.key,
                           std::chrono::duration<double>(now - job->token_queued_at).count());
    start(job, now);
  }
}

void Engine::release_slot(Job& job) {
  if (!job.holds_slot) return;
  job.holds_slot = false;
  Endpoint& ep = *job.endpoint;
  metrics_.inflight(ep.config->policy.key, --ep.inflight);
}

void Engine::fire_timers(Clock::time_point now) {
  while (!backoff_.empty() && backoff_.begin()->first <= now) {
    JobPtr job = std::move(backoff_.begin()->second);
    backoff_.erase(backoff_.begin());
    if (!job->finished) admit(job);
  }
}

int Engine::poll_timeout_ms(Clock::time_point now) const {
  Clock::time_point next = now + kMaxPoll;
  if (!backoff_.empty()) next = std::min(next, backoff_.begin()->first);
  for (const auto& [key, ep] : endpoints_) {
    if (!ep->slot_queue.empty() && ep->inflight < ep->config->policy.max_inflight) return 0;
    if (!ep->token_queue.empty()) next = std::min(next, ep->bucket.next_available(now));
  }
  if (next <= now) return 0;
  return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(next - now).count());
}

void Engine::drop(const std::shared_ptr<Flight>& flight) {
  auto it = jobs_.find(flight.get());
  if (it == jobs_.end()) return;  // already finished
  JobPtr job = it->second;
  finish_job(*job);
}

void Engine::shutdown() {
  {
    std::lock_guard lock(inbox_mu_);
    for (auto& flight : submitted_) {
      flight->fail(HttpError(IU_STATUS_CANCELLED, "registry " + flight->endpoint_key + ": " +
                                                      flight->request.method + " " +
                                                      redact_url(flight->request.url) +
                                                      ": the HTTP service stopped"));
    }
    submitted_.clear();
    abandoned_.clear();
  }
  std::vector<JobPtr> jobs;
  for (auto& [flight, job] : jobs_) jobs.push_back(job);
  for (auto& job : jobs) fail(job, IU_STATUS_CANCELLED, "the HTTP service stopped");
  backoff_.clear();
  endpoints_.clear();
}

}  // namespace iu::http
