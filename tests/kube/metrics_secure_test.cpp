// The binary's /metrics with --metrics-secure (SPEC §3.3, §13.1): HTTPS, 401 without a token or
// with one the API server does not authenticate, 403 when the SubjectAccessReview denies, 200
// with the Prometheus text otherwise; one review pair per token within the cache TTL; never a
// 200 when the reviews cannot be made; tokens never in the log; a clear start-up error without
// a Kubernetes connection; plain HTTP with --metrics-secure=false.
//
// The API server is review_responder.hpp (kube_fake.py serves neither review API). The updater
// runs with `--source dir` on an empty directory, so those two reviews are the only API calls
// it makes: nothing needs proxying to kube_fake.py, and the responder's counters are exactly
// the reviews --metrics-secure caused.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>

#include "process.hpp"
#include "review_responder.hpp"

namespace {

namespace fs = std::filesystem;
using iu::test::Process;
using iu::test::ReviewResponder;

constexpr const char* kAllowed = "prom-token-5f1c9a";
constexpr const char* kDenied = "dev-token-77b2e0";
constexpr const char* kUnknown = "forged-token-0d4e61";
constexpr const char* kFresh = "fresh-token-a93c4b";

struct Reply {
  long status = 0;  // 0: no HTTP answer
  std::string body, headers;
  long http_version = 0;  // CURL_HTTP_VERSION_1_1 or CURL_HTTP_VERSION_2_0
};

size_t append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// GET `url`; the server's certificate is the updater's self-signed one, not verified here.
// `version`: CURLOPT_HTTP_VERSION (curl's default offers h2 over TLS).
Reply fetch(const std::string& url, const std::string& token = {},
            long version = CURL_HTTP_VERSION_2TLS) {
  Reply r;
  CURL* h = curl_easy_init();
  curl_slist* headers = nullptr;
  if (!token.empty())
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, append);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, version);
  if (curl_easy_perform(h) == CURLE_OK) {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
    curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, &r.http_version);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(h);
  return r;
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    close(fd);
    throw std::runtime_error("no free port");
  }
  close(fd);
  return ntohs(a.sin_port);
}

class MetricsSecure : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    // Nothing may point the binary at a cluster but the flags of each test.
    unsetenv("KUBECONFIG");
    unsetenv("KUBERNETES_SERVICE_HOST");
    unsetenv("KUBERNETES_SERVICE_PORT");
  }

  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("iu-metrics-secure-" + std::to_string(getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "apps");
    api_ = std::make_unique<ReviewResponder>(dir_);
    api_->add_token(kAllowed, {"system:serviceaccount:monitoring:prometheus",
                               "7d0c",
                               {"system:serviceaccounts", "system:authenticated"},
                               {}});
    api_->add_token(kDenied, {"dev", "9e1a", {"system:authenticated"}, {}});
    api_->add_token(kFresh, {"system:serviceaccount:monitoring:prometheus", "7d0c", {}, {}});
    api_->allow("system:serviceaccount:monitoring:prometheus", "get", "/metrics");
  }

  void TearDown() override {
    updater_.reset();
    api_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  std::vector<std::string> args(std::vector<std::string> extra) {
    port_ = free_port();
    std::vector<std::string> a = {IU_BINARY,
                                  "run",
                                  "--source",
                                  "dir",
                                  "--dir",
                                  (dir_ / "apps").string(),
                                  "--plugin-dir",
                                  IU_BUILD_PLUGIN_DIR,
                                  "--registries-conf-path",
                                  "",
                                  "--cache-dir",
                                  "",
                                  "--interval",
                                  "10m",
                                  "--loglevel",
                                  "debug",
                                  "--health-probe-bind-address",
                                  "0",
                                  "--metrics-bind-address",
                                  "127.0.0.1:" + std::to_string(port_)};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }

  // Starts the updater and waits until its metrics port answers.
  void start(std::vector<std::string> extra, const std::string& scheme = "https") {
    updater_ = std::make_unique<Process>(args(std::move(extra)), dir_ / "updater.log");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (fetch(url(scheme)).status == 0) {
      ASSERT_TRUE(updater_->running()) << "the updater exited:\n" << updater_->log();
      ASSERT_LT(std::chrono::steady_clock::now(), deadline)
          << "no answer on " << url(scheme) << "\n"
          << updater_->log();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  std::string url(const std::string& scheme = "https") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_) + "/metrics";
  }

  // Stops the updater (SIGTERM, clean exit) and returns everything it logged.
  std::string stop() {
    updater_->signal(SIGTERM);
    EXPECT_EQ(updater_->wait(std::chrono::seconds(30)), 0) << updater_->log();
    return updater_->log();
  }

  static void expect_no_token(const std::string& log) {
    for (const char* t : {kAllowed, kDenied, kUnknown, kFresh, ReviewResponder::kOwnToken})
      EXPECT_EQ(log.find(t), std::string::npos) << "token " << t << " logged:\n" << log;
  }

  fs::path dir_;
  int port_ = 0;
  std::unique_ptr<ReviewResponder> api_;
  std::unique_ptr<Process> updater_;
};

