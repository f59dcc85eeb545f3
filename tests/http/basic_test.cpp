// Plain requests against the real registry: GET/HEAD, statuses, connection reuse, redirects,
// body limits, request validation, policy validation and the plugin ABI entry point.
//
// Each TEST_F runs in its own process under ctest and starts its own servers, so related
// checks share one test case to keep the suite fast.
#include <cstddef>

#include "http/host_services.hpp"
#include "http_test_util.hpp"
#include "plugin_host/call.hpp"

namespace iu::http::testing {
namespace {

class HttpBasic : public RegistryWithFaults {};

TEST_F(HttpBasic, GetHeadStatusesAndConnectionReuse) {
  HttpService svc;
  const std::string key = "basic-get.test";
  svc.set_policy(open_policy(key));
  double before = metric("registry_requests_total", {key});
  double before_failed = metric("registry_requests_failed_total", {key});
  double before_tags = metric("registry_request_duration_seconds", {key, "tags"});
  long connections = stats().connections;

  Response ping = svc.perform(key, get(faults_->url + "/v2/", "ping"));
  EXPECT_EQ(ping.status, 200);
  EXPECT_EQ(ping.header("docker-distribution-api-version"), "registry/2.0");
  EXPECT_EQ(ping.http_version, 1);

  Response tags = svc.perform(key, get(faults_->url + "/v2/org/app/tags/list", "tags"));
  EXPECT_EQ(tags.status, 200);
  EXPECT_NE(tags.body.find("\"1.1.0\""), std::string::npos) << tags.body;
  EXPECT_EQ(tags.effective_url, faults_->url + "/v2/org/app/tags/list");

  Request head = get(faults_->url + "/v2/org/app/manifests/1.0.0", "manifest");
  head.method = "HEAD";
  head.headers = {{"Accept", "application/vnd.docker.distribution.manifest.v2+json"}};
  Response h = svc.perform(key, head);
  EXPECT_EQ(h.status, 200);
  EXPECT_TRUE(h.body.empty());
  ASSERT_TRUE(h.header("docker-content-digest"));
  EXPECT_EQ(h.header("docker-content-digest")->substr(0, 7), "sha256:");

  // A 404 is an answer, not a failure: returned once, never retried.
  Response missing = svc.perform(key, get(faults_->url + "/v2/org/nope/tags/list", "tags"));
  EXPECT_EQ(missing.status, 404);

  for (int i = 0; i < 6; ++i) ASSERT_EQ(svc.perform(key, get(faults_->url + "/v2/")).status, 200);

  auto s = stats();
  EXPECT_EQ(s.count("GET /v2/org/nope/tags/list"), 1);
  // Ten requests on one kept-alive connection (plus one for this /__stats query).
  EXPECT_EQ(s.connections - connections, 2);
  EXPECT_EQ(metric("registry_requests_total", {key}) - before, 10);
  EXPECT_EQ(metric("registry_requests_failed_total", {key}) - before_failed, 0);
  EXPECT_EQ(metric("registry_request_duration_seconds", {key, "tags"}) - before_tags, 2);
  EXPECT_EQ(metric("registry_inflight_requests", {key}), 0);

  // Without a key the endpoint is the URL's host:port, with the default policy.
  double by_host = metric("registry_requests_total", {faults_->host});
  EXPECT_EQ(svc.perform("", get(faults_->url + "/v2/")).status, 200);
  EXPECT_EQ(metric("registry_requests_total", {faults_->host}) - by_host, 1);
}

TEST_F(HttpBasic, RedirectsFollowedOnlyWhenAskedAndAuthorizationStaysOnItsHost) {
  HttpService svc;
  svc.set_policy(open_policy("redirect.test"));
  // distribution answers GET /v2 with 301 to /v2/.
  Response plain = svc.perform("redirect.test", get(registry_->url + "/v2"));
  EXPECT_EQ(plain.status, 301);
  EXPECT_TRUE(plain.header("location"));
  Request follow = get(registry_->url + "/v2");
  follow.follow_redirects = true;
  Response followed = svc.perform("redirect.test", follow);
  EXPECT_EQ(followed.status, 200);
  EXPECT_EQ(followed.effective_url, registry_->url + "/v2/");
  EXPECT_FALSE(followed.header("location")) << "only the final response's headers are reported";

  iu::test::Redirector redirector;
  auto via = [&](const std::string& target) {
    Request r = get(redirector.url + "/redirect?to=" + target);
    r.follow_redirects = true;
    r.headers = {{"Authorization", "Bearer s3cret-token"}};
    return svc.perform("redirect.test", r);
  };
  EXPECT_EQ(via(redirector.url + "/auth-echo").body, "authorization=present");  // same host
  // Another host (localhost is not 127.0.0.1 by name): Authorization is dropped.
  std::string other = "http://localhost:" + redirector.url.substr(redirector.url.rfind(':') + 1);
  EXPECT_EQ(via(other + "/auth-echo").body, "authorization=absent");

  Request loop = get(redirector.url + "/loop");
  loop.follow_redirects = true;
  try {
    svc.perform("redirect.test", loop);
    ADD_FAILURE() << "an endless redirect must fail";
  } catch (const HttpError& e) {
    EXPECT_NE(std::string(e.what()).find("redirects"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("registry redirect.test: GET " + redirector.url, 0), 0u)
        << e.what();
  }
}

TEST_F(HttpBasic, BodyLimitAndInvalidRequests) {
  HttpService svc;
  svc.set_policy(open_policy("limit.test"));
  Request r = get(faults_->url + "/v2/org/app/tags/list", "tags");
  r.max_body_bytes = 16;
  try {
    svc.perform("limit.test", r);
    ADD_FAILURE() << "expected a body-limit error";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), IU_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("exceeds the limit of 16 bytes"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(stats().count("GET /v2/org/app/tags/list"), 1);  // not retried
  r.max_body_bytes = 0;                                      // default: 16 MiB
  EXPECT_EQ(svc.perform("limit.test", r).status, 200);
  // HEAD is not limited by the size its Content-Length announces.
  Request head = get(faults_->url + "/v2/org/app/manifests/1.0.0");
  head.method = "HEAD";
  head.max_body_bytes = 1;
  EXPECT_EQ(svc.perform("limit.test", head).status, 200);

  long total = stats().total;
  auto problem = [&](Request bad) -> std::string {
    try {
      svc.perform("bad.test", bad);
    } catch (const HttpError& e) {
      EXPECT_EQ(e.status(), IU_STATUS_INVALID_ARGUMENT) << e.what();
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(problem(get("ftp://127.0.0.1/x"))
                .rfind("registry bad.test: GET ftp://127.0.0.1/x: invalid request: invalid URL: "
                       "unsupported scheme \"ftp\"",
                       0),
            0u);
  Request method = get(faults_->url + "/v2/");
  method.method = "GE T";
  EXPECT_NE(problem(method).find("invalid method"), std::string::npos);
  Request header = get(faults_->url + "/v2/");
  header.headers = {{"Authorization", "Bearer s3cret\r\nX-Injected: 1"}};
  std::string msg = problem(header);
  EXPECT_NE(msg.find("header Authorization: value contains CR, LF or NUL"), std::string::npos)
      << msg;
  EXPECT_EQ(msg.find("s3cret"), std::string::npos) << msg;
  Request sig = get(faults_->url + "/v2/");
  sig.aws_sigv4 = "aws:amz:us-east-1:ecr";
  EXPECT_NE(problem(sig).find("aws_credentials"), std::string::npos);
  Request creds = get("http://user:pa55word@127.0.0.1:1/v2/?token=t0ken&n=1");
  creds.method = "B@D";
  msg = problem(creds);
  EXPECT_EQ(msg.find("pa55word"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("t0ken"), std::string::npos) << msg;
  EXPECT_NE(msg.find("token=REDACTED&n=1"), std::string::npos) << msg;
  EXPECT_EQ(stats().total, total) << "invalid requests are never sent";
}

TEST(HttpPolicy, BadPoliciesAreRejectedNamingRegistryAndField) {
  HttpService svc;
  auto message = [&](EndpointPolicy p) -> std::string {
    try {
      svc.set_policy(std::move(p));
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "accepted";
  };
  EndpointPolicy p;
  p.key = "r.example";
  p.rate_limit_rps = -1;
  EXPECT_NE(message(p).find("registry r.example: limit: must be 0"), std::string::npos);
  p.rate_limit_rps = 5;
  p.max_inflight = 0;
  EXPECT_EQ(message(p), "registry r.example: max_inflight: must be at least 1, got 0");
  p.max_inflight = 1;
  p.max_retries = -2;
  EXPECT_EQ(message(p), "registry r.example: max_retries: must not be negative, got -2");
  p.max_retries = 0;
  p.ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(message(p),
            "registry r.example: ca_file: cannot read \"/nonexistent/ca.pem\": No such file or "
            "directory");
  p.ca_file.clear();
  p.ca_data = "this is not a certificate";
  EXPECT_EQ(message(p), "registry r.example: ca_data: no PEM certificate found");
  p.insecure = true;  // SPEC §7.1: insecure skips CA loading altogether
  EXPECT_EQ(message(p), "accepted");
  p.key = "";
  EXPECT_NE(message(p).find("key: must not be empty"), std::string::npos);
}

// The iu_host_api.http path a plugin takes: endpoint from the calling instance, status codes
// and the call's error message as plugin.h documents, ABI rule 3 for older request structs.
TEST_F(HttpBasic, PluginEntryPointFollowsTheAbiContract) {
  HttpService svc;
  svc.set_policy(open_policy("abi.test"));
  plugin_host::InstanceContext ctx;
  ctx.endpoint = "abi.test";
  iu_call call;
  call.instance = &ctx;

  std::string url = faults_->url + "/v2/org/app/tags/list";
  iu_http_request req{};
  req.struct_size = sizeof req;
  req.flags = IU_HTTP_IDEMPOTENT;
  req.method = iu_str{"GET", 3};
  req.url = iu_str{url.data(), url.size()};
  req.op = iu_str{"tags", 4};
  struct Got {
    int status = 0;
    std::string body;
    bool has_content_type = false;
  } got;
  auto on_response = [](void* user, const iu_http_response* resp) {
    auto* g = static_cast<Got*>(user);
    g->status = resp->status;
    g->body.assign(resp->body.data, resp->body.size);
    for (uint64_t i = 0; i < resp->header_count; ++i)
      if (std::string(resp->headers[i].key.data, resp->headers[i].key.size) == "content-type")
        g->has_content_type = true;
  };
  double before = metric("registry_request_duration_seconds", {"abi.test", "tags"});
  ASSERT_EQ(svc.handle(&call, &req, on_response, &got), IU_STATUS_OK) << call.error;
  EXPECT_EQ(got.status, 200);
  EXPECT_NE(got.body.find("org/app"), std::string::npos);
  EXPECT_TRUE(got.has_content_type);
  EXPECT_EQ(metric("registry_request_duration_seconds", {"abi.test", "tags"}) - before, 1);

  // An older plugin whose struct ends before max_body_bytes: the tiny limit below lies beyond
  // its struct_size and must read as 0 (the default limit).
  req.max_body_bytes = 1;
  req.struct_size = offsetof(iu_http_request, max_body_bytes);
  ASSERT_EQ(svc.handle(&call, &req, on_response, &got), IU_STATUS_OK) << call.error;

  // Errors: a status plus the message on the call.
  req.struct_size = sizeof req;
  req.max_body_bytes = 0;
  std::string closed = "http://127.0.0.1:1/v2/";
  req.url = iu_str{closed.data(), closed.size()};
  req.flags = 0;  // not idempotent: no retries, fails at once
  EXPECT_EQ(svc.handle(&call, &req, on_response, &got), IU_STATUS_TRANSIENT);
  EXPECT_EQ(call.error.rfind("registry abi.test: GET http://127.0.0.1:1/v2/: ", 0), 0u)
      << call.error;
  EXPECT_EQ(svc.handle(&call, nullptr, on_response, &got), IU_STATUS_INVALID_ARGUMENT);

  std::atomic<bool> cancelled{true};
  call.cancel = &cancelled;
  req.url = iu_str{url.data(), url.size()};
  EXPECT_EQ(svc.handle(&call, &req, on_response, &got), IU_STATUS_CANCELLED);

  // Through the real host table, as a loaded plugin calls it; the other slots keep working.
  auto shared = std::make_shared<HttpService>();
  shared->set_policy(open_policy("abi.test"));
  plugin_host::set_host_services(std::make_shared<HttpHostServices>(shared));
  call.cancel = nullptr;
  req.flags = IU_HTTP_IDEMPOTENT;
  got = Got{};
  EXPECT_EQ(plugin_host::host_api()->http(&call, &req, on_response, &got), IU_STATUS_OK)
      << call.error;
  EXPECT_EQ(got.status, 200);
  iu_str_sink sink{sizeof(iu_str_sink), nullptr, [](void*, iu_str) {}};
  EXPECT_EQ(plugin_host::host_api()->resolve_secret(&call, iu_str{"env:X", 5}, iu_str{}, &sink),
            IU_STATUS_UNSUPPORTED);
  plugin_host::set_host_services(nullptr);
}

}  // namespace
}  // namespace iu::http::testing
