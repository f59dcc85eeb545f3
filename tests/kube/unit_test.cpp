// Pure parts of the Kubernetes side: sharding hash, time stamps, the refresh annotation of the
// webhook hand-over, --watch-namespaces, kubeconfig loading, CR status patches, event bodies,
// and writeback-argocd's edits.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>

#include "app_edit.hpp"
#include "kube/cluster_config.hpp"
#include "kube/cr_status.hpp"
#include "kube/events.hpp"
#include "kube/kube_source.hpp"
#include "kube/refresh_annotation.hpp"
#include "kube/shard.hpp"
#include "kube/shard_status.hpp"
#include "kube/time_format.hpp"

namespace {

using namespace iu::kube;
using iu::argocdwb::apply_edits;
using iu::argocdwb::EditError;
using iu::argocdwb::ImageEdit;

rapidjson::Document parse(const std::string& s) {
  rapidjson::Document d;
  d.Parse(s.data(), s.size());
  EXPECT_FALSE(d.HasParseError()) << s;
  return d;
}

TEST(Shard, Fnv1a64KnownVectors) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

TEST(Shard, ShardOfIsStableAndCoversAllShards) {
  EXPECT_EQ(shard_of("argocd", "web", 1), 0);
  EXPECT_EQ(shard_of("argocd", "web", 3), static_cast<int>(fnv1a64("argocd/web") % 3));
  std::set<int> seen;
  for (int i = 0; i < 100; ++i) seen.insert(shard_of("ns", "app-" + std::to_string(i), 4));
  EXPECT_EQ(seen, (std::set<int>{0, 1, 2, 3}));
}

TEST(Shard, LeaseNamesAndOrdinals) {
  EXPECT_EQ(shard_lease_name("c21b75f2.argoproj.io", 0, 1), "c21b75f2.argoproj.io");
  EXPECT_EQ(shard_lease_name("id", 1, 2), "id-1");
  std::string err;
  EXPECT_EQ(ordinal_from_hostname("updater-2", 3, &err), 2);
  EXPECT_FALSE(ordinal_from_hostname("updater-3", 3, &err));
  EXPECT_NE(err.find("not below --shard-count 3"), std::string::npos);
  EXPECT_FALSE(ordinal_from_hostname("updater", 3, &err));
  EXPECT_NE(err.find("no trailing -<n>"), std::string::npos);
}

TEST(TimeFormat, RoundTrip) {
  auto t = std::chrono::system_clock::from_time_t(1700000000) + std::chrono::microseconds(123456);
  EXPECT_EQ(format_micro_time(t), "2023-11-14T22:13:20.123456Z");
  EXPECT_EQ(format_time(t), "2023-11-14T22:13:20Z");
  EXPECT_EQ(parse_micro_time("2023-11-14T22:13:20.123456Z"), t);
  EXPECT_EQ(parse_micro_time("2023-11-14T22:13:20Z"),
            std::chrono::system_clock::from_time_t(1700000000));
  EXPECT_FALSE(parse_micro_time("yesterday"));
  EXPECT_FALSE(parse_micro_time("2023-11-14T22:13:20+02:00"));
  // Beyond the clock's range (2262): read as 2200, never as an overflowed (past) time.
  EXPECT_GT(parse_micro_time("2999-01-01T00:00:00Z"), std::chrono::system_clock::now());
}

TEST(RefreshAnnotation, ParseAndFormatRoundTrip) {
  const std::string v =
      "registry.local:5000/team/web@2026-08-20T10:00:00.123456Z,"
      "docker.io/library/nginx@2026-08-20T10:00:03Z";
  RefreshValue r = parse_refresh(v);
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_TRUE(r.malformed.empty());
  EXPECT_EQ(r.entries[0],
            (RefreshEntry{"registry.local:5000", "team/web", "2026-08-20T10:00:00.123456Z"}));
  EXPECT_EQ(r.entries[0].image(), "registry.local:5000/team/web");
  EXPECT_EQ(r.entries[1], (RefreshEntry{"docker.io", "library/nginx", "2026-08-20T10:00:03Z"}));
  EXPECT_EQ(format_refresh(r.entries), v);
  EXPECT_EQ(format_refresh({}), "");
  EXPECT_TRUE(parse_refresh("").entries.empty());
  // Blanks around items and empty items are tolerated.
  r = parse_refresh(" ghcr.io/acme/api@2026-08-20T10:00:00Z , ,");
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].text(), "ghcr.io/acme/api@2026-08-20T10:00:00Z");
  EXPECT_TRUE(r.malformed.empty());
}

