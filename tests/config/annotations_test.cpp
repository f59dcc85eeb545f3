// Legacy annotations end to end (SPEC §4.2): --source annotations with its filters, and
// useAnnotations refs of an ImageUpdater.
#include "config/annotations.hpp"

#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace iu::config {
namespace {

using testing::managed;
using testing::snapshot_from_file;
using testing::texts;

const std::string kList = "metadata.annotations[\"argocd-image-updater.argoproj.io/image-list\"]";

std::string field(const std::string& key) {
  return "metadata.annotations[\"argocd-image-updater.argoproj.io/" + key + "\"]";
}

MatchOptions annotations_mode() {
  MatchOptions options;
  options.source = SourceKind::kAnnotations;
  return options;
}

std::vector<std::string> aliases(const ManagedApplication& m) {
  std::vector<std::string> out;
  for (const ImageConfig& i : m.images) out.push_back(i.alias.empty() ? i.image_name : i.alias);
  return out;
}

TEST(Annotations, KeysAndFields) {
  EXPECT_EQ(annotation_key("", "image-list"), "argocd-image-updater.argoproj.io/image-list");
  EXPECT_EQ(annotation_key("web", "helm.image-tag"),
            "argocd-image-updater.argoproj.io/web.helm.image-tag");
  EXPECT_EQ(annotation_key("team/web", "allow-tags"),
            "argocd-image-updater.argoproj.io/team_web.allow-tags");
  EXPECT_EQ(annotation_field("k"), "metadata.annotations[\"k\"]");
}

TEST(Annotations, EveryImageWithItsSettings) {
  const Snapshot snapshot = snapshot_from_file("annotations/apps.yaml");
  std::vector<ConfigIssue> issues;
  const auto apps = resolve(snapshot, annotations_mode(), &issues);
  const ManagedApplication* m = managed(apps, "argocd", "legacy-web");
  ASSERT_NE(m, nullptr);
  EXPECT_FALSE(m->skipped);
  EXPECT_TRUE(m->issues.empty()) << ::testing::PrintToString(texts(m->issues));
  EXPECT_EQ(m->updater.display(), "ImageUpdater argocd/legacy-annotations");
  EXPECT_TRUE(m->use_annotations);
  ASSERT_EQ(aliases(*m), (std::vector<std::string>{"web", "cache", "nginx:>=1.0"}));

  const ImageConfig& web = m->images[0];
  EXPECT_EQ(web.image_name, "registry.local:5000/team/web:^1.4");
  EXPECT_EQ(web.ref.registry, "registry.local:5000");
  EXPECT_EQ(web.ref.name, "team/web");
  EXPECT_EQ(web.ref.version, "^1.4");
  EXPECT_EQ(web.field, kList);
  EXPECT_EQ(web.strategy, "semver");  // image setting beats the app-wide newest-build
  EXPECT_EQ(web.ignore_tags, (std::vector<std::string>{"*-debug", "*-rc*"}));  // app-wide
  ASSERT_TRUE(web.pull_secret);
  EXPECT_EQ(web.pull_secret->ns, "registry");  // any namespace in annotations mode
  EXPECT_TRUE(web.platforms_explicit);
  ASSERT_EQ(web.platforms.size(), 2u);
  EXPECT_EQ(model::to_string(web.platforms[1]), "linux/arm64");
  ASSERT_TRUE(web.target.helm);
  EXPECT_EQ(web.target.helm->name, "web.image.repository");
  EXPECT_EQ(web.target.helm->tag, "web.image.tag");
  ASSERT_TRUE(web.target.kustomize);
  EXPECT_EQ(web.target.kustomize->name, "team/web");

  const ImageConfig& cache = m->images[1];
  EXPECT_EQ(cache.strategy, "digest");
  EXPECT_EQ(cache.ref.version, "7-alpine");
  EXPECT_TRUE(cache.ignore_tags.empty());  // explicit empty value replaces the app-wide list
  EXPECT_TRUE(cache.force_update);         // "True" is a §3.2 boolean
  EXPECT_FALSE(cache.platforms_explicit);  // there are no app-wide platforms
  ASSERT_TRUE(cache.target.helm);
  EXPECT_EQ(cache.target.helm->spec, "cache.image");
  EXPECT_FALSE(cache.target.kustomize);

  // No alias: only app-wide settings; `nginx:>` is no alias, so `>=1.0` stays the constraint.
  const ImageConfig& plain = m->images[2];
  EXPECT_EQ(plain.alias, "");
  EXPECT_EQ(plain.strategy, "newest-build");
  EXPECT_EQ(plain.ref.name, "nginx");
  EXPECT_EQ(plain.ref.version, ">=1.0");
  EXPECT_FALSE(plain.target.helm || plain.target.kustomize);

  const WriteBackConfig& wb = m->write_back;
  EXPECT_EQ(wb.method.plugin, "git");
  EXPECT_EQ(wb.method_field, field("write-back-method"));
  ASSERT_TRUE(wb.target);
  EXPECT_EQ(wb.target->kind, WriteBackTarget::Kind::kKustomization);
  EXPECT_EQ(wb.target->path, "../base");
  EXPECT_EQ(wb.branch->base, "main");
  EXPECT_EQ(wb.repository, "https://git.example.com/deploy.git");
}

TEST(Annotations, ErrorsStayWithTheirImagesAndApplications) {
  const Snapshot snapshot = snapshot_from_file("annotations/apps.yaml");
  std::vector<ConfigIssue> issues;
  const auto apps = resolve(snapshot, annotations_mode(), &issues);
  const ManagedApplication* m = managed(apps, "argocd", "legacy-errors");
  ASSERT_NE(m, nullptr);
  EXPECT_FALSE(m->skipped);
  EXPECT_EQ(aliases(*m), (std::vector<std::string>{"ok", "old"}));
  EXPECT_EQ(m->images[1].allow_tags, "regexp:^3");  // tag-match, the deprecated name
  EXPECT_FALSE(m->images[1].force_update);          // "0"
  const std::string app = "Application argocd/legacy-errors: ";
  EXPECT_EQ(texts(m->issues, Severity::kError),
            (std::vector<std::string>{
                app + field("both.tag-match") + ": cannot be combined with " +
                    field("both.allow-tags") + " (tag-match is the deprecated name of allow-tags)",
                app + kList + ": invalid image reference \"Team/Web:1\": " +
                    m->issues[2].message.substr(m->issues[2].message.find(": ") + 2),
                app + kList + ": duplicate alias \"ok\" in \"ok=nginx:1\"",
                app + field("force-update") + ": invalid boolean \"maybe\""}));
  EXPECT_EQ(texts(m->issues, Severity::kWarning),
            std::vector<std::string>{
                app + field("old.tag-match") +
                ": deprecated: use argocd-image-updater.argoproj.io/old.allow-tags"});
  for (const ConfigIssue& issue : m->issues) EXPECT_EQ(issue.scope, Scope::kImage);

  const ManagedApplication* bad = managed(apps, "argocd", "legacy-bad-write-back");
  ASSERT_NE(bad, nullptr);
  EXPECT_TRUE(bad->skipped);
  EXPECT_TRUE(bad->images.empty());
  EXPECT_EQ(texts(bad->issues),
            std::vector<std::string>{
                "Application argocd/legacy-bad-write-back: " + field("write-back-method") +
                ": invalid write-back method \"git:secret:\": Secret name "
                "\"\" is not a valid Kubernetes name"});
  EXPECT_EQ(bad->issues[0].scope, Scope::kApplication);

  // Only annotated applications, from every namespace the source watched.
  EXPECT_EQ(managed(apps, "argocd", "unannotated"), nullptr);
  const ManagedApplication* other = managed(apps, "team-b", "other-team");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->updater.ns, "argocd");
  EXPECT_EQ(other->write_back.method.secret_namespace, "team-b");
  EXPECT_EQ(apps.size(), 4u);
  EXPECT_EQ(issues.size(), 6u);  // every issue of every application, once
}

