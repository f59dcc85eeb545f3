// From accepted webhook events to check triggers (SPEC §12.3), and the per-hour request limit.
//
// Coalescing: the first event for a (registry, repository) pair fires a trigger at once, so a
// push reaches the engine without waiting; further events for the pair within the coalesce
// window merge into ONE trailing trigger fired when the window ends. A burst of N pushes thus
// costs at most two checks, and the latency of a lone push is not the window.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "webhook/webhook.hpp"

namespace iu::webhook {

struct Trigger {
  std::string registry;    // canonical host ("docker.io" for Docker Hub)
  std::string repository;  // full repository path as the registry names it
  std::set<std::string> tags;
  std::set<std::string> digests;
  std::string type;  // the webhook type of the (last) event, for metrics
};

class TriggerQueue {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Result { accepted, coalesced };

  // `fire` runs on the queue's thread (immediate triggers run on the caller's thread).
  TriggerQueue(std::chrono::milliseconds window, std::function<void(Trigger)> fire);
  ~TriggerQueue();
  TriggerQueue(const TriggerQueue&) = delete;
  TriggerQueue& operator=(const TriggerQueue&) = delete;

  // `type`: the webhook type that reported the event ("registry", ...), passed on in Trigger.
  Result add(const Event& event, const std::string& type = {});

 private:
  struct Pending {
    Clock::time_point window_end;
    bool has_trailing = false;
    Trigger trailing;
  };
  void run();

  std::chrono::milliseconds window_;
  std::function<void(Trigger)> fire_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::pair<std::string, std::string>, Pending> pending_;
  bool stop_ = false;
  std::thread thread_;
};

// At most `allowed` accepted requests in any rolling hour; 0 = unlimited.
class HourlyLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit HourlyLimiter(long long allowed) : allowed_(allowed) {}
  // True and counted when allowed; otherwise false with *retry_after_s set.
  bool allow(Clock::time_point now, long long* retry_after_s);

 private:
  long long allowed_;
  std::mutex mu_;
  std::deque<Clock::time_point> accepted_;
};

}  // namespace iu::webhook