TEST(RefreshAnnotation, MalformedEntriesAreReportedAndDropped) {
  RefreshValue r = parse_refresh(
      "no-slash@2026-08-20T10:00:00Z,ghcr.io/acme/api@yesterday,ghcr.io/acme/api,"
      "/x@2026-08-20T10:00:00Z,ghcr.io/@2026-08-20T10:00:00Z,ghcr.io/a b@2026-08-20T10:00:00Z,"
      "ghcr.io/ok/img@2026-08-20T10:00:00Z");
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].image(), "ghcr.io/ok/img");
  EXPECT_EQ(r.malformed, (std::vector<std::string>{
                             "no-slash@2026-08-20T10:00:00Z", "ghcr.io/acme/api@yesterday",
                             "ghcr.io/acme/api", "/x@2026-08-20T10:00:00Z",
                             "ghcr.io/@2026-08-20T10:00:00Z", "ghcr.io/a b@2026-08-20T10:00:00Z"}));
  // Any rewrite drops them: nobody could process them.
  EXPECT_EQ(format_refresh(remaining_refresh(r, {})), "ghcr.io/ok/img@2026-08-20T10:00:00Z");
}

TEST(RefreshAnnotation, MergeAccumulatesOneEntryPerImageNewestTime) {
  const RefreshEntry web1{"reg:5000", "team/web", "2026-08-20T10:00:00Z"};
  const RefreshEntry api{"reg:5000", "team/api", "2026-08-20T10:00:01Z"};
  const RefreshEntry web2{"reg:5000", "team/web", "2026-08-20T10:00:02.5Z"};
  auto v = merge_refresh({}, web1);
  EXPECT_EQ(format_refresh(v), "reg:5000/team/web@2026-08-20T10:00:00Z");
  v = merge_refresh(v, api);  // another repository: kept beside
  EXPECT_EQ(format_refresh(v),
            "reg:5000/team/web@2026-08-20T10:00:00Z,reg:5000/team/api@2026-08-20T10:00:01Z");
  v = merge_refresh(v, web2);  // the same image again: renewed in place
  EXPECT_EQ(format_refresh(v),
            "reg:5000/team/web@2026-08-20T10:00:02.5Z,reg:5000/team/api@2026-08-20T10:00:01Z");
  EXPECT_EQ(merge_refresh(v, web1), v);  // an older time never replaces a newer one
}

TEST(RefreshAnnotation, MergeKeepsAtMostTheNewestEntries) {
  std::vector<RefreshEntry> v;
  for (size_t i = 0; i < kMaxRefreshEntries + 3; ++i) {
    char time[64];
    std::snprintf(time, sizeof time, "2026-08-20T10:%02zu:00Z", (i * 7) % 60);  // not in order
    v = merge_refresh(v, RefreshEntry{"reg", "r" + std::to_string(i), time});
  }
  ASSERT_EQ(v.size(), kMaxRefreshEntries);
  // The three oldest went (minutes 00, 02 and 03; the times were added out of order).
  for (const auto& e : v) EXPECT_GE(e.time, "2026-08-20T10:06:00Z") << e.text();
}

TEST(RefreshAnnotation, RemainingKeepsWhatWasNotChecked) {
  const RefreshValue now = parse_refresh(
      "reg/a@2026-08-20T10:00:00Z,reg/b@2026-08-20T10:00:05Z,reg/c@2026-08-20T10:00:01Z");
  // The owner checked a and b at their earlier times; b was renewed meanwhile: it stays.
  const std::vector<RefreshEntry> checked = {{"reg", "a", "2026-08-20T10:00:00Z"},
                                             {"reg", "b", "2026-08-20T10:00:02Z"}};
  EXPECT_EQ(format_refresh(remaining_refresh(now, checked)),
            "reg/b@2026-08-20T10:00:05Z,reg/c@2026-08-20T10:00:01Z");
  EXPECT_TRUE(remaining_refresh(now, now.entries).empty());
}

