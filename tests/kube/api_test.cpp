// The Kubernetes client, the crd/annotations snapshot, Secrets and leader election against
// kube_fake.py (TLS, bearer token), read back with the real kubectl where it matters.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include "config/resolve.hpp"
#include "credentials/resolver.hpp"
#include "kube/client.hpp"
#include "kube/kube_side.hpp"
#include "kube/kube_source.hpp"
#include "kube/leader_election.hpp"
#include "kube/secret_source.hpp"
#include "kube/shard.hpp"
#include "kube_fake_server.hpp"
#include "metrics/registry.hpp"

namespace {

using namespace iu::kube;
using iu::test::KubeFake;

const char* kState = R"(
apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: argocd}
stringData: {creds: "robot:pa55"}
---
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {name: shop, namespace: argocd}
spec:
  applicationRefs:
  - namePattern: "app-*"
    images:
    - alias: web
      imageName: "127.0.0.1:5000/org/web:1.x"
---
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {name: broken, namespace: argocd}
spec:
  applicationRefs:
  - namePattern: "x-["
    images:
    - alias: web
      imageName: "127.0.0.1:5000/org/web"
)";

std::string app(const std::string& ns, const std::string& name, const std::string& tier,
                bool legacy = false) {
  std::string s =
      "---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: " + name +
      "\n  namespace: " + ns + "\n  labels: {tier: " + tier + "}\n";
  if (legacy)
    s += "  annotations:\n    argocd-image-updater.argoproj.io/image-list: "
         "\"web=127.0.0.1:5000/org/web\"\n";
  s += "spec:\n  project: default\n  source: {repoURL: 'https://git.example/x', path: ., helm: "
       "{parameters: []}}\n"
       "  destination: {server: 'https://kubernetes.default.svc', namespace: " +
       ns +
       "}\n"
       "status:\n  sourceType: Helm\n  summary: {images: ['127.0.0.1:5000/org/web:1.0.0']}\n";
  return s;
}

class KubeApi : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string state = kState;
    for (int i = 0; i < 7; ++i)
      state += app("argocd", "app-" + std::to_string(i), i % 2 ? "backend" : "frontend", i == 3);
    state += app("team", "app-team", "backend", true);
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("iu-kube-api-" + std::to_string(getpid())));
    fake_ = new KubeFake(*dir_, state, {"--seed", "7"});
  }
  static void TearDownTestSuite() {
    delete fake_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  void TearDown() override {
    fake_->test_endpoint("/__faults", R"({"conflict_rate":0,"error_rate":0,"throttle_rate":0})");
  }

  static Client client(ClientOptions o = {}) {
    return Client(load_kubeconfig(fake_->kubeconfig()), o);
  }
  static inline KubeFake* fake_ = nullptr;
  static inline std::filesystem::path* dir_ = nullptr;
};

const std::string kApps = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications";

TEST_F(KubeApi, ListFollowsPagesAndSelectors) {
  Client c = client();
  ListOptions o;
  o.page_size = 2;
  EXPECT_EQ(c.list(kApps, o).size(), 7u);
  o.label_selector = "tier=backend";
  EXPECT_EQ(c.list(kApps, o).size(), 3u);
  o.label_selector = "tier in (backend,frontend),tier!=frontend";
  EXPECT_EQ(c.list(kApps, o).size(), 3u);
  EXPECT_EQ(c.list(resource_path("argoproj.io/v1alpha1", "applications")).size(), 8u);
}

