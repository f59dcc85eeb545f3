// Token bucket of one registry endpoint (SPEC §7.5): refills `rate` tokens per second up to a
// capacity of max(1, ceil(rate)); every request takes one token. A rate of 0 means unlimited.
// A pause (Retry-After) holds every token back until it ends; the bucket then restarts with
// one token, so a registry that asked us to slow down does not get a full burst at once.
// Pure logic over an injected clock value: not thread-safe, owned by the transfer thread.
#pragma once

#include <chrono>

namespace iu::http {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  // Starts full.
  TokenBucket(double rate_per_second, TimePoint now);

  // Changes the rate (registries.conf reload); the current tokens are kept up to the new
  // capacity.
  void set_rate(double rate_per_second, TimePoint now);
  double rate() const { return rate_; }
  double capacity() const { return capacity_; }

  // Takes one token when one is available at `now`.
  bool try_take(TimePoint now);

  // The earliest time at which try_take can succeed (`now` when it can now).
  TimePoint next_available(TimePoint now) const;

  // No token before `until` (a later pause wins over an earlier one).
  void pause_until(TimePoint until);
  // The end of the current pause; a time in the past when not paused.
  TimePoint paused_until() const { return paused_until_; }

 private:
  double tokens_at(TimePoint now) const;

  double rate_ = 0;
  double capacity_ = 1;
  double tokens_ = 1;  // as of last_
  TimePoint last_;
  TimePoint paused_until_{};
};

}  // namespace iu::http
