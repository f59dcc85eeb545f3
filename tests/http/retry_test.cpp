// Retries against the real registry behind faults.py: 429 and Retry-After (seconds and HTTP
// dates), 5xx sequences, connection resets and truncated bodies, bounds, non-idempotent
// requests, and the Retry-After ceiling. One TEST_F per server start (see basic_test.cpp).
#include <ctime>
#include <thread>

#include "http_test_util.hpp"

namespace iu::http::testing {
namespace {

const std::string kTags = "/v2/org/app/tags/list";

class HttpRetry : public RegistryWithFaults {
 protected:
  // The real answer, fetched straight from the registry, to compare retried answers with.
  std::string direct_tags() {
    return iu::test::control_request("GET", registry_->url + kTags).body;
  }
  long tag_requests() { return stats().count("GET " + kTags); }
};

TEST_F(HttpRetry, ThrottledRequestsWaitForRetryAfter) {
  HttpService svc;
  const std::string key = "retry-429.test";
  svc.set_policy(open_policy(key));
  {
    SCOPED_TRACE("429 with Retry-After in seconds");
    faults_->reset(R"({"sequence": ["429", "ok"], "retry_after": "1", "match": "/tags/list$"})");
    double retries = metric("registry_retries_total", {key, "429"});
    double limited = metric("registry_rate_limited_total", {key});
    double failed = metric("registry_requests_failed_total", {key});
    double requests = metric("registry_requests_total", {key});
    auto start = Clock::now();
    Response r = svc.perform(key, get(faults_->url + kTags, "tags"));
    double took = seconds_since(start);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, direct_tags());
    EXPECT_GE(took, 0.95) << "Retry-After: 1 must be honoured";
    EXPECT_LT(took, 3.0);
    EXPECT_EQ(tag_requests(), 2);
    EXPECT_EQ(metric("registry_retries_total", {key, "429"}) - retries, 1);
    EXPECT_EQ(metric("registry_rate_limited_total", {key}) - limited, 1);
    EXPECT_EQ(metric("registry_requests_failed_total", {key}) - failed, 1);
    EXPECT_EQ(metric("registry_requests_total", {key}) - requests, 2);
  }
  {
    SCOPED_TRACE("429 with Retry-After as an HTTP date");
    std::time_t at = std::time(nullptr) + 2;
    char date[64];
    std::tm tm{};
    gmtime_r(&at, &tm);
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    faults_->reset(
        std::string(R"({"sequence": ["429"], "match": "/tags/list$", "retry_after": ")") + date +
        "\"}");
    auto start = Clock::now();
    EXPECT_EQ(svc.perform(key, get(faults_->url + kTags, "tags")).status, 200);
    double took = seconds_since(start);
    EXPECT_GE(took, 0.95);  // whole seconds: between 1 and 2 s from now
    EXPECT_LT(took, 3.5);
  }
}

TEST_F(HttpRetry, ServerAndNetworkFailuresAreRetriedWithinBounds) {
  HttpService svc;
  const std::string key = "retry-5xx.test";
  EndpointPolicy p = open_policy(key);
  p.max_retries = 2;
  svc.set_policy(p);
  {
    SCOPED_TRACE("503, 503, then the answer");
    faults_->reset(R"({"sequence": ["503", "503", "ok"], "match": "/tags/list$"})");
    double retries = metric("registry_retries_total", {key, "5xx"});
    auto start = Clock::now();
    Response r = svc.perform(key, get(faults_->url + kTags, "tags"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, direct_tags());
    EXPECT_LT(seconds_since(start), 1.7);  // back-off ceilings 0.5 s + 1 s
    EXPECT_EQ(tag_requests(), 3);
    EXPECT_EQ(metric("registry_retries_total", {key, "5xx"}) - retries, 2);
  }
  {
    SCOPED_TRACE("retries are bounded; the last answer is returned");
    faults_->reset(R"({"sequence": ["503", "503", "503", "503", "503"], "match": "/tags/list$"})");
    Response r = svc.perform(key, get(faults_->url + kTags, "tags"));
    EXPECT_EQ(r.status, 503);  // any final HTTP status is a response, not an error
    EXPECT_EQ(tag_requests(), 3);
  }
  // The network cases start without pooled connections: libcurl itself silently resends a
  // request once when a reused keep-alive connection turns out dead, which would add requests
  // at the proxy that are not attempts of ours.
  {
    SCOPED_TRACE("reset and truncated body, then the full answer");
    HttpService svc;
    svc.set_policy(p);
    faults_->reset(R"({"sequence": ["reset", "truncate", "ok"], "match": "/tags/list$"})");
    double retries = metric("registry_retries_total", {key, "network"});
    double failed = metric("registry_requests_failed_total", {key});
    Response r = svc.perform(key, get(faults_->url + kTags, "tags"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, direct_tags());  // never half a body
    EXPECT_EQ(tag_requests(), 3);
    EXPECT_EQ(metric("registry_retries_total", {key, "network"}) - retries, 2);
    EXPECT_EQ(metric("registry_requests_failed_total", {key}) - failed, 2);
  }
  {
    SCOPED_TRACE("network retries exhausted: TRANSIENT");
    HttpService svc;
    svc.set_policy(p);
    faults_->reset(R"({"sequence": ["reset", "reset", "reset", "reset"], "match": "/tags/list$"})");
    try {
      svc.perform(key, get(faults_->url + kTags, "tags"));
      ADD_FAILURE() << "expected an error";
    } catch (const HttpError& e) {
      EXPECT_EQ(e.status(), IU_STATUS_TRANSIENT);
      std::string m = e.what();
      EXPECT_EQ(m.rfind("registry " + key + ": GET " + faults_->url + kTags + ": ", 0), 0u) << m;
      EXPECT_NE(m.find("(after 3 attempts)"), std::string::npos) << m;
    }
    EXPECT_EQ(tag_requests(), 3);
  }
  {
    SCOPED_TRACE("non-idempotent requests are never retried");
    faults_->reset(R"({"sequence": ["reset", "503"], "match": "/blobs/uploads/$"})");
    Request post = get(faults_->url + "/v2/org/app/blobs/uploads/");
    post.method = "POST";
    post.idempotent = false;
    try {
      svc.perform(key, post);
      ADD_FAILURE() << "a reset POST must fail";
    } catch (const HttpError& e) {
      EXPECT_EQ(e.status(), IU_STATUS_TRANSIENT);
      EXPECT_NE(std::string(e.what()).find("POST " + faults_->url), std::string::npos) << e.what();
    }
    EXPECT_EQ(svc.perform(key, post).status, 503);
    EXPECT_EQ(stats().count("POST /v2/org/app/blobs/uploads/"), 2);
  }
}

TEST_F(HttpRetry, RetryAfterPausesTheEndpointAndTooLongPausesFailFast) {
  HttpService svc;
  {
    SCOPED_TRACE("a pause holds back other requests to the same endpoint");
    faults_->reset(R"({"sequence": ["429"], "retry_after": "1", "match": "/tags/list$"})");
    const std::string key = "pause.test";
    svc.set_policy(open_policy(key));
    double waited = metric("registry_throttle_wait_seconds", {key});
    std::thread first([&] {
      EXPECT_EQ(perform_or_fail(svc, key, get(faults_->url + kTags, "tags")).status, 200);
    });
    // Wait (bounded) until the 429 went out, then ask for something else on the endpoint.
    auto deadline = Clock::now() + 5s;
    while (stats().total < 1 && Clock::now() < deadline) std::this_thread::sleep_for(10ms);
    // Give the client a moment to read the 429 (a loaded machine, sanitizers) before the
    // second request; the pause still has most of its second to run.
    std::this_thread::sleep_for(200ms);
    auto start = Clock::now();
    EXPECT_EQ(svc.perform(key, get(faults_->url + "/v2/", "ping")).status, 200);
    double took = seconds_since(start);
    first.join();
    EXPECT_GE(took, 0.4) << "the second request must wait for the pause";
    EXPECT_LT(took, 5.0);
    EXPECT_EQ(metric("registry_throttle_wait_seconds", {key}) - waited, 3);  // one per attempt
  }
  {
    SCOPED_TRACE("a Retry-After above the maximum fails at once");
    faults_->reset(R"({"sequence": ["429"], "retry_after": "120", "match": "/tags/list$"})");
    EndpointPolicy p = open_policy("too-long.test");
    p.max_retry_after = 5s;
    svc.set_policy(p);
    auto start = Clock::now();
    try {
      svc.perform(p.key, get(faults_->url + kTags, "tags"));
      ADD_FAILURE() << "expected RATE_LIMITED";
    } catch (const HttpError& e) {
      EXPECT_EQ(e.status(), IU_STATUS_RATE_LIMITED);
      EXPECT_EQ(std::string(e.what()).rfind("rate limited by too-long.test for 120s: GET ", 0), 0u)
          << e.what();
    }
    EXPECT_LT(seconds_since(start), 5.0);  // not the 120 s asked for
    // The registry asked for two minutes of silence: the next request fails without being sent.
    try {
      svc.perform(p.key, get(faults_->url + "/v2/", "ping"));
      ADD_FAILURE() << "expected RATE_LIMITED while paused";
    } catch (const HttpError& e) {
      EXPECT_EQ(e.status(), IU_STATUS_RATE_LIMITED);
      EXPECT_EQ(std::string(e.what()).rfind("rate limited by too-long.test for 1", 0), 0u)
          << e.what();
    }
    EXPECT_EQ(stats().total, 1);
    // Other endpoints are not affected.
    EXPECT_EQ(svc.perform("pause.test", get(faults_->url + "/v2/")).status, 200);
  }
}

}  // namespace
}  // namespace iu::http::testing
