// Back-off, jitter, Retry-After parsing and which statuses are retried (pure functions).
#include "http/retry_policy.hpp"

#include <gtest/gtest.h>

#include <ctime>

namespace iu::http {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

TEST(Backoff, DoublesFrom500msAndCapsAt30s) {
  EXPECT_EQ(backoff_ceiling(0), 500ms);
  EXPECT_EQ(backoff_ceiling(1), 1000ms);
  EXPECT_EQ(backoff_ceiling(2), 2000ms);
  EXPECT_EQ(backoff_ceiling(5), 16000ms);
  EXPECT_EQ(backoff_ceiling(6), 30000ms);
  EXPECT_EQ(backoff_ceiling(62), 30000ms);
  EXPECT_EQ(backoff_ceiling(1000), 30000ms);
}

TEST(Backoff, FullJitterIsUniformWithinZeroAndCeiling) {
  std::mt19937_64 rng(42);
  milliseconds lo = 1h, hi = 0ms;
  double sum = 0;
  constexpr int kN = 4000;
  for (int i = 0; i < kN; ++i) {
    auto d = full_jitter(1000ms, rng);
    ASSERT_GE(d, 0ms);
    ASSERT_LE(d, 1000ms);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
    sum += static_cast<double>(d.count());
  }
  EXPECT_LT(lo, 20ms);   // reaches near zero ...
  EXPECT_GT(hi, 980ms);  // ... and near the ceiling
  EXPECT_NEAR(sum / kN, 500, 30);
  EXPECT_EQ(full_jitter(0ms, rng), 0ms);
}

TEST(Backoff, RetryAfterRaisesTheWait) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 100; ++i) {
    EXPECT_GE(retry_wait(0, 3s, rng), 3s);
    EXPECT_LE(retry_wait(0, 3s, rng), 3s);  // 3 s is above the 500 ms ceiling: exactly 3 s
    EXPECT_LE(retry_wait(0, std::nullopt, rng), 500ms);
    EXPECT_LE(retry_wait(3, 1ms, rng), 4000ms);
  }
}

TEST(RetryAfter, Seconds) {
  auto now = std::chrono::system_clock::now();
  EXPECT_EQ(parse_retry_after("120", now), milliseconds(120000));
  EXPECT_EQ(parse_retry_after(" 0 ", now), milliseconds(0));
  EXPECT_EQ(parse_retry_after("1", now), milliseconds(1000));
}

TEST(RetryAfter, HugeSecondsSaturateInsteadOfOverflowing) {
  auto now = std::chrono::system_clock::now();
  auto v = parse_retry_after("99999999999999999999999", now);
  ASSERT_TRUE(v);
  EXPECT_GT(*v, milliseconds(1000LL * 3600 * 24 * 365 * 1000));
}

TEST(RetryAfter, HttpDatesInAllThreeFormats) {
  // 2030-01-01T00:00:00Z
  auto at = std::chrono::system_clock::from_time_t(1893456000);
  auto now = at - 90s;
  EXPECT_EQ(parse_retry_after("Tue, 01 Jan 2030 00:00:00 GMT", now), milliseconds(90000));
  EXPECT_EQ(parse_retry_after("Tuesday, 01-Jan-30 00:00:00 GMT", now), milliseconds(90000));
  EXPECT_EQ(parse_retry_after("Tue Jan  1 00:00:00 2030", now), milliseconds(90000));
}

TEST(RetryAfter, DateInThePastMeansNoWait) {
  auto now = std::chrono::system_clock::from_time_t(1893456000);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), milliseconds(0));
}

TEST(RetryAfter, GarbageIsIgnored) {
  auto now = std::chrono::system_clock::now();
  EXPECT_FALSE(parse_retry_after("", now));
  EXPECT_FALSE(parse_retry_after("soon", now));
  EXPECT_FALSE(parse_retry_after("-5", now));
  EXPECT_FALSE(parse_retry_after("1.5", now));
}

TEST(RetryReasons, OnlyThrottlingAndGatewayStatusesAreRetried) {
  EXPECT_EQ(retry_reason_for_status(429), RetryReason::too_many_requests);
  EXPECT_EQ(retry_reason_for_status(502), RetryReason::server_error);
  EXPECT_EQ(retry_reason_for_status(503), RetryReason::server_error);
  EXPECT_EQ(retry_reason_for_status(504), RetryReason::server_error);
  for (int s : {200, 301, 400, 401, 403, 404, 500, 501, 505})
    EXPECT_EQ(retry_reason_for_status(s), RetryReason::none) << s;
  EXPECT_EQ(reason_label(RetryReason::too_many_requests), "429");
  EXPECT_EQ(reason_label(RetryReason::server_error), "5xx");
  EXPECT_EQ(reason_label(RetryReason::network), "network");
}

}  // namespace
}  // namespace iu::http
