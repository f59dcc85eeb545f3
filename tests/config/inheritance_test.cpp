// Effective settings: field-wise inheritance image > applicationRef > spec > default, list
// replacement, write-back override rules, and the scope of image-level errors (SPEC §4.1, §14).
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace iu::config {
namespace {

using testing::managed;
using testing::snapshot_from_file;
using testing::texts;

MatchOptions crd_options() {
  MatchOptions options;
  options.pull_requests_supported = true;
  options.verification_supported = true;
  return options;
}

const ImageConfig& image(const ManagedApplication& m, const std::string& alias) {
  for (const ImageConfig& i : m.images)
    if (i.alias == alias) return i;
  ADD_FAILURE() << "no image " << alias;
  throw std::runtime_error("no image " + alias);
}

std::vector<std::string> platform_texts(const ImageConfig& i) {
  std::vector<std::string> out;
  for (const auto& p : i.platforms) out.push_back(model::to_string(p));
  return out;
}

TEST(Inheritance, MostSpecificSetValueWinsFieldByField) {
  const Snapshot snapshot = snapshot_from_file("inheritance.yaml");
  std::vector<ConfigIssue> issues;
  const auto apps = resolve(snapshot, crd_options(), &issues);
  EXPECT_TRUE(issues.empty()) << ::testing::PrintToString(texts(issues));
  const ManagedApplication* m = managed(apps, "argocd", "layered-app");
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(m->images.size(), 3u);

  // Table: field → (image "from-image", image "from-ref").
  const ImageConfig& a = image(*m, "from-image");
  const ImageConfig& b = image(*m, "from-ref");
  EXPECT_EQ(a.strategy, "alphabetical");  // image
  EXPECT_EQ(b.strategy, "newest-build");  // ref
  EXPECT_FALSE(a.force_update);           // image false beats spec true
  EXPECT_TRUE(b.force_update);            // spec
  EXPECT_EQ(a.allow_tags, "regexp:^v");   // spec
  EXPECT_EQ(b.allow_tags, "regexp:^v");
  EXPECT_TRUE(a.ignore_tags.empty());  // ref's explicit [] replaces the spec's list
  EXPECT_TRUE(b.ignore_tags.empty());
  EXPECT_TRUE(b.filter.accepts("v1.0-spec"));  // ...so the spec glob no longer applies
  EXPECT_FALSE(b.filter.accepts("1.0"));       // while the spec's allowTags does
  ASSERT_TRUE(a.pull_secret);
  EXPECT_EQ(a.pull_secret->text, "secret:argocd/image-creds#token");  // image
  ASSERT_TRUE(b.pull_secret);
  EXPECT_EQ(b.pull_secret->text, "pullsecret:argocd/spec-creds");  // spec
  EXPECT_EQ(platform_texts(a), (std::vector<std::string>{"linux/arm64/v8", "linux/amd64"}));
  EXPECT_EQ(platform_texts(b), std::vector<std::string>{"linux/amd64"});
  EXPECT_TRUE(a.platforms_explicit);
  EXPECT_TRUE(b.platforms_explicit);
  ASSERT_TRUE(a.verification);  // the spec's block enables verification...
  EXPECT_EQ(a.verification->secret_name, "spec-cosign");
  EXPECT_FALSE(b.verification);  // ...which one image turns off

  const ImageConfig& c = image(*m, "explicit-empty-platforms");
  EXPECT_TRUE(c.platforms_explicit);  // an explicit empty list is set
  EXPECT_TRUE(c.platforms.empty());
  EXPECT_EQ(c.allow_tags, "any");
  EXPECT_TRUE(c.filter.passes_all());

  // Targets and parsed references.
  ASSERT_TRUE(a.target.kustomize);
  EXPECT_EQ(a.target.kustomize->name, "docker.io/library/nginx");
  ASSERT_TRUE(b.target.plugin);
  EXPECT_EQ(b.target.plugin->spec, "REDIS_IMAGE");
  ASSERT_TRUE(c.target.helm);
  EXPECT_EQ(c.target.helm->name, "image.name");  // default kept beside the configured tag
  EXPECT_EQ(c.target.helm->tag, "tool.tag");
  EXPECT_EQ(a.ref.name, "nginx");
  EXPECT_EQ(a.ref.version, "1.27");
  EXPECT_EQ(a.field, "spec.applicationRefs[0].images[0]");
  EXPECT_EQ(c.ref.registry, "ghcr.io");
}

TEST(Inheritance, WriteBackOverridesPerFieldAndPullRequestAsABlock) {
  const Snapshot snapshot = snapshot_from_file("inheritance.yaml");
  const auto apps = resolve(snapshot, crd_options(), nullptr);
  const ManagedApplication* m = managed(apps, "argocd", "layered-app");
  ASSERT_NE(m, nullptr);
  const WriteBackConfig& wb = m->write_back;
  EXPECT_EQ(wb.method.plugin, "git");  // spec
  EXPECT_EQ(wb.method_field, "spec.writeBackConfig.method");
  EXPECT_EQ(wb.repository, "https://git.example.com/spec.git");  // spec
  ASSERT_TRUE(wb.branch);
  EXPECT_EQ(wb.branch->base, "release");  // ref
  EXPECT_FALSE(wb.branch->has_target());
  ASSERT_TRUE(wb.target);
  EXPECT_EQ(wb.target->kind, WriteBackTarget::Kind::kHelmValues);  // spec
  ASSERT_TRUE(wb.pull_request);
  EXPECT_EQ(wb.pull_request->provider, PullRequestSettings::Provider::kGitLab);  // ref block
  EXPECT_TRUE(wb.pull_request->labels.empty());  // the spec's labels went with its block

  const Snapshot spec_only = snapshot_from_file("inheritance.yaml");
  const ImageUpdater& cr = testing::updater(spec_only, "layered");
  ASSERT_TRUE(cr.write_back.pull_request);
  // Labels are trimmed and de-duplicated, first occurrence kept.
  EXPECT_EQ(cr.write_back.pull_request->value.labels, (std::vector<std::string>{"spec", "deps"}));
}

TEST(Inheritance, BuiltInDefaults) {
  const Snapshot snapshot = snapshot_from_file("inheritance.yaml");
  const auto apps = resolve(snapshot, crd_options(), nullptr);
  const ManagedApplication* m = managed(apps, "argocd", "plain");
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(m->images.size(), 1u);
  const ImageConfig& i = m->images[0];
  EXPECT_EQ(i.strategy, "semver");
  EXPECT_FALSE(i.force_update);
  EXPECT_EQ(i.allow_tags, "");
  EXPECT_TRUE(i.ignore_tags.empty());
  EXPECT_FALSE(i.pull_secret);
  EXPECT_FALSE(i.platforms_explicit);
  EXPECT_EQ(i.platforms, std::vector<model::Platform>{model::runtime_platform()});
  EXPECT_FALSE(i.target.helm || i.target.kustomize || i.target.plugin);
  EXPECT_FALSE(i.verification);
  EXPECT_EQ(m->write_back.method.plugin, "argocd");
  EXPECT_EQ(m->write_back.method_field, "");
  EXPECT_FALSE(m->write_back.branch || m->write_back.target || m->write_back.pull_request);
  EXPECT_EQ(m->updater.name, "defaults");
  EXPECT_EQ(m->ref_field, "spec.applicationRefs[0]");
}

TEST(ImageErrors, EachDropsOnlyItsImage) {
  const Snapshot snapshot = snapshot_from_file("image_errors.yaml");
  std::vector<ConfigIssue> issues;
  const auto apps = resolve(snapshot, crd_options(), &issues);
  const ManagedApplication* m = managed(apps, "argocd", "web");
  ASSERT_NE(m, nullptr);
  EXPECT_FALSE(m->skipped);
  std::vector<std::string> kept;
  for (const ImageConfig& i : m->images) kept.push_back(i.alias);
  EXPECT_EQ(kept,
            (std::vector<std::string>{"overrides-allow", "deprecated-name", "env-credentials"}));
  EXPECT_EQ(image(*m, "deprecated-name").strategy, "newest-build");
  EXPECT_EQ(image(*m, "env-credentials").pull_secret->env, "REGISTRY_CREDS");

  const std::string p = "ImageUpdater argocd/images: spec.applicationRefs[0].images";
  const std::vector<std::string> errors = texts(issues, Severity::kError);
  ASSERT_EQ(errors.size(), 9u) << ::testing::PrintToString(errors);
  // The spec's bad allowTags is reported at the spec's field, once.
  EXPECT_EQ(errors[0].rfind("ImageUpdater argocd/images: spec.commonUpdateSettings.allowTags: "
                            "invalid regexp \"(\": ",
                            0),
            0u)
      << errors[0];
  EXPECT_EQ(errors[1], p + "[2].commonUpdateSettings.updateStrategy: unknown strategy \"calver\" "
                           "(available: alphabetical, digest, newest-build, semver)");
  EXPECT_EQ(errors[2],
            p + "[3].commonUpdateSettings.ignoreTags[1]: invalid glob \"[\": unclosed '['");
  EXPECT_EQ(errors[3], p + "[4].commonUpdateSettings.platforms[1]: invalid platform \"linux\": "
                           "expected os/arch or os/arch/variant");
  EXPECT_EQ(errors[4], p + "[5].commonUpdateSettings.pullSecret: credential reference "
                           "\"pullsecret:other/creds\" must name a Secret in the ImageUpdater's "
                           "namespace \"argocd\"");
  EXPECT_EQ(errors[5], p + "[6].commonUpdateSettings.pullSecret: invalid credential reference "
                           "\"creds\": expected pullsecret:, secret:, env: or ext: followed by its "
                           "argument");
  EXPECT_EQ(errors[6].rfind(p + "[7].imageName: invalid image reference \"Team/Web:1.0\": ", 0), 0u)
      << errors[6];
  EXPECT_EQ(errors[7], p + "[8].imageName: invalid image reference \"web=nginx\": an alias is set "
                           "with the alias field, not in imageName");
  EXPECT_EQ(errors[8], p + "[9].imageName: the digest strategy needs the tag to track (e.g. "
                           "\"nginx:1.27\")");
  EXPECT_EQ(
      texts(issues, Severity::kWarning),
      std::vector<std::string>{p + "[10].commonUpdateSettings.updateStrategy: update "
                                   "strategy \"latest\" is deprecated; use \"newest-build\""});
  for (const ConfigIssue& issue : issues) EXPECT_EQ(issue.scope, Scope::kImage);
  EXPECT_EQ(m->issues.size(), issues.size());
}

TEST(ImageErrors, StrategyCheckerFromThePluginsIsUsed) {
  const Snapshot snapshot = snapshot_from_file("inheritance.yaml");
  MatchOptions options = crd_options();
  options.check_strategy = [](std::string_view name, std::string_view version) {
    StrategyCheck check;
    check.name = std::string(name);
    if (name == "newest-build")
      check.error = "unknown strategy \"newest-build\" (available: semver)";
    if (name == "semver" && version.empty()) check.version_error = "constraint required";
    return check;
  };
  std::vector<ConfigIssue> issues;
  const auto apps = resolve(snapshot, options, &issues);
  const ManagedApplication* m = managed(apps, "argocd", "layered-app");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->images.size(), 1u);  // from-ref and explicit-empty-platforms use newest-build
  EXPECT_EQ(texts(issues),
            (std::vector<std::string>{
                "ImageUpdater argocd/layered: spec.applicationRefs[0].commonUpdateSettings."
                "updateStrategy: unknown strategy \"newest-build\" (available: semver)",
                "ImageUpdater argocd/defaults: spec.applicationRefs[0].images[0].imageName: "
                "constraint required"}));
}

}  // namespace
}  // namespace iu::config
