// Application matching: specificity points, ranking with stable ties, ownership by the
// lexically smallest ImageUpdater name, namespaces, and CR-level checks done at resolve time.
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace iu::config {
namespace {

using testing::managed;
using testing::snapshot_from_file;
using testing::texts;

TEST(Specificity, PointsTable) {
  EXPECT_EQ(name_pattern_specificity("shop-web"), 1'000'008);
  EXPECT_EQ(name_pattern_specificity("shop-*"), 5);
  EXPECT_EQ(name_pattern_specificity("*"), 0);
  EXPECT_EQ(name_pattern_specificity("w?b"), 2);
  EXPECT_EQ(name_pattern_specificity("[abc]x"), 1);         // a class counts 0
  EXPECT_EQ(name_pattern_specificity("[^\\]a]x*"), 1);      // escapes inside a class stay in it
  EXPECT_EQ(name_pattern_specificity("a\\*b"), 1'000'003);  // escaped: literal, counts 1
  EXPECT_EQ(name_pattern_specificity("caf\xC3\xA9-*"), 5);  // characters, not bytes

  const Snapshot snapshot = snapshot_from_file("matching.yaml");
  const ImageUpdater& cr = testing::updater(snapshot, "ranked");
  ASSERT_TRUE(cr.valid()) << ::testing::PrintToString(texts(cr.errors));
  std::vector<std::int64_t> points;
  for (const ApplicationRefSpec& ref : cr.application_refs) points.push_back(ref.specificity());
  EXPECT_EQ(points, (std::vector<std::int64_t>{5, 10'100, 1'000'008, 1, 1, 10'301}));
}

TEST(Matching, MostSpecificRefWinsAndTiesKeepSpecOrder) {
  const Snapshot snapshot = snapshot_from_file("matching.yaml");
  std::vector<ConfigIssue> issues;
  const auto apps = resolve(snapshot, MatchOptions{}, &issues);
  const auto ref_of = [&](const std::string& name) -> std::string {
    const ManagedApplication* m = managed(apps, "shop", name);
    return m == nullptr ? "none" : m->ref_field + " " + m->images.at(0).alias;
  };
  EXPECT_EQ(ref_of("shop-web"), "spec.applicationRefs[2] c");  // exact name beats labels
  EXPECT_EQ(ref_of("shop-api"), "spec.applicationRefs[1] b");  // labels beat a glob
  EXPECT_EQ(ref_of("shop-db"), "spec.applicationRefs[0] a");   // no label: the glob
  EXPECT_EQ(ref_of("aa"), "spec.applicationRefs[3] d");        // tie: first in spec order
  EXPECT_EQ(ref_of("xapp"), "spec.applicationRefs[5] f");      // more selector entries
  EXPECT_EQ(ref_of("unmatched"), "none");
}

TEST(Matching, SmallestImageUpdaterNameOwnsTheApplication) {
  const Snapshot snapshot = snapshot_from_file("matching.yaml");
  std::vector<ConfigIssue> issues;
  const auto apps = resolve(snapshot, MatchOptions{}, &issues);
  const ManagedApplication* web = managed(apps, "argocd", "web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->updater.name, "alpha");
  EXPECT_EQ(web->images.at(0).alias, "from-alpha");
  const ManagedApplication* worker = managed(apps, "argocd", "worker");
  ASSERT_NE(worker, nullptr);
  EXPECT_EQ(worker->updater.name, "alpha");

  EXPECT_EQ(texts(issues, Severity::kWarning),
            std::vector<std::string>{
                "ImageUpdater argocd/beta: spec.applicationRefs[0]: application \"web\" is also "
                "matched by ImageUpdater argocd/alpha, which owns it (lexically smallest name); "
                "skipping it here"});
  // The invalid CR is reported and owns nothing, although its name is smaller.
  EXPECT_EQ(texts(issues, Severity::kError),
            std::vector<std::string>{"ImageUpdater argocd/aaa-broken: "
                                     "spec.applicationRefs[1].namePattern: duplicate namePattern "
                                     "\"w*\" (also spec.applicationRefs[0])"});
  // Every application is managed once; team-b's updater sees no Application of argocd.
  std::size_t argocd_apps = 0;
  for (const ManagedApplication& m : apps) {
    if (m.app->ref.ns == "argocd") ++argocd_apps;
    EXPECT_NE(m.updater.name, "aaa-elsewhere");
  }
  EXPECT_EQ(argocd_apps, 2u);
  // Sorted by namespace, then name.
  for (std::size_t i = 1; i < apps.size(); ++i)
    EXPECT_LT(std::make_pair(apps[i - 1].app->ref.ns, apps[i - 1].app->ref.name),
              std::make_pair(apps[i].app->ref.ns, apps[i].app->ref.name));
}

TEST(Matching, ResolveTimeUpdaterChecks) {
  const Snapshot snapshot = testing::snapshot_from_text(R"(
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {name: features, namespace: argocd}
spec:
  imagesVerification: {cosignKey: {secretName: cosign, key: cosign.pub}}
  writeBackConfig:
    method: "git:secret:other/deploy-key"
    gitConfig: {pullRequest: {github: {}}}
  applicationRefs:
    - namePattern: "*"
      writeBackConfig: {method: "svn:trunk"}
      images: [{alias: web, imageName: nginx}]
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
)");
  std::vector<ConfigIssue> issues;
  auto apps = resolve(snapshot, MatchOptions{}, &issues);
  EXPECT_TRUE(apps.empty());
  const std::string p = "ImageUpdater argocd/features: ";
  EXPECT_EQ(texts(issues),
            (std::vector<std::string>{
                p + "spec.writeBackConfig.method: write-back method "
                    "\"git:secret:other/deploy-key\" must name a Secret in the ImageUpdater's "
                    "namespace \"argocd\"",
                p + "spec.writeBackConfig.gitConfig.pullRequest: not supported by this build",
                p + "spec.imagesVerification: not supported by this build",
                p + "spec.applicationRefs[0].writeBackConfig.method: unknown write-back method "
                    "\"svn\" (available: argocd, git)"}));
  for (const ConfigIssue& issue : issues) EXPECT_EQ(issue.scope, Scope::kUpdater);

  // With the features built and the plugins loaded, only the namespace rule remains.
  MatchOptions options;
  options.pull_requests_supported = options.verification_supported = true;
  options.check_write_back = [](std::string_view plugin) -> std::optional<std::string> {
    if (plugin == "argocd" || plugin == "git" || plugin == "svn") return std::nullopt;
    return "unknown";
  };
  issues.clear();
  apps = resolve(snapshot, options, &issues);
  EXPECT_TRUE(apps.empty());
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].field_path, "spec.writeBackConfig.method");
}

TEST(Matching, WriteBackSecretNamespaceDefaultsToTheUpdaters) {
  const Snapshot snapshot = testing::snapshot_from_text(R"(
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {name: git, namespace: team-a}
spec:
  writeBackConfig: {method: "git:secret:deploy-key", gitConfig: {branch: ":image-updates"}}
  applicationRefs: [{namePattern: "*", images: [{alias: web, imageName: nginx}]}]
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: team-a}
)");
  const auto apps = resolve(snapshot, MatchOptions{}, nullptr);
  ASSERT_EQ(apps.size(), 1u);
  const WriteBackMethod& method = apps[0].write_back.method;
  EXPECT_EQ(method.git_credentials, WriteBackMethod::GitCredentials::kSecret);
  EXPECT_EQ(method.secret_namespace, "team-a");
  EXPECT_EQ(method.secret_name, "deploy-key");
  EXPECT_EQ(apps[0].write_back.branch->base, "");
  EXPECT_EQ(apps[0].write_back.branch->target, "image-updates");
}

TEST(Matching, AnUnusableApplicationIsSkippedWithItsErrors) {
  const Snapshot snapshot = testing::snapshot_from_text(R"(
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {name: all}
spec:
  applicationRefs: [{namePattern: "*", images: [{alias: web, imageName: nginx}]}]
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: bad}
spec: {sources: {repoURL: x}}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: good}
)");
  std::vector<ConfigIssue> issues;
  const auto apps = resolve(snapshot, MatchOptions{}, &issues);
  ASSERT_EQ(apps.size(), 2u);
  EXPECT_TRUE(apps[0].skipped);
  EXPECT_TRUE(apps[0].images.empty());
  EXPECT_FALSE(apps[1].skipped);
  EXPECT_EQ(apps[1].images.size(), 1u);
  EXPECT_EQ(texts(issues),
            std::vector<std::string>{"Application argocd/bad: spec.sources: expected a list"});
  EXPECT_EQ(issues[0].scope, Scope::kApplication);
}

}  // namespace
}  // namespace iu::config
