// Golden files: golden/<case>.in.yaml edited as the table below says must give exactly
// golden/<case>.out.yaml (byte for byte), and applying the same edits again must change nothing.
// A case without an .in.yaml file starts from a missing (empty) file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "iu/yamledit/helm_values.hpp"
#include "iu/yamledit/kustomize.hpp"
#include "iu/yamledit/override_file.hpp"

namespace iu::yamledit {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
  std::string name;
  std::function<void(Document&)> edit;
};

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

const std::string kDigest =
    "sha256:1111111111111111111111111111111111111111111111111111111111111111";

std::vector<GoldenCase> cases() {
  return {
      {"comments",
       [](Document& d) {
         set_helm_value(d, "api.image.tag", "2.4.7");
         set_helm_value(d, "api.image.pullPolicy", "Always");
         set_helm_value(d, "api.resources.limits.cpu", "500m");
       }},
      {"anchors",
       [](Document& d) {
         d.set_scalar({"defaults", "image", "tag"}, "1.1.0");
         d.set_scalar({"worker", "image", "tag"}, "2.1");
         d.set_scalar({"api", "replicas"}, Value::literal("2"), Missing::kCreate);
       }},
      {"flow",
       [](Document& d) {
         d.set_scalar({"image", "tag"}, "v1.1.0");
         d.set_scalar({"sidecars", 1}, "redis:7.2");
         d.set_scalar({"sidecars", 2}, "envoy:1.30");
         d.set_scalar({"nested", "meta", "owner"}, "team-a", Missing::kCreate);
         d.upsert_scalar_entry(
             {"nested", "images"}, [](std::string_view v) { return v == "c"; }, "c");
         d.upsert_scalar_entry(
             {"empty"}, [](std::string_view v) { return v == "first"; }, "first");
         d.set_scalar({"multi", "tag"}, "new");
         d.set_scalar({"multi", "pullPolicy"}, "Always", Missing::kCreate);
       }},
      {"quoting",
       [](Document& d) {
         for (const char* k : {"plain", "single", "double"}) d.set_scalar({k}, "2.0.0");
         d.set_scalar({"float_like"}, "1.10");
         d.set_scalar({"bool_like"}, "yes");
         d.set_scalar({"empty_double"}, "x");
         d.set_scalar({"with_quote"}, "it's");
         d.set_scalar({"spaced"}, "changed value");
       }},
      {"crlf",
       [](Document& d) {
         set_helm_value(d, "api.image.tag", "1.1");
         set_helm_value(d, "worker.image.tag", "v2");
       }},
      {"bom",
       [](Document& d) {
         set_helm_value(d, "image.tag", "v2");
         set_helm_value(d, "image.repository", "acme/app");
       }},
      {"no_final_newline",
       [](Document& d) {
         set_helm_value(d, "image.tag", "v2");
         set_helm_value(d, "image.pullPolicy", "Always");
       }},
      {"multi_document",
       [](Document& d) {
         set_helm_value(d, "image.tag", "v2");
         set_helm_value(d, "image.pullPolicy", "Always");
       }},
      {"helm_missing_path",
       [](Document& d) {
         set_helm_value(d, "api.image.repository", "ghcr.io/acme/api");
         set_helm_value(d, "api.image.tag", "1.0.0");
       }},
      {"helm_dotted_key",
       [](Document& d) {
         set_helm_value(d, "image.tag", "1.1.0");
         set_helm_value(d, "image.repository", "acme/other");
       }},
      {"helm_list_index",
       [](Document& d) {
         set_helm_value(d, "containers[1].image.tag", "v2");
         set_helm_value(d, "containers[0].image.pullPolicy", "Always");
       }},
      {"helm_new_file", [](Document& d) { set_helm_value(d, "image.tag", "2.4.7"); }},
      {"kustomize_update",
       [](Document& d) {
         set_kustomize_image(d, {"nginx", "", "1.25.3", ""});
         set_kustomize_image(d, {"app", "ghcr.io/acme/app", "v1.1.0", ""});
       }},
      {"kustomize_append",
       [](Document& d) {
         set_kustomize_image(d, {"app", "ghcr.io/acme/app", "v2", ""});
       }},
      {"kustomize_missing_images",
       [](Document& d) {
         set_kustomize_image(d, {"app", "", "1.0.0", kDigest});
       }},
      {"override_helm_create",
       [](Document& d) {
         set_override_helm_parameters(
             d, {{"image.tag", "2.4.7"}, {"image.name", "ghcr.io/acme/shop-api"}});
       }},
      {"override_helm_update",
       [](Document& d) {
         set_override_helm_parameters(
             d, {{"image.tag", "2.4.7"}, {"image.name", "ghcr.io/acme/shop-api"}});
       }},
      {"override_kustomize_create",
       [](Document& d) {
         set_override_kustomize_images(d, {"ghcr.io/acme/api:1.1.0@" + kDigest});
       }},
      {"override_kustomize_update",
       [](Document& d) {
         set_override_kustomize_images(d, {"web=ghcr.io/acme/web:1.1.0", "acme/new:1"});
       }},
      {"override_plugin_create",
       [](Document& d) {
         set_override_plugin_env(d, {{"IMAGE_TAG", "v2"}, {"IMAGE", "a/b"}});
       }},
      {"override_plugin_update",
       [](Document& d) {
         set_override_plugin_env(d, {{"IMAGE_TAG", "v2"}, {"IMAGE", "a/b"}});
       }},
  };
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, EditGivesExpectedBytesAndRepeatingItChangesNothing) {
  const fs::path dir = IU_YAMLEDIT_GOLDEN_DIR;
  const fs::path in = dir / (GetParam().name + ".in.yaml");
  const fs::path out = dir / (GetParam().name + ".out.yaml");
  ASSERT_TRUE(fs::exists(out)) << out;
  const std::string input = fs::exists(in) ? read_file(in) : "";
  Document doc = Document::parse(input);
  GetParam().edit(doc);
  EXPECT_EQ(doc.text(), read_file(out));
  const std::string once = doc.text();
  GetParam().edit(doc);
  EXPECT_EQ(doc.text(), once) << "repeating the edit is not a no-op";
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTest, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

TEST(GoldenFilesTest, EveryInputHasACase) {
  std::set<std::string> names;
  for (const GoldenCase& c : cases()) names.insert(c.name);
  for (const auto& entry : fs::directory_iterator(IU_YAMLEDIT_GOLDEN_DIR)) {
    std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".yaml") continue;
    std::string stem = file.substr(0, file.find('.'));
    EXPECT_TRUE(names.count(stem)) << file << " has no case in golden_test.cpp";
  }
}

}  // namespace
}  // namespace iu::yamledit
