// Back-off schedules: network attempts of one git operation (ARGOCD_GIT_RETRY_*: first delay,
// multiplier, cap) and rejected-push attempts (SPEC §9.8: 250 ms x 2^n capped at 8 s, full
// jitter). Sleeps end early when the host cancels the call.
#pragma once

#include <chrono>
#include <functional>

#include "iu/plugin.hpp"
#include "settings.hpp"

namespace iu::gitwb {

// Delay before network attempt n+1 (n = attempts made so far, starting at 1).
std::chrono::milliseconds network_delay(const Config& config, int attempts_made);

// Full-jitter delay before push attempt n+1: uniform in [0, min(8 s, 250 ms * 2^(n-1))].
std::chrono::milliseconds push_delay(int attempts_made);

// Sleeps `d` in small steps; returns false (early) when the call was cancelled.
bool sleep_unless_cancelled(const iu::sdk::Call& call, std::chrono::milliseconds d);

// Runs `op` up to config.attempts_count times while it throws a network GitError, sleeping
// network_delay() in between. Other exceptions, and the last network error, propagate.
void with_network_retries(const Config& config, const iu::sdk::Call& call,
                          const std::function<void()>& op);

}  // namespace iu::gitwb