TEST(WatchNamespaces, Forms) {
  EXPECT_EQ(parse_watch_namespaces("", "argocd"), std::vector<std::string>{"argocd"});
  EXPECT_TRUE(parse_watch_namespaces("*", "argocd").empty());
  EXPECT_EQ(parse_watch_namespaces(" a, b ,,a", "argocd"), (std::vector<std::string>{"a", "b"}));
}

class Kubeconfig : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("iu-kubeconfig-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  std::filesystem::path dir_;
};

TEST_F(Kubeconfig, CurrentContextWithInlineDataAndRelativeFiles) {
  write("ca.pem", "-----CA-----\n");
  auto p = write("config", R"(apiVersion: v1
kind: Config
current-context: two
clusters:
- name: c1
  cluster: {server: "https://10.0.0.1:6443/"}
- name: c2
  cluster:
    server: https://127.0.0.1:1234
    certificate-authority: ca.pem
contexts:
- name: one
  context: {cluster: c1, user: u1}
- name: two
  context: {cluster: c2, user: u2, namespace: team}
users:
- name: u1
  user: {token: first}
- name: u2
  user:
    token: second
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZ
)");
  ClusterConfig c = load_kubeconfig(p);
  EXPECT_EQ(c.server, "https://127.0.0.1:1234");
  EXPECT_EQ(c.ca_pem, "-----CA-----\n");
  EXPECT_EQ(c.token, "second");
  EXPECT_EQ(c.client_cert_pem, "CERT");
  EXPECT_EQ(c.client_key_pem, "KEY");
  EXPECT_EQ(c.ns, "team");
  EXPECT_EQ(load_kubeconfig(p, "one").server, "https://10.0.0.1:6443");
}

TEST_F(Kubeconfig, ExecPluginIsDescribed) {
  auto p = write("config", R"(current-context: x
contexts: [{name: x, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/get-token
      args: [--cluster, prod]
      env: [{name: REGION, value: eu}]
)");
  ClusterConfig c = load_kubeconfig(p);
  ASSERT_TRUE(c.exec);
  EXPECT_EQ(c.exec->command, (dir_ / "bin/get-token").string());
  EXPECT_EQ(c.exec->args, (std::vector<std::string>{"--cluster", "prod"}));
  EXPECT_EQ(c.exec->env.at(0).second, "eu");
  EXPECT_EQ(c.exec->where, "kubeconfig " + p.string() + ": users[0].user.exec");
}

TEST_F(Kubeconfig, ProblemsNameTheField) {
  auto p = write("config", R"(current-context: x
contexts: [{name: x, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {exec: {apiVersion: v1}}}]
)");
  try {
    load_kubeconfig(p);
    FAIL() << "exec without a command accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("users[0].user.exec.command: not set"), std::string::npos)
        << e.what();
  }
  auto q = write("config2", "current-context: missing\ncontexts: []\n");
  EXPECT_THROW(load_kubeconfig(q), std::runtime_error);
  auto r = write("config3", R"(current-context: x
contexts: [{name: x, context: {cluster: c}}]
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", certificate-authority-data: "!!"}}]
)");
  try {
    load_kubeconfig(r);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "clusters[0].cluster.certificate-authority-data: invalid base64"),
              std::string::npos)
        << e.what();
  }
}

TEST(CrStatus, SucceededPatch) {
  UpdaterPassFacts f;
  f.generation = 3;
  f.applications_matched = 2;
  f.images_managed = 4;
  f.updates.push_back({"web", "registry/web", "1.0.0", "1.1.0", 2});
  auto now = std::chrono::system_clock::from_time_t(1700000000);
  auto d = parse(status_patch(f, "", now));
  const auto& s = d["status"];
  EXPECT_EQ(s["observedGeneration"].GetInt64(), 3);
  EXPECT_STREQ(s["lastCheckedAt"].GetString(), "2023-11-14T22:13:20Z");
  EXPECT_STREQ(s["lastUpdatedAt"].GetString(), "2023-11-14T22:13:20Z");
  EXPECT_EQ(s["applicationsMatched"].GetInt(), 2);
  EXPECT_EQ(s["imagesManaged"].GetInt(), 4);
  ASSERT_EQ(s["recentUpdates"].Size(), 1u);
  EXPECT_STREQ(s["recentUpdates"][0]["message"].GetString(), "Updated from 1.0.0 to 1.1.0.");
  EXPECT_EQ(s["recentUpdates"][0]["applicationsUpdated"].GetInt(), 2);
  ASSERT_EQ(s["conditions"].Size(), 3u);
  EXPECT_STREQ(s["conditions"][0]["reason"].GetString(), "ReconcileSucceeded");
  EXPECT_STREQ(s["conditions"][1]["reason"].GetString(), "Idle");
  EXPECT_STREQ(s["conditions"][2]["status"].GetString(), "False");
  EXPECT_STREQ(s["conditions"][2]["reason"].GetString(), "NoErrors");
}