TEST(Annotations, NameGlobsAndLabelSelectorFilter) {
  const Snapshot snapshot = snapshot_from_file("annotations/apps.yaml");
  MatchOptions options = annotations_mode();
  options.name_globs.push_back(*model::Glob::compile("legacy-w*"));
  options.name_globs.push_back(*model::Glob::compile("other-*"));
  auto apps = resolve(snapshot, options, nullptr);
  ASSERT_EQ(apps.size(), 2u);
  EXPECT_EQ(apps[0].app->ref.name, "legacy-web");
  EXPECT_EQ(apps[1].app->ref.name, "other-team");

  options.label_selector = parse_label_selector("team in (web)");
  apps = resolve(snapshot, options, nullptr);
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0].app->ref.name, "legacy-web");

  options.name_globs.clear();
  options.label_selector = parse_label_selector("team!=web");
  apps = resolve(snapshot, options, nullptr);
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0].app->ref.name, "other-team");
}

TEST(Annotations, UseAnnotationsRefReadsTheApplication) {
  Snapshot snapshot = snapshot_from_file("annotations/apps.yaml");
  Snapshot bridge = snapshot_from_file("annotations/use_annotations.yaml");
  snapshot.updaters = std::move(bridge.updaters);
  MatchOptions options;  // crd
  options.verification_supported = true;
  std::vector<ConfigIssue> issues;
  const auto apps = resolve(snapshot, options, &issues);
  ASSERT_EQ(apps.size(), 3u);  // legacy-* in the CR's namespace only

  EXPECT_EQ(texts(issues, Severity::kWarning).front(),
            "ImageUpdater argocd/legacy-bridge: spec.applicationRefs[0].commonUpdateSettings: "
            "ignored: with useAnnotations the settings come from the Application's annotations");

  // crd mode: the app-wide pull-secret names another namespace, so every image inheriting it
  // is dropped (reported once: same object, field and problem).
  const ManagedApplication* web = managed(apps, "argocd", "legacy-web");
  ASSERT_NE(web, nullptr);
  EXPECT_TRUE(web->use_annotations);
  EXPECT_EQ(web->updater.name, "legacy-bridge");
  EXPECT_TRUE(web->images.empty());
  EXPECT_EQ(texts(web->issues),
            std::vector<std::string>{
                "Application argocd/legacy-web: " + field("pull-secret") +
                ": credential reference \"pullsecret:registry/creds\" must name a Secret in the "
                "ImageUpdater's namespace \"argocd\""});

  // Settings come from the annotations, not from the CR's commonUpdateSettings; verification
  // comes from the ref merged over the spec.
  const ManagedApplication* errors = managed(apps, "argocd", "legacy-errors");
  ASSERT_NE(errors, nullptr);
  ASSERT_EQ(aliases(*errors), (std::vector<std::string>{"ok", "old"}));
  EXPECT_EQ(errors->images[0].strategy, "semver");
  ASSERT_TRUE(errors->images[0].verification);
  EXPECT_EQ(errors->images[0].verification->secret_name, "cosign");
}

}  // namespace
}  // namespace iu::config
