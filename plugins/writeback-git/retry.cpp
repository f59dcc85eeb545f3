#include "retry.hpp"

#include <algorithm>
#include <random>
#include <thread>

#include "libgit.hpp"

namespace iu::gitwb {

std::chrono::milliseconds network_delay(const Config& config, int attempts_made) {
  double d = static_cast<double>(config.retry_duration.count());
  for (int i = 1; i < attempts_made; ++i) d *= config.retry_factor;
  d = std::min(d, static_cast<double>(config.retry_max_duration.count()));
  return std::chrono::milliseconds(static_cast<int64_t>(d));
}

std::chrono::milliseconds push_delay(int attempts_made) {
  constexpr int64_t kBaseMs = 250, kCapMs = 8000;
  int shift = std::clamp(attempts_made - 1, 0, 16);
  int64_t ceiling = std::min(kCapMs, kBaseMs << shift);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(0, ceiling)(rng));
}

bool sleep_unless_cancelled(const iu::sdk::Call& call, std::chrono::milliseconds d) {
  auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) {
    if (call.cancelled()) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(50)));
  }
  return !call.cancelled();
}

void with_network_retries(const Config& config, const iu::sdk::Call& call,
                          const std::function<void()>& op) {
  for (int attempt = 1;; ++attempt) {
    try {
      op();
      return;
    } catch (const GitError& e) {
      if (!e.network() || attempt >= config.attempts_count) throw;
      if (!sleep_unless_cancelled(call, network_delay(config, attempt))) throw;
    }
  }
}

}  // namespace iu::gitwb