TEST(CrStatus, ErrorsAndTransitionTimes) {
  UpdaterPassFacts f;
  for (int i = 0; i < 7; ++i) f.errors.push_back("e" + std::to_string(i));
  const std::string previous =
      R"({"conditions":[{"type":"Ready","status":"True","reason":"ReconcileSucceeded","lastTransitionTime":"2020-01-01T00:00:00Z"},
                        {"type":"Error","status":"False","reason":"NoErrors","lastTransitionTime":"2020-01-01T00:00:00Z"}]})";
  auto d = parse(status_patch(f, previous, std::chrono::system_clock::from_time_t(1700000000)));
  const auto& c = d["status"]["conditions"];
  EXPECT_STREQ(c[0]["reason"].GetString(), "ReconcileCompletedWithErrors");
  EXPECT_STREQ(c[0]["lastTransitionTime"].GetString(), "2020-01-01T00:00:00Z");  // still True
  EXPECT_STREQ(c[2]["reason"].GetString(), "PartialErrors");
  EXPECT_STREQ(c[2]["lastTransitionTime"].GetString(), "2023-11-14T22:13:20Z");  // False -> True
  EXPECT_STREQ(c[2]["message"].GetString(), "e0; e1; e2; e3; e4 (+2 more)");
  EXPECT_FALSE(d["status"].HasMember("lastUpdatedAt"));
  EXPECT_EQ(d["status"]["recentUpdates"].Size(), 0u);

  f.cr_failed = true;
  auto g = parse(status_patch(f, "", std::chrono::system_clock::now()));
  EXPECT_STREQ(g["status"]["conditions"][0]["status"].GetString(), "False");
  EXPECT_STREQ(g["status"]["conditions"][0]["reason"].GetString(), "ReconcileFailed");
  EXPECT_STREQ(g["status"]["conditions"][2]["reason"].GetString(), "ReconcileError");
}

TEST(CrStatus, ReconcilingKeepsOtherConditions) {
  const std::string previous =
      R"({"conditions":[{"type":"Ready","status":"True","reason":"ReconcileSucceeded","message":"m","lastTransitionTime":"2020-01-01T00:00:00Z"},
                        {"type":"Reconciling","status":"False","reason":"Idle","lastTransitionTime":"2020-01-01T00:00:00Z"}]})";
  auto d = parse(reconciling_patch(previous, std::chrono::system_clock::from_time_t(1700000000)));
  const auto& c = d["status"]["conditions"];
  ASSERT_EQ(c.Size(), 2u);
  EXPECT_STREQ(c[0]["reason"].GetString(), "ReconcileSucceeded");
  EXPECT_STREQ(c[1]["status"].GetString(), "True");
  EXPECT_STREQ(c[1]["lastTransitionTime"].GetString(), "2023-11-14T22:13:20Z");
  auto e = parse(reconciling_patch("", std::chrono::system_clock::now()));
  EXPECT_EQ(e["status"]["conditions"].Size(), 1u);
}

