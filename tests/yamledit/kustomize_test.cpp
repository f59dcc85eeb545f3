// Kustomization `images:` entries (SPEC.md §9.5).
#include "iu/yamledit/kustomize.hpp"

#include <gtest/gtest.h>

namespace iu::yamledit {
namespace {

TEST(KustomizeTest, UpdatesTheEntryWithTheName) {
  Document doc = Document::parse(
      "images:\n- name: nginx\n  newTag: 1.25.0 # pinned\n- name: app\n  newTag: \"1\"\n");
  EXPECT_TRUE(set_kustomize_image(doc, {"nginx", "", "1.25.3", ""}));
  EXPECT_EQ(doc.text(),
            "images:\n- name: nginx\n  newTag: 1.25.3 # pinned\n- name: app\n  newTag: \"1\"\n");
  EXPECT_FALSE(set_kustomize_image(doc, {"nginx", "", "1.25.3", ""}));
}

TEST(KustomizeTest, AddsNewNameAndDigestToTheEntry) {
  Document doc = Document::parse("images:\n  - name: app\n    newTag: v1\n");
  EXPECT_TRUE(set_kustomize_image(doc, {"app", "ghcr.io/acme/app", "v2", "sha256:ab"}));
  EXPECT_EQ(doc.text(),
            "images:\n  - name: app\n    newTag: v2\n    newName: ghcr.io/acme/app\n"
            "    digest: sha256:ab\n");
}

TEST(KustomizeTest, StaleDigestLineIsRemoved) {
  Document doc = Document::parse(
      "images:\n- name: app\n  newTag: v1\n  digest: sha256:ab # old\n- name: b\n  digest: x\n");
  EXPECT_TRUE(set_kustomize_image(doc, {"app", "", "v2", ""}));
  EXPECT_EQ(doc.text(), "images:\n- name: app\n  newTag: v2\n- name: b\n  digest: x\n");
}

TEST(KustomizeTest, AppendsAMissingEntry) {
  Document doc = Document::parse("images:\n- name: a\n  newTag: \"1\"\n");
  EXPECT_TRUE(set_kustomize_image(doc, {"b", "reg/b", "2.0.1", ""}));
  EXPECT_EQ(doc.text(),
            "images:\n- name: a\n  newTag: \"1\"\n- name: b\n  newName: reg/b\n  newTag: 2.0.1\n");
}

TEST(KustomizeTest, MissingImagesKeyGoesAtTheEndOfTheDocument) {
  Document doc = Document::parse(
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
      "- deploy.yaml\n# trailing comment\n");
  EXPECT_TRUE(set_kustomize_image(doc, {"app", "", "1.2", ""}));
  EXPECT_EQ(doc.text(),
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
            "- deploy.yaml\nimages:\n- name: app\n  newTag: \"1.2\"\n# trailing comment\n");
}

}  // namespace
}  // namespace iu::yamledit
