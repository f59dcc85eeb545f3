// The built writeback-argocd.so in `dir` mode (SPEC §4.3), through the real loader and host
// handle: Applications edited inside their manifest files.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "plugin_harness.hpp"
#include "temp_dir.hpp"

#ifndef IU_WRITEBACK_ARGOCD_PLUGIN
#error "IU_WRITEBACK_ARGOCD_PLUGIN must name the built writeback-argocd.so"
#endif

namespace iu::test::wb {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<iu::plugin_host::WritebackInstance> argocd_writeback() {
  return make_instance(load_writeback(IU_WRITEBACK_ARGOCD_PLUGIN, "argocd"), {});
}

std::string app_doc(const std::string& name, const std::string& tag) {
  return "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: " + name +
         "\nspec:\n  source:\n    repoURL: https://example.com/r.git\n    helm:\n"
         "      parameters:\n      - name: image.name\n        value: reg/" +
         name + "\n        forceString: true\n      - name: image.tag  # live\n        value: '" +
         tag + "'\n        forceString: true\n";
}

// An intent for Application argocd/<name> of `file`, setting image.tag to `tag`.
IntentSpec intent(const std::string& file, const std::string& name, const std::string& tag) {
  IntentSpec spec;
  spec.app_name = name;
  spec.method = "argocd";
  spec.settings = {{"application_file", file},
                   {"source_type", "Helm"},
                   {"source_field", "spec.source"},
                   {"argocd_namespace", "argocd"}};
  spec.changes = {ChangeSpec{"reg/" + name, "", tag, "", {{"helm.tag", "image.tag"}}, name}};
  return spec;
}

// The value of parameter `param` of Application `name` in `file`.
std::string param(const std::string& file, const std::string& name, const std::string& p) {
  for (const YAML::Node& doc : YAML::LoadAllFromFile(file)) {
    if (doc["metadata"]["name"].as<std::string>() != name) continue;
    for (const YAML::Node& entry : doc["spec"]["source"]["helm"]["parameters"])
      if (entry["name"].as<std::string>() == p) return entry["value"].as<std::string>();
  }
  return "<none>";
}

class ArgocdFileMode : public ::testing::Test {
 protected:
  std::string put(const std::string& name, const std::string& text) {
    return tmp_.write(name, text);
  }
  static std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  TempDir tmp_{"iu-argocd-file"};
  const fs::path& dir_ = tmp_.path();
};
TEST_F(ArgocdFileMode, ApplicationsOfOneFileFormOneBatch) {
  auto wb = argocd_writeback();
  BuiltIntent a(intent("/x/apps.yaml", "a", "2"));
  BuiltIntent b(intent("/x/apps.yaml", "b", "2"));
  BuiltIntent c(intent("/x/other.yaml", "c", "2"));
  EXPECT_EQ(wb->batch_key(a.raw()), "file:/x/apps.yaml");
  EXPECT_EQ(wb->batch_key(a.raw()), wb->batch_key(b.raw()));
  EXPECT_NE(wb->batch_key(a.raw()), wb->batch_key(c.raw()));
  IntentSpec api = intent("", "d", "2");
  api.settings.erase("application_file");
  EXPECT_EQ(wb->batch_key(BuiltIntent(api).raw()), "") << "API objects are not batched";
}

TEST_F(ArgocdFileMode, WritesEveryApplicationOfEveryFile) {
  const std::string apps = put("apps.yaml", app_doc("a", "1") + "---\n" + app_doc("b", "1"));
  const std::string other = put("other.yaml", "# other\n" + app_doc("c", "1"));
  Batch batch;
  batch.add(intent(apps, "a", "2")).add(intent(other, "c", "3")).add(intent(apps, "b", "4"));
  auto results = write(*argocd_writeback(), batch);
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) {
    EXPECT_EQ(r.status, IU_STATUS_OK) << r.message;
    EXPECT_EQ(r.changes_applied, 1u) << r.message;
  }
  EXPECT_NE(results[0].message.find("Application argocd/a: updated in " + apps), std::string::npos)
      << results[0].message;
  std::string expected = app_doc("a", "2") + "---\n" + app_doc("b", "4");
  EXPECT_EQ(read(apps), expected);
  EXPECT_EQ(read(other), "# other\n" + app_doc("c", "3"));