TEST_F(KubeApi, StaleUpdateIsAConflictAndModifyRetries) {
  Client c = client();
  const std::string path = kApps + "/app-0";
  std::string body = c.get(path);
  c.merge_patch(path, R"({"metadata":{"annotations":{"touched":"1"}}})");
  try {
    c.update(path, body);  // the resourceVersion read before the patch
    FAIL() << "stale update accepted";
  } catch (const ApiError& e) {
    EXPECT_TRUE(e.conflict()) << e.what();
  }
  // Every update meets a concurrent writer half of the time: modify() re-reads and re-applies.
  fake_->test_endpoint("/__faults", R"({"conflict_rate":0.5})");
  ClientOptions o;
  o.conflict_attempts = 20;
  Client patient = client(o);
  for (int i = 0; i < 5; ++i) {
    patient.modify(path, [&](const std::string& current) -> std::optional<std::string> {
      rapidjson::Document d;
      d.Parse(current.c_str());
      auto& labels = d["metadata"]["labels"];
      std::string want = "v" + std::to_string(i);
      if (labels.HasMember("round") && labels["round"].GetString() == want) return std::nullopt;
      if (labels.HasMember("round")) labels.RemoveMember("round");
      labels.AddMember("round", rapidjson::Value(want.c_str(), d.GetAllocator()), d.GetAllocator());
      rapidjson::StringBuffer b;
      rapidjson::Writer<rapidjson::StringBuffer> w(b);
      d.Accept(w);
      return std::string(b.GetString(), b.GetSize());
    });
  }
  fake_->test_endpoint("/__faults", R"({"conflict_rate":0})");
  EXPECT_EQ(fake_->kubectl({"get", "application", "app-0", "-n", "argocd", "-o",
                            "jsonpath={.metadata.labels.round}"}),
            "v4");
}

TEST_F(KubeApi, TransientErrorsAreRetried) {
  fake_->test_endpoint("/__faults", R"({"error_rate":0.4,"throttle_rate":0.1})");
  ClientOptions o;
  o.max_attempts = 12;
  Client c = client(o);
  for (int i = 0; i < 10; ++i) EXPECT_NO_THROW(c.get(kApps + "/app-1"));
}

TEST_F(KubeApi, ErrorsCarryStatusAndReason) {
  Client c = client();
  EXPECT_FALSE(c.get_if_exists(kApps + "/nope"));
  try {
    c.get(kApps + "/nope");
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_EQ(e.reason(), "NotFound");
    EXPECT_NE(std::string(e.what()).find("GET " + kApps + "/nope: HTTP 404 NotFound"),
              std::string::npos)
        << e.what();
  }
  ClusterConfig bad = load_kubeconfig(fake_->kubeconfig());
  bad.token = "wrong";
  try {
    Client(bad).get(kApps);
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 401);
    EXPECT_EQ(std::string(e.what()).find("wrong"), std::string::npos);  // never the token
  }
}

TEST_F(KubeApi, ClientCertificateAuthenticates) {
  ClusterConfig cc = load_kubeconfig(fake_->kubeconfig());
  cc.token.clear();
  auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  cc.client_cert_pem = read(*dir_ / "tls" / "client.crt");
  cc.client_key_pem = read(*dir_ / "tls" / "client.key");
  EXPECT_EQ(Client(cc).list(kApps).size(), 7u);
}

TEST_F(KubeApi, ExecCredentialPlugin) {
  const auto script = *dir_ / "exec-plugin.sh";
  const auto count = *dir_ / "exec-count";
  {
    std::ofstream out(script);
    // Counts its runs; the token comes from the environment the kubeconfig sets.
    out << "#!/bin/sh\necho run >> " << count.string() << "\n"
        << "case \"$KUBERNETES_EXEC_INFO\" in *ExecCredential*) ;; *) exit 3;; esac\n"
        << "printf "
           "'{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
           "\"status\":{\"token\":\"%s\",\"expirationTimestamp\":\"2999-01-01T00:00:00Z\"}}' "
           "\"$TOKEN\"\n";
  }
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  ClusterConfig cc = load_kubeconfig(fake_->kubeconfig());
  cc.token.clear();
  cc.exec = ExecConfig{"client.authentication.k8s.io/v1",
                       script.string(),
                       {},
                       {{"TOKEN", "s3cret"}},
                       "users[0].user.exec"};
  Client c(cc);
  EXPECT_EQ(c.list(kApps).size(), 7u);
  EXPECT_EQ(c.list(kApps).size(), 7u);
  std::ifstream runs(count);
  EXPECT_EQ(std::count(std::istreambuf_iterator<char>(runs), {}, '\n'), 1);  // cached until expiry

  // A plugin that fails: the error names the field and quotes its stderr, not its stdout.
  cc.exec = ExecConfig{"v1",
                       "/bin/sh",
                       {"-c", "echo secret-out; echo broken-here >&2; exit 4"},
                       {},
                       "users[0].user.exec"};
  try {
    Client(cc).get(kApps);
    FAIL();
  } catch (const ApiError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("users[0].user.exec"), std::string::npos) << what;
    EXPECT_NE(what.find("exit 4"), std::string::npos) << what;
    EXPECT_NE(what.find("broken-here"), std::string::npos) << what;
    EXPECT_EQ(what.find("secret-out"), std::string::npos) << what;
  }
}