TEST_F(MetricsSecure, ServesHttpsAndChecksEveryCaller) {
  start({"--kubeconfig", api_->kubeconfig().string()});

  Reply none = fetch(url());
  EXPECT_EQ(none.status, 401) << none.body;
  EXPECT_EQ(none.body, "Unauthorized\n");
  EXPECT_NE(none.headers.find("WWW-Authenticate: Bearer"), std::string::npos) << none.headers;

  Reply unknown = fetch(url(), kUnknown);
  EXPECT_EQ(unknown.status, 401) << unknown.body;
  EXPECT_EQ(unknown.body.find("argocd_image_updater"), std::string::npos);

  Reply denied = fetch(url(), kDenied);
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_EQ(denied.body, "Authorization denied for user dev\n");

  Reply ok = fetch(url(), kAllowed);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.headers.find("text/plain; version=0.0.4"), std::string::npos) << ok.headers;
  EXPECT_NE(ok.body.find("# TYPE argocd_image_updater_"), std::string::npos) << ok.body;
  EXPECT_EQ(ok.http_version, CURL_HTTP_VERSION_1_1) << "HTTP/2 only with --enable-http2";

  // HTTPS only: plain HTTP on the port gets Go's 400, never the metrics.
  Reply plain = fetch(url("http"), kAllowed);
  EXPECT_EQ(plain.status, 400) << plain.body;
  EXPECT_EQ(plain.body.find("argocd_image_updater"), std::string::npos);

  EXPECT_EQ(api_->unauthorized_calls(), 0);  // the updater used its own credentials
  const std::string log = stop();
  EXPECT_NE(log.find("callers are checked with TokenReview and SubjectAccessReview"),
            std::string::npos)
      << log;
  expect_no_token(log);
}

TEST_F(MetricsSecure, EnableHttp2OffersH2) {
  start({"--kubeconfig", api_->kubeconfig().string(), "--enable-http2"});
  Reply ok = fetch(url(), kAllowed);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.http_version, CURL_HTTP_VERSION_2_0) << "ALPN h2";
  EXPECT_NE(ok.body.find("# TYPE argocd_image_updater_"), std::string::npos) << ok.body;
  Reply none = fetch(url());
  EXPECT_EQ(none.status, 401) << none.body;
  EXPECT_NE(none.headers.find("www-authenticate: Bearer"), std::string::npos) << none.headers;
  Reply http11 = fetch(url(), kAllowed, CURL_HTTP_VERSION_1_1);
  EXPECT_EQ(http11.status, 200) << http11.body;
  EXPECT_EQ(http11.http_version, CURL_HTTP_VERSION_1_1);
  const std::string log = stop();
  EXPECT_NE(log.find("metrics endpoint listening"), std::string::npos) << log;
  EXPECT_NE(log.find("scheme=https http2=on"), std::string::npos) << log;
}

