// Singleflight, cancellation, deadlines and shutdown, counted at the real proxy. One TEST_F
// per server start (see basic_test.cpp).
#include <latch>
#include <thread>

#include "http_test_util.hpp"

namespace iu::http::testing {
namespace {

const std::string kTags = "/v2/org/app/tags/list";

class HttpSingleflight : public RegistryWithFaults {
 protected:
  Request tags_request() {
    Request r = get(faults_->url + kTags, "tags");
    r.singleflight_key = "tags org/app anonymous";
    return r;
  }
  long tag_requests() { return stats().count("GET " + kTags); }
};

TEST_F(HttpSingleflight, IdenticalConcurrentRequestsShareOneFlight) {
  HttpService svc;
  svc.set_policy(open_policy("sf.test"));
  {
    SCOPED_TRACE("20 identical callers, one upstream request");
    faults_->reset(R"({"latency_ms": 300, "p_latency": 1.0})");
    double leaders = metric("singleflight_total", {"tags", "leader"});
    double followers = metric("singleflight_total", {"tags", "follower"});
    constexpr int kCallers = 20;
    std::latch go(kCallers);
    std::vector<std::string> bodies(kCallers);
    std::vector<std::thread> threads;
    for (int i = 0; i < kCallers; ++i) {
      threads.emplace_back([&, i] {
        go.arrive_and_wait();
        Response r = perform_or_fail(svc, "sf.test", tags_request());
        EXPECT_EQ(r.status, 200);
        bodies[i] = r.body;
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(tag_requests(), 1);
    for (const auto& b : bodies) EXPECT_EQ(b, bodies[0]);
    EXPECT_NE(bodies[0].find("org/app"), std::string::npos);
    EXPECT_EQ(metric("singleflight_total", {"tags", "leader"}) - leaders, 1);
    EXPECT_EQ(metric("singleflight_total", {"tags", "follower"}) - followers, kCallers - 1);
    // Once the flight landed, the next identical request is a new flight.
    EXPECT_EQ(svc.perform("sf.test", tags_request()).status, 200);
    EXPECT_EQ(tag_requests(), 2);
  }
  {
    SCOPED_TRACE("other keys and other endpoints do not share");
    faults_->reset(R"({"latency_ms": 200, "p_latency": 1.0})");
    svc.set_policy(open_policy("sf-b.test"));
    Request other = tags_request();
    other.singleflight_key = "tags org/app user-b";
    std::thread a([&] { perform_or_fail(svc, "sf.test", tags_request()); });
    std::thread b([&] { perform_or_fail(svc, "sf.test", other); });
    std::thread c([&] { perform_or_fail(svc, "sf-b.test", tags_request()); });
    a.join();
    b.join();
    c.join();
    EXPECT_EQ(tag_requests(), 3);
  }
  {
    SCOPED_TRACE("the leader's error reaches every follower");
    // Every request: 300 ms of latency (so the callers overlap), then a connection reset.
    faults_->reset(R"({"latency_ms": 300, "p_latency": 1.0, "p_reset": 1.0})");
    // A new service: no pooled connection that libcurl would silently retry on (retry_test.cpp).
    HttpService svc;
    EndpointPolicy p = open_policy("sf-err.test");
    p.max_retries = 0;
    svc.set_policy(p);
    constexpr int kCallers = 5;
    std::latch go(kCallers);
    std::atomic<int> transient{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kCallers; ++i) {
      threads.emplace_back([&] {
        go.arrive_and_wait();
        try {
          svc.perform(p.key, tags_request());
        } catch (const HttpError& e) {
          if (e.status() == IU_STATUS_TRANSIENT) ++transient;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(transient.load(), kCallers);
    EXPECT_EQ(stats().total, 1);
  }
}

TEST_F(HttpSingleflight, CancellationDeadlinesAndShutdown) {
  {
    SCOPED_TRACE("a cancelled caller never cancels the flight for the others");
    faults_->reset(R"({"latency_ms": 600, "p_latency": 1.0})");
    HttpService svc;
    svc.set_policy(open_policy("sf-cancel.test"));
    std::atomic<bool> cancel_leader{false};
    double leader_took = 0;
    iu_status leader_status = IU_STATUS_OK;
    std::thread leader([&] {
      auto start = Clock::now();
      try {
        svc.perform("sf-cancel.test", tags_request(), &cancel_leader);
      } catch (const HttpError& e) {
        leader_status = e.status();
      }
      leader_took = seconds_since(start);
    });
    std::this_thread::sleep_for(50ms);  // the leader's flight is on the wire
    Response follower_response;
    std::thread follower(
        [&] { follower_response = perform_or_fail(svc, "sf-cancel.test", tags_request()); });
    std::this_thread::sleep_for(100ms);
    cancel_leader = true;
    leader.join();
    follower.join();
    EXPECT_EQ(leader_status, IU_STATUS_CANCELLED);
    EXPECT_LT(leader_took, 0.45) << "the cancelled caller returns without waiting for the flight";
    EXPECT_EQ(follower_response.status, 200);
    auto s = stats();
    EXPECT_EQ(s.count("GET " + kTags), 1);
    ASSERT_EQ(s.recent.size(), 1u);
    EXPECT_EQ(s.recent[0].status, 200);
  }
  {
    SCOPED_TRACE("the last caller giving up stops the flight");
    faults_->reset(R"({"latency_ms": 1000, "p_latency": 1.0})");
    HttpService svc;
    svc.set_policy(open_policy("sf-abandon.test"));
    std::atomic<bool> cancel{false};
    std::thread canceller([&] {
      std::this_thread::sleep_for(100ms);
      cancel = true;
    });
    auto start = Clock::now();
    try {
      svc.perform("sf-abandon.test", tags_request(), &cancel);
      ADD_FAILURE() << "expected CANCELLED";
    } catch (const HttpError& e) {
      EXPECT_EQ(e.status(), IU_STATUS_CANCELLED);
      EXPECT_NE(std::string(e.what()).find(": cancelled"), std::string::npos) << e.what();
    }
    canceller.join();
    EXPECT_LT(seconds_since(start), 0.5);
    // The transfer is taken off the wire: its in-flight slot is free again.
    auto deadline = Clock::now() + 2s;
    while (metric("registry_inflight_requests", {"sf-abandon.test"}) != 0 &&
           Clock::now() < deadline)
      std::this_thread::sleep_for(5ms);
    EXPECT_EQ(metric("registry_inflight_requests", {"sf-abandon.test"}), 0);
    // A new identical request is a new flight and succeeds.
    faults_->reset();
    EXPECT_EQ(svc.perform("sf-abandon.test", tags_request()).status, 200);
  }
  {
    SCOPED_TRACE("a deadline ends the wait");
    faults_->reset(R"({"latency_ms": 1000, "p_latency": 1.0})");
    HttpService svc;
    auto start = Clock::now();
    try {
      svc.perform("deadline.test", get(faults_->url + "/v2/"), nullptr, Clock::now() + 200ms);
      ADD_FAILURE() << "expected CANCELLED";
    } catch (const HttpError& e) {
      EXPECT_EQ(e.status(), IU_STATUS_CANCELLED);
      EXPECT_NE(std::string(e.what()).find("deadline exceeded"), std::string::npos) << e.what();
    }
    double took = seconds_since(start);
    EXPECT_GE(took, 0.19);
    EXPECT_LT(took, 0.6);
  }
  {
    SCOPED_TRACE("stopping the service cancels waiting callers");
    faults_->reset(R"({"latency_ms": 3000, "p_latency": 1.0})");
    auto svc = std::make_unique<HttpService>();
    HttpService* service = svc.get();
    iu_status status = IU_STATUS_OK;
    std::string message;
    std::thread caller([&, service] {
      try {
        service->perform("stop.test", get(faults_->url + "/v2/"));
      } catch (const HttpError& e) {
        status = e.status();
        message = e.what();
      }
    });
    std::this_thread::sleep_for(200ms);
    auto start = Clock::now();
    // The caller touches nothing of the service once its flight has failed, so the service
    // may go away while the caller is still returning.
    svc.reset();
    caller.join();
    EXPECT_LT(seconds_since(start), 1.0);
    EXPECT_EQ(status, IU_STATUS_CANCELLED);
    EXPECT_NE(message.find("the HTTP service stopped"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace iu::http::testing
