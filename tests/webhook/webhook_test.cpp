// Webhook authentication and payloads per type (SPEC §12.1–12.2).
#include "webhook/webhook.hpp"

#include <gtest/gtest.h>
#include <openssl/hmac.h>

#include <condition_variable>
#include <mutex>

#include "webhook/triggers.hpp"

namespace iu::webhook {
namespace {

server::Request post(const std::string& type, std::string body,
                     std::map<std::string, std::string> headers = {},
                     std::map<std::string, std::string> query = {}) {
  server::Request r;
  r.method = "POST";
  r.path = "/webhook";
  r.query = std::move(query);
  if (!type.empty()) r.query["type"] = type;
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

Settings with_secret(const std::string& type, const std::string& secret) {
  Settings s;
  s.secrets[type] = secret;
  return s;
}

std::string hmac_hex(const std::string& key, const std::string& body) {
  unsigned char mac[64];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  std::string out;
  char buf[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", mac[i]);
    out += buf;
  }
  return out;
}

TEST(Webhook, RequestLevelChecks) {
  Settings s = with_secret("registry", "s3cr3t");
  auto r = post("registry", "{}");
  r.method = "GET";
  EXPECT_EQ(handle_request(r, s).status, 405);
  EXPECT_EQ(handle_request(post("gitlab", "{}"), s).status, 404);
  EXPECT_EQ(handle_request(post("", "{}"), s).message,
            "missing webhook type (?type= or X-Registry-Type)");
  auto no_secret = handle_request(post("quay.io", "{}"), s);
  EXPECT_EQ(no_secret.status, 404);
  EXPECT_EQ(no_secret.message, "webhook type \"quay.io\" is not served: no secret is configured");
  EXPECT_EQ(
      handle_request(post("registry", "{\"events\":[]}", {{"authorization", "Bearer nope"}}), s)
          .status,
      401);
  EXPECT_EQ(handle_request(post("registry", "{\"events\":[]}"), s).status, 401);
  auto header_type = post("", "{\"events\":[]}",
                          {{"x-registry-type", "registry"}, {"x-webhook-secret", "s3cr3t"}});
  EXPECT_EQ(handle_request(header_type, s).status, 200);
  Settings open;
  open.require_secret = false;
  EXPECT_EQ(
      handle_request(
          post(
              "acr",
              R"({"action":"push","request":{"host":"x.azurecr.io"},"target":{"repository":"a","tag":"1"}})"),
          open)
          .status,
      200);
}

TEST(Webhook, DockerHub) {
  auto s = with_secret("docker.io", "k");
  std::string body =
      R"({"push_data":{"tag":"1.2.3"},"repository":{"repo_name":"acme/web","namespace":"acme","name":"web"}})";
  EXPECT_EQ(handle_request(post("docker.io", body, {}, {{"secret", "bad"}}), s).status, 401);
  auto o = handle_request(post("docker.io", body, {}, {{"secret", "k"}}), s);
  ASSERT_EQ(o.status, 200) << o.message;
  EXPECT_EQ(o.events, (std::vector<Event>{{"docker.io", "acme/web", "1.2.3", ""}}));
  auto fallback = parse_payload(
      "docker.io",
      post("docker.io",
           R"({"push_data":{"tag":"2"},"repository":{"namespace":"acme","name":"api"}})"));
  EXPECT_EQ(fallback.events.at(0).repository, "acme/api");
  EXPECT_EQ(parse_payload("docker.io", post("docker.io", R"({"repository":{"repo_name":"a/b"}})"))
                .message,
            "invalid docker.io payload: push_data.tag: missing");
}

TEST(Webhook, GhcrSignatureAndEvents) {
  auto s = with_secret("ghcr.io", "hook-key");
  std::string body =
      R"({"action":"published","package":{"name":"Web","package_type":"CONTAINER","owner":{"login":"Acme"},"package_version":{"container_metadata":{"tag":{"name":"v2"}}}}})";
  auto signed_req = post("ghcr.io", body,
                         {{"x-github-event", "package"},
                          {"x-hub-signature-256", "sha256=" + hmac_hex("hook-key", body)}});
  auto o = handle_request(signed_req, s);
  ASSERT_EQ(o.status, 200) << o.message;
  EXPECT_EQ(o.events, (std::vector<Event>{{"ghcr.io", "acme/web", "v2", ""}}));
  auto tampered = signed_req;
  tampered.body += " ";
  EXPECT_EQ(handle_request(tampered, s).status, 401);
  auto other = post("ghcr.io", body,
                    {{"x-github-event", "ping"},
                     {"x-hub-signature-256", "sha256=" + hmac_hex("hook-key", body)}});
  auto ignored = handle_request(other, s);
  EXPECT_EQ(ignored.status, 200);
  EXPECT_TRUE(ignored.ignored);
  EXPECT_TRUE(ignored.events.empty());
}

TEST(Webhook, QuayHarborAliyunAcr) {
  auto q = parse_payload(
      "quay.io",
      post("quay.io",
           R"({"repository":"org/app","docker_url":"quay.io/org/app","updated_tags":["3.1"]})"));
  EXPECT_EQ(q.events, (std::vector<Event>{{"quay.io", "org/app", "3.1", ""}}));
  EXPECT_EQ(
      parse_payload(
          "quay.io",
          post("quay.io",
               R"({"repository":"org/app","docker_url":"quay.io/org/app","updated_tags":[]})"))
          .message,
      "invalid quay.io payload: updated_tags: empty");
  auto h = parse_payload(
      "harbor",
      post(
          "harbor",
          R"({"type":"PUSH_ARTIFACT","event_data":{"resources":[{"tag":"1.0","digest":"sha256:ab","resource_url":"harbor.local:8443/lib/app:1.0"}],"repository":{"repo_full_name":"lib/app"}}})"));
  EXPECT_EQ(h.events, (std::vector<Event>{{"harbor.local:8443", "lib/app", "1.0", "sha256:ab"}}));
  EXPECT_EQ(
      parse_payload(
          "harbor",
          post(
              "harbor",
              R"({"type":"PUSH_ARTIFACT","event_data":{"resources":[],"repository":{"repo_full_name":"lib/app"}}})"))
          .message,
      "invalid harbor payload: event_data.resources: empty");
  EXPECT_TRUE(parse_payload("harbor", post("harbor", R"({"type":"DELETE_ARTIFACT"})")).ignored);
  auto hs = with_secret("harbor", "tok");
  EXPECT_EQ(handle_request(
                post("harbor", R"({"type":"DELETE_ARTIFACT"})", {{"authorization", "tok"}}), hs)
                .status,
            200);
  auto a = parse_payload(
      "aliyun-acr",
      post(
          "aliyun-acr",
          R"({"push_data":{"tag":"7"},"repository":{"region":"cn-hangzhou","repo_full_name":"ns/app"}})"));
  EXPECT_EQ(a.events,
            (std::vector<Event>{{"registry.cn-hangzhou.aliyuncs.com", "ns/app", "7", ""}}));
  auto a2 = parse_payload(
      "aliyun-acr",
      post(
          "aliyun-acr",
          R"({"push_data":{"tag":"7"},"repository":{"region":"cn-hangzhou","namespace":"ns","name":"app"}})",
          {}, {{"registry_url", "https://my-vpc.aliyuncs.com"}}));
  EXPECT_EQ(a2.events.at(0).registry, "my-vpc.aliyuncs.com");
  EXPECT_EQ(a2.events.at(0).repository, "ns/app");
  auto z = parse_payload(
      "acr",
      post(
          "acr",
          R"({"action":"push","request":{"host":"r.azurecr.io"},"target":{"repository":"web","tag":"1","digest":"sha256:cd"}})"));
  EXPECT_EQ(z.events, (std::vector<Event>{{"r.azurecr.io", "web", "1", "sha256:cd"}}));
  EXPECT_TRUE(parse_payload("acr", post("acr", R"({"action":"delete"})")).ignored);
}

TEST(Webhook, CloudEvents) {
  auto ecr = parse_payload(
      "cloudevents",
      post(
          "cloudevents",
          R"({"specversion":"1.0","type":"com.amazon.ecr.image.push","source":"arn:aws:ecr:eu-west-1:123456789012:repository/web","id":"1","data":{"repositoryName":"web","imageTag":"4.2","imageDigest":"sha256:ef"}})"));
  EXPECT_EQ(ecr.events, (std::vector<Event>{{"123456789012.dkr.ecr.eu-west-1.amazonaws.com", "web",
                                             "4.2", "sha256:ef"}}));
  auto generic = parse_payload(
      "cloudevents",
      post(
          "cloudevents",
          R"({"specversion":"1.0","type":"dev.example.container.pushed","source":"ci","id":"2","data":{"registry":"registry.local:5000","repository":"team/api","tag":"1.1"}})"));
  EXPECT_EQ(generic.events, (std::vector<Event>{{"registry.local:5000", "team/api", "1.1", ""}}));
  auto binary = parse_payload("cloudevents",
                              post("cloudevents", R"({"repository":"team/api","tag":"1.2"})",
                                   {{"ce-type", "dev.example.image.pushed"}, {"ce-source", "ci"}}));
  EXPECT_EQ(binary.events.at(0).tag, "1.2");
  EXPECT_TRUE(
      parse_payload(
          "cloudevents",
          post("cloudevents", R"({"type":"dev.example.build.finished","source":"ci","data":{}})"))
          .ignored);
  EXPECT_EQ(
      parse_payload(
          "cloudevents",
          post(
              "cloudevents",
              R"({"type":"com.amazon.ecr.image.push","source":"nowhere","data":{"repositoryName":"x"}})"))
          .message,
      "invalid cloudevents payload: source: no region and 12-digit account in \"nowhere\"");
  auto s = with_secret("cloudevents", "ce");
  auto req = post("cloudevents", R"({"type":"x.image","source":"s","data":{"repository":"r"}})",
                  {{"x-webhook-secret", "ce"}});
  EXPECT_EQ(handle_request(req, s).status, 200);
}

TEST(Webhook, DistributionEnvelope) {
  std::string body = R"({"events":[
    {"action":"pull","target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","repository":"team/web","digest":"sha256:00"},"request":{"host":"r:5000"}},
    {"action":"push","target":{"mediaType":"application/octet-stream","repository":"team/web","digest":"sha256:11"},"request":{"host":"r:5000"}},
    {"action":"push","target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","repository":"team/web","digest":"sha256:22","tag":"1.4.2"},"request":{"host":"registry.local:5000","method":"PUT"}}]})";
  auto s = with_secret("registry", "tok");
  auto o = handle_request(post("registry", body, {{"authorization", "Bearer tok"}}), s);
  ASSERT_EQ(o.status, 200) << o.message;
  EXPECT_EQ(o.events,
            (std::vector<Event>{{"registry.local:5000", "team/web", "1.4.2", "sha256:22"}}));
  auto bad = parse_payload(
      "registry",
      post(
          "registry",
          R"({"events":[{"action":"push","target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:1"},"request":{"host":"h"}}]})"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.message, "invalid registry payload: events[0].target.repository: missing");
  auto junk = parse_payload("registry", post("registry", "{\"events\": ["));
  EXPECT_EQ(junk.status, 400);
  EXPECT_NE(junk.message.find("malformed JSON at offset"), std::string::npos);
  EXPECT_TRUE(parse_payload("registry", post("registry", R"({"events":[]})")).ignored);
}

