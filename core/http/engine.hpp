// The transfer thread: one libcurl multi handle (curl_multi_poll + curl_multi_wakeup) and the
// per-endpoint load controls in front of it. All of its state is touched by that thread only;
// other threads talk to it through a small inbox.
//
// Life of a flight, per attempt: wait FIFO for one of the endpoint's in-flight slots, then
// FIFO for a token of its bucket (unless it bypasses the rate limit), then the transfer. The
// slot is released when the attempt ends, so a retry's back-off never holds one. Taking the
// slot before the token keeps the send rate within the bucket even when slots free up in a
// burst.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/flight.hpp"
#include "http/http_metrics.hpp"
#include "http/proxy.hpp"
#include "http/token_bucket.hpp"
#include "http/transfer.hpp"

namespace iu::http {

// A validated policy with its prepared trust store.
struct EndpointConfig {
  EndpointPolicy policy;
  std::shared_ptr<const std::string> ca_bundle;  // null: system roots only
};

class Engine {
 public:
  using Clock = std::chrono::steady_clock;

  Engine(HttpMetrics& metrics, ProxySettings proxy);
  // Stops the thread; every flight not finished fails with CANCELLED.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Hands a new flight to the transfer thread; false once the engine is stopping.
  bool submit(std::shared_ptr<Flight> flight);
  // Every waiter of `flight` gave up: drop it wherever it is (queue, back-off, wire).
  void abandon(std::shared_ptr<Flight> flight);
  void set_policy(std::shared_ptr<const EndpointConfig> config);

 private:
  struct Endpoint;
  struct Job {
    std::shared_ptr<Flight> flight;
    Endpoint* endpoint = nullptr;
    int attempts = 0;  // attempts started
    bool holds_slot = false;
    bool finished = false;  // completed or dropped: queue entries left behind are skipped
    Clock::time_point token_queued_at;
    CURL* easy = nullptr;  // while on the wire
    std::unique_ptr<Transfer> transfer;
    std::shared_ptr<const EndpointConfig> config;  // of the running attempt (keeps the CA alive)
  };
  using JobPtr = std::shared_ptr<Job>;
  struct Endpoint {
    std::shared_ptr<const EndpointConfig> config;
    TokenBucket bucket;
    int inflight = 0;
    std::deque<JobPtr> slot_queue, token_queue;
  };

  // engine.cpp: the loop, the inbox and the queues.
  void run();
  bool drain_inbox();  // false when stopping
  Endpoint& endpoint(const std::string& key);
  void admit(const JobPtr& job);
  void pump(Endpoint& ep, Clock::time_point now);
  void release_slot(Job& job);
  void fire_timers(Clock::time_point now);
  int poll_timeout_ms(Clock::time_point now) const;
  void drop(const std::shared_ptr<Flight>& flight);
  void shutdown();

  // engine_attempt.cpp: one attempt on the wire and what its outcome means.
  void start(const JobPtr& job, Clock::time_point now);
  void harvest();
  void settle(const JobPtr& job, TransferResult result);
  void retry_later(const JobPtr& job, std::string_view reason,
                   std::optional<std::chrono::milliseconds> retry_after);
  void fail(const JobPtr& job, iu_status status, const std::string& detail);
  void fail_rate_limited(const JobPtr& job, std::chrono::milliseconds wait,
                         const std::string& detail);
  void succeed(const JobPtr& job, Response response);
  void finish_job(Job& job);
  void detach_transfer(Job& job);
  CURL* take_easy();
  void return_easy(CURL* easy);

  HttpMetrics& metrics_;
  const ProxySettings proxy_;
  CURLM* multi_ = nullptr;
  CURLSH* share_ = nullptr;
  std::vector<CURL*> easy_pool_;
  std::unordered_map<std::string, std::unique_ptr<Endpoint>> endpoints_;
  std::unordered_map<const Flight*, JobPtr> jobs_;
  std::multimap<Clock::time_point, JobPtr> backoff_;
  std::mt19937_64 rng_;

  // Inbox (guarded by inbox_mu_).
  std::mutex inbox_mu_;
  bool stopping_ = false;
  std::vector<std::shared_ptr<Flight>> submitted_, abandoned_;
  std::vector<std::shared_ptr<const EndpointConfig>> policies_;

  std::thread thread_;
};

}  // namespace iu::http
