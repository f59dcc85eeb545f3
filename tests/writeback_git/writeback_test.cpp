// The plugin against the fixtures' git server: transports and credentials, the three target
// formats, no-op writes, dry runs, per-intent failures and read_current.
#include <gtest/gtest.h>

#include <cctype>

#include "git_fixture.hpp"
#include "git_harness.hpp"
#include "server_suite.hpp"

namespace iu::test::gitwb {
namespace {

using iu::plugin_host::WritebackInstance;

class GitWritebackTest : public ServerSuite {
 protected:
  void SetUp() override {
    name_ = fresh_repo();
    bare_ = server().bare(name_);
    wb_ = make_instance({{"cache_dir", cache_dir()}});
  }

  std::string daemon_url() const { return server().daemon_url(name_); }
  // The smart HTTP URL through the re-framing proxy (see HttpProxy).
  std::string http_url() { return proxy().url() + "/" + name_ + ".git"; }
  IntentSpec with_http_auth(IntentSpec spec, const std::string& password = "s3cret-pw") {
    spec.settings["repository"] = http_url();
    spec.settings["git_username"] = "bot";
    spec.settings["git_password"] = password;
    return spec;
  }

  std::string name_;
  std::filesystem::path bare_;
  std::unique_ptr<WritebackInstance> wb_;
};

TEST_F(GitWritebackTest, HelmValuesOverGitDaemonIsOneCommitKeepingBytes) {
  std::string before = rev(bare_, "main");
  Batch b;
  b.add(helm_values_intent(daemon_url(), "web", "1.2.0"));
  auto r = write(*wb_, b);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, IU_STATUS_OK) << r[0].message;
  EXPECT_EQ(r[0].changes_applied, 1u);
  EXPECT_EQ(git(bare_, "rev-parse main~1"), before);
  EXPECT_EQ(
      show(bare_, "main", "helm/app/values.yaml"),
      "replicaCount: 1\nimage:\n  repository: 127.0.0.1:5000/org/app\n  tag: \"1.2.0\"\n"
      "  pullPolicy: IfNotPresent\nsidecar:\n  image:\n    name: 127.0.0.1:5000/org/app-sidecar\n"
      "    tag: \"1.0.0\"\n");
  EXPECT_EQ(git(bare_, "log -1 --format=%an%n%ae%n%cn%n%s main"),
            "argocd-image-updater\nnoreply@argoproj.io\nargocd-image-updater\n"
            "build: automatic update of web");
  EXPECT_EQ(git(bare_, "log -1 --format=%b main"), "updates image org/app tag '1.0.0' to '1.2.0'");
  EXPECT_EQ(reflog(bare_, "main").size(), 1u);
}

TEST_F(GitWritebackTest, KustomizationOverSmartHttpWithBasicAuth) {
  IntentSpec spec;
  spec.app_name = "shop";
  spec.settings = {{"branch", "main"},
                   {"write_back_target", "kustomization"},
                   {"source_path", "kustomize/app"},
                   {"source_type", "Kustomize"}};
  spec.changes = {ChangeSpec{"127.0.0.1:5000/org/app", "1.0.0", "2.0.0", "", {}}};
  Batch b;
  b.add(with_http_auth(spec));
  auto r = write(*wb_, b);
  ASSERT_EQ(r[0].status, IU_STATUS_OK) << r[0].message;
  EXPECT_EQ(
      show(bare_, "main", "kustomize/app/kustomization.yaml"),
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
      "  - deployment.yaml\nimages:\n  - name: 127.0.0.1:5000/org/app\n    newTag: \"2.0.0\"\n");
  EXPECT_EQ(commit_count(bare_, "main"), 2);
  EXPECT_EQ(proxy().count("POST /" + name_ + ".git/git-receive-pack"), 1);
}

TEST_F(GitWritebackTest, WrongPasswordIsAClearErrorAndPushesNothing) {
  std::string before = rev(bare_, "main");
  Batch b;
  b.add(with_http_auth(helm_values_intent("", "web", "1.2.0"), "wrong-pw"));
  auto r = write(*wb_, b);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, IU_STATUS_UNAUTHENTICATED);
  EXPECT_NE(r[0].message.find("git " + http_url() + "@main: authentication failed"),
            std::string::npos)
      << r[0].message;
  EXPECT_NE(r[0].message.find("\"bot\""), std::string::npos);
  EXPECT_EQ(r[0].message.find("wrong-pw"), std::string::npos);
  EXPECT_EQ(rev(bare_, "main"), before);
  EXPECT_EQ(proxy().count("POST /" + name_ + ".git/git-receive-pack"), 0);
}

TEST_F(GitWritebackTest, MissingCredentialsAreAnAuthenticationError) {
  Batch b;
  b.add(helm_values_intent(http_url(), "web", "1.2.0"));
  auto r = write(*wb_, b);
  EXPECT_EQ(r[0].status, IU_STATUS_UNAUTHENTICATED);
  EXPECT_NE(r[0].message.find("no credentials are configured"), std::string::npos) << r[0].message;
}

