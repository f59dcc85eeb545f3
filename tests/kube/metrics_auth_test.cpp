// --metrics-secure's decision logic (kube/metrics_auth.hpp): the decision cache with an injected
// clock, bearer-token parsing as Kubernetes does it, and MetricsAuthorizer against an in-process
// stand-in for the TokenReview and SubjectAccessReview APIs (review_responder.hpp).
#include "kube/metrics_auth.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "kube/client.hpp"
#include "kube/cluster_config.hpp"
#include "review_responder.hpp"

namespace {

using namespace iu::kube;
using iu::test::ReviewResponder;
namespace fs = std::filesystem;
using std::chrono::seconds;

// A clock the test moves by hand.
struct FakeClock {
  std::shared_ptr<std::chrono::steady_clock::time_point> now =
      std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
  AccessDecisionCache::Clock fn() const {
    auto n = now;
    return [n] { return *n; };
  }
  void advance(std::chrono::steady_clock::duration d) const { *now += d; }
};

TEST(AccessDecisionCache, EntriesLiveExactlyTheirTtl) {
  FakeClock clock;
  AccessDecisionCache cache(seconds(60), 16, clock.fn());
  cache.put("a", {200, ""});
  cache.put("b", {403, "Authorization denied for user x"});
  clock.advance(seconds(59));
  ASSERT_TRUE(cache.find("a").has_value());
  EXPECT_EQ(cache.find("a")->status, 200);
  ASSERT_TRUE(cache.find("b").has_value());
  EXPECT_EQ(cache.find("b")->message, "Authorization denied for user x");
  clock.advance(seconds(1));
  EXPECT_FALSE(cache.find("a").has_value());
  EXPECT_FALSE(cache.find("b").has_value());
  EXPECT_EQ(cache.size(), 0u);
}

TEST(AccessDecisionCache, PutReplacesAndRestartsTheTtl) {
  FakeClock clock;
  AccessDecisionCache cache(seconds(60), 16, clock.fn());
  cache.put("a", {401, "Unauthorized"});
  clock.advance(seconds(30));
  cache.put("a", {200, ""});
  EXPECT_EQ(cache.size(), 1u);
  clock.advance(seconds(45));  // 75 s after the first put, 45 s after the second
  ASSERT_TRUE(cache.find("a").has_value());
  EXPECT_EQ(cache.find("a")->status, 200);
  clock.advance(seconds(15));
  EXPECT_FALSE(cache.find("a").has_value());
}

TEST(AccessDecisionCache, BoundedOldestFirst) {
  FakeClock clock;
  AccessDecisionCache cache(seconds(60), 3, clock.fn());
  for (int i = 0; i < 5; ++i) {
    cache.put("k" + std::to_string(i), {200, ""});
    clock.advance(seconds(1));
  }
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.find("k0").has_value());
  EXPECT_FALSE(cache.find("k1").has_value());
  EXPECT_TRUE(cache.find("k2").has_value());
  EXPECT_TRUE(cache.find("k3").has_value());
  EXPECT_TRUE(cache.find("k4").has_value());
  // Replacing an entry does not push another one out.
  cache.put("k3", {403, "no"});
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_TRUE(cache.find("k2").has_value());
  // Expired entries leave first: after the TTL a full cache takes new keys without evicting
  // anything live.
  clock.advance(seconds(60));
  cache.put("n", {200, ""});
  EXPECT_EQ(cache.size(), 1u);
}

TEST(BearerToken, ParsedAsKubernetesDoes) {
  EXPECT_EQ(bearer_token("Bearer abc.def"), "abc.def");
  EXPECT_EQ(bearer_token("bearer abc"), "abc");
  EXPECT_EQ(bearer_token("BEARER abc"), "abc");
  EXPECT_EQ(bearer_token("  Bearer abc  "), "abc");
  EXPECT_EQ(bearer_token("Bearer abc extra"), "abc");
  EXPECT_EQ(bearer_token(""), "");
  EXPECT_EQ(bearer_token("Bearer"), "");
  EXPECT_EQ(bearer_token("Bearer "), "");
  EXPECT_EQ(bearer_token("Bearer  abc"), "");  // empty second part, as upstream
  EXPECT_EQ(bearer_token("Basic dXNlcjpwYXNz"), "");
  EXPECT_EQ(bearer_token("abc"), "");
}

class Authorizer : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("iu-metrics-auth-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    api_ = std::make_unique<ReviewResponder>(dir_);
    api_->add_token("tok-prom", {"system:serviceaccount:monitoring:prometheus",
                                 "uid-1",
                                 {"system:serviceaccounts", "system:authenticated"},
                                 {{"authentication.kubernetes.io/pod-name", {"prometheus-0"}}}});
    api_->add_token("tok-dev", {"dev", "uid-2", {"system:authenticated"}, {}});
    api_->allow("system:serviceaccount:monitoring:prometheus", "get", "/metrics");
    ClientOptions co;
    co.max_attempts = 2;
    co.max_retry_after = std::chrono::milliseconds(100);
    client_ = std::make_shared<Client>(load_kubeconfig(api_->kubeconfig()), co);
  }
  void TearDown() override {
    api_.reset();
    fs::remove_all(dir_);
  }
  MetricsAuthorizer make(MetricsAuthOptions o = {}) { return MetricsAuthorizer(client_, o); }

  fs::path dir_;
  std::unique_ptr<ReviewResponder> api_;
  std::shared_ptr<const Client> client_;
};

