// TLS against the registry with its generated CA: trust via ca_file and ca_data (added to the
// system roots), untrusted certificates, insecure, HTTP/2 via ALPN, and bad CA settings.
#include <fstream>
#include <latch>
#include <sstream>
#include <thread>

#include "http_test_util.hpp"

namespace iu::http::testing {
namespace {

class HttpTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      registry_ = std::make_unique<iu::test::RegistryServer>(std::vector<std::string>{"--tls"});
      registry_->populate();
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }
  static void TearDownTestSuite() { registry_.reset(); }
  void SetUp() override {
    ASSERT_TRUE(registry_) << "TLS registry did not start: " << setup_error_;
  }

  std::string ca_pem() const {
    std::ifstream in(registry_->ca);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string tags_url() const { return registry_->url + "/v2/org/app/tags/list"; }

  static inline std::unique_ptr<iu::test::RegistryServer> registry_;
  static inline std::string setup_error_;
};

TEST_F(HttpTls, TrustComesFromCaFileCaDataOrInsecure) {
  HttpService svc;
  {
    SCOPED_TRACE("ca_file, over HTTP/2");
    EndpointPolicy p = open_policy("tls-file.test");
    p.ca_file = registry_->ca;
    svc.set_policy(p);
    Response r = svc.perform(p.key, get(tags_url(), "tags"));
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("org/app"), std::string::npos);
    EXPECT_EQ(r.http_version, 2) << "HTTP/2 is negotiated with ALPN over TLS";
  }
  {
    SCOPED_TRACE("ca_data");
    EndpointPolicy p = open_policy("tls-data.test");
    p.ca_data = ca_pem();
    svc.set_policy(p);
    EXPECT_EQ(svc.perform(p.key, get(tags_url(), "tags")).status, 200);
  }
  {
    SCOPED_TRACE("insecure");
    EndpointPolicy p = open_policy("tls-insecure.test");
    p.insecure = true;
    svc.set_policy(p);
    EXPECT_EQ(svc.perform(p.key, get(tags_url(), "tags")).status, 200);
  }
  {
    SCOPED_TRACE("untrusted: a clear error, not retried");
    const std::string key = "tls-untrusted.test";
    svc.set_policy(open_policy(key));
    double requests = metric("registry_requests_total", {key});
    // Twice, interleaved with the trusting endpoint of the same host: a verified connection
    // of one endpoint is never reused for another that does not trust the server.
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(svc.perform("tls-file.test", get(tags_url())).status, 200);
      try {
        svc.perform(key, get(tags_url(), "tags"));
        ADD_FAILURE() << "a certificate from an unknown CA must be refused";
      } catch (const HttpError& e) {
        std::string m = e.what();
        EXPECT_EQ(e.status(), IU_STATUS_INVALID_ARGUMENT) << m;
        EXPECT_EQ(m.rfind("registry " + key + ": GET " + tags_url() + ": ", 0), 0u) << m;
        EXPECT_NE(m.find("certificate"), std::string::npos) << m;
        EXPECT_NE(m.find("ca_file or ca_data"), std::string::npos) << m;
      }
    }
    EXPECT_EQ(metric("registry_requests_total", {key}) - requests, 2);  // no retries
  }
  {
    SCOPED_TRACE("concurrent requests multiplexed over HTTP/2");
    constexpr int kCallers = 16;
    std::latch go(kCallers);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < kCallers; ++i) {
      threads.emplace_back([&, i] {
        go.arrive_and_wait();
        Response r =
            perform_or_fail(svc, "tls-file.test", get(tags_url() + "?i=" + std::to_string(i)));
        if (r.status == 200 && r.http_version == 2) ++ok;
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), kCallers);
  }
}

}  // namespace
}  // namespace iu::http::testing