  // The same intents again: already satisfied, nothing written (the file keeps its inode).
  struct stat before {};
  ASSERT_EQ(::stat(apps.c_str(), &before), 0);
  results = write(*argocd_writeback(), batch);
  for (const auto& r : results) {
    EXPECT_EQ(r.status, IU_STATUS_OK) << r.message;
    EXPECT_EQ(r.changes_applied, 0u) << r.message;
    EXPECT_NE(r.message.find("already up to date"), std::string::npos) << r.message;
  }
  struct stat after {};
  ASSERT_EQ(::stat(apps.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);
}

TEST_F(ArgocdFileMode, DryRunWritesNothing) {
  const std::string text = app_doc("a", "1");
  const std::string apps = put("apps.yaml", text);
  IntentSpec spec = intent(apps, "a", "2");
  spec.settings["dry_run"] = "true";
  Batch batch;
  batch.add(spec);
  auto results = write(*argocd_writeback(), batch);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, IU_STATUS_OK);
  EXPECT_EQ(results[0].changes_applied, 0u);
  EXPECT_NE(results[0].message.find("dry run, 1 change(s) not written"), std::string::npos)
      << results[0].message;
  EXPECT_EQ(read(apps), text);
}

TEST_F(ArgocdFileMode, AFailingApplicationLeavesTheOthersOfItsFileToBeWritten) {
  const std::string broken =
      "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: bad}\n"
      "spec:\n  source:\n    helm:\n      parameters: {image.tag: '1'}\n";
  const std::string apps = put("apps.yaml", app_doc("a", "1") + "---\n" + broken);
  Batch batch;
  batch.add(intent(apps, "gone", "2")).add(intent(apps, "bad", "2")).add(intent(apps, "a", "2"));
  batch.add(intent((dir_ / "missing.yaml").string(), "m", "2"));
  auto results = write(*argocd_writeback(), batch);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].status, IU_STATUS_NOT_FOUND) << results[0].message;
  EXPECT_NE(results[0].message.find("no Application argocd/gone"), std::string::npos);
  EXPECT_EQ(results[1].status, IU_STATUS_INVALID_ARGUMENT) << results[1].message;
  EXPECT_NE(results[1].message.find(apps + ":23:"), std::string::npos) << results[1].message;
  EXPECT_EQ(results[2].status, IU_STATUS_OK) << results[2].message;
  EXPECT_EQ(results[3].status, IU_STATUS_NOT_FOUND) << results[3].message;
  EXPECT_NE(results[3].message.find("missing.yaml: cannot read"), std::string::npos);
  EXPECT_EQ(read(apps), app_doc("a", "2") + "---\n" + broken);
}

TEST_F(ArgocdFileMode, ConcurrentWritersOfOneFileLoseNoUpdate) {
  constexpr int kApps = 8;
  std::string text;
  for (int i = 0; i < kApps; ++i)
    text += (i ? "---\n" : "") + app_doc("app" + std::to_string(i), "1");
  const std::string apps = put("apps.yaml", text);
  auto wb = argocd_writeback();
  std::vector<std::thread> writers;
  std::vector<iu_status> status(kApps, IU_STATUS_INTERNAL);
  for (int i = 0; i < kApps; ++i) {
    writers.emplace_back([&, i] {
      Batch batch;
      batch.add(intent(apps, "app" + std::to_string(i), "v" + std::to_string(i)));
      status[i] = write(*wb, batch).at(0).status;
    });
  }
  for (auto& t : writers) t.join();
  for (int i = 0; i < kApps; ++i) {
    EXPECT_EQ(status[i], IU_STATUS_OK) << i;
    EXPECT_EQ(param(apps, "app" + std::to_string(i), "image.tag"), "v" + std::to_string(i));
  }
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1u) << "no temporary file is left behind";
}

TEST_F(ArgocdFileMode, WithoutApiOrFileTheWriteIsUnsupported) {
  IntentSpec spec = intent("", "a", "2");
  spec.settings.erase("application_file");
  Batch batch;
  batch.add(spec);
  auto results = write(*argocd_writeback(), batch);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, IU_STATUS_UNSUPPORTED);
  EXPECT_NE(results[0].message.find("application_file"), std::string::npos) << results[0].message;
}

}  // namespace
}  // namespace iu::test::wb