TEST_F(KubeApi, InClusterServiceAccount) {
  // The files kube_fake writes are what a pod gets in
  // /var/run/secrets/kubernetes.io/serviceaccount.
  const auto sa = *dir_ / "sa";
  std::filesystem::create_directories(sa);
  ClusterConfig from_file = load_kubeconfig(fake_->kubeconfig());
  std::ofstream(sa / "token") << "s3cret\n";
  std::ofstream(sa / "ca.crt") << from_file.ca_pem;
  std::ofstream(sa / "namespace") << "argocd\n";
  const std::string port = from_file.server.substr(from_file.server.rfind(':') + 1);
  ::setenv("KUBERNETES_SERVICE_HOST", "127.0.0.1", 1);
  ::setenv("KUBERNETES_SERVICE_PORT", port.c_str(), 1);
  ClusterConfig cc = in_cluster_config(sa);
  ::unsetenv("KUBERNETES_SERVICE_HOST");
  ::unsetenv("KUBERNETES_SERVICE_PORT");
  EXPECT_EQ(cc.ns, "argocd");
  EXPECT_EQ(cc.token_file, (sa / "token").string());
  EXPECT_EQ(Client(cc).list(kApps).size(), 7u);
  EXPECT_THROW(in_cluster_config(sa), std::runtime_error);  // not in a cluster any more
}

TEST_F(KubeApi, CrdSnapshot) {
  Client c = client();
  SourceOptions o;
  o.kind = iu::config::SourceKind::kCrd;
  o.namespaces = {"argocd"};
  KubeSnapshot ks = load_snapshot(c, o);
  ASSERT_EQ(ks.snapshot.updaters.size(), 2u);
  EXPECT_EQ(ks.snapshot.updaters[0].ref.name, "broken");
  EXPECT_FALSE(ks.snapshot.updaters[0].valid());
  EXPECT_TRUE(ks.snapshot.updaters[1].valid());
  ASSERT_EQ(ks.snapshot.applications.size(), 7u);
  EXPECT_EQ(ks.snapshot.applications[0].live_images,
            std::vector<std::string>{"127.0.0.1:5000/org/web:1.0.0"});
  EXPECT_FALSE(ks.objects.at(object_key("Application", "argocd", "app-0")).uid.empty());

  iu::config::MatchOptions m;
  std::vector<iu::config::ConfigIssue> issues;
  auto managed = iu::config::resolve(ks.snapshot, m, &issues);
  EXPECT_EQ(managed.size(), 7u);
  bool named = false;
  for (const auto& i : issues)
    named = named ||
            i.what().find("ImageUpdater argocd/broken: spec.applicationRefs[0].namePattern") == 0;
  EXPECT_TRUE(named);

  o.namespaces = {};  // all namespaces
  ks = load_snapshot(c, o);
  EXPECT_EQ(ks.snapshot.applications.size(), 8u);
}

