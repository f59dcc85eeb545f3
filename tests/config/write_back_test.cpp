// Write-back syntax: methods, branches and targets (SPEC §4.1, §9.4, §9.5).
#include "config/write_back.hpp"

#include <gtest/gtest.h>

namespace iu::config {
namespace {

WriteBackMethod method_ok(std::string_view text) {
  std::string error;
  auto method = parse_write_back_method(text, &error);
  EXPECT_TRUE(method) << text << ": " << error;
  return method.value_or(WriteBackMethod{});
}

std::string method_error(std::string_view text) {
  std::string error;
  EXPECT_FALSE(parse_write_back_method(text, &error)) << text;
  return error;
}

TEST(WriteBackMethod, GitForms) {
  using Creds = WriteBackMethod::GitCredentials;
  EXPECT_EQ(method_ok("argocd").plugin, "argocd");
  EXPECT_EQ(method_ok("git").git_credentials, Creds::kRepoCreds);
  EXPECT_EQ(method_ok("git:repocreds").git_credentials, Creds::kRepoCreds);
  const WriteBackMethod named = method_ok("git:secret:deploy-key");
  EXPECT_EQ(named.git_credentials, Creds::kSecret);
  EXPECT_EQ(named.secret_namespace, "");
  EXPECT_EQ(named.secret_name, "deploy-key");
  const WriteBackMethod qualified = method_ok("git:secret:team-a/deploy.key");
  EXPECT_EQ(qualified.secret_namespace, "team-a");
  EXPECT_EQ(qualified.secret_name, "deploy.key");
  EXPECT_EQ(qualified.text, "git:secret:team-a/deploy.key");
}

TEST(WriteBackMethod, OtherPluginsKeepTheirArgument) {
  const WriteBackMethod m = method_ok("s3:bucket/path:x");
  EXPECT_EQ(m.plugin, "s3");
  EXPECT_EQ(m.plugin_argument, "bucket/path:x");
  EXPECT_EQ(method_ok("oci").plugin_argument, "");
}

TEST(WriteBackMethod, Errors) {
  EXPECT_EQ(method_error(""),
            "invalid write-back method \"\": expected argocd, git, git:repocreds, "
            "git:secret:[<namespace>/]<name> or <plugin>[:<argument>]");
  EXPECT_EQ(method_error("argocd:patch"),
            "invalid write-back method \"argocd:patch\": argocd takes no argument");
  EXPECT_EQ(method_error("git:ssh"),
            "invalid write-back method \"git:ssh\": expected git, "
            "git:repocreds or git:secret:[<namespace>/]<name>");
  EXPECT_EQ(method_error("git:secret:Team/x"),
            "invalid write-back method \"git:secret:Team/x\": namespace \"Team\" is not a valid "
            "Kubernetes namespace");
  EXPECT_EQ(method_error("git:secret:a/b/c"),
            "invalid write-back method \"git:secret:a/b/c\": Secret name \"b/c\" is not a valid "
            "Kubernetes name");
}

TEST(Branch, Forms) {
  auto b = parse_branch("main");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->base, "main");
  EXPECT_FALSE(b->has_target());
  b = parse_branch("main:image-updates/{{ .AppName }}");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->target, "image-updates/{{ .AppName }}");
  b = parse_branch(":updates");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->base, "");
  EXPECT_EQ(b->target, "updates");
  std::string error;
  EXPECT_FALSE(parse_branch("main:", &error));
  EXPECT_EQ(error, "invalid branch \"main:\": expected <base>, <base>:<target> or :<target>");
  EXPECT_FALSE(parse_branch("", &error));
  EXPECT_EQ(error, "must not be empty");
}

TEST(WriteBackTarget, Kinds) {
  using Kind = WriteBackTarget::Kind;
  const auto target = [](std::string_view text) {
    auto t = parse_write_back_target(text);
    EXPECT_TRUE(t) << text;
    return t.value_or(WriteBackTarget{});
  };
  EXPECT_EQ(target("kustomization").kind, Kind::kKustomization);
  EXPECT_EQ(target("kustomization").path, "");
  EXPECT_EQ(target("kustomization:overlays/prod").path, "overlays/prod");
  EXPECT_EQ(target("helmvalues").kind, Kind::kHelmValues);
  EXPECT_EQ(target("helmvalues:/values/prod.yaml").path, "/values/prod.yaml");
  EXPECT_EQ(target("config/images.yaml").kind, Kind::kFile);
  EXPECT_EQ(target("kustomizations.yaml").kind, Kind::kFile);  // not the keyword
  std::string error;
  EXPECT_FALSE(parse_write_back_target("base/Kustomization", &error));
  EXPECT_EQ(error,
            "invalid write-back target \"base/Kustomization\": a kustomization file is "
            "written with kustomization:<dir>");
}

}  // namespace
}  // namespace iu::config
