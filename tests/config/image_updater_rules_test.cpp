// Every schema rule of SPEC §4.1 that the core re-checks itself, with its exact message. The
// documents are in testdata/updaters/invalid.yaml, one ImageUpdater per rule.
#include <gtest/gtest.h>

#include <map>

#include "config_test_support.hpp"

namespace iu::config {
namespace {

using testing::snapshot_from_file;
using testing::texts;

const Snapshot& invalid_updaters() {
  static const Snapshot snapshot = snapshot_from_file("updaters/invalid.yaml");
  return snapshot;
}

// `ImageUpdater argocd/<name>: ` + each message.
std::vector<std::string> expected(const std::string& name, std::vector<std::string> messages) {
  for (std::string& m : messages) m = "ImageUpdater argocd/" + name + ": " + m;
  return messages;
}

void expect_errors(const std::string& name, std::vector<std::string> messages) {
  const ImageUpdater& cr = testing::updater(invalid_updaters(), name);
  EXPECT_FALSE(cr.valid()) << name;
  EXPECT_EQ(texts(cr.errors), expected(name, std::move(messages))) << name;
  for (const ConfigIssue& e : cr.errors) {
    EXPECT_EQ(e.scope, Scope::kUpdater);
    EXPECT_EQ(e.severity, Severity::kError);
  }
}

TEST(ImageUpdaterRules, EveryDocumentOfTheFileIsRead) {
  EXPECT_TRUE(invalid_updaters().issues.empty())
      << ::testing::PrintToString(texts(invalid_updaters().issues));
  EXPECT_EQ(invalid_updaters().updaters.size(), 23u);
  for (const ImageUpdater& cr : invalid_updaters().updaters)
    EXPECT_FALSE(cr.valid()) << cr.ref.name;
}

TEST(ImageUpdaterRules, AliasPatternAndUniqueness) {
  expect_errors("bad-alias", {"spec.applicationRefs[0].images[0].alias: invalid alias \"-web\": "
                              "must match ^[a-zA-Z0-9][a-zA-Z0-9-._]*$"});
  expect_errors("duplicate-alias", {"spec.applicationRefs[0].images[1].alias: duplicate alias "
                                    "\"web\" (also spec.applicationRefs[0].images[0])"});
}

TEST(ImageUpdaterRules, NamePatternUniqueAndValid) {
  expect_errors("duplicate-name-pattern",
                {"spec.applicationRefs[1].namePattern: duplicate namePattern \"shop-*\" (also "
                 "spec.applicationRefs[0])"});
  expect_errors("bad-name-pattern",
                {"spec.applicationRefs[0].namePattern: invalid glob \"shop-[\": unclosed '['"});
  expect_errors("duplicate-key", {"spec.applicationRefs[0].namePattern: duplicate key"});
}

TEST(ImageUpdaterRules, ImagesRequiredUnlessUseAnnotations) {
  expect_errors("images-missing", {"spec.applicationRefs[0].images: required (at least one "
                                   "image) unless useAnnotations is true"});
  expect_errors("images-empty", {"spec.applicationRefs[0].images: must list at least one image "
                                 "unless useAnnotations is true"});
  expect_errors("refs-missing", {"spec.applicationRefs: required (at least one applicationRef)"});
}

TEST(ImageUpdaterRules, ManifestTargetsExactlyOne) {
  expect_errors("two-targets", {"spec.applicationRefs[0].images[0].manifestTargets: exactly one "
                                "of helm, kustomize or plugin must be set, found helm, kustomize"});
  expect_errors("no-target", {"spec.applicationRefs[0].images[0].manifestTargets: exactly one of "
                              "helm, kustomize or plugin must be set"});
  expect_errors("kustomize-without-name",
                {"spec.applicationRefs[0].images[0].manifestTargets.kustomize.name: required"});
}

TEST(ImageUpdaterRules, PluginTargetNamesAre1To253Characters) {
  expect_errors("plugin-names",
                {"spec.applicationRefs[0].images[0].manifestTargets.plugin.name: must be 1-253 "
                 "characters, found 254",
                 "spec.applicationRefs[0].images[1].manifestTargets.plugin.spec: must be 1-253 "
                 "characters, found 0",
                 "spec.applicationRefs[0].images[2].manifestTargets.plugin: one of spec or name "
                 "must be set"});
}

TEST(ImageUpdaterRules, PullRequestProvidersAndLabels) {
  expect_errors("pull-request-both", {"spec.writeBackConfig.gitConfig.pullRequest: exactly one of "
                                      "github or gitlab must be set, found both"});
  expect_errors("pull-request-none", {"spec.writeBackConfig.gitConfig.pullRequest: exactly one of "
                                      "github or gitlab must be set"});
  expect_errors(
      "pull-request-labels",
      {"spec.writeBackConfig.gitConfig.pullRequest.labels: at most 100 labels are allowed, found "
       "101",
       "spec.applicationRefs[0].writeBackConfig.gitConfig.pullRequest.labels[1]: a label must be "
       "1-255 characters once trimmed, found 0",
       "spec.applicationRefs[0].writeBackConfig.gitConfig.pullRequest.labels[2]: a label must be "
       "1-255 characters once trimmed, found 256"});
  expect_errors("pull-request-branch-target",
                {"spec.writeBackConfig.gitConfig.branch: the <base>:<target> form cannot be used "
                 "with pullRequest (spec.applicationRefs[0].writeBackConfig.gitConfig."
                 "pullRequest)"});
}

TEST(ImageUpdaterRules, VerificationNeedsAKeyWhereverEnabled) {
  expect_errors("verification-without-key",
                {"spec.imagesVerification.enabled: cosignKey is required when verification is "
                 "enabled",
                 "spec.applicationRefs[0].images[0].imagesVerification: cosignKey is required "
                 "when verification is enabled"});
}

TEST(ImageUpdaterRules, UnknownFieldsAndRemovedSpecNamespace) {
  expect_errors("unknown-fields", {"spec.applicationRefs[0].images[0].imageNmae: unknown field",
                                   "spec.applicationRefs[0].images[0].imageName: required"});
  expect_errors("spec-namespace",
                {"spec.namespace: unknown field (removed in v1.2: an ImageUpdater manages the "
                 "Applications in its own namespace)"});
}

TEST(ImageUpdaterRules, WriteBackSyntax) {
  expect_errors("bad-methods",
                {"spec.writeBackConfig.method: invalid write-back method \"Git\": expected "
                 "argocd, git, git:repocreds, git:secret:[<namespace>/]<name> or "
                 "<plugin>[:<argument>]",
                 "spec.applicationRefs[0].writeBackConfig.method: invalid write-back method "
                 "\"git:secrets:x\": expected git, git:repocreds or "
                 "git:secret:[<namespace>/]<name>",
                 "spec.applicationRefs[1].writeBackConfig.method: invalid write-back method "
                 "\"argocd:x\": argocd takes no argument"});
  expect_errors("kustomization-file-target",
                {"spec.writeBackConfig.gitConfig.writeBackTarget: invalid write-back target "
                 "\"overlays/prod/kustomization.yaml\": a kustomization file is written with "
                 "kustomization:<dir>"});
}

TEST(ImageUpdaterRules, TypesAreChecked) {
  expect_errors("wrong-types",
                {"spec.commonUpdateSettings.forceUpdate: expected a boolean (true or false), "
                 "found a string \"yes\"",
                 "spec.commonUpdateSettings.allowTags: expected a string, found a number "
                 "\"1.10\" (quote it to make it a string)",
                 "spec.commonUpdateSettings.ignoreTags: expected a list of strings, found a "
                 "string \"*-rc\"",
                 "spec.applicationRefs[0].useAnnotations: expected a boolean (true or false), "
                 "found a string \"maybe\"",
                 "spec.applicationRefs[0].images: required (at least one image) unless "
                 "useAnnotations is true"});
}

TEST(ImageUpdaterRules, LabelSelectorsAreValidated) {
  expect_errors("bad-selectors",
                {"spec.applicationRefs[0].labelSelectors.matchExpressions[0].operator: unknown "
                 "operator \"Equals\" (expected In, NotIn, Exists or DoesNotExist)",
                 "spec.applicationRefs[1].labelSelectors.matchExpressions[0].values: must be "
                 "non-empty when operator is In"});
}

TEST(ImageUpdaterRules, SpecExampleIsValid) {
  const Snapshot snapshot = snapshot_from_file("updaters/valid.yaml");
  ASSERT_EQ(snapshot.updaters.size(), 1u);
  const ImageUpdater& cr = snapshot.updaters[0];
  EXPECT_TRUE(cr.valid()) << ::testing::PrintToString(texts(cr.errors));
  EXPECT_EQ(cr.generation, 7);
  ASSERT_TRUE(cr.settings.ignore_tags);
  EXPECT_EQ(cr.settings.ignore_tags->value, (std::vector<std::string>{"*-debug", "*-rc*"}));
  EXPECT_EQ(cr.settings.ignore_tags->field, "spec.commonUpdateSettings.ignoreTags");
  EXPECT_FALSE(cr.settings.update_strategy);  // unset stays unset: no schema defaults
  ASSERT_TRUE(cr.write_back.branch);
  EXPECT_EQ(cr.write_back.branch->value, "main:image-updates/{{ .AppName }}");
  ASSERT_EQ(cr.application_refs.size(), 2u);
  const ApplicationRefSpec& api = cr.application_refs[0];
  ASSERT_TRUE(api.label_selector);
  EXPECT_EQ(api.label_selector->match_labels.at("tier"), "backend");
  EXPECT_TRUE(api.matches("shop-api", {{"tier", "backend"}}));
  EXPECT_FALSE(api.matches("shop-api", {{"tier", "frontend"}}));
  EXPECT_FALSE(api.matches("web", {{"tier", "backend"}}));
  ASSERT_EQ(api.images.size(), 1u);
  EXPECT_EQ(api.images[0].settings.allow_tags->value, "regexp:^v?[0-9]+\\.[0-9]+\\.[0-9]+$");
  EXPECT_EQ(api.images[0].target.helm->name, "api.image.repository");
  EXPECT_EQ(api.images[0].target.helm->spec, "");
  const ApplicationRefSpec& legacy = cr.application_refs[1];
  EXPECT_TRUE(legacy.use_annotations);
  EXPECT_TRUE(legacy.images.empty());
  EXPECT_EQ(texts(cr.warnings),
            std::vector<std::string>{"ImageUpdater argocd/shop: spec.applicationRefs[1].images: "
                                     "ignored: with useAnnotations the settings come from the "
                                     "Application's annotations"});
}

TEST(ImageUpdaterRules, JsonFromTheApiServerReadsTheSame) {
  const auto doc = YAML::Load(R"({"apiVersion": "argocd-image-updater.argoproj.io/v1alpha1",
    "kind": "ImageUpdater", "metadata": {"name": "j", "namespace": "ns", "generation": 3},
    "spec": {"commonUpdateSettings": {"forceUpdate": true, "allowTags": "1.10",
                                      "platforms": ["linux/arm64"]},
             "applicationRefs": [{"namePattern": "*", "useAnnotations": "true"}]}})");
  std::vector<ConfigIssue> issues;
  ParseOptions options;
  options.strict = false;
  auto cr = parse_image_updater(doc, options, &issues);
  ASSERT_TRUE(cr);
  EXPECT_EQ(cr->generation, 3);
  EXPECT_EQ(cr->settings.force_update->value, "true");
  EXPECT_EQ(cr->settings.allow_tags->value, "1.10");  // a JSON string stays a string
  EXPECT_EQ(texts(cr->errors),
            (std::vector<std::string>{
                "ImageUpdater ns/j: spec.applicationRefs[0].useAnnotations: expected a boolean "
                "(true or false), found a string \"true\"",
                "ImageUpdater ns/j: spec.applicationRefs[0].images: required (at least one image) "
                "unless useAnnotations is true"}));
}

TEST(ImageUpdaterRules, UnknownFieldsAreIgnoredWhenNotStrict) {
  // Objects from the API server: it prunes unknown fields, so the source reads non-strictly.
  const auto doc = YAML::Load(
      "apiVersion: argocd-image-updater.argoproj.io/v1alpha1\nkind: ImageUpdater\n"
      "metadata: {name: loose, namespace: team}\n"
      "spec: {namespace: x, extra: 1, applicationRefs: [{namePattern: '*', images: [{alias: a, "
      "imageName: nginx, imageNmae: x}]}]}\n");
  ParseOptions options;
  options.strict = false;
  std::vector<ConfigIssue> issues;
  auto cr = parse_image_updater(doc, options, &issues);
  ASSERT_TRUE(cr);
  EXPECT_TRUE(cr->valid()) << ::testing::PrintToString(texts(cr->errors));
  EXPECT_EQ(cr->ref.ns, "team");
  options.strict = true;
  cr = parse_image_updater(doc, options, &issues);
  ASSERT_TRUE(cr);
  EXPECT_EQ(cr->errors.size(), 3u);
}

TEST(ImageUpdaterRules, DocumentsWithoutANameCannotBeNamed) {
  std::vector<ConfigIssue> issues;
  ParseOptions options;
  options.file = "deploy/x.yaml";
  const auto doc = YAML::Load(
      "\napiVersion: argocd-image-updater.argoproj.io/v1alpha1\nkind: ImageUpdater\n"
      "metadata: {namespace: argocd}\nspec: {}\n");
  EXPECT_FALSE(parse_image_updater(doc, options, &issues));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].what(), "deploy/x.yaml:2:1: ImageUpdater: metadata.name: required");
  const auto bad_name = YAML::Load(
      "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: Web_App}\n");
  EXPECT_FALSE(parse_application(bad_name, options, &issues));
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[1].what(),
            "deploy/x.yaml:1:1: Application: metadata.name: invalid name \"Web_App\": must be a "
            "lower-case DNS subdomain (RFC 1123)");
  const auto bad_ns =
      YAML::Load("apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: Team}\n");
  EXPECT_FALSE(parse_secret(bad_ns, options, &issues));
  ASSERT_EQ(issues.size(), 3u);
  EXPECT_EQ(issues[2].what(),
            "deploy/x.yaml:1:1: Secret: metadata.namespace: invalid namespace \"Team\": must be a "
            "lower-case DNS label (RFC 1123)");
}

}  // namespace
}  // namespace iu::config
