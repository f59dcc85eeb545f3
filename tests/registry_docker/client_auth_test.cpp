// The client's authentication paths against the fake registry: anonymous, Basic, Bearer token
// flow and cache, challenge adoption, the auth retry, credential providers, and messages that
// never carry secrets.
#include <thread>

#include "client_fixture.hpp"

namespace iu::test {
namespace {

using Auth = FakeRegistry::Auth;

TEST_F(ClientTest, AnonymousRegistryIsPingedOnce) {
  serve(Auth::none).add_tags("acme/api", {"1.0", "latest", "0.9"});
  dockerv2::Client client(options());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(list(client, request("acme/api")),
              (std::vector<std::string>{"1.0", "latest", "0.9"}));
  EXPECT_EQ(host_.count("ping"), 1u);
  EXPECT_EQ(host_.count("tags"), 3u);
  auto reqs = host_.requests();
  EXPECT_EQ(reqs[0].url, "http://reg.test/v2/");
  EXPECT_EQ(reqs[1].url, "http://reg.test/v2/acme/api/tags/list?n=1000");
  EXPECT_EQ(reqs[1].header("Authorization"), "");
  EXPECT_EQ(reqs[1].max_body_bytes, 16u << 20);
  EXPECT_NE(reqs[1].flags & IU_HTTP_IDEMPOTENT, 0u);
}

TEST_F(ClientTest, BasicCredentialsOnEveryRequest) {
  serve(Auth::basic).add_tags("acme/api", {"1.0"});
  dockerv2::Client client(options());
  EXPECT_EQ(list(client, request("acme/api", true)), std::vector<std::string>{"1.0"});
  EXPECT_EQ(list(client, request("acme/api", true)), std::vector<std::string>{"1.0"});
  for (const auto& r : host_.requests()) {
    if (r.op == "tags") {
      EXPECT_EQ(r.header("Authorization"), FakeRegistry::basic("alice", "s3cret-pass"));
    }
  }
  EXPECT_EQ(host_.count("token"), 0u);
}

TEST_F(ClientTest, WrongBasicPasswordIsUnauthenticatedWithoutTheSecret) {
  FakeRegistry& reg = serve(Auth::basic);
  reg.add_tags("acme/api", {"1.0"});
  dockerv2::Client client(options());
  sdk::RepoRequest r = request("acme/api", true);
  r.password = "wrong-password-value";
  auto [st, msg] = error_of([&] { list(client, r); });
  EXPECT_EQ(st, IU_STATUS_UNAUTHENTICATED);
  EXPECT_EQ(msg,
            "registry reg.test: GET /v2/acme/api/tags/list: HTTP 401: UNAUTHORIZED: authentication "
            "required: authentication failed, credentials \"env:REG_CREDS\" were rejected");
  EXPECT_EQ(msg.find("wrong-password-value"), std::string::npos);
  EXPECT_EQ(host_.count("tags"), 1u);  // no retry without a cached token
  auto [st2, msg2] = error_of([&] { list(client, request("acme/api")); });
  EXPECT_EQ(st2, IU_STATUS_UNAUTHENTICATED);
  EXPECT_NE(msg2.find("no credentials are configured"), std::string::npos) << msg2;
}

TEST_F(ClientTest, BearerTokenIsFetchedOncePerScopeAndIdentity) {
  FakeRegistry& reg = serve(Auth::bearer);
  reg.add_tags("acme/api", {"1.0"});
  reg.add_tags("acme/web", {"2.0"});
  dockerv2::Client client(options());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(list(client, request("acme/api", true)).size(), 1u);
  EXPECT_EQ(reg.tokens_issued(), 1);
  auto token_req = host_.requests()[1];
  EXPECT_EQ(token_req.op, "token");
  EXPECT_EQ(token_req.url,
            "http://auth.test/token?service=reg.test&scope=repository%3Aacme%2Fapi%3Apull");
  EXPECT_EQ(token_req.header("Authorization"), FakeRegistry::basic("alice", "s3cret-pass"));
  EXPECT_NE(token_req.singleflight_key.find("repository:acme/api:pull"), std::string::npos);
  EXPECT_EQ(token_req.singleflight_key.find("s3cret"), std::string::npos);
  EXPECT_EQ(host_.metric("argocd_image_updater_cache_lookups_total", "token,miss"), 1);
  EXPECT_EQ(host_.metric("argocd_image_updater_cache_lookups_total", "token,hit"), 4);

  list(client, request("acme/web", true));  // another scope
  EXPECT_EQ(reg.tokens_issued(), 2);
  list(client, request("acme/api", true, "secret:ns/other#creds"));  // another identity
  EXPECT_EQ(reg.tokens_issued(), 3);
}

TEST_F(ClientTest, AzureScopesAskForMetadataAndContentRead) {
  FakeRegistry& reg = serve(Auth::bearer, "https://myreg.azurecr.io");
  reg.add_tags("acme/api", {"1.0"});
  dockerv2::Client client(options());
  list(client, request("acme/api", true));
  EXPECT_NE(host_.requests()[1].url.find(
                "scope=repository%3Aacme%2Fapi%3Apull%2Cmetadata_read%2Ccontent_read"),
            std::string::npos);
}

TEST_F(ClientTest, RevokedCachedTokenIsRefetchedOnce) {
  FakeRegistry& reg = serve(Auth::bearer);
  reg.add_tags("acme/api", {"1.0"});
  dockerv2::Client client(options());
  list(client, request("acme/api", true));
  reg.revoke_tokens();
  host_.clear_requests();
  EXPECT_EQ(list(client, request("acme/api", true)), std::vector<std::string>{"1.0"});
  std::vector<std::string> ops;
  for (const auto& r : host_.requests()) ops.push_back(r.op);
  EXPECT_EQ(ops, (std::vector<std::string>{"tags", "token", "tags"}));
  EXPECT_EQ(reg.tokens_issued(), 2);
}

TEST_F(ClientTest, SecondRejectionAfterAFreshTokenIsUnauthenticated) {
  FakeRegistry& reg = serve(Auth::bearer);
  reg.add_tags("acme/api", {"1.0"});
  dockerv2::Client client(options());
  list(client, request("acme/api", true));
  reg.refuse_all_tokens();
  host_.clear_requests();
  auto [st, msg] = error_of([&] { list(client, request("acme/api", true)); });
  EXPECT_EQ(st, IU_STATUS_UNAUTHENTICATED);
  EXPECT_EQ(host_.count("tags"), 2u);
  EXPECT_EQ(host_.count("token"), 1u);
  EXPECT_EQ(msg.find("tok-"), std::string::npos) << msg;  // no token in messages
  EXPECT_EQ(msg.rfind("registry reg.test: GET /v2/acme/api/tags/list: HTTP 401", 0), 0u) << msg;
}

TEST_F(ClientTest, TokenEndpointRejectionNamesTheRealm) {
  FakeRegistry& reg = serve(Auth::bearer);
  reg.add_tags("acme/api", {"1.0"});
  dockerv2::Client client(options());
  sdk::RepoRequest r = request("acme/api", true);
  r.password = "nope-nope";
  auto [st, msg] = error_of([&] { list(client, r); });
  EXPECT_EQ(st, IU_STATUS_UNAUTHENTICATED);
  EXPECT_EQ(msg,
            "registry reg.test: GET http://auth.test/token: HTTP 401: UNAUTHORIZED: authentication "
            "required: authentication failed, credentials \"env:REG_CREDS\" were rejected");
  auto [st2, msg2] = error_of([&] { list(client, request("acme/api")); });
  EXPECT_EQ(st2, IU_STATUS_UNAUTHENTICATED);
  EXPECT_NE(msg2.find("no credentials are configured"), std::string::npos);
}

TEST_F(ClientTest, AnonymousTokensAndAbsentExpiry) {
  FakeRegistry& reg = serve(Auth::bearer);
  reg.anonymous_tokens = true;
  reg.expires_in.reset();
  reg.add_tags("library/nginx", {"1.25"});
  dockerv2::Client client(options());
  list(client, request("library/nginx"));
  list(client, request("library/nginx"));
  EXPECT_EQ(reg.tokens_issued(), 1);
  EXPECT_EQ(host_.requests()[1].header("Authorization"), "");
  bool logged = false;
  for (const auto& l : host_.logs()) logged |= l.find("valid for 54 s") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST_F(ClientTest, ChallengeOfferedOnARepositoryIsAdopted) {
  FakeRegistry& reg = serve(Auth::bearer);
  reg.ping_anonymous = true;  // /v2/ says 200, the repository asks for a token
  reg.add_tags("acme/api", {"1.0"});
  dockerv2::Client client(options());
  EXPECT_EQ(list(client, request("acme/api", true)), std::vector<std::string>{"1.0"});
  std::vector<std::string> ops;
  for (const auto& r : host_.requests()) ops.push_back(r.op);
  EXPECT_EQ(ops, (std::vector<std::string>{"ping", "tags", "token", "tags"}));
  host_.clear_requests();
  list(client, request("acme/api", true));
  EXPECT_EQ(host_.count("tags"), 1u);  // the adopted challenge and the token are kept
}

TEST_F(ClientTest, ConcurrentCallersShareOneTokenFetch) {
  FakeRegistry& reg = serve(Auth::bearer);
  reg.token_delay_ms = 100;
  reg.add_tags("acme/api", {"1.0"});
  dockerv2::Client client(options());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      iu_call raw;
      sdk::Call call(&raw);
      sdk::RepoRequest r = request("acme/api", true);
      client.list_tags(call, r, [&](std::string_view) { ++ok; });
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(reg.tokens_issued(), 1);
}

class CountingProvider : public dockerv2::CredentialProvider {
 public:
  dockerv2::BasicCredentials credentials(sdk::Call&, const sdk::RepoRequest&) override {
    ++asked;
    return {"alice", password, ""};
  }
  void rejected(sdk::Call&, const dockerv2::BasicCredentials& c) override {
    ++rejections;
    EXPECT_EQ(c.password, password);
    password = "s3cret-pass";  // what a refreshing provider (ECR) would fetch next
  }
  std::string password = "expired";
  int asked = 0, rejections = 0;
};

TEST_F(ClientTest, CustomProviderSuppliesAndRefreshesCredentials) {
  FakeRegistry& reg = serve(Auth::basic);
  reg.add_tags("acme/api", {"1.0"});
  auto provider = std::make_shared<CountingProvider>();
  dockerv2::Client client(options(), provider);
  auto [st, msg] = error_of([&] { list(client, request("acme/api")); });
  EXPECT_EQ(st, IU_STATUS_UNAUTHENTICATED);
  EXPECT_NE(msg.find("the configured credentials were rejected"), std::string::npos) << msg;
  EXPECT_EQ(provider->rejections, 1);
  EXPECT_EQ(list(client, request("acme/api")), std::vector<std::string>{"1.0"});  // host's retry
  EXPECT_EQ(provider->asked, 2);
}

TEST_F(ClientTest, InvalidApiUrlIsAConfigurationError) {
  dockerv2::ClientOptions o;
  o.registry = "ghcr.io";
  o.api_url = "ghcr.io";
  auto [st, msg] = error_of([&] { dockerv2::Client c(o); });
  EXPECT_EQ(st, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(msg.rfind("registry ghcr.io: api_url: \"ghcr.io\" is not an absolute http(s) URL", 0),
            0u);
  o.api_url = "https://user:hunter2@ghcr.io";
  auto [st2, msg2] = error_of([&] { dockerv2::Client c(o); });
  EXPECT_EQ(st2, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(msg2.find("hunter2"), std::string::npos) << msg2;
  o.api_url = "https://ghcr.io/";
  dockerv2::Client trailing(o);  // a trailing '/' is fine
}

}  // namespace
}  // namespace iu::test