TEST_F(KubeApi, AnnotationsSnapshot) {
  Client c = client();
  SourceOptions o;
  o.kind = iu::config::SourceKind::kAnnotations;
  o.namespaces = {"argocd", "team"};
  o.application_label_selector = "tier=backend";
  KubeSnapshot ks = load_snapshot(c, o);
  EXPECT_TRUE(ks.snapshot.updaters.empty());
  EXPECT_EQ(ks.snapshot.applications.size(), 4u);
  iu::config::MatchOptions m;
  m.source = iu::config::SourceKind::kAnnotations;
  auto managed = iu::config::resolve(ks.snapshot, m, nullptr);
  ASSERT_EQ(managed.size(), 2u);  // app-3 and app-team carry image-list
  EXPECT_EQ(managed[0].app->ref.name, "app-3");
  EXPECT_EQ(managed[1].app->ref.ns, "team");
}

TEST_F(KubeApi, SecretsForCredentialReferences) {
  Client c = client();
  auto secrets = std::make_shared<KubeSecretSource>(c);
  auto data = secrets->get({"argocd", "creds"});
  ASSERT_TRUE(data);
  EXPECT_EQ(data->at("creds"), "robot:pa55");
  EXPECT_FALSE(secrets->get({"argocd", "missing"}));
  iu::credentials::Resolver resolver(secrets);
  auto cred = resolver.resolve("secret:argocd/creds#creds", "127.0.0.1:5000");
  EXPECT_EQ(cred.username, "robot");
  EXPECT_EQ(cred.password, "pa55");
  EXPECT_THROW(resolver.resolve("secret:argocd/missing#creds", "127.0.0.1:5000"),
               iu::credentials::CredentialError);
}

