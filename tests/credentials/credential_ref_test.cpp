#include "credentials/credential_ref.hpp"

#include <gtest/gtest.h>

namespace iu::credentials {
namespace {

std::string error_of(std::string_view ref) {
  std::string error;
  EXPECT_FALSE(parse_ref(ref, &error).has_value()) << ref;
  return error;
}

TEST(CredentialRef, ParsesEachSource) {
  auto pull = parse_ref("pullsecret:argocd/regcred");
  ASSERT_TRUE(pull);
  EXPECT_EQ(pull->kind, RefKind::kPullSecret);
  EXPECT_EQ(pull->ns, "argocd");
  EXPECT_EQ(pull->name, "regcred");
  EXPECT_EQ(pull->text, "pullsecret:argocd/regcred");

  auto secret = parse_ref("secret:argocd/ghcr.token#creds_v1");
  ASSERT_TRUE(secret);
  EXPECT_EQ(secret->kind, RefKind::kSecret);
  EXPECT_EQ(secret->ns, "argocd");
  EXPECT_EQ(secret->name, "ghcr.token");
  EXPECT_EQ(secret->field, "creds_v1");

  auto env = parse_ref("env:REGISTRY_CREDS");
  ASSERT_TRUE(env);
  EXPECT_EQ(env->kind, RefKind::kEnv);
  EXPECT_EQ(env->env, "REGISTRY_CREDS");

  auto ext = parse_ref("ext:/app/scripts/ecr-login.sh");
  ASSERT_TRUE(ext);
  EXPECT_EQ(ext->kind, RefKind::kExt);
  EXPECT_EQ(ext->path, "/app/scripts/ecr-login.sh");
  EXPECT_EQ(kind_name(ext->kind), "ext");
}

TEST(CredentialRef, RejectsBadSyntaxNamingTheReference) {
  EXPECT_EQ(error_of("argocd/regcred"),
            "invalid credential reference \"argocd/regcred\": expected pullsecret:, secret:, env: "
            "or ext: followed by its argument");
  EXPECT_NE(error_of("vault:x/y").find("unknown source \"vault\""), std::string::npos);
  EXPECT_NE(error_of("pullsecret:regcred").find("missing \"/\""), std::string::npos);
  EXPECT_NE(error_of("pullsecret:Argo/regcred").find("namespace \"Argo\""), std::string::npos);
  EXPECT_NE(error_of("pullsecret:argocd/").find("name \"\""), std::string::npos);
  EXPECT_NE(error_of("secret:argocd/x").find("missing \"#<field>\""), std::string::npos);
  EXPECT_NE(error_of("secret:argocd/x#").find("field \"\""), std::string::npos);
  EXPECT_NE(error_of("secret:argocd/x#a b").find("field \"a b\""), std::string::npos);
  EXPECT_NE(error_of("env:").find("empty variable name"), std::string::npos);
  EXPECT_NE(error_of("env:A=B").find("cannot contain \"=\""), std::string::npos);
  EXPECT_NE(error_of("ext:scripts/login.sh").find("must be absolute"), std::string::npos);
  EXPECT_NE(error_of("ext:").find("must be absolute"), std::string::npos);
}

TEST(CredentialRef, EnforcesKubernetesNameLengths) {
  const std::string long_ns(64, 'a');
  EXPECT_FALSE(parse_ref("pullsecret:" + long_ns + "/x"));
  EXPECT_TRUE(parse_ref("pullsecret:" + std::string(63, 'a') + "/x"));
  EXPECT_FALSE(parse_ref("pullsecret:ns/-x"));
  EXPECT_FALSE(parse_ref("pullsecret:ns/x..y"));
}

}  // namespace
}  // namespace iu::credentials
