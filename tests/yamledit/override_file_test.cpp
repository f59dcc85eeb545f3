// The Argo CD parameter override file (SPEC.md §9.5): generated files and in-place updates.
#include "iu/yamledit/override_file.hpp"

#include <gtest/gtest.h>

namespace iu::yamledit {
namespace {

TEST(OverrideFileTest, NewHelmFileMatchesTheSpecLayout) {
  Document doc = Document::parse("");
  EXPECT_TRUE(set_override_helm_parameters(
      doc, {{"image.tag", "2.4.7"}, {"image.name", "ghcr.io/acme/shop-api"}}));
  EXPECT_EQ(doc.text(),
            "helm:\n  parameters:\n  - name: image.name\n    value: ghcr.io/acme/shop-api\n"
            "    forcestring: true\n  - name: image.tag\n    value: 2.4.7\n"
            "    forcestring: true\n");
}

TEST(OverrideFileTest, HelmUpdateTouchesOnlyManagedEntries) {
  const std::string before =
      "helm:\n  valueFiles: [values-prod.yaml]\n  parameters:\n    - name: replicas\n"
      "      value: \"3\"\n    - name: image.tag\n      value: '1.0' # managed\n"
      "      forcestring: true\n";
  Document doc = Document::parse(before);
  EXPECT_TRUE(set_override_helm_parameters(doc, {{"image.tag", "1.1"}, {"image.name", "x/y"}}));
  EXPECT_EQ(doc.text(),
            "helm:\n  valueFiles: [values-prod.yaml]\n  parameters:\n    - name: replicas\n"
            "      value: \"3\"\n    - name: image.tag\n      value: '1.1' # managed\n"
            "      forcestring: true\n    - name: image.name\n      value: x/y\n"
            "      forcestring: true\n");
  EXPECT_FALSE(set_override_helm_parameters(doc, {{"image.tag", "1.1"}, {"image.name", "x/y"}}));
}

TEST(OverrideFileTest, ForceStringIsAddedOrCorrected) {
  Document doc = Document::parse(
      "helm:\n  parameters:\n  - name: a\n    value: x\n  - name: b\n    value: z\n"
      "    forcestring: false\n");
  EXPECT_TRUE(set_override_helm_parameters(doc, {{"a", "x"}, {"b", "z"}}));
  EXPECT_EQ(doc.text(),
            "helm:\n  parameters:\n  - name: a\n    value: x\n    forcestring: true\n"
            "  - name: b\n    value: z\n    forcestring: true\n");
}

TEST(OverrideFileTest, KustomizeImages) {
  Document doc = Document::parse("   \n");
  EXPECT_TRUE(set_override_kustomize_images(doc, {"web=ghcr.io/acme/web:2", "nginx:1.25"}));
  EXPECT_EQ(doc.text(), "kustomize:\n  images:\n  - nginx:1.25\n  - web=ghcr.io/acme/web:2\n");
  EXPECT_TRUE(set_override_kustomize_images(doc, {"web=ghcr.io/acme/web:3", "docker.io/redis:7"}));
  EXPECT_EQ(doc.text(),
            "kustomize:\n  images:\n  - nginx:1.25\n  - web=ghcr.io/acme/web:3\n"
            "  - docker.io/redis:7\n");
}

TEST(OverrideFileTest, KustomizeImageKey) {
  EXPECT_EQ(kustomize_image_key("web=ghcr.io/acme/web:2"), "web");
  EXPECT_EQ(kustomize_image_key("nginx:1.25"), "nginx");
  EXPECT_EQ(kustomize_image_key("host:5000/app:1@sha256:00"), "host:5000/app");
  EXPECT_EQ(kustomize_image_key("host:5000/app"), "host:5000/app");
  EXPECT_EQ(kustomize_image_key("app@sha256:00"), "app");
}

TEST(OverrideFileTest, PluginEnv) {
  Document doc = Document::parse("plugin:\n  name: my-cmp\n");
  EXPECT_TRUE(set_override_plugin_env(doc, {{"IMAGE_TAG", "1.0"}, {"IMAGE_NAME", "acme/app"}}));
  EXPECT_EQ(doc.text(),
            "plugin:\n  name: my-cmp\n  env:\n  - name: IMAGE_NAME\n    value: acme/app\n"
            "  - name: IMAGE_TAG\n    value: \"1.0\"\n");
  EXPECT_TRUE(set_override_plugin_env(doc, {{"IMAGE_TAG", "1.1"}}));
  EXPECT_EQ(doc.text(),
            "plugin:\n  name: my-cmp\n  env:\n  - name: IMAGE_NAME\n    value: acme/app\n"
            "  - name: IMAGE_TAG\n    value: \"1.1\"\n");
}

}  // namespace
}  // namespace iu::yamledit