TEST_F(KubeApi, WatchStreamsChangesUntilStopped) {
  Client c = client();
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> seen;
  std::thread t([&] {
    c.watch(kApps, "", std::chrono::seconds(30), &stop,
            [&](std::string_view type, const std::string& obj) {
              std::lock_guard lock(mu);
              if (obj.find("\"app-5\"") != std::string::npos) seen.push_back(std::string(type));
              return true;
            });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  c.merge_patch(kApps + "/app-5", R"({"metadata":{"labels":{"watched":"yes"}}})");
  for (int i = 0; i < 50; ++i) {
    {
      std::lock_guard lock(mu);
      if (seen.size() >= 2) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop = true;
  const auto t0 = std::chrono::steady_clock::now();
  t.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));  // stop is honoured
  std::lock_guard lock(mu);
  EXPECT_EQ(seen, (std::vector<std::string>{"ADDED", "MODIFIED"}));
}

TEST_F(KubeApi, GenerationChangesOfImageUpdatersAreReported) {
  SideOptions so;
  so.kubeconfig = fake_->kubeconfig().string();
  so.argocd_namespace = "argocd";
  so.leader_election = false;
  KubeSide side(so);
  std::atomic<int> calls{0};
  side.watch_generations([&] { ++calls; });
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  Client c = client();
  const std::string cr =
      "/apis/argocd-image-updater.argoproj.io/v1alpha1/namespaces/argocd/imageupdaters/shop";
  c.merge_patch(cr, R"({"metadata":{"labels":{"only":"metadata"}}})");  // no generation change
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_EQ(calls.load(), 0);
  c.merge_patch(cr, R"({"spec":{"commonUpdateSettings":{"updateStrategy":"digest"}}})");
  for (int i = 0; i < 50 && calls.load() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(calls.load(), 1);
  c.merge_patch(cr, R"({"spec":{"commonUpdateSettings":{"updateStrategy":null}}})");
}

TEST_F(KubeApi, ShardedLoadKeepsOnlyThisShardsApplications) {
  SideOptions so;
  so.kubeconfig = fake_->kubeconfig().string();
  so.argocd_namespace = "argocd";
  so.watch_namespaces = "*";
  so.leader_election = false;
  so.dry_run = true;  // no status writes
  so.shard_count = 2;
  so.shard_index = "1";
  KubeSide side(so);
  iu::config::Snapshot snap = side.loader()();
  ASSERT_FALSE(snap.applications.empty());
  for (const auto& a : snap.applications)
    EXPECT_EQ(shard_of(a.ref.ns, a.ref.name, 2), 1) << a.ref.name;
  so.shard_index = "0";
  KubeSide other(so);
  EXPECT_EQ(snap.applications.size() + other.loader()().applications.size(), 8u);
  EXPECT_NE(iu::metrics::Registry::global().render().find(
                "argocd_image_updater_shard_info{shard_index=\"1\",shard_count=\"2\"} 1"),
            std::string::npos);
  so.shard_index = "2";
  EXPECT_THROW(KubeSide bad(so), std::invalid_argument);  // not below --shard-count
}

ElectionOptions election(const std::string& id, std::vector<LeaseCandidate> candidates,
                         int count = 1) {
  ElectionOptions o;
  o.ns = "argocd";
  o.candidates = std::move(candidates);
  o.identity = id;
  o.shard_count = count;
  o.lease_duration = std::chrono::seconds(1);
  o.renew_deadline = std::chrono::milliseconds(800);
  o.retry_period = std::chrono::milliseconds(100);
  return o;
}

TEST_F(KubeApi, OnlyOneReplicaHoldsTheLeaseAndReleaseHandsOver) {
  Client c = client();
  LeaderElector a(c, election("a", {{"lease-one", 0}}));
  LeaderElector b(c, election("b", {{"lease-one", 0}}));
  a.step();
  b.step();
  EXPECT_EQ(a.held_shard(), 0);
  EXPECT_EQ(b.held_shard(), -1);
  EXPECT_EQ(fake_->kubectl({"get", "lease", "lease-one", "-n", "argocd", "-o",
                            "jsonpath={.spec.holderIdentity}"}),
            "a");
  a.step();  // renew
  b.step();
  EXPECT_EQ(b.held_shard(), -1);
  a.stop(true);
  b.step();
  EXPECT_EQ(b.held_shard(), 0);
  EXPECT_EQ(fake_->kubectl({"get", "lease", "lease-one", "-n", "argocd", "-o",
                            "jsonpath={.spec.holderIdentity}"}),
            "b");
  b.stop(true);
}

TEST_F(KubeApi, ExpiredLeaseIsTakenOverAndTheOldHolderKnowsItLost) {
  Client c = client();
  LeaderElector a(c, election("a", {{"lease-two", 0}}));
  LeaderElector b(c, election("b", {{"lease-two", 0}}));
  a.step();
  ASSERT_EQ(a.held_shard(), 0);
  // `a` stops renewing (as if killed); `b` takes over once the lease duration has passed.
  const auto t0 = std::chrono::steady_clock::now();
  while (b.held_shard() < 0 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5)) {
    b.step();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(b.held_shard(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(2500));
  a.step();  // renewal finds another holder
  EXPECT_TRUE(a.lost());
  EXPECT_EQ(a.held_shard(), -1);
  b.stop(true);
}

TEST_F(KubeApi, ShardLeasesAndCountMismatch) {
  Client c = client();
  LeaderElector a(c, election("a", {{"shards-0", 0}, {"shards-1", 1}}, 2));
  LeaderElector b(c, election("b", {{"shards-0", 0}, {"shards-1", 1}}, 2));
  a.step();
  b.step();
  EXPECT_EQ(a.held_shard(), 0);
  EXPECT_EQ(b.held_shard(), 1);
  EXPECT_EQ(
      fake_->kubectl(
          {"get", "lease", "shards-1", "-n", "argocd", "-o",
           "jsonpath={.metadata.annotations.argocd-image-updater\\.argoproj\\.io/shard-count}"}),
      "2");
  LeaderElector odd(c, election("odd", {{"shards-0", 0}, {"shards-1", 1}}, 3));
  a.stop(true);
  odd.step();
  EXPECT_EQ(odd.held_shard(), -1);
  EXPECT_NE(odd.mismatch().find("--shard-count 3"), std::string::npos) << odd.mismatch();
  b.stop(true);
}

}  // namespace