TEST_F(MetricsSecure, OneReviewPairPerTokenWithinTheCacheTtl) {
  start({"--kubeconfig", api_->kubeconfig().string()});
  api_->reset_counts();  // start() probed without a token: no review, but start from zero
  for (int i = 0; i < 10; ++i) ASSERT_EQ(fetch(url(), kAllowed).status, 200);
  EXPECT_EQ(api_->token_reviews(), 1);
  EXPECT_EQ(api_->access_reviews(), 1);
  for (int i = 0; i < 4; ++i) ASSERT_EQ(fetch(url(), kUnknown).status, 401);
  EXPECT_EQ(api_->token_reviews(), 2);
  EXPECT_EQ(api_->access_reviews(), 1);  // not authenticated: nothing to authorize
  for (int i = 0; i < 4; ++i) ASSERT_EQ(fetch(url(), kDenied).status, 403);
  EXPECT_EQ(api_->token_reviews(), 3);
  EXPECT_EQ(api_->access_reviews(), 2);
  expect_no_token(stop());
}

TEST_F(MetricsSecure, ApiServerFailureIsNeverA200) {
  start({"--kubeconfig", api_->kubeconfig().string()});
  // An API server answering 500 whose error quotes the request (and so the token).
  api_->fail_with(500, /*echo=*/true);
  Reply failing = fetch(url(), kFresh);
  EXPECT_GE(failing.status, 500) << failing.body;
  EXPECT_EQ(failing.body.find("argocd_image_updater"), std::string::npos);
  EXPECT_EQ(failing.body.find(kFresh), std::string::npos);
  // The ServiceAccount may not create TokenReviews (RBAC missing).
  api_->fail_with(403);
  Reply forbidden = fetch(url(), kFresh);
  EXPECT_EQ(forbidden.status, 500) << forbidden.body;
  // Failures are not cached: once the API answers, the same token gets its metrics.
  api_->fail_with(0);
  EXPECT_EQ(fetch(url(), kFresh).status, 200);
  // The API server gone altogether.
  api_->stop();
  Reply down = fetch(url(), kDenied);
  EXPECT_GE(down.status, 500) << down.body;
  EXPECT_LE(down.status, 599) << down.body;
  EXPECT_EQ(down.body.find("argocd_image_updater"), std::string::npos);

  const std::string log = stop();
  EXPECT_NE(log.find("the TokenReview failed"), std::string::npos) << log;
  EXPECT_NE(log.find("tokenreviews.authentication.k8s.io"), std::string::npos)
      << "the RBAC hint is missing:\n"
      << log;
  expect_no_token(log);
}

TEST_F(MetricsSecure, NeedsAKubernetesConnection) {
  // --source dir, no --kubeconfig, not in a cluster: refused at start, naming the flag.
  Process p(args({}), dir_ / "updater.log");
  EXPECT_EQ(p.wait(std::chrono::seconds(60)), 2) << p.log();
  const std::string log = p.log();
  EXPECT_NE(log.find("--metrics-secure"), std::string::npos) << log;
  EXPECT_NE(log.find("--metrics-secure=false"), std::string::npos) << log;
  EXPECT_NE(log.find("KUBERNETES_SERVICE_HOST"), std::string::npos) << log;
}

TEST_F(MetricsSecure, FalseServesPlainHttpWithoutAuthentication) {
  // --enable-http2 has no effect on plain HTTP (no h2c, as upstream), with a warning.
  start({"--metrics-secure=false", "--enable-http2"}, "http");
  Reply r = fetch(url("http"));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("# TYPE argocd_image_updater_"), std::string::npos) << r.body;
  EXPECT_EQ(r.http_version, CURL_HTTP_VERSION_1_1);
  const std::string log = stop();
  EXPECT_NE(log.find("serves HTTP/1.1 only"), std::string::npos) << log;
  EXPECT_NE(log.find("scheme=http http2=off"), std::string::npos) << log;
  EXPECT_EQ(api_->token_reviews(), 0);
}

}  // namespace
