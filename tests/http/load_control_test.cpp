// The per-endpoint load controls measured at the real proxy: token-bucket rate over a burst,
// the in-flight cap with its FIFO queue, and the rate-limit bypass.
#include <algorithm>
#include <atomic>
#include <latch>
#include <mutex>
#include <thread>

#include "http_test_util.hpp"

namespace iu::http::testing {
namespace {

class HttpLoad : public RegistryWithFaults {};

TEST_F(HttpLoad, BurstStaysWithinTheTokenBucket) {
  HttpService svc;
  EndpointPolicy p;
  p.key = "rate.test";
  p.rate_limit_rps = 10;  // capacity 10
  svc.set_policy(p);
  double waits = metric("registry_throttle_wait_seconds", {p.key});
  constexpr int kRequests = 25;
  std::latch go(kRequests);
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, i] {
      go.arrive_and_wait();
      EXPECT_EQ(
          perform_or_fail(svc, p.key, get(faults_->url + "/v2/?i=" + std::to_string(i))).status,
          200);
    });
  }
  for (auto& t : threads) t.join();
  double took = seconds_since(start);

  auto s = stats();
  ASSERT_EQ(s.recent.size(), size_t{kRequests});
  std::vector<double> at;
  for (const auto& r : s.recent) at.push_back(r.t);
  std::sort(at.begin(), at.end());
  // Any window [t_i, t_j] holds at most capacity + rate * width requests (one extra for the
  // proxy's millisecond timestamps).
  for (size_t i = 0; i < at.size(); ++i)
    for (size_t j = i; j < at.size(); ++j)
      ASSERT_LE(double(j - i + 1), 10 + 10 * (at[j] - at[i]) + 1.0)
          << "requests " << i << ".." << j << " within " << (at[j] - at[i]) << " s";
  EXPECT_GE(took, 1.35) << "15 requests beyond the burst need 1.5 s at 10/s";
  EXPECT_LT(took, 5.0);
  EXPECT_EQ(metric("registry_throttle_wait_seconds", {p.key}) - waits, kRequests);
}

TEST_F(HttpLoad, InflightCapQueuesInArrivalOrder) {
  faults_->reset(R"({"latency_ms": 300, "p_latency": 1.0})");
  HttpService svc;
  EndpointPolicy p = open_policy("inflight.test");
  p.max_inflight = 3;
  svc.set_policy(p);
  constexpr int kRequests = 9;
  std::mutex mu;
  std::vector<int> done_order;
  std::atomic<bool> running{true};
  double peak_gauge = 0;
  std::thread watcher([&] {
    while (running.load()) {
      peak_gauge = std::max(peak_gauge, metric("registry_inflight_requests", {p.key}));
      std::this_thread::sleep_for(5ms);
    }
  });
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, i] {
      EXPECT_EQ(
          perform_or_fail(svc, p.key, get(faults_->url + "/v2/?i=" + std::to_string(i))).status,
          200);
      std::lock_guard lock(mu);
      done_order.push_back(i);
    });
    std::this_thread::sleep_for(15ms);  // a known arrival order
  }
  for (auto& t : threads) t.join();
  double took = seconds_since(start);
  running = false;
  watcher.join();

  // Overlap of the requests as the proxy saw them (start = completion - time in the proxy).
  auto s = stats();
  ASSERT_EQ(s.recent.size(), size_t{kRequests});
  int peak = 0;
  for (const auto& a : s.recent) {
    double a_start = a.t - a.ms / 1000;
    int overlapping = 0;
    for (const auto& b : s.recent) {
      double b_start = b.t - b.ms / 1000;
      // Strictly inside b's interval (5 ms of slack for the proxy's clock readings).
      if (b_start + 0.005 < a_start + 0.001 && a_start + 0.001 < b.t - 0.005) ++overlapping;
      if (&a == &b) ++overlapping;
    }
    peak = std::max(peak, overlapping);
  }
  EXPECT_LE(peak, 3);
  EXPECT_GE(took, 0.85) << "9 requests of 300 ms, 3 at a time";
  EXPECT_LE(peak_gauge, 3);
  EXPECT_GE(peak_gauge, 2);
  EXPECT_EQ(metric("registry_inflight_requests", {p.key}), 0);
  // FIFO: the first three to arrive are the first three served.
  ASSERT_EQ(done_order.size(), size_t{kRequests});
  std::vector<int> first(done_order.begin(), done_order.begin() + 3);
  std::sort(first.begin(), first.end());
  EXPECT_EQ(first, (std::vector<int>{0, 1, 2}));
}

TEST_F(HttpLoad, BypassAndPolicyReplacement) {
  HttpService svc;
  EndpointPolicy p;
  p.key = "bypass.test";
  p.rate_limit_rps = 1;  // one token, then one per second
  svc.set_policy(p);
  {
    SCOPED_TRACE("bypass skips the bucket");
    auto start = Clock::now();
    for (int i = 0; i < 5; ++i) {
      Request r = get(faults_->url + "/v2/");
      r.bypass_rate_limit = true;
      EXPECT_EQ(svc.perform(p.key, r).status, 200);
    }
    EXPECT_LT(seconds_since(start), 0.9);
  }
  {
    SCOPED_TRACE("ordinary requests still find the bucket full: one passes, the next waits");
    auto start = Clock::now();
    svc.perform(p.key, get(faults_->url + "/v2/"));
    EXPECT_LT(seconds_since(start), 0.5);
    svc.perform(p.key, get(faults_->url + "/v2/"));
    EXPECT_GE(seconds_since(start), 0.9);
  }
  {
    SCOPED_TRACE("a replaced policy applies to the next requests");
    p.rate_limit_rps = 0;  // registries.conf reload: unlimited
    svc.set_policy(p);
    auto start = Clock::now();
    for (int i = 0; i < 5; ++i)
      EXPECT_EQ(svc.perform(p.key, get(faults_->url + "/v2/")).status, 200);
    EXPECT_LT(seconds_since(start), 0.9);
  }
}

}  // namespace
}  // namespace iu::http::testing
