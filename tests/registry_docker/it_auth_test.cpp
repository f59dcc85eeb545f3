// Integration: authentication against real servers. htpasswd Basic auth on the registry; the
// Bearer token flow through token_server.py (one token request per scope while the token is
// valid, a new one after it expires); TLS with the fixture's generated CA.
#include <chrono>
#include <memory>
#include <thread>

#include "fixture_servers.hpp"
#include "it_support.hpp"
#include "plugin_under_test.hpp"
#include "test_transport.hpp"

namespace iu::test {
namespace {

constexpr const char* kUser = "alice";
constexpr const char* kPassword = "pw-Alice-123";
constexpr const char* kIdentity = "secret:argocd/regcreds#creds";

// One registry per suite, started with `options`, with org/app (and org/other) populated.
class AuthIT : public ::testing::Test {
 protected:
  static void start(std::vector<std::string> options, bool tls = false) {
    try {
      dir_ = std::make_unique<TempDir>();
      server_ = std::make_unique<RegistryServer>(dir_->path() / "registry", std::move(options));
      std::vector<std::string> auth{"--user", std::string(kUser) + ":" + kPassword};
      if (tls) auth = {"--cacert", (server_->dir() / "tls" / "ca.crt").string(), auth[0], auth[1]};
      for (const char* a : {"--repo", "org/app", "--repo", "org/other", "--tags", "1.0,2.0"})
        auth.push_back(a);
      populate(server_->url(), auth, dir_->path(), false);
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }
  static void stop() {
    server_.reset();
    dir_.reset();
    setup_error_.clear();
  }

  void SetUp() override {
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
    services_ = install_recording_services();
    services_->transport().configure(server_->host(), ca_file(), false);
    registry_ = make_registry(server_->url(), server_->host(), server_->host());
  }
  virtual std::string ca_file() const { return {}; }

  std::string token_stats() const {
    return fetch_text("http://127.0.0.1:" + server_->env("TOKEN_PORT") + "/__stats");
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<RegistryServer> server_;
  static inline std::string setup_error_;
  std::shared_ptr<RecordingServices> services_;
  std::unique_ptr<plugin_host::RegistryInstance> registry_;
  const plugin_host::Credentials good_ = creds(kUser, kPassword, kIdentity);
  const plugin_host::Credentials bad_ = creds(kUser, "not-the-password", kIdentity);
};

// ---- htpasswd Basic ---------------------------------------------------------------------

class BasicAuthIT : public AuthIT {
 protected:
  static void SetUpTestSuite() { start({"--htpasswd", std::string(kUser) + ":" + kPassword}); }
  static void TearDownTestSuite() { stop(); }
};

TEST_F(BasicAuthIT, CredentialsGoWithEveryRequest) {
  auto tags = registry_->list_tags("org/app", good_);
  auto sk = parse_json(
      skopeo({"list-tags", "--tls-verify=false", "--creds", std::string(kUser) + ":" + kPassword,
              "docker://" + server_->host() + "/org/app"}));
  std::vector<std::string> expected;
  for (const auto& t : sk["Tags"].GetArray()) expected.emplace_back(t.GetString());
  EXPECT_EQ(tag_names(tags), expected);
  auto m = registry_->get_manifest("org/app", good_, "2.0");
  registry_->get_image_config("org/app", good_, m.config_digest);
  for (const auto& e : services_->exchanges()) {
    EXPECT_EQ(e.authorization, e.op != "ping") << e.op << " " << e.url;
    // Basic is sent up front: only the ping (which learns the challenge) is answered 401.
    EXPECT_EQ(e.status, e.op == "ping" ? 401 : 200) << e.url;
  }
  EXPECT_EQ(services_->count("token"), 0u);
}

TEST_F(BasicAuthIT, WrongPasswordIsUnauthenticated) {
  auto [st, msg] = plugin_error([&] { registry_->list_tags("org/app", bad_); });
  EXPECT_EQ(st, IU_STATUS_UNAUTHENTICATED);
  EXPECT_EQ(msg, "registry \"docker-v2\": list tags of org/app: registry " + server_->host() +
                     ": GET /v2/org/app/tags/list: HTTP 401: UNAUTHORIZED: authentication "
                     "required: authentication failed, credentials \"" +
                     kIdentity + "\" were rejected");
  EXPECT_EQ(msg.find("not-the-password"), std::string::npos);
  auto [st2, msg2] = plugin_error([&] { registry_->get_manifest("org/app", {}, "1.0"); });
  EXPECT_EQ(st2, IU_STATUS_UNAUTHENTICATED);
  EXPECT_NE(msg2.find("no credentials are configured"), std::string::npos) << msg2;
}

// ---- Bearer tokens ----------------------------------------------------------------------

class TokenAuthIT : public AuthIT {
 protected:
  static void SetUpTestSuite() {
    start({"--token", "--htpasswd", std::string(kUser) + ":" + kPassword});
  }
  static void TearDownTestSuite() { stop(); }
};

TEST_F(TokenAuthIT, OneTokenRequestPerScope) {
  fetch_text("http://127.0.0.1:" + server_->env("TOKEN_PORT") + "/__reset");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(registry_->list_tags("org/app", good_).size(), 2u);
    auto m = registry_->get_manifest("org/app", good_, i % 2 == 0 ? "1.0" : "2.0");
    registry_->get_image_config("org/app", good_, m.config_digest);
  }
  auto stats = parse_json(token_stats());
  EXPECT_EQ(json_int(stats, {"issued"}), 1);
  EXPECT_EQ(json_int(stats, {"by_scope", "repository:org/app:pull"}), 1);
  EXPECT_EQ(json_int(stats, {"by_account", kUser}), 1);

  registry_->list_tags("org/other", good_);
  registry_->list_tags("org/other", good_);
  stats = parse_json(token_stats());
  EXPECT_EQ(json_int(stats, {"by_scope", "repository:org/other:pull"}), 1);
  EXPECT_EQ(json_int(stats, {"issued"}), 2);
  EXPECT_EQ(services_->count("token"), 2u);
  for (const auto& e : services_->exchanges()) {
    if (e.op == "tags" || e.op == "manifest" || e.op == "blob") {
      EXPECT_EQ(e.status, 200) << e.url;
    }
  }
}

TEST_F(TokenAuthIT, WrongPasswordIsRefusedByTheTokenService) {
  auto [st, msg] = plugin_error([&] { registry_->list_tags("org/app", bad_); });
  EXPECT_EQ(st, IU_STATUS_UNAUTHENTICATED);
  EXPECT_NE(msg.find("GET " + server_->env("TOKEN_REALM") + ": HTTP 401"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("credentials \"" + std::string(kIdentity) + "\" were rejected"),
            std::string::npos);
  EXPECT_EQ(msg.find("not-the-password"), std::string::npos);
  auto [st2, msg2] = plugin_error([&] { registry_->list_tags("org/app", {}); });
  EXPECT_EQ(st2, IU_STATUS_UNAUTHENTICATED);
  EXPECT_NE(msg2.find("no credentials are configured"), std::string::npos) << msg2;
}

class TokenExpiryIT : public AuthIT {
 protected:
  static void SetUpTestSuite() {
    start({"--token", "--htpasswd", std::string(kUser) + ":" + kPassword, "--token-expires", "2",
           "--token-exact-expiry"});
  }
  static void TearDownTestSuite() { stop(); }
};

TEST_F(TokenExpiryIT, ExpiredTokenIsFetchedAgain) {
  fetch_text("http://127.0.0.1:" + server_->env("TOKEN_PORT") + "/__reset");
  registry_->list_tags("org/app", good_);
  registry_->get_manifest("org/app", good_, "1.0");  // within 1.8 s: the cached token
  EXPECT_EQ(json_int(parse_json(token_stats()), {"issued"}), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));  // past expires_in (2 s)
  EXPECT_EQ(registry_->list_tags("org/app", good_).size(), 2u);
  EXPECT_EQ(json_int(parse_json(token_stats()), {"issued"}), 2);
  // Refreshed before the registry could refuse it: no request was answered 401.
  for (const auto& e : services_->exchanges()) {
    if (e.op != "ping") {
      EXPECT_EQ(e.status, 200) << e.op << " " << e.url;
    }
  }
}

// ---- TLS --------------------------------------------------------------------------------

class TlsIT : public AuthIT {
 protected:
  static void SetUpTestSuite() {
    start({"--tls", "--htpasswd", std::string(kUser) + ":" + kPassword}, true);
  }
  static void TearDownTestSuite() { stop(); }
  std::string ca_file() const override { return (server_->dir() / "tls" / "ca.crt").string(); }
};

TEST_F(TlsIT, TrustedCaGivesTheSameAnswersAsSkopeo) {
  ASSERT_EQ(server_->url().rfind("https://", 0), 0u) << server_->url();
  const std::string creds_arg = std::string(kUser) + ":" + kPassword;
  const std::string cert_dir = (server_->dir() / "tls").string();
  auto tags = registry_->list_tags("org/app", good_);
  auto sk = parse_json(skopeo({"list-tags", "--cert-dir", cert_dir, "--creds", creds_arg,
                               "docker://" + server_->host() + "/org/app"}));
  std::vector<std::string> expected;
  for (const auto& t : sk["Tags"].GetArray()) expected.emplace_back(t.GetString());
  EXPECT_EQ(tag_names(tags), expected);
  auto m = registry_->get_manifest("org/app", good_, "1.0");
  EXPECT_EQ(m.digest,
            sha256_of(skopeo({"inspect", "--raw", "--cert-dir", cert_dir, "--creds", creds_arg,
                              "docker://" + server_->host() + "/org/app:1.0"})));
}

TEST_F(TlsIT, UntrustedCertificateFails) {
  // Same server, but an endpoint key without the fixture CA: system roots only.
  auto untrusted = make_registry(server_->url(), "untrusted-" + server_->host(), server_->host());
  auto [st, msg] = plugin_error([&] { untrusted->list_tags("org/app", good_); });
  EXPECT_TRUE(st == IU_STATUS_TRANSIENT || st == IU_STATUS_INVALID_ARGUMENT) << st << " " << msg;
  EXPECT_NE(msg.find("registry " + server_->host() + ": GET /v2/: "), std::string::npos) << msg;
}

}  // namespace
}  // namespace iu::test
