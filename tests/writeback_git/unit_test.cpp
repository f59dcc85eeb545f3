// Unit tests of the git write-back's pure parts: URLs, branch plans and templates, targets,
// edits and read-back, commit messages and back-off schedules. No servers.
#include <git2.h>
#include <gtest/gtest.h>

#include "branches.hpp"
#include "commit_message.hpp"
#include "edits.hpp"
#include "image_name.hpp"
#include "iu/yamledit/document.hpp"
#include "iu/yamledit/error.hpp"
#include "repo_cache.hpp"
#include "repo_url.hpp"
#include "retry.hpp"
#include "targets.hpp"

namespace iu::gitwb {
namespace {

struct LibGitEnv : ::testing::Environment {
  void SetUp() override { git_libgit2_init(); }
  void TearDown() override { git_libgit2_shutdown(); }
};
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new LibGitEnv);

Intent app(const std::string& name, const std::string& type = "Helm") {
  Intent in;
  in.app_namespace = "argocd";
  in.app_name = name;
  in.repository = "https://git.example.com/deploy.git";
  in.source_path = "apps/" + name;
  in.source_type = type;
  in.argocd_namespace = "argocd";
  Change c;
  c.image_name = "ghcr.io/acme/" + name;
  c.old_tag = "1.0.0";
  c.new_tag = "1.1.0";
  in.changes.push_back(c);
  return in;
}

TEST(RepoUrl, DisplayDropsCredentialsAndNormalizeGroupsSpellings) {
  EXPECT_EQ(display_url("https://bot:s3cret@git.example.com/deploy.git"),
            "https://git.example.com/deploy.git");
  EXPECT_EQ(display_url("ssh://git:pw@host/x.git"), "ssh://git@host/x.git");
  EXPECT_EQ(display_url("git@github.com:org/x.git"), "git@github.com:org/x.git");
  EXPECT_EQ(normalize_url(" https://Git.Example.com/deploy.git/ "),
            "https://git.example.com/deploy");
  EXPECT_EQ(normalize_url("https://git.example.com/deploy"), "https://git.example.com/deploy");
  EXPECT_TRUE(is_ssh_url("git@github.com:org/x.git"));
  EXPECT_TRUE(is_ssh_url("ssh://git@host/x"));
  EXPECT_FALSE(is_ssh_url("https://host/x"));
  EXPECT_FALSE(is_ssh_url("/srv/git/x.git"));
  EXPECT_EQ(cache_folder_name("https://a:secret@h/x.git").find("secret"), std::string::npos);
  EXPECT_NE(cache_folder_name("https://h/x.git"), cache_folder_name("https://h/y.git"));
}

TEST(ImageName, RepositoryAndEquivalence) {
  EXPECT_EQ(repository_of("ghcr.io/acme/api"), "acme/api");
  EXPECT_EQ(repository_of("127.0.0.1:5000/org/app"), "org/app");
  EXPECT_EQ(repository_of("bitnami/redis"), "bitnami/redis");
  EXPECT_TRUE(same_image("nginx", "docker.io/library/nginx"));
  EXPECT_TRUE(same_image("registry-1.docker.io/library/nginx", "docker.io/nginx"));
  EXPECT_FALSE(same_image("quay.io/x", "x"));
  SplitReference r = split_reference("host:5000/app:1.2@sha256:ab");
  EXPECT_EQ(r.name, "host:5000/app");
  EXPECT_EQ(r.tag, "1.2");
  EXPECT_EQ(r.digest, "sha256:ab");
}

TEST(Branches, BaseComesFromBranchThenTargetRevision) {
  Intent in = app("web");
  in.target_revision = "HEAD";
  EXPECT_EQ(plan_branches(in).base, "");
  in.target_revision = "develop";
  EXPECT_EQ(plan_branches(in).base, "develop");
  EXPECT_EQ(plan_branches(in).base_field, "target_revision");
  in.branch = "main";
  BranchPlan p = plan_branches(in);
  EXPECT_EQ(p.base, "main");
  EXPECT_EQ(p.base_field, "branch");
  EXPECT_EQ(p.push_branch("x"), "main");
}

TEST(Branches, TargetTemplateSeesAllVariables) {
  Intent in = app("web");
  in.branch =
      "main:update/{{.AppNamespace}}/{{.AppName}}/{{range "
      ".Images}}{{.Name}}-{{.NewTag}}{{end}}-{{.TargetKey}}";
  BranchPlan p = plan_branches(in);
  EXPECT_EQ(p.base, "main");
  EXPECT_EQ(p.target, "update/argocd/web/acme/web-1.1.0-" + target_key(in));
  EXPECT_EQ(target_key(in).size(), 8u);
  in.branch = ":image-updater-{{.SHA256}}";
  in.target_revision = "";
  p = plan_branches(in);
  EXPECT_EQ(p.base, "");
  EXPECT_EQ(p.target, "image-updater-" + changes_sha256(in));
  EXPECT_EQ(changes_sha256(in).size(), 64u);
  EXPECT_EQ(p.push_branch("main"), p.target);
}

TEST(Branches, BadTemplatesAndNamesAreErrorsNamingTheSetting) {
  Intent in = app("web");
  in.branch = "main:{{ .Nope";
  try {
    plan_branches(in);
    FAIL() << "expected an error";
  } catch (const iu::sdk::Error& e) {
    EXPECT_EQ(e.status(), IU_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("branch: invalid target branch template"),
              std::string::npos);
  }
  in.branch = "main:bad..name";
  EXPECT_THROW(plan_branches(in), iu::sdk::Error);
  in.branch = "main:";
  EXPECT_THROW(plan_branches(in), iu::sdk::Error);
  in.branch = "ma in";
  EXPECT_THROW(plan_branches(in), iu::sdk::Error);
  in.branch = "main:" + std::string(300, 'x');
  EXPECT_EQ(plan_branches(in).target.size(), 255u);
}

TEST(Targets, DefaultOverrideFileNames) {
  Intent in = app("web");
  EXPECT_EQ(resolve_target(in).candidates.front(), "apps/web/.argocd-source-web.yaml");
  in.app_namespace = "team";
  EXPECT_EQ(resolve_target(in).candidates.front(), "apps/web/.argocd-source-team_web.yaml");
  in.argocd_namespace = "default";
  EXPECT_EQ(resolve_target(in).candidates.front(), "apps/web/.argocd-source-web.yaml");
}

TEST(Targets, KustomizationHelmValuesAndCustomPaths) {
  Intent in = app("web", "Kustomize");
  in.write_back_target = "kustomization";
  Target t = resolve_target(in);
  EXPECT_EQ(t.format, TargetFormat::kKustomize);
  EXPECT_EQ(t.candidates,
            (std::vector<std::string>{"apps/web/kustomization.yaml", "apps/web/kustomization.yml",
                                      "apps/web/Kustomization"}));
  in.write_back_target = "kustomization:../base";
  EXPECT_EQ(resolve_target(in).candidates.front(), "apps/base/kustomization.yaml");
  in.write_back_target = "kustomization:/overlays/prod";
  EXPECT_EQ(resolve_target(in).candidates.front(), "overlays/prod/kustomization.yaml");
  in.write_back_target = "helmvalues";
  EXPECT_EQ(resolve_target(in).candidates.front(), "apps/web/values.yaml");
  in.write_back_target = "helmvalues:/env/prod.yaml";
  EXPECT_EQ(resolve_target(in).format, TargetFormat::kHelmValues);
  EXPECT_EQ(resolve_target(in).candidates.front(), "env/prod.yaml");
  in.write_back_target = "params/images.yaml";
  t = resolve_target(in);
  EXPECT_EQ(t.format, TargetFormat::kOverride);
  EXPECT_EQ(t.layout, OverrideLayout::kHelm);
  EXPECT_EQ(t.candidates.front(), "apps/web/params/images.yaml");
  in.write_back_target = "/x/kustomization.yaml";
  EXPECT_THROW(resolve_target(in), iu::sdk::Error);
  in.write_back_target = "helmvalues:../../../x.yaml";
  EXPECT_THROW(resolve_target(in), iu::sdk::Error);
}

TEST(Edits, HelmValuesKeepsBytesAndCountsOnlyRealChanges) {
  Intent in = app("web");
  in.changes[0].target = {{"helm.name", "image.repository"}, {"helm.tag", "image.tag"}};
  Target t;
  t.format = TargetFormat::kHelmValues;
  t.candidates = {"values.yaml"};
  auto doc = iu::yamledit::Document::parse(
      "image:\n  repository: ghcr.io/acme/web  # name\n  tag: \"1.0.0\"\n");
  EXPECT_EQ(apply_changes(doc, t, in), 1u);
  EXPECT_EQ(doc.text(), "image:\n  repository: ghcr.io/acme/web  # name\n  tag: \"1.1.0\"\n");
  EXPECT_EQ(apply_changes(doc, t, in), 0u);
  auto read = read_entries(doc, t, in);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].second.tag, "1.1.0");
  EXPECT_EQ(read[0].second.image_name, "ghcr.io/acme/web");
}

