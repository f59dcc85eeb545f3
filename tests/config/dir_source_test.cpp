// The `dir` source over a testdata tree (SPEC §4.3): recursion, hidden directories, symlinks,
// multi-document files, duplicates, broken files, Secrets, and re-reading.
#include "config/dir_source.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>

#include "config_test_support.hpp"

namespace iu::config {
namespace {

namespace fs = std::filesystem;
using testing::texts;

// A private copy of testdata/tree plus symlinks (which git and the copy would not keep), and a
// directory outside the tree that the links point to.
class DirSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("iu-config-dir-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "tree";
    fs::create_directories(base_ / "outside");
    fs::copy(testing::testdata("tree"), root_, fs::copy_options::recursive);
    write(base_ / "outside" / "linked.yaml",
          "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: linked}\n");
    fs::create_symlink(base_ / "outside" / "linked.yaml", root_ / "apps" / "linked.yaml");
    fs::create_directory_symlink(base_ / "outside", root_ / "linked-dir");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(base_, ec);
  }
  static void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  std::string at(const std::string& rel) const { return (root_ / rel).generic_string(); }

  std::vector<std::string> app_names(const Snapshot& s) const {
    std::vector<std::string> out;
    for (const Application& a : s.applications) out.push_back(a.ref.ns + "/" + a.ref.name);
    return out;
  }

