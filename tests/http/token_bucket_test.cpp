// TokenBucket over an injected clock: capacity, refill, pause, rate changes.
#include "http/token_bucket.hpp"

#include <gtest/gtest.h>

namespace iu::http {
namespace {

using namespace std::chrono_literals;
using TP = TokenBucket::TimePoint;

TP t0() { return TP{} + 1000s; }

int take_all(TokenBucket& b, TP now) {
  int n = 0;
  while (b.try_take(now) && n < 1000) ++n;
  return n;
}

TEST(TokenBucket, StartsFullWithCapacityCeilOfRate) {
  TokenBucket b(20, t0());
  EXPECT_EQ(b.capacity(), 20);
  EXPECT_EQ(take_all(b, t0()), 20);
  TokenBucket fractional(2.5, t0());
  EXPECT_EQ(fractional.capacity(), 3);
  EXPECT_EQ(take_all(fractional, t0()), 3);
}

TEST(TokenBucket, SlowRateStillHasOneToken) {
  TokenBucket b(0.5, t0());
  EXPECT_EQ(b.capacity(), 1);
  EXPECT_TRUE(b.try_take(t0()));
  EXPECT_FALSE(b.try_take(t0() + 1s));
  EXPECT_EQ(b.next_available(t0() + 1s), t0() + 2s);
  EXPECT_TRUE(b.try_take(t0() + 2s));
}

TEST(TokenBucket, RefillsAtTheRateAndNoFaster) {
  TokenBucket b(10, t0());
  ASSERT_EQ(take_all(b, t0()), 10);
  EXPECT_FALSE(b.try_take(t0() + 99ms));
  auto next = b.next_available(t0());
  EXPECT_GE(next, t0() + 100ms);
  EXPECT_LE(next, t0() + 101ms);
  EXPECT_TRUE(b.try_take(next));
  // Half a second later: five more tokens, not six.
  EXPECT_EQ(take_all(b, next + 500ms), 5);
}

TEST(TokenBucket, NeverExceedsCapacityAfterIdling) {
  TokenBucket b(5, t0());
  take_all(b, t0());
  EXPECT_EQ(take_all(b, t0() + 1h), 5);
}

TEST(TokenBucket, RequestsOverAnyWindowStayWithinBurstPlusRate) {
  // Greedy consumer: take whenever possible over 3 simulated seconds in 1 ms steps.
  TokenBucket b(50, t0());
  std::vector<TP> taken;
  for (auto now = t0(); now < t0() + 3s; now += 1ms)
    while (b.try_take(now)) taken.push_back(now);
  ASSERT_GE(taken.size(), 190u);  // 50 burst + 150 refilled (minus rounding)
  ASSERT_LE(taken.size(), 200u);
  for (size_t i = 0; i < taken.size(); ++i) {
    for (size_t j = i; j < taken.size(); ++j) {
      double window = std::chrono::duration<double>(taken[j] - taken[i]).count();
      ASSERT_LE(double(j - i + 1), 50 + 50 * window + 1e-6) << "window " << window;
    }
  }
}

TEST(TokenBucket, ZeroRateIsUnlimited) {
  TokenBucket b(0, t0());
  EXPECT_EQ(take_all(b, t0()), 1000);  // take_all's own bound
  EXPECT_EQ(b.next_available(t0()), t0());
}

TEST(TokenBucket, PauseHoldsTokensAndRestartsWithOne) {
  TokenBucket b(10, t0());
  b.pause_until(t0() + 2s);
  EXPECT_FALSE(b.try_take(t0()));
  EXPECT_FALSE(b.try_take(t0() + 1999ms));
  EXPECT_EQ(b.next_available(t0()), t0() + 2s);
  EXPECT_TRUE(b.try_take(t0() + 2s));
  EXPECT_FALSE(b.try_take(t0() + 2s));  // no burst after a pause
  EXPECT_TRUE(b.try_take(t0() + 2s + 100ms));
}

TEST(TokenBucket, PauseAppliesToUnlimitedBucketsToo) {
  TokenBucket b(0, t0());
  b.pause_until(t0() + 1s);
  EXPECT_FALSE(b.try_take(t0()));
  EXPECT_EQ(b.next_available(t0()), t0() + 1s);
  EXPECT_TRUE(b.try_take(t0() + 1s));
}

TEST(TokenBucket, LaterPauseWinsEarlierIsIgnored) {
  TokenBucket b(10, t0());
  b.pause_until(t0() + 5s);
  b.pause_until(t0() + 1s);
  EXPECT_EQ(b.paused_until(), t0() + 5s);
  EXPECT_FALSE(b.try_take(t0() + 3s));
}

TEST(TokenBucket, SetRateKeepsTokensUpToTheNewCapacity) {
  TokenBucket b(20, t0());
  b.set_rate(5, t0());
  EXPECT_EQ(b.capacity(), 5);
  EXPECT_EQ(take_all(b, t0()), 5);
  b.set_rate(100, t0());
  EXPECT_EQ(take_all(b, t0()), 0);  // raising the rate does not mint tokens
  EXPECT_EQ(take_all(b, t0() + 100ms), 10);
}

}  // namespace
}  // namespace iu::http