TEST(Edits, HelmValuesConflictNamesLineAndColumn) {
  Intent in = app("web");
  in.changes[0].target = {{"helm.name", "image.repository"}, {"helm.tag", "image.tag.value"}};
  Target t;
  t.format = TargetFormat::kHelmValues;
  auto doc = iu::yamledit::Document::parse("image:\n  repository: x\n  tag: 1.0.0\n");
  try {
    apply_changes(doc, t, in);
    FAIL() << "expected a conflict";
  } catch (const iu::yamledit::EditError& e) {
    EXPECT_GT(e.line(), 0);
  }
  EXPECT_EQ(doc.text(), "image:\n  repository: x\n  tag: 1.0.0\n");
}

TEST(Edits, OverrideFileLayoutsAndReadBack) {
  Intent in = app("web", "Kustomize");
  in.changes[0].new_digest = "sha256:" + std::string(64, 'a');
  Target t = resolve_target(in);
  auto doc = iu::yamledit::Document::parse("");
  EXPECT_EQ(apply_changes(doc, t, in), 1u);
  EXPECT_EQ(doc.text(), "kustomize:\n  images:\n  - ghcr.io/acme/web:1.1.0@sha256:" +
                            std::string(64, 'a') + "\n");
  auto read = read_entries(doc, t, in);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].second.digest, "sha256:" + std::string(64, 'a'));

  Intent plugin = app("api", "Plugin");
  plugin.changes[0].target = {{"plugin.name", "IMAGE_NAME"}, {"plugin.tag", "IMAGE_TAG"}};
  doc = iu::yamledit::Document::parse("");
  apply_changes(doc, resolve_target(plugin), plugin);
  EXPECT_EQ(doc.text(),
            "plugin:\n  env:\n  - name: IMAGE_NAME\n    value: ghcr.io/acme/api\n"
            "  - name: IMAGE_TAG\n    value: 1.1.0\n");
  Intent helm = app("db");
  doc = iu::yamledit::Document::parse("");
  apply_changes(doc, resolve_target(helm), helm);
  EXPECT_EQ(
      doc.text(),
      "helm:\n  parameters:\n  - name: image.name\n    value: ghcr.io/acme/db\n"
      "    forcestring: true\n  - name: image.tag\n    value: 1.1.0\n    forcestring: true\n");
  auto entries = read_entries(doc, resolve_target(helm), helm);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].second.tag, "1.1.0");
}