  fs::path base_;
  fs::path root_;
};

TEST_F(DirSourceTest, LoadsTheTreeAndReportsEveryProblemOnce) {
  const Snapshot s = DirSource(root_).load();
  // web is defined twice: both definitions are out. ghost is hidden, linked is behind symlinks,
  // broken does not parse, notes.txt is not YAML, the ConfigMap is not ours.
  EXPECT_EQ(app_names(s), (std::vector<std::string>{"argocd/worker", "team-a/api"}));
  ASSERT_EQ(s.updaters.size(), 1u);
  EXPECT_EQ(s.updaters[0].ref.display(), "ImageUpdater argocd/shop");
  EXPECT_EQ(s.updaters[0].ref.location(), at("updaters/shop.yaml") + ":1:1");
  ASSERT_EQ(s.secrets.size(), 1u);

  const std::vector<std::string> issues = texts(s.issues);
  ASSERT_EQ(issues.size(), 3u) << ::testing::PrintToString(issues);
  // yaml-cpp notices the unclosed flow sequence at the end of the input.
  EXPECT_EQ(issues[0], at("apps/nested/broken.yaml") + ":6:1: end of sequence flow not found");
  EXPECT_EQ(issues[1], "Secret argocd/bad-data: data[\"token\"]: invalid base64");
  EXPECT_EQ(issues[2], "Application argocd/web: defined more than once (" + at("apps/web.yaml") +
                           ":2:1, " + at("updaters/duplicates.yaml") +
                           ":2:1); every definition is ignored");
  for (const ConfigIssue& issue : s.issues) EXPECT_EQ(issue.scope, Scope::kSource);
}

TEST_F(DirSourceTest, ApplicationsKeepTheirSourcesAndStatus) {
  const Snapshot s = DirSource(root_, "apps-ns").load();
  // The default namespace applies to documents without one.
  // (And the second `web`, with its explicit namespace, is no longer a duplicate.)
  EXPECT_EQ(app_names(s), (std::vector<std::string>{"apps-ns/web", "apps-ns/worker", "argocd/web",
                                                    "team-a/api"}));
  const Application* api = s.find_application("team-a", "api");
  ASSERT_NE(api, nullptr);
  EXPECT_TRUE(api->multi_source);
  ASSERT_EQ(api->sources.size(), 2u);
  EXPECT_EQ(api->sources[0].chart, "api");
  EXPECT_EQ(api->sources[0].target_revision, "2.0.0");
  EXPECT_EQ(api->sources[1].field, "spec.sources[1]");
  EXPECT_TRUE(api->sources[1].has_kustomize);
  EXPECT_EQ(api->sources[1].kustomize_images, std::vector<std::string>{"ghcr.io/acme/api:2.4.6"});
  EXPECT_EQ(api->source_types, (std::vector<std::string>{"Helm", "Kustomize"}));
  EXPECT_EQ(api->project, "default");
  EXPECT_EQ(api->document_index, 1u);
  EXPECT_NE(api->document, nullptr);

  const Application* web = s.find_application("apps-ns", "web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->project, "shop");
  EXPECT_EQ(web->labels.at("tier"), "frontend");
  ASSERT_EQ(web->sources.size(), 1u);
  EXPECT_FALSE(web->multi_source);
  EXPECT_EQ(web->sources[0].field, "spec.source");
  ASSERT_EQ(web->sources[0].helm_parameters.size(), 1u);
  EXPECT_EQ(web->sources[0].helm_parameters[0].value, "1.4.0");
  EXPECT_TRUE(web->sources[0].helm_parameters[0].force_string);
  EXPECT_EQ(web->source_types, std::vector<std::string>{"Helm"});
  EXPECT_EQ(web->live_images, std::vector<std::string>{"registry.local:5000/team/web:1.4.0"});

  const Application* worker = s.find_application("apps-ns", "worker");
  ASSERT_NE(worker, nullptr);
  ASSERT_TRUE(worker->dry_source);
  EXPECT_EQ(worker->dry_source->repo_url, "https://git.example.com/dry.git");
  EXPECT_EQ(worker->dry_source->target_revision, "HEAD");
  ASSERT_EQ(worker->sources.at(0).plugin_env.size(), 1u);
  EXPECT_EQ(worker->sources[0].plugin_env[0].name, "IMAGE");
  EXPECT_TRUE(worker->valid());
}

TEST_F(DirSourceTest, SecretsAreDecoded) {
  const Snapshot s = DirSource(root_).load();
  const Secret* secret = s.find_secret("argocd", "git-creds");
  ASSERT_NE(secret, nullptr);
  EXPECT_EQ(secret->type, "Opaque");
  EXPECT_EQ(secret->data.at("username"), "git-user");
  EXPECT_EQ(secret->data.at("password"), "overridden");  // stringData wins over data
  EXPECT_EQ(s.find_secret("argocd", "bad-data"), nullptr);
  // No issue quotes secret material.
  for (const ConfigIssue& issue : s.issues) {
    EXPECT_EQ(issue.what().find("not base64!"), std::string::npos);
    EXPECT_EQ(issue.what().find("czNjcjN0"), std::string::npos);
  }
}

TEST(SecretDocuments, DataMustBePaddedBase64) {
  const auto secret = [](const std::string& value, std::vector<ConfigIssue>* issues) {
    const auto doc = YAML::Load("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: \"" +
                                value + "\"}\n");
    return parse_secret(doc, ParseOptions{}, issues);
  };
  std::vector<ConfigIssue> issues;
  auto ok = secret("YWI=", &issues);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->data.at("k"), "ab");
  EXPECT_EQ(secret("", &issues)->data.at("k"), "");
  EXPECT_FALSE(secret("YWI", &issues));   // unpadded
  EXPECT_FALSE(secret("YW*=", &issues));  // not in the alphabet
  EXPECT_EQ(texts(issues),
            (std::vector<std::string>{"Secret argocd/s: data[\"k\"]: invalid base64",
                                      "Secret argocd/s: data[\"k\"]: invalid base64"}));
}

TEST_F(DirSourceTest, EveryLoadRereadsTheTree) {
  const DirSource source(root_);
  ASSERT_EQ(source.load().find_application("argocd", "fresh"), nullptr);
  fs::remove(root_ / "updaters" / "duplicates.yaml");
  write(root_ / "apps" / "fresh.yml",
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: fresh}\n");
  const Snapshot s = source.load();
  EXPECT_NE(s.find_application("argocd", "fresh"), nullptr);
  EXPECT_NE(s.find_application("argocd", "web"), nullptr);  // no longer a duplicate
  EXPECT_EQ(s.issues.size(), 2u);
}

TEST_F(DirSourceTest, ResolvesLikeTheCrdSource) {
  fs::remove(root_ / "updaters" / "duplicates.yaml");
  const Snapshot s = DirSource(root_).load();
  MatchOptions options;
  options.source = SourceKind::kDir;
  std::vector<ConfigIssue> issues;
  const auto apps = resolve(s, options, &issues);
  EXPECT_TRUE(issues.empty()) << ::testing::PrintToString(texts(issues));
  std::vector<std::string> names;
  for (const ManagedApplication& m : apps) names.push_back(m.app->ref.name);
  EXPECT_EQ(names, (std::vector<std::string>{"web", "worker"}));  // namePattern "w*"
  EXPECT_EQ(apps[0].images.at(0).ref.version, "^1.4");
}

TEST_F(DirSourceTest, UnknownImageUpdaterFieldsAreErrors) {
  write(root_ / "updaters" / "typo.yaml",
        "apiVersion: argocd-image-updater.argoproj.io/v1alpha1\nkind: ImageUpdater\n"
        "metadata: {name: typo}\nspec:\n  applicationRef: []\n");
  const Snapshot s = DirSource(root_).load();
  const ImageUpdater& typo = testing::updater(s, "typo");
  EXPECT_EQ(texts(typo.errors), (std::vector<std::string>{
                                    "ImageUpdater argocd/typo: spec.applicationRef: unknown field",
                                    "ImageUpdater argocd/typo: spec.applicationRefs: required "
                                    "(at least one applicationRef)"}));
}

// 2,000 Applications in 20 files and 40 ImageUpdaters: every application is resolved once, by
// the right ref, in well under the bound (the time is printed for the record).
TEST_F(DirSourceTest, ScalesToThousandsOfApplications) {
  const fs::path big = base_ / "big";
  fs::create_directories(big / "apps");
  for (int f = 0; f < 20; ++f) {
    std::string text;
    for (int a = 0; a < 100; ++a)
      text += "---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app-" +
              std::to_string(f) + "-" + std::to_string(a) + "\n  labels: {tier: t" +
              std::to_string(a % 4) + "}\nspec:\n  source: {repoURL: https://git.example.com/" +
              std::to_string(f) + ".git, path: a" + std::to_string(a) + "}\n";
    write(big / "apps" / ("apps-" + std::to_string(f) + ".yaml"), text);
  }
  std::string updaters;
  for (int u = 0; u < 40; ++u)
    updaters +=
        "---\napiVersion: argocd-image-updater.argoproj.io/v1alpha1\nkind: ImageUpdater\n"
        "metadata: {name: u" +
        std::to_string(100 + u) +
        "}\nspec:\n  applicationRefs:\n"
        "    - namePattern: app-" +
        std::to_string(u % 20) +
        "-*\n"
        "      labelSelectors: {matchLabels: {tier: t" +
        std::to_string(u % 4) +
        "}}\n"
        "      images: [{alias: web, imageName: \"nginx:~1.27\"}]\n"
        "    - namePattern: app-" +
        std::to_string(u % 20) +
        "-?*\n"
        "      images: [{alias: api, imageName: ghcr.io/acme/api}]\n";
  write(big / "updaters.yaml", updaters);

  const auto start = std::chrono::steady_clock::now();
  const Snapshot s = DirSource(big).load();
  const auto loaded = std::chrono::steady_clock::now();
  std::vector<ConfigIssue> issues;
  const auto apps = resolve(s, MatchOptions{}, &issues);
  const auto resolved = std::chrono::steady_clock::now();
  const auto ms = [](auto d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  };
  std::cout << "[ timing   ] load " << ms(loaded - start) << " ms, resolve "
            << ms(resolved - loaded) << " ms for " << s.applications.size() << " applications\n";

  EXPECT_TRUE(s.issues.empty());
  ASSERT_EQ(s.applications.size(), 2000u);
  ASSERT_EQ(apps.size(), 2000u);
  // u1xx and u1(xx+20) both match app-<f>-*; the smaller name owns each application.
  std::size_t by_labels = 0;
  for (const ManagedApplication& m : apps) {
    EXPECT_LT(m.updater.name, "u120");
    if (m.images.at(0).alias == "web") ++by_labels;
  }
  EXPECT_EQ(by_labels, 500u);  // the ref with labels wins where tier matches (1 in 4)
  EXPECT_EQ(texts(issues, Severity::kWarning).size(), 2000u);
  EXPECT_LT(resolved - start, std::chrono::seconds(30));
}

TEST_F(DirSourceTest, TheRootMustBeADirectory) {
  const auto error = [](const fs::path& root) -> std::string {
    try {
      DirSource(root).load();
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error(base_ / "missing"), "--dir " + (base_ / "missing").generic_string() +
                                          ": cannot read: No such file or "
                                          "directory");
  EXPECT_EQ(error(root_ / "apps" / "web.yaml"),
            "--dir " + at("apps/web.yaml") + ": not a directory");
}

}  // namespace
}  // namespace iu::config
