// Proxies from the environment and AWS SigV4 signing (verified by ecr_fake.py).
#include <cstdlib>
#include <optional>

#include "http_test_util.hpp"

namespace iu::http::testing {
namespace {

// Sets environment variables for one test and restores them afterwards. The service reads the
// proxy variables when it is constructed.
class ScopedEnv {
 public:
  ScopedEnv(std::initializer_list<std::pair<const char*, const char*>> vars) {
    for (const char* name :
         {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"}) {
      const char* v = std::getenv(name);
      saved_.emplace_back(name, v != nullptr ? std::optional<std::string>(v) : std::nullopt);
      unsetenv(name);
    }
    for (auto [k, v] : vars) setenv(k, v, 1);
  }
  ~ScopedEnv() {
    for (auto& [k, v] : saved_) {
      if (v)
        setenv(k.c_str(), v->c_str(), 1);
      else
        unsetenv(k.c_str());
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

class HttpProxy : public RegistryWithFaults {};

TEST_F(HttpProxy, ProxiesFromTheEnvironment) {
  {
    SCOPED_TRACE("HTTP_PROXY carries plain-http requests");
    ScopedEnv env{{"HTTP_PROXY", faults_->url.c_str()}};
    HttpService svc;
    svc.set_policy(open_policy("proxied.test"));
    // The name does not resolve: only the proxy can answer (faults.py forwards absolute-form
    // requests to the registry).
    Response r =
        svc.perform("proxied.test", get("http://registry.invalid.test/v2/org/app/tags/list"));
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("org/app"), std::string::npos);
    // 0.0.0.0 is not loopback by name, so it is proxied too (Linux connects it locally).
    EXPECT_EQ(svc.perform("proxied.test", get("http://0.0.0.0:" + registry_->port + "/v2/")).status,
              200);
    auto s = stats();
    EXPECT_EQ(s.count("GET /v2/org/app/tags/list"), 1);
    EXPECT_EQ(s.count("GET /v2/"), 1);
  }
  {
    SCOPED_TRACE("no_proxy and loopback hosts go direct");
    faults_->reset();
    ScopedEnv env{{"http_proxy", faults_->url.c_str()}, {"no_proxy", "0.0.0.0"}};
    HttpService svc;
    svc.set_policy(open_policy("direct.test"));
    EXPECT_EQ(svc.perform("direct.test", get("http://0.0.0.0:" + registry_->port + "/v2/")).status,
              200);
    EXPECT_EQ(svc.perform("direct.test", get(registry_->url + "/v2/")).status, 200);
    EXPECT_EQ(stats().total, 0);
  }
}

TEST(HttpSigV4, RequestsAreSignedForEcr) {
  const std::string akid = "AKIAIOSFODNN7EXAMPLE",
                    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  const std::string temp = "ASIATESTTEMPORARY001:tempSecretKey0123456789:sessionTokenValue42";
  iu::test::EcrFake ecr({akid + ":" + secret, temp});
  HttpService svc;
  svc.set_policy(open_policy("ecr-api.test"));
  auto call = [&](const std::string& creds) {
    Request r = get(ecr.url + "/");
    r.method = "POST";
    r.body = "{}";
    r.headers = {{"X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken"},
                 {"Content-Type", "application/x-amz-json-1.1"}};
    r.aws_sigv4 = "aws:amz:us-east-1:ecr";
    r.aws_credentials = creds;
    r.idempotent = false;
    return svc.perform("ecr-api.test", r);
  };
  Response r = call(akid + ":" + secret);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("authorizationToken"), std::string::npos) << r.body;
  // Temporary credentials: the session token is sent (and signed) as X-Amz-Security-Token.
  Response t = call(temp);
  EXPECT_EQ(t.status, 200) << t.body;
  Response wrong = call(akid + ":not-the-secret");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("InvalidSignatureException"), std::string::npos) << wrong.body;
}

TEST(HttpSigV4, CredentialsNeverAppearInErrors) {
  HttpService svc;
  Request r = get("http://127.0.0.1:1/");
  r.method = "POST";
  r.idempotent = false;
  r.aws_sigv4 = "aws:amz:us-east-1:ecr";
  r.aws_credentials = "AKIDSECRETCHECK:superSecretValue:sessionTok";
  try {
    svc.perform("ecr-closed.test", r);
    ADD_FAILURE() << "nothing listens on port 1";
  } catch (const HttpError& e) {
    std::string m = e.what();
    EXPECT_EQ(e.status(), IU_STATUS_TRANSIENT);
    EXPECT_EQ(m.find("superSecretValue"), std::string::npos) << m;
    EXPECT_EQ(m.find("sessionTok"), std::string::npos) << m;
    EXPECT_EQ(m.find("AKIDSECRETCHECK"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace iu::http::testing