TEST(CommitMessage, SingleAndMultiApplicationBatches) {
  std::vector<std::string> warnings;
  Warn warn = [&](const std::string& w) { warnings.push_back(w); };
  CommitMessages builtin("", warn);
  Intent a = app("web"), b = app("api");
  b.app_namespace = "apps";
  EXPECT_EQ(builtin.application(a, warn),
            "build: automatic update of web\n\nupdates image acme/web tag '1.0.0' to '1.1.0'\n");
  EXPECT_EQ(builtin.batch({&a}, warn), builtin.application(a, warn));
  EXPECT_EQ(builtin.batch({&a, &b}, warn),
            "build: automatic update of 2 applications\n\n"
            "build: automatic update of api\n\nupdates image acme/api tag '1.0.0' to '1.1.0'\n\n"
            "build: automatic update of web\n\nupdates image acme/web tag '1.0.0' to '1.1.0'\n");
  a.changes[0].new_digest = "sha256:abc";
  EXPECT_NE(builtin.application(a, warn).find("to '1.1.0@sha256:abc'"), std::string::npos);
  EXPECT_TRUE(warnings.empty());

  CommitMessages failing("{{ .Missing }}", warn);
  EXPECT_EQ(failing.application(a, warn), "build: update of application web");
  EXPECT_EQ(warnings.size(), 1u);
  CommitMessages unparsable("{{ if }", warn);  // reported once, the built-in template is used
  EXPECT_EQ(warnings.size(), 2u);
  EXPECT_EQ(unparsable.application(b, warn), builtin.application(b, warn));
  EXPECT_EQ(with_sign_off("msg\n", "bot", "bot@x"), "msg\n\nSigned-off-by: bot <bot@x>\n");
}

TEST(Retry, ScheduleIsBoundedAndCapped) {
  Config c;
  EXPECT_EQ(network_delay(c, 1).count(), 500);
  EXPECT_EQ(network_delay(c, 2).count(), 1000);
  EXPECT_EQ(network_delay(c, 10).count(), 10000);
  for (int n = 1; n < 20; ++n) {
    auto d = push_delay(n).count();
    EXPECT_GE(d, 0);
    EXPECT_LE(d, std::min<int64_t>(8000, int64_t{250} << std::min(n - 1, 16)));
  }
}

}  // namespace
}  // namespace iu::gitwb
