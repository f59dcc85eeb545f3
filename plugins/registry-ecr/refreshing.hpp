// A value that expires and is fetched again by one caller at a time (SPEC §7.7: "refreshed by
// one caller while others wait"): AWS temporary credentials and ECR authorization tokens.
//
// get() returns the held value until its refresh time; then the first caller fetches a new one
// while later callers wait for it (polling cancellation every 50 ms). If a refresh fails while
// the held value has not yet expired, the held value is still returned (a short AWS outage
// near a refresh does not fail lookups); after expiry the failure propagates.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>

#include "iu/plugin.hpp"

namespace iu::registry_ecr {

template <typename T>
class Refreshing {
 public:
  using Clock = std::chrono::steady_clock;

  struct Held {
    T value;
    Clock::time_point refresh_at;  // fetch a new one from here on
    Clock::time_point expires_at;  // unusable from here on (>= refresh_at)
  };

  // The current value; `fetch` produces a new one when needed. Throws what `fetch` throws, or
  // iu::sdk::Error(CANCELLED) when the call is cancelled while waiting for another fetch.
  T get(sdk::Call& call, const std::function<Held()>& fetch) {
    std::unique_lock lock(mu_);
    for (;;) {
      if (held_ && Clock::now() < held_->refresh_at) return held_->value;
      if (!fetching_) break;
      if (call.cancelled())
        throw sdk::Error(IU_STATUS_CANCELLED, "cancelled while waiting for a refresh");
      fetched_.wait_for(lock, std::chrono::milliseconds(50));
    }
    fetching_ = true;
    const std::optional<Held> old = held_;
    lock.unlock();
    // Whatever happens, this caller is no longer fetching when it leaves; waiters re-check.
    struct Done {
      Refreshing* self;
      ~Done() {
        std::lock_guard relock(self->mu_);
        self->fetching_ = false;
        self->fetched_.notify_all();
      }
    };
    try {
      Done done{this};
      Held fresh = fetch();
      std::lock_guard relock(mu_);
      held_ = fresh;
      return fresh.value;
    } catch (const sdk::Error& e) {
      if (old && Clock::now() < old->expires_at && e.status() != IU_STATUS_UNAUTHENTICATED)
        return old->value;
      throw;
    }
  }

  // Forgets the held value when `stale(value)` is true (it was just rejected), so that the next
  // get() fetches. Returns whether it was dropped.
  bool drop_if(const std::function<bool(const T&)>& stale) {
    std::lock_guard lock(mu_);
    if (!held_ || !stale(held_->value)) return false;
    held_.reset();
    return true;
  }

 private:
  // A condition variable rather than a timed mutex for the one fetching caller: waiters poll
  // cancellation every 50 ms either way, and ThreadSanitizer (GCC 12) does not see
  // std::timed_mutex's pthread_mutex_clocklock, which made every refresh a false report.
  std::mutex mu_;                    // guards held_ and fetching_
  std::condition_variable fetched_;  // fetching_ became false
  bool fetching_ = false;            // one caller is fetching a new value
  std::optional<Held> held_;
};

}  // namespace iu::registry_ecr
