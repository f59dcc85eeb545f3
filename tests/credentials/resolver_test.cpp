#include "credentials/resolver.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "test_helpers.hpp"

namespace iu::credentials {
namespace {

using test::FakeSecrets;

std::string error_of(const Resolver& r, std::string_view ref, std::string_view host = "ghcr.io") {
  try {
    r.resolve(ref, host);
  } catch (const CredentialError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error for " << ref;
  return {};
}

TEST(Resolver, EnvSplitsAtTheFirstColon) {
  ::setenv("IU_TEST_REG_CREDS", "robot$ci:pa:ss:word\n", 1);
  Resolver r(nullptr);
  Credential c = r.resolve("env:IU_TEST_REG_CREDS", "");
  EXPECT_EQ(c.username, "robot$ci");
  EXPECT_EQ(c.password, "pa:ss:word");
  EXPECT_EQ(c.identity, "env:IU_TEST_REG_CREDS");
  ::unsetenv("IU_TEST_REG_CREDS");
}

TEST(Resolver, EnvErrors) {
  Resolver r(nullptr);
  ::unsetenv("IU_TEST_MISSING");
  EXPECT_EQ(error_of(r, "env:IU_TEST_MISSING"),
            "env:IU_TEST_MISSING: environment variable IU_TEST_MISSING is not set");
  ::setenv("IU_TEST_NO_COLON", "justatoken", 1);
  const std::string e = error_of(r, "env:IU_TEST_NO_COLON");
  EXPECT_EQ(e,
            "env:IU_TEST_NO_COLON: environment variable IU_TEST_NO_COLON is not in the form "
            "user:password");
  EXPECT_EQ(e.find("justatoken"), std::string::npos);
  ::unsetenv("IU_TEST_NO_COLON");
  EXPECT_NE(error_of(r, "bogus").find("invalid credential reference \"bogus\""), std::string::npos);
}

TEST(Resolver, SecretField) {
  auto secrets = std::make_shared<FakeSecrets>();
  secrets->secrets["argocd/ghcr"] = {{"creds", "user:tok\r\n"}, {"plain", "tokenonly"}};
  Resolver r(secrets);
  Credential c = r.resolve("secret:argocd/ghcr#creds", "ghcr.io");
  EXPECT_EQ(c.username, "user");
  EXPECT_EQ(c.password, "tok");
  EXPECT_EQ(error_of(r, "secret:argocd/ghcr#other"),
            "secret:argocd/ghcr#other: Secret argocd/ghcr has no field \"other\"");
  EXPECT_EQ(error_of(r, "secret:argocd/missing#creds"),
            "secret:argocd/missing#creds: Secret argocd/missing not found");
  const std::string e = error_of(r, "secret:argocd/ghcr#plain");
  EXPECT_EQ(e,
            "secret:argocd/ghcr#plain: field \"plain\" of Secret argocd/ghcr is not in the form "
            "user:password");
  EXPECT_EQ(e.find("tokenonly"), std::string::npos);
  secrets->fail_with = "secrets \"ghcr\" is forbidden";
  EXPECT_EQ(error_of(r, "secret:argocd/ghcr#creds"),
            "secret:argocd/ghcr#creds: cannot read Secret argocd/ghcr: secrets \"ghcr\" is "
            "forbidden");
}

TEST(Resolver, PullSecretChoosesTheEntryForTheRegistry) {
  auto secrets = std::make_shared<FakeSecrets>();
  secrets->secrets["argocd/regcred"] = {
      {".dockerconfigjson",
       R"({"auths":{"https://index.docker.io/v1/":{"username":"hub","password":"h"},
                    "ghcr.io":{"auth":"Z2g6Zw=="}}})"}};
  Resolver r(secrets);
  Credential hub = r.resolve("pullsecret:argocd/regcred", "registry-1.docker.io");
  EXPECT_EQ(hub.username, "hub");
  EXPECT_EQ(hub.password, "h");
  Credential gh = r.resolve("pullsecret:argocd/regcred", "https://ghcr.io", "acme/api");
  EXPECT_EQ(gh.username, "gh");
  EXPECT_EQ(gh.password, "g");
  EXPECT_NE(error_of(r, "pullsecret:argocd/regcred", "quay.io").find("no \"auths\" entry"),
            std::string::npos);
  secrets->secrets["argocd/opaque"] = {{"token", "x"}};
  EXPECT_EQ(error_of(r, "pullsecret:argocd/opaque"),
            "pullsecret:argocd/opaque: Secret argocd/opaque has no \".dockerconfigjson\" key");
}

TEST(Resolver, KubernetesRefsWithoutSecretSourceFailClearly) {
  Resolver r(nullptr);
  EXPECT_EQ(error_of(r, "secret:argocd/x#y"),
            "secret:argocd/x#y: Kubernetes Secrets are not available (no Kubernetes client "
            "configured)");
  EXPECT_NE(error_of(r, "pullsecret:argocd/x").find("not available"), std::string::npos);
}

}  // namespace
}  // namespace iu::credentials