TEST(Webhook, SecureEquals) {
  EXPECT_TRUE(secure_equals("abc", "abc"));
  EXPECT_FALSE(secure_equals("abc", "abd"));
  EXPECT_FALSE(secure_equals("abc", "abcd"));
  EXPECT_FALSE(secure_equals("", ""));
}

}  // namespace
}  // namespace iu::webhook

namespace iu::webhook {
namespace {

TEST(Triggers, FirstEventFiresAtOnceBurstsCoalesceIntoOneTrailingTrigger) {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Trigger> fired;
  {
    TriggerQueue q(std::chrono::milliseconds(300), [&](Trigger t) {
      std::lock_guard lock(mu);
      fired.push_back(std::move(t));
      cv.notify_all();
    });
    EXPECT_EQ(q.add({"registry-1.docker.io", "library/nginx", "1.0", ""}, "docker.io"),
              TriggerQueue::Result::accepted);
    {
      std::lock_guard lock(mu);
      ASSERT_EQ(fired.size(), 1u) << "the first event must not wait for the window";
      EXPECT_EQ(fired[0].registry, "docker.io");
      EXPECT_EQ(fired[0].type, "docker.io");  // the webhook type, for metrics
    }
    EXPECT_EQ(q.add({"docker.io", "library/nginx", "1.1", ""}), TriggerQueue::Result::coalesced);
    EXPECT_EQ(q.add({"index.docker.io", "library/nginx", "1.2", "sha256:x"}, "registry"),
              TriggerQueue::Result::coalesced);
    EXPECT_EQ(q.add({"ghcr.io", "acme/web", "2", ""}), TriggerQueue::Result::accepted);
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return fired.size() >= 3; }));
    EXPECT_EQ(fired[2].tags, (std::set<std::string>{"1.1", "1.2"}));
    EXPECT_EQ(fired[2].digests, (std::set<std::string>{"sha256:x"}));
    EXPECT_EQ(fired[2].type, "registry");  // the last event's
  }
  EXPECT_EQ(fired.size(), 3u) << "a window without further events has no trailing trigger";
}

TEST(Triggers, HourlyLimiter) {
  HourlyLimiter l(2);
  auto t0 = HourlyLimiter::Clock::now();
  long long retry = 0;
  EXPECT_TRUE(l.allow(t0, &retry));
  EXPECT_TRUE(l.allow(t0 + std::chrono::minutes(10), &retry));
  EXPECT_FALSE(l.allow(t0 + std::chrono::minutes(20), &retry));
  EXPECT_EQ(retry, 40 * 60 + 1);
  EXPECT_TRUE(l.allow(t0 + std::chrono::minutes(61), &retry));
  HourlyLimiter unlimited(0);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(unlimited.allow(t0, &retry));
}

}  // namespace
}  // namespace iu::webhook
