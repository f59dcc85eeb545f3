// Retry decisions of the HTTP service (SPEC §7.5), as pure functions so they can be tested
// without a clock or a network: which outcomes are retried, the jittered back-off, and the
// Retry-After header.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

namespace iu::http {

// Why an attempt is worth repeating; the `reason` label of registry_retries_total.
enum class RetryReason { none, too_many_requests, server_error, network };

// "429", "5xx", "network" ("" for none).
std::string_view reason_label(RetryReason reason);

// 429 -> too_many_requests; 502, 503, 504 -> server_error; anything else -> none.
RetryReason retry_reason_for_status(int status);

// The back-off ceiling before retry number `retry` (0-based): 500 ms * 2^retry, at most 30 s.
std::chrono::milliseconds backoff_ceiling(int retry);

// Full jitter: uniform in [0, ceiling].
std::chrono::milliseconds full_jitter(std::chrono::milliseconds ceiling, std::mt19937_64& rng);

// A Retry-After value (RFC 9110): a non-negative number of seconds, or an HTTP date (IMF-fixdate,
// RFC 850 or asctime), turned into a wait from `now`; a date in the past gives 0. nullopt when
// the value is neither.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

// The wait before the next attempt: the jittered back-off, raised to at least the server's
// Retry-After when it gave one.
std::chrono::milliseconds retry_wait(int retry,
                                     std::optional<std::chrono::milliseconds> retry_after,
                                     std::mt19937_64& rng);

}  // namespace iu::http