TEST(ShardStatus, SummariesCombineAndStaleOnesAreIgnored) {
  const auto now = std::chrono::system_clock::from_time_t(1700000000);
  UpdaterPassFacts s0;
  s0.errors = {"Application argocd/a: boom"};
  s0.updates.push_back({"web", "reg/web", "1.0", "1.1", 2});
  UpdaterPassFacts s1;
  s1.updates.push_back({"web", "reg/web", "1.0", "1.1", 3});
  UpdaterPassFacts old;
  old.cr_failed = true;
  auto annotations = [&](const std::string& a0, const std::string& a1, const std::string& a2) {
    rapidjson::Document d(rapidjson::kObjectType);
    auto& al = d.GetAllocator();
    rapidjson::Value ann(rapidjson::kObjectType);
    ann.AddMember("argocd-image-updater.argoproj.io/shard-status.0",
                  rapidjson::Value(a0.c_str(), al), al);
    ann.AddMember("argocd-image-updater.argoproj.io/shard-status.1",
                  rapidjson::Value(a1.c_str(), al), al);
    ann.AddMember("argocd-image-updater.argoproj.io/shard-status.2",
                  rapidjson::Value(a2.c_str(), al), al);
    ann.AddMember("other", "x", al);
    rapidjson::Value meta(rapidjson::kObjectType);
    meta.AddMember("annotations", ann, al);
    d.AddMember("metadata", meta, al);
    rapidjson::StringBuffer b;
    rapidjson::Writer<rapidjson::StringBuffer> w(b);
    d.Accept(w);
    return std::string(b.GetString());
  };
  const std::string cr =
      annotations(shard_summary(s0, now), shard_summary(s1, now - std::chrono::seconds(30)),
                  shard_summary(old, now - std::chrono::hours(1)));
  UpdaterPassFacts base;
  base.generation = 4;
  base.applications_matched = 16;
  UpdaterPassFacts f = combine_shards(cr, base, std::chrono::minutes(6), now);
  EXPECT_EQ(f.generation, 4);
  EXPECT_EQ(f.applications_matched, 16);
  EXPECT_FALSE(f.cr_failed);  // shard 2's summary is older than the limit
  EXPECT_EQ(f.errors, std::vector<std::string>{"Application argocd/a: boom"});
  ASSERT_EQ(f.updates.size(), 1u);
  EXPECT_EQ(f.updates[0].applications_updated, 5);
  EXPECT_TRUE(combine_shards(cr, base, std::chrono::milliseconds(0), now).cr_failed);  // any age
  auto patch = parse(shard_annotation_patch(1, "{}"));
  EXPECT_STREQ(patch["metadata"]["annotations"]["argocd-image-updater.argoproj.io/shard-status.1"]
                   .GetString(),
               "{}");
}

TEST(Events, ImagesUpdatedBody) {
  EventObject app{"argoproj.io/v1alpha1", "Application", "argocd", "web", "uid-1"};
  auto d =
      parse(event_body(app, "Normal", "ImagesUpdated", "Successfully updated application 'web'",
                       {{"reg/web:1.1", "reg/web", "1.0", "1.1"}},
                       std::chrono::system_clock::from_time_t(1700000000), "me"));
  EXPECT_STREQ(d["involvedObject"]["uid"].GetString(), "uid-1");
  EXPECT_STREQ(d["metadata"]["namespace"].GetString(), "argocd");
  EXPECT_EQ(std::string(d["metadata"]["name"].GetString()).rfind("web.", 0), 0u);
  const auto& a = d["metadata"]["annotations"];
  EXPECT_STREQ(a["argocd-image-updater.image-0/full-image-name"].GetString(), "reg/web:1.1");
  EXPECT_STREQ(a["argocd-image-updater.image-0/old-tag"].GetString(), "1.0");
  EXPECT_STREQ(a["argocd-image-updater.image-0/new-tag"].GetString(), "1.1");
  EXPECT_STREQ(d["reason"].GetString(), "ImagesUpdated");
}

// ---- writeback-argocd edits -------------------------------------------------------------

const char* kHelmApp = R"({"metadata":{"name":"web","resourceVersion":"7"},
  "spec":{"source":{"repoURL":"r","helm":{"parameters":[{"name":"other","value":"x"},
                                                          {"name":"image.tag","value":"1.0"}]}}}})";

TEST(AppEdit, HelmReplacesInPlaceAndAppends) {
  ImageEdit e{"web", "reg/web", "1.1", "", {}};
  auto out = apply_edits(kHelmApp, "spec.source", "Helm", {e});
  EXPECT_EQ(out.changed, 1u);
  auto d = parse(out.object);
  const auto& p = d["spec"]["source"]["helm"]["parameters"];
  ASSERT_EQ(p.Size(), 3u);
  EXPECT_STREQ(p[1]["name"].GetString(), "image.tag");
  EXPECT_STREQ(p[1]["value"].GetString(), "1.1");
  EXPECT_TRUE(p[1]["forceString"].GetBool());
  EXPECT_STREQ(p[2]["name"].GetString(), "image.name");
  EXPECT_STREQ(p[2]["value"].GetString(), "reg/web");
  EXPECT_STREQ(d["metadata"]["resourceVersion"].GetString(), "7");
  // Re-applying to the result changes nothing (no double apply).
  auto again = apply_edits(out.object, "spec.source", "Helm", {e});
  EXPECT_EQ(again.changed, 0u);
  EXPECT_EQ(again.object, out.object);
}

