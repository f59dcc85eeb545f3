// The argocd write-back's in-file edits (SPEC §4.3): the same entries as the API mode's JSON
// edits (SPEC §9.3), made byte-preserving (§9.6) on the Application's own document of a
// multi-document manifest file.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <string>
#include <vector>

#include "app_edit.hpp"
#include "app_file_edit.hpp"
#include "error_of.hpp"

namespace iu::argocdwb {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// A YAML node as JSON: plain true/false become booleans, every other scalar a string.
void to_json(const YAML::Node& n, Writer& w) {
  if (n.IsMap()) {
    w.StartObject();
    for (const auto& kv : n) {
      w.Key(kv.first.as<std::string>().c_str());
      to_json(kv.second, w);
    }
    w.EndObject();
  } else if (n.IsSequence()) {
    w.StartArray();
    for (const auto& item : n) to_json(item, w);
    w.EndArray();
  } else if (n.IsNull()) {
    w.Null();
  } else if (n.Tag() == "?" && (n.Scalar() == "true" || n.Scalar() == "false")) {
    w.Bool(n.Scalar() == "true");
  } else {
    w.String(n.Scalar().c_str());
  }
}

std::string json_of(const YAML::Node& n) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  to_json(n, w);
  return buf.GetString();
}

// JSON with object keys sorted, so that key order does not matter in comparisons.
void sorted(const rapidjson::Value& v, Writer& w) {
  if (v.IsObject()) {
    std::vector<std::string> keys;
    for (const auto& m : v.GetObject()) keys.emplace_back(m.name.GetString());
    std::sort(keys.begin(), keys.end());
    w.StartObject();
    for (const auto& k : keys) {
      w.Key(k.c_str());
      sorted(v[k.c_str()], w);
    }
    w.EndObject();
  } else if (v.IsArray()) {
    w.StartArray();
    for (const auto& item : v.GetArray()) sorted(item, w);
    w.EndArray();
  } else {
    v.Accept(w);
  }
}

std::string canonical(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  EXPECT_FALSE(d.HasParseError()) << json;
  rapidjson::StringBuffer buf;
  Writer w(buf);
  sorted(d, w);
  return buf.GetString();
}

AppDocument who(const std::string& name, const std::string& ns = "argocd") {
  return AppDocument{"apps/app.yaml", ns, name, "argocd"};
}

// The message of the EditError `f` throws; fails the test when it throws nothing.
template <typename F>
std::string error_of(F&& f) {
  return test::error_of<EditError>(std::forward<F>(f));
}

struct Case {
  const char* name;
  const char* yaml;  // one Application document
  const char* field;
  const char* type;
  std::vector<ImageEdit> edits;
  uint64_t changed;
};

class SameAsApiMode : public ::testing::TestWithParam<Case> {};

// The file edit and the API mode's JSON edit give the same object, and applying the same edits
// again to the result changes nothing.
TEST_P(SameAsApiMode, SameObjectAndIdempotent) {
  const Case& c = GetParam();
  const std::string head =
      "# leading comment\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n---\n";
  const std::string file = head + c.yaml + "---\nkind: Trailer\n";
  const EditOutcome in_file = apply_edits_in_file(file, who("web"), c.field, c.type, c.edits);
  const EditOutcome in_json = apply_edits(json_of(YAML::Load(c.yaml)), c.field, c.type, c.edits);
  EXPECT_EQ(in_file.changed, c.changed);
  EXPECT_EQ(in_json.changed, c.changed);
  const std::vector<YAML::Node> docs = YAML::LoadAll(in_file.object);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(canonical(json_of(docs[1])), canonical(in_json.object));
  EXPECT_EQ(in_file.object.substr(0, head.size()), head) << "the ConfigMap stays";
  EXPECT_EQ(in_file.object.substr(in_file.object.size() - 18), "---\nkind: Trailer\n");

  const EditOutcome again =
      apply_edits_in_file(in_file.object, who("web"), c.field, c.type, c.edits);
  EXPECT_EQ(again.changed, 0u);
  EXPECT_EQ(again.object, in_file.object);
}

const char* kHeader =
    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n";

