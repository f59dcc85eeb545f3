#include "http/retry_policy.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace iu::http {

using std::chrono::milliseconds;

std::string_view reason_label(RetryReason reason) {
  switch (reason) {
    case RetryReason::too_many_requests:
      return "429";
    case RetryReason::server_error:
      return "5xx";
    case RetryReason::network:
      return "network";
    case RetryReason::none:
      break;
  }
  return "";
}

RetryReason retry_reason_for_status(int status) {
  if (status == 429) return RetryReason::too_many_requests;
  if (status == 502 || status == 503 || status == 504) return RetryReason::server_error;
  return RetryReason::none;
}

milliseconds backoff_ceiling(int retry) {
  constexpr milliseconds base{500};
  constexpr milliseconds cap{30000};
  if (retry < 0) retry = 0;
  // 500 ms << 6 already exceeds the cap; stop shifting before it can overflow.
  if (retry >= 6) return cap;
  return std::min(cap, base * (int64_t{1} << retry));
}

milliseconds full_jitter(milliseconds ceiling, std::mt19937_64& rng) {
  if (ceiling.count() <= 0) return milliseconds{0};
  std::uniform_int_distribution<int64_t> dist(0, ceiling.count());
  return milliseconds{dist(rng)};
}

std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    uint64_t seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    // Absurdly large values saturate: they are far above any max_retry_after anyway.
    constexpr uint64_t kMaxSeconds = uint64_t{1} << 40;
    if (ec == std::errc::result_out_of_range || seconds > kMaxSeconds) seconds = kMaxSeconds;
    (void)end;
    return milliseconds{static_cast<int64_t>(seconds) * 1000};
  }
  // An HTTP date. libcurl's parser knows the three formats RFC 9110 allows.
  std::string text(value);
  time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  auto at = std::chrono::system_clock::from_time_t(when);
  if (at <= now) return milliseconds{0};
  return std::chrono::ceil<milliseconds>(at - now);
}

milliseconds retry_wait(int retry, std::optional<milliseconds> retry_after, std::mt19937_64& rng) {
  milliseconds wait = full_jitter(backoff_ceiling(retry), rng);
  if (retry_after && *retry_after > wait) wait = *retry_after;
  return wait;
}

}  // namespace iu::http