TEST_F(Authorizer, Decisions) {
  MetricsAuthorizer auth = make();
  EXPECT_EQ(auth.check("", "GET", "/metrics").status, 401);
  EXPECT_EQ(auth.check("Basic dXNlcjpwYXNz", "GET", "/metrics").status, 401);
  EXPECT_EQ(api_->token_reviews(), 0);  // no token: the API is not asked
  AccessDecision unknown = auth.check("Bearer nope", "GET", "/metrics");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.message, "Unauthorized");
  EXPECT_EQ(api_->access_reviews(), 0);  // not authenticated: no SubjectAccessReview
  AccessDecision denied = auth.check("Bearer tok-dev", "GET", "/metrics");
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.message, "Authorization denied for user dev");
  AccessDecision ok = auth.check("Bearer tok-prom", "GET", "/metrics");
  EXPECT_TRUE(ok.allowed());
  // POST is verb "post", which the table does not allow.
  EXPECT_EQ(auth.check("Bearer tok-prom", "POST", "/metrics").status, 403);
  EXPECT_EQ(api_->unauthorized_calls(), 0);  // the updater presented its own token every time
}

TEST_F(Authorizer, SubjectAccessReviewCarriesTheWholeUser) {
  MetricsAuthorizer auth = make();
  ASSERT_TRUE(auth.check("Bearer tok-prom", "GET", "/metrics").allowed());
  rapidjson::Document d;
  const std::string body = api_->last_access_review();
  d.Parse(body.c_str());
  ASSERT_FALSE(d.HasParseError()) << body;
  const auto& spec = d["spec"];
  EXPECT_STREQ(spec["user"].GetString(), "system:serviceaccount:monitoring:prometheus");
  EXPECT_STREQ(spec["uid"].GetString(), "uid-1");
  ASSERT_TRUE(spec["groups"].IsArray());
  ASSERT_EQ(spec["groups"].Size(), 2u);
  EXPECT_STREQ(spec["groups"][0].GetString(), "system:serviceaccounts");
  EXPECT_STREQ(spec["groups"][1].GetString(), "system:authenticated");
  EXPECT_STREQ(spec["extra"]["authentication.kubernetes.io/pod-name"][0].GetString(),
               "prometheus-0");
  EXPECT_STREQ(spec["nonResourceAttributes"]["path"].GetString(), "/metrics");
  EXPECT_STREQ(spec["nonResourceAttributes"]["verb"].GetString(), "get");
  EXPECT_FALSE(spec.HasMember("resourceAttributes"));
  EXPECT_EQ(body.find("tok-prom"), std::string::npos);  // the token only goes to TokenReview
}

TEST_F(Authorizer, CachesDecisionsPerTokenUntilTheTtl) {
  FakeClock clock;
  MetricsAuthOptions o;
  o.cache_ttl = seconds(60);
  o.clock = clock.fn();
  MetricsAuthorizer auth = make(o);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(auth.check("Bearer tok-prom", "GET", "/metrics").allowed());
    EXPECT_EQ(auth.check("Bearer tok-dev", "GET", "/metrics").status, 403);
    EXPECT_EQ(auth.check("Bearer nope", "GET", "/metrics").status, 401);
    clock.advance(seconds(11));  // 5 x 11 s = 55 s < TTL
  }
  EXPECT_EQ(api_->token_reviews(), 3);   // one per token
  EXPECT_EQ(api_->access_reviews(), 2);  // one per authenticated token
  // A verb is a decision of its own.
  EXPECT_EQ(auth.check("Bearer tok-prom", "HEAD", "/metrics").status, 403);
  EXPECT_EQ(api_->token_reviews(), 4);
  // Past the TTL each token is reviewed again; a revoked token is then refused.
  clock.advance(seconds(5));
  api_->add_token("tok-prom", {"someone-else", "", {}, {}});
  EXPECT_EQ(auth.check("Bearer tok-prom", "GET", "/metrics").status, 403);
  EXPECT_EQ(api_->token_reviews(), 5);
}

TEST_F(Authorizer, FailuresAreRefusedAndNotCached) {
  MetricsAuthorizer auth = make();
  api_->fail_with(500);
  AccessDecision d = auth.check("Bearer tok-prom", "GET", "/metrics");
  EXPECT_EQ(d.status, 503);
  EXPECT_FALSE(d.allowed());
  EXPECT_EQ(d.message.find("tok-prom"), std::string::npos);
  // The ServiceAccount may not create reviews: a configuration error, 500.
  api_->fail_with(403);
  EXPECT_EQ(auth.check("Bearer tok-prom", "GET", "/metrics").status, 500);
  api_->fail_with(0);
  const int before = api_->token_reviews();
  EXPECT_TRUE(auth.check("Bearer tok-prom", "GET", "/metrics").allowed());
  EXPECT_EQ(api_->token_reviews(), before + 1);
  // API server gone: refused, never allowed (the cached 200 is for this token only).
  api_->stop();
  AccessDecision gone = auth.check("Bearer tok-dev", "GET", "/metrics");
  EXPECT_EQ(gone.status, 503);
  EXPECT_TRUE(auth.check("Bearer tok-prom", "GET", "/metrics").allowed());
}

}  // namespace