TEST_F(GitWritebackTest, DefaultOverrideFileIsCreatedAndIdenticalContentMakesNoCommit) {
  IntentSpec spec;
  spec.app_namespace = "argocd";
  spec.app_name = "web";
  spec.settings = {{"repository", daemon_url()},
                   {"target_revision", "HEAD"},
                   {"source_path", "helm/app"},
                   {"source_type", "Helm"},
                   {"argocd_namespace", "argocd"}};
  spec.changes = {ChangeSpec{"ghcr.io/acme/web", "", "3.1.4", "", {{"helm.spec", "image.full"}}}};
  Batch b;
  b.add(spec);
  auto r = write(*wb_, b);
  ASSERT_EQ(r[0].status, IU_STATUS_OK) << r[0].message;
  EXPECT_EQ(r[0].changes_applied, 1u);
  EXPECT_EQ(show(bare_, "main", "helm/app/.argocd-source-web.yaml"),
            "helm:\n  parameters:\n  - name: image.full\n    value: ghcr.io/acme/web:3.1.4\n"
            "    forcestring: true\n");
  std::string tip = rev(bare_, "main");
  auto again = write(*wb_, b);
  EXPECT_EQ(again[0].status, IU_STATUS_OK) << again[0].message;
  EXPECT_EQ(again[0].changes_applied, 0u);
  EXPECT_NE(again[0].message.find("already set"), std::string::npos);
  EXPECT_EQ(rev(bare_, "main"), tip);
  EXPECT_EQ(reflog(bare_, "main").size(), 1u);
}

TEST_F(GitWritebackTest, DryRunWritesNothing) {
  std::string before = rev(bare_, "main");
  IntentSpec spec = helm_values_intent(daemon_url(), "web", "9.9.9");
  spec.settings["dry_run"] = "true";
  Batch b;
  b.add(spec);
  auto r = write(*wb_, b);
  EXPECT_EQ(r[0].status, IU_STATUS_OK) << r[0].message;
  EXPECT_EQ(r[0].changes_applied, 1u);
  EXPECT_NE(r[0].message.find("dry run"), std::string::npos);
  EXPECT_EQ(rev(bare_, "main"), before);
  EXPECT_TRUE(reflog(bare_, "main").empty());
}

TEST_F(GitWritebackTest, AnInapplicableIntentFailsAloneAndTheRestIsCommitted) {
  Batch b;
  b.add(helm_values_intent(daemon_url(), "web", "1.5.0"));
  IntentSpec bad = helm_values_intent(daemon_url(), "broken", "1.5.0");
  bad.changes[0].target = {{"helm.name", "image.repository"}, {"helm.tag", "replicaCount.tag"}};
  b.add(bad);
  IntentSpec no_kustomization = bad;
  no_kustomization.app_name = "nokust";
  no_kustomization.settings["write_back_target"] = "kustomization:/nowhere";
  b.add(no_kustomization);
  auto r = write(*wb_, b);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].status, IU_STATUS_OK) << r[0].message;
  EXPECT_EQ(r[1].status, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(r[1].message.rfind("git " + daemon_url() + "@main: helm/app/values.yaml:1:", 0), 0u)
      << r[1].message;
  EXPECT_EQ(r[2].status, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(r[2].message.find("nowhere: no kustomization.yaml"), std::string::npos) << r[2].message;
  EXPECT_EQ(commit_count(bare_, "main"), 2);
  EXPECT_EQ(git(bare_, "log -1 --format=%s main"), "build: automatic update of web");
}

TEST_F(GitWritebackTest, BaseThatIsNotABranchIsAnErrorNamingTheField) {
  git(bare_, "tag v1 main");
  IntentSpec spec = helm_values_intent(daemon_url(), "web", "1.5.0", "");
  spec.settings["target_revision"] = "v1";
  Batch b;
  b.add(spec);
  auto r = write(*wb_, b);
  EXPECT_EQ(r[0].status, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(r[0].message.find("target_revision: \"v1\" is not a branch"), std::string::npos)
      << r[0].message;
}

TEST_F(GitWritebackTest, ReadCurrentFollowsThePushBranchAndFallsBackToBase) {
  IntentSpec spec = helm_values_intent(daemon_url(), "web", "", "main:env/web");
  BuiltIntent probe(spec);
  auto cur = wb_->read_current(probe.raw());
  ASSERT_EQ(cur.size(), 1u);
  ASSERT_TRUE(cur[0].has_value());
  EXPECT_EQ(cur[0]->tag, "1.0.0");
  EXPECT_EQ(cur[0]->image_name, "127.0.0.1:5000/org/app");

  Batch b;
  b.add(helm_values_intent(daemon_url(), "web", "4.0.0", "main:env/web"));
  ASSERT_EQ(write(*wb_, b)[0].status, IU_STATUS_OK);
  cur = wb_->read_current(probe.raw());  // write_batch invalidated the remembered fetch
  ASSERT_TRUE(cur[0].has_value());
  EXPECT_EQ(cur[0]->tag, "4.0.0");

  IntentSpec none = spec;
  none.changes[0].target = {{"helm.name", "nothing.name"}, {"helm.tag", "nothing.tag"}};
  BuiltIntent missing(none);
  EXPECT_FALSE(wb_->read_current(missing.raw())[0].has_value());
}

TEST_F(GitWritebackTest, BatchKeyGroupsByNormalizedRepositoryAndPushBranch) {
  BuiltIntent a(helm_values_intent(daemon_url(), "web", "1", "main"));
  IntentSpec head = helm_values_intent(daemon_url() + "/", "api", "1", "");
  head.settings["target_revision"] = "HEAD";
  BuiltIntent b(head);
  BuiltIntent c(helm_values_intent(daemon_url(), "web", "1", "main:rel-{{.AppName}}"));
  std::string key = wb_->batch_key(a.raw());
  std::string lower = daemon_url().substr(0, daemon_url().size() - 4);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(key, lower + "@main");
  EXPECT_EQ(wb_->batch_key(b.raw()), key);  // default branch resolved on the remote
  EXPECT_EQ(wb_->batch_key(c.raw()), key.substr(0, key.size() - 4) + "rel-web");
}

}  // namespace
}  // namespace iu::test::gitwb