TEST(AppEdit, HelmSpecAndDigest) {
  ImageEdit e{"web", "reg/web", "1.1", "sha256:abc", {{"helm.spec", "web.image"}}};
  auto d = parse(apply_edits(kHelmApp, "spec.source", "Helm", {e}).object);
  const auto& p = d["spec"]["source"]["helm"]["parameters"];
  EXPECT_STREQ(p[2]["name"].GetString(), "web.image");
  EXPECT_STREQ(p[2]["value"].GetString(), "reg/web:1.1@sha256:abc");
}

TEST(AppEdit, KustomizeKeyedByOriginalName) {
  const char* app = R"({"spec":{"sources":[{"repoURL":"a"},
      {"repoURL":"b","kustomize":{"images":["nginx=reg/nginx:1.0","reg/cache:2"]}}]}})";
  ImageEdit named{"n", "reg/nginx", "1.2", "", {{"kustomize.name", "nginx"}}};
  ImageEdit plain{"c", "reg/cache", "3", "", {}};
  auto out = apply_edits(app, "spec.sources[1]", "Kustomize", {named, plain});
  EXPECT_EQ(out.changed, 2u);
  auto d = parse(out.object);
  const auto& imgs = d["spec"]["sources"][1]["kustomize"]["images"];
  ASSERT_EQ(imgs.Size(), 2u);
  EXPECT_STREQ(imgs[0].GetString(), "nginx=reg/nginx:1.2");
  EXPECT_STREQ(imgs[1].GetString(), "reg/cache:3");
  EXPECT_FALSE(d["spec"]["sources"][0].HasMember("kustomize"));
}

TEST(AppEdit, KustomizeRegistryPortIsNotATag) {
  const char* app = R"({"spec":{"source":{"kustomize":{"images":["127.0.0.1:5000/web:1.0"]}}}})";
  ImageEdit e{"w", "127.0.0.1:5000/web", "1.1", "", {}};
  auto d = parse(apply_edits(app, "spec.source", "Kustomize", {e}).object);
  ASSERT_EQ(d["spec"]["source"]["kustomize"]["images"].Size(), 1u);
  EXPECT_STREQ(d["spec"]["source"]["kustomize"]["images"][0].GetString(), "127.0.0.1:5000/web:1.1");
}

TEST(AppEdit, PluginEnv) {
  const char* app =
      R"({"spec":{"source":{"plugin":{"name":"p","env":[{"name":"TAG","value":"1"}]}}}})";
  ImageEdit e{"w", "reg/web", "2", "", {{"plugin.name", "IMG"}, {"plugin.tag", "TAG"}}};
  auto d = parse(apply_edits(app, "spec.source", "Plugin", {e}).object);
  const auto& env = d["spec"]["source"]["plugin"]["env"];
  ASSERT_EQ(env.Size(), 2u);
  EXPECT_STREQ(env[0]["value"].GetString(), "2");
  EXPECT_FALSE(env[0].HasMember("forceString"));
  EXPECT_STREQ(env[1]["name"].GetString(), "IMG");
  ImageEdit bad{"w", "reg/web", "2", "", {}};
  EXPECT_THROW(apply_edits(app, "spec.source", "Plugin", {bad}), EditError);
}

TEST(AppEdit, ErrorsNameTheField) {
  try {
    apply_edits(R"({"spec":{"sources":[{}]}})", "spec.sources[3]", "Helm", {ImageEdit{}});
    FAIL();
  } catch (const EditError& e) {
    EXPECT_STREQ(e.what(), "spec.sources[3]: missing");
  }
  try {
    apply_edits(R"({"spec":{"source":{"helm":{"parameters":{}}}}})", "spec.source", "Helm",
                {ImageEdit{}});
    FAIL();
  } catch (const EditError& e) {
    EXPECT_STREQ(e.what(), "spec.source.helm.parameters: expected a list");
  }
  EXPECT_THROW(apply_edits(R"({"spec":{"source":{}}})", "spec.source", "Directory", {ImageEdit{}}),
               EditError);
}

}  // namespace