INSTANTIATE_TEST_SUITE_P(
    Edits, SameAsApiMode,
    ::testing::Values(
        Case{"HelmReplacesInPlaceAndAppends",
             "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n"
             "  namespace: argocd\nspec:\n  source:\n    repoURL: r\n    helm:\n"
             "      parameters:\n        - name: other\n          value: x\n"
             "        - name: image.tag   # pinned\n          value: \"1.0\"\n",
             "spec.source",
             "Helm",
             {ImageEdit{"web", "reg/web", "1.1", "", {}}},
             1},
        Case{"HelmSpecAndDigestWithoutHelmBlock",
             "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n"
             "spec:\n  source:\n    repoURL: r\n    path: p\n",
             "spec.source",
             "Helm",
             {ImageEdit{"web", "reg/web", "1.1", "sha256:abc", {{"helm.spec", "web.image"}}}},
             1},
        Case{"HelmNullParametersAndForceStringFalse",
             "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n"
             "spec:\n  source:\n    helm:\n      valueFiles: [a.yaml]\n      parameters:\n"
             "  destination: {}\n",
             "spec.source",
             "Helm",
             {ImageEdit{"web", "reg/web", "1.1", "", {{"helm.name", "img.repo"}}}},
             1},
        Case{"KustomizeMultiSourceNamedAndPlain",
             "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n"
             "spec:\n  sources:\n  - repoURL: a\n  - repoURL: b\n    kustomize:\n"
             "      images:\n      - nginx=reg/nginx:1.0\n      - 'reg/cache:2'\n",
             "spec.sources[1]",
             "Kustomize",
             {ImageEdit{"n", "reg/nginx", "1.2", "", {{"kustomize.name", "nginx"}}},
              ImageEdit{"c", "reg/cache", "3", "", {}}, ImageEdit{"z", "reg/new", "0.1", "", {}}},
             3},
        Case{"KustomizeRegistryPortIsNotATag",
             "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n"
             "spec:\n  source:\n    kustomize:\n      images: [\"127.0.0.1:5000/web:1.0\"]\n",
             "spec.source",
             "Kustomize",
             {ImageEdit{"w", "127.0.0.1:5000/web", "1.1", "", {}}},
             1},
        Case{"PluginEnvNameAndTag",
             "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n"
             "spec:\n  source:\n    plugin:\n      name: p\n      env:\n        - name: TAG\n"
             "          value: '1'\n",
             "spec.source",
             "Plugin",
             {ImageEdit{"w", "reg/web", "2", "", {{"plugin.name", "IMG"}, {"plugin.tag", "TAG"}}}},
             1},
        Case{"FlowStyleSources",
             "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web}\n"
             "spec:\n  sources: [{repoURL: a, helm: {}}, {repoURL: b, kustomize: {}}]\n",
             "spec.sources[0]",
             "Helm",
             {ImageEdit{"web", "reg/web", "1.1", "", {}}},
             1},
        Case{"FlowStyleKustomize",
             "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web}\n"
             "spec:\n  source: {repoURL: b, kustomize: {images: [reg/a:1]}}\n",
             "spec.source",
             "Kustomize",
             {ImageEdit{"a", "reg/a", "2", "", {}}, ImageEdit{"b", "reg/b", "1", "", {}}},
             2},
        Case{"AlreadySatisfiedChangesNothing",
             "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n"
             "spec:\n  source:\n    helm:\n      parameters:\n      - name: image.name\n"
             "        value: reg/web\n        forceString: true\n      - name: image.tag\n"
             "        value: '1.1'\n        forceString: true\n",
             "spec.source",
             "Helm",
             {ImageEdit{"web", "reg/web", "1.1", "", {}}},
             0}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

TEST(FileEdit, OnlyTheTagBytesChangeInARealisticFile) {
  const std::string file =
      "# Applications of team web\n"
      "apiVersion: argoproj.io/v1alpha1\n"
      "kind: Application\n"
      "metadata:\n"
      "  name: api\n"
      "spec:\n"
      "  source:\n"
      "    helm:\n"
      "      parameters:\n"
      "      - name: image.tag\n"
      "        value: \"0.1\"\n"
      "---\n"
      "apiVersion: argoproj.io/v1alpha1\n"
      "kind: Application\n"
      "metadata:\n"
      "  name: web   # the shop front\n"
      "  namespace: argocd\n"
      "spec:\n"
      "  project: default\n"
      "  source:\n"
      "    repoURL: https://example.com/gitops.git\n"
      "    helm:\n"
      "      parameters:\n"
      "      - name: image.name\n"
      "        value: ghcr.io/acme/web\n"
      "        forceString: true\n"
      "      - name: image.tag\n"
      "        value: \"2.4.6\"   # managed by the updater\n"
      "        forceString: true\n"
      "\n"
      "  destination: {server: https://kubernetes.default.svc}\n";
  const EditOutcome out =
      apply_edits_in_file(file, who("web"), "spec.source", "Helm",
                          {ImageEdit{"web", "ghcr.io/acme/web", "2.4.7", "", {}}});
  std::string expected = file;
  expected.replace(expected.find("\"2.4.6\""), 7, "\"2.4.7\"");
  EXPECT_EQ(out.changed, 1u);
  EXPECT_EQ(out.object, expected);
}

TEST(FileEdit, InsertedLinesUseTheFilesLineEndings) {
  const std::string file =
      "kind: Application\r\napiVersion: argoproj.io/v1alpha1\r\nmetadata:\r\n  name: web\r\n"
      "spec:\r\n  source:\r\n    kustomize:\r\n      images:\r\n      - reg/a:1\r\n";
  const EditOutcome out = apply_edits_in_file(file, who("web"), "spec.source", "Kustomize",
                                              {ImageEdit{"b", "reg/b", "2", "", {}}});
  EXPECT_EQ(out.object, file + "      - reg/b:2\r\n");
}

TEST(FileEdit, FindsTheDocumentByNamespaceAndName) {
  const std::string file = std::string(kHeader) + "  namespace: team\nspec:\n  source:\n" +
                           "    kustomize: {images: [reg/a:1]}\n---\n" + kHeader +
                           "spec:\n  source:\n    kustomize: {images: [reg/a:1]}\n";
  const std::vector<ImageEdit> edits{ImageEdit{"a", "reg/a", "2", "", {}}};
  // No metadata.namespace: the Argo CD namespace.
  EditOutcome out =
      apply_edits_in_file(file, who("web", "argocd"), "spec.source", "Kustomize", edits);
  std::string expected = file;
  expected.replace(expected.rfind("reg/a:1"), 7, "reg/a:2");
  EXPECT_EQ(out.object, expected);
  out = apply_edits_in_file(file, who("web", "team"), "spec.source", "Kustomize", edits);
  expected = file;
  expected.replace(expected.find("reg/a:1"), 7, "reg/a:2");
  EXPECT_EQ(out.object, expected);
  AppDocument elsewhere = who("web", "argocd");
  elsewhere.default_namespace = "other";
  EXPECT_THROW(apply_edits_in_file(file, elsewhere, "spec.source", "Kustomize", edits),
               DocumentNotFound);
  EXPECT_EQ(
      error_of([&] { apply_edits_in_file(file, who("gone"), "spec.source", "Kustomize", edits); }),
      "apps/app.yaml: no Application argocd/gone in the file any more");
}

TEST(FileEdit, ErrorsNameFileLineAndField) {
  const std::string other = "kind: ConfigMap\napiVersion: v1\nmetadata: {name: x}\n---\n";
  const std::vector<ImageEdit> edits{ImageEdit{"web", "reg/web", "1.1", "", {}}};
  // helm.parameters is a mapping, on line 13 of the file (line 9 of the Application's document).
  const std::string mapping = other + kHeader + "spec:\n  source:\n    helm:\n      parameters:\n" +
                              "        image.tag: '1.0'\n";
  const std::string mapping_error =
      error_of([&] { apply_edits_in_file(mapping, who("web"), "spec.source", "Helm", edits); });
  EXPECT_EQ(mapping_error.rfind("apps/app.yaml:13:", 0), 0u) << mapping_error;
  EXPECT_NE(mapping_error.find("helm.parameters"), std::string::npos) << mapping_error;
  const std::string alias =
      other + "base: &b\n  parameters: []\n---\n" + kHeader + "spec:\n  source:\n    helm: *b\n";
  const std::string alias_error =
      error_of([&] { apply_edits_in_file(alias, who("web"), "spec.source", "Helm", edits); });
  EXPECT_NE(alias_error.find("apps/app.yaml:"), std::string::npos) << alias_error;
  EXPECT_NE(alias_error.find("alias"), std::string::npos) << alias_error;
  const std::string no_source = other + kHeader + "spec:\n  project: default\n";
  EXPECT_EQ(
      error_of([&] { apply_edits_in_file(no_source, who("web"), "spec.source", "Helm", edits); }),
      "apps/app.yaml: spec.source: missing");
  const std::string one_source = other + kHeader + "spec:\n  sources:\n  - repoURL: a\n";
  EXPECT_NE(error_of([&] {
              apply_edits_in_file(one_source, who("web"), "spec.sources[3]", "Helm", edits);
            }).find("apps/app.yaml:"),
            std::string::npos);
  EXPECT_EQ(error_of([&] {
              apply_edits_in_file(one_source, who("web"), "spec.sourceHydrator.drySource", "Helm",
                                  edits);
            }),
            "apps/app.yaml: spec.sourceHydrator.drySource: the argocd write-back cannot edit this "
            "source");
  const std::string directory = other + kHeader + "spec:\n  source:\n    path: p\n";
  EXPECT_EQ(error_of([&] {
              apply_edits_in_file(directory, who("web"), "spec.source", "Directory", edits);
            }),
            "apps/app.yaml: source type \"Directory\" is not supported by the argocd write-back");
  const std::string broken = other + "a: [1, 2\n";
  EXPECT_EQ(error_of([&] {
              apply_edits_in_file(broken, who("web"), "spec.source", "Helm", edits);
            }).rfind("apps/app.yaml:", 0),
            0u);
}

TEST(FileEdit, AFailingImageFailsTheWholeApplication) {
  const std::string file = std::string(kHeader) +
                           "spec:\n  source:\n    plugin:\n      env:\n      - {name: A, value: "
                           "'1'}\n";
  const std::vector<ImageEdit> edits{
      ImageEdit{"ok", "reg/ok", "2", "", {{"plugin.spec", "A"}}},
      ImageEdit{"bad", "reg/bad", "2", "", {}},  // plugin without spec or name/tag
  };
  EXPECT_EQ(
      error_of([&] { apply_edits_in_file(file, who("web"), "spec.source", "Plugin", edits); }),
      "apps/app.yaml: image bad: manifestTargets.plugin: needs spec, or name and tag");
}

}  // namespace
}  // namespace iu::argocdwb
