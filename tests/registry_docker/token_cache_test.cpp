// The bearer token cache: lifetime rule, expiry, stale-token refresh, drop semantics and the
// one-fetch-per-key singleflight with shared failures and cancellation.
#include "iu/dockerv2/token_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "iu/plugin.hpp"

namespace iu::test {
namespace {

using dockerv2::TokenCache;
using namespace std::chrono_literals;

struct FakeClock {
  TokenCache::Clock::time_point now = TokenCache::Clock::time_point(1000h);
  std::function<TokenCache::Clock::time_point()> fn() {
    return [this] { return now; };
  }
};

TEST(TokenCache, LifetimeIsExpiresInMinusTenPercent) {
  EXPECT_EQ(TokenCache::lifetime(300), 270000ms);
  EXPECT_EQ(TokenCache::lifetime(3), 2700ms);
  EXPECT_EQ(TokenCache::lifetime(std::nullopt), 54000ms);  // absent: 60 s
  EXPECT_EQ(TokenCache::lifetime(0), 54000ms);
  EXPECT_EQ(TokenCache::lifetime(-5), 54000ms);
  EXPECT_GT(TokenCache::lifetime(INT64_MAX), 0ms);
}

TEST(TokenCache, CachedUntilExpiryThenFetchedAgain) {
  FakeClock clock;
  TokenCache cache(clock.fn());
  int fetches = 0;
  auto fetch = [&] { return TokenCache::Fetched{"t" + std::to_string(++fetches), 10}; };
  EXPECT_FALSE(cache.get("k", "", nullptr, fetch).cached);
  clock.now += 8999ms;
  auto hit = cache.get("k", "", nullptr, fetch);
  EXPECT_TRUE(hit.cached);
  EXPECT_EQ(hit.token, "t1");
  clock.now += 1ms;  // 9 s = 10 s minus 10 %
  auto miss = cache.get("k", "", nullptr, fetch);
  EXPECT_FALSE(miss.cached);
  EXPECT_EQ(miss.token, "t2");
  EXPECT_EQ(cache.get("other", "", nullptr, fetch).token, "t3");
  EXPECT_EQ(cache.size(), 2u);
}

TEST(TokenCache, StaleTokenIsReplacedButANewerOneIsKept) {
  TokenCache cache;
  int fetches = 0;
  auto fetch = [&] { return TokenCache::Fetched{"t" + std::to_string(++fetches), 300}; };
  cache.get("k", "", nullptr, fetch);
  EXPECT_EQ(cache.get("k", "t1", nullptr, fetch).token, "t2");  // t1 was rejected
  EXPECT_EQ(cache.get("k", "t1", nullptr, fetch).token, "t2");  // t2 is newer: kept
  EXPECT_TRUE(cache.get("k", "t1", nullptr, fetch).cached);
  cache.drop("k", "t1");  // not the cached one: ignored
  EXPECT_EQ(cache.get("k", "", nullptr, fetch).token, "t2");
  cache.drop("k", "t2");
  EXPECT_EQ(cache.get("k", "", nullptr, fetch).token, "t3");
}

TEST(TokenCache, ConcurrentCallersShareOneFetch) {
  TokenCache cache;
  std::atomic<int> fetches{0};
  std::vector<std::thread> threads;
  std::vector<std::string> got(16);
  for (size_t i = 0; i < got.size(); ++i)
    threads.emplace_back([&, i] {
      got[i] = cache
                   .get("k", "", nullptr,
                        [&] {
                          ++fetches;
                          std::this_thread::sleep_for(100ms);
                          return TokenCache::Fetched{"shared", 60};
                        })
                   .token;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(fetches.load(), 1);
  for (const auto& g : got) EXPECT_EQ(g, "shared");
}

TEST(TokenCache, FollowersGetTheLeadersFailure) {
  TokenCache cache;
  std::atomic<int> fetches{0};
  std::atomic<int> rate_limited{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&] {
      try {
        cache.get("k", "", nullptr, [&]() -> TokenCache::Fetched {
          ++fetches;
          std::this_thread::sleep_for(100ms);
          throw sdk::Error(IU_STATUS_RATE_LIMITED, "registry x: GET /token: HTTP 429");
        });
      } catch (const sdk::Error& e) {
        if (e.status() == IU_STATUS_RATE_LIMITED &&
            std::string(e.what()) == "registry x: GET /token: HTTP 429")
          ++rate_limited;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(rate_limited.load(), 6);
  EXPECT_LE(fetches.load(), 2);  // a late caller may start a new flight after the first failed
  EXPECT_EQ(cache.size(), 0u);
}

TEST(TokenCache, WaitingCallerCanBeCancelled) {
  TokenCache cache;
  std::atomic<bool> release{false};
  std::thread leader([&] {
    cache.get("k", "", nullptr, [&] {
      while (!release) std::this_thread::sleep_for(5ms);
      return TokenCache::Fetched{"late", 60};
    });
  });
  std::this_thread::sleep_for(50ms);
  auto start = std::chrono::steady_clock::now();
  try {
    cache.get(
        "k", "", [] { return true; },
        [] {
          return TokenCache::Fetched{"x", 60};
        });
    ADD_FAILURE() << "not cancelled";
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.status(), IU_STATUS_CANCELLED);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  release = true;
  leader.join();
  EXPECT_EQ(cache.get("k", "", nullptr, [] { return TokenCache::Fetched{"x", 60}; }).token, "late");
}

}  // namespace
}  // namespace iu::test
