// End to end: the real binary with its bundled plugins against a real registry
// (fixtures/registry.sh + populate.py) and kube_fake.py, results read back with kubectl.
// Covers SPEC §4.1 (crd source, invalid CRs), §9.3 (writeback-argocd), §13.4 (events, status),
// §11 (leader election hand-over, sharding), §12.4 (webhook events handed over between shards)
// and conflict/API-error injection.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <re2/re2.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "kube/shard.hpp"
#include "kube_fake_server.hpp"
#include "process.hpp"
#include "shared_dir.hpp"

namespace {

using iu::test::Command;
using iu::test::KubeFake;
using iu::test::Process;
using iu::test::run;
namespace fs = std::filesystem;

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

const char* kShop = R"(
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {name: shop, namespace: argocd}
spec:
  applicationRefs:
  - namePattern: "web-*"
    images:
    - alias: web
      imageName: "REG/org/web:^1.0"
  - namePattern: "kust-app"
    images:
    - alias: kust
      imageName: "REG/org/kust"
      manifestTargets: {kustomize: {name: kust}}
  - namePattern: "multi-app"
    images:
    - alias: web
      imageName: "REG/org/web:^1.0"
      manifestTargets: {helm: {name: web.repo, tag: web.tag}}
)";

const char* kInvalid = R"(
---
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {name: bad-glob, namespace: argocd}
spec:
  applicationRefs:
  - namePattern: "glob-["
    images: [{alias: web, imageName: "REG/org/web"}]
---
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {name: bad-regexp, namespace: argocd}
spec:
  applicationRefs:
  - namePattern: "re-app"
    images:
    - alias: web
      imageName: "REG/org/web"
      commonUpdateSettings: {allowTags: "regexp:("}
---
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {name: bad-strategy, namespace: argocd}
spec:
  commonUpdateSettings: {updateStrategy: calver}
  applicationRefs:
  - namePattern: "strat-app"
    images: [{alias: web, imageName: "REG/org/web"}]
---
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {name: no-images, namespace: argocd}
spec:
  applicationRefs:
  - namePattern: "none-app"
)";

std::string helm_app(const std::string& name, const std::string& live,
                     const std::string& params = "[]") {
  return "---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: " + name +
         ", namespace: argocd}\nspec:\n  project: default\n"
         "  source: {repoURL: 'https://git.example/deploy', path: " +
         name + ", helm: {parameters: " + params +
         "}}\n"
         "  destination: {server: 'https://kubernetes.default.svc', namespace: apps}\n"
         "status:\n  sourceType: Helm\n  summary: {images: ['" +
         live + "']}\n";
}

std::string fleet() {
  std::string s =
      helm_app("web-a", "REG/org/web:1.0.0",
               "[{name: image.name, value: REG/org/web}, {name: image.tag, value: 1.0.0}]");
  s += helm_app("web-b", "REG/org/web:1.1.0");
  s += helm_app("web-c", "REG/org/other:1.0.0");   // not live: skipped
  s += helm_app("zz-other", "REG/org/web:1.0.0");  // no ImageUpdater matches it
  s += R"(---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: kust-app, namespace: argocd}
spec:
  project: default
  source: {repoURL: 'https://git.example/deploy', path: kust, kustomize: {images: ["kust=REG/org/kust:1.0"]}}
  destination: {server: 'https://kubernetes.default.svc', namespace: apps}
status:
  sourceType: Kustomize
  summary: {images: ['REG/org/kust:1.0']}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: multi-app, namespace: argocd}
spec:
  project: default
  sources:
  - {repoURL: 'https://git.example/config', path: plain}
  - {repoURL: 'https://charts.example', chart: web, targetRevision: 1.0.0}
  destination: {server: 'https://kubernetes.default.svc', namespace: apps}
status:
  sourceTypes: [Directory, Helm]
  summary: {images: ['REG/org/web:1.0.0']}
)";
  return s;
}

class KubeE2E : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::temp_directory_path() / ("iu-kube-e2e-" + std::to_string(getpid())));
    fs::create_directories(*root_);
    fixtures_ = new fs::path(iu::test::fixtures_dir());
    Command reg = run({(*fixtures_ / "registry.sh").string(), "start",
                       (*root_ / "registry").string(), "0", "--ttl", "900"});
    ASSERT_EQ(reg.exit_code, 0) << reg.err;
    std::string host;
    ASSERT_TRUE(RE2::PartialMatch(reg.out, R"(REGISTRY_HOST=(\S+))", &host)) << reg.out;
    registry_ = new std::string(host);
    populate("org/web", "1.0.0,1.1.0,1.2.0,2.0.0");
    populate("org/kust", "1.0,1.5,2.0");
    populate("org/other", "1.0.0");
  }
  static void TearDownTestSuite() {
    run({(*fixtures_ / "registry.sh").string(), "stop", (*root_ / "registry").string()});
    fs::remove_all(*root_);
    delete registry_;
    delete fixtures_;
    delete root_;
  }
  static void populate(const std::string& repo, const std::string& tags) {
    Command r = run({"/usr/bin/python3", (*fixtures_ / "populate.py").string(), "--quiet",
                     "--registry", *registry_, "--repo", repo, "--tags", tags});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static std::string state(const std::string& text) { return replace_all(text, "REG", *registry_); }

  // `run` arguments shared by every invocation.
  static std::vector<std::string> run_args(const KubeFake& fake, std::vector<std::string> extra) {
    std::vector<std::string> a = {IU_BINARY,
                                  "run",
                                  "--source",
                                  "crd",
                                  "--kubeconfig",
                                  fake.kubeconfig().string(),
                                  "--argocd-namespace",
                                  "argocd",
                                  "--plugin-dir",
                                  IU_BUILD_PLUGIN_DIR,
                                  "--registries-conf-path",
                                  "",
                                  "--cache-dir",
                                  "",
                                  "--health-probe-bind-address",
                                  "0",
                                  "--metrics-bind-address",
                                  "0"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }

  static std::string jsonpath(const KubeFake& f, const std::string& kind, const std::string& name,
                              const std::string& path) {
    return f.kubectl({"get", kind, name, "-n", "argocd", "-o", "jsonpath=" + path});
  }
  // Involved object names of the ImagesUpdated events, one per event.
  static std::multiset<std::string> updated_events(const KubeFake& f) {
    auto names = lines(
        f.kubectl({"get", "events", "-n", "argocd", "--field-selector", "reason=ImagesUpdated",
                   "-o", "jsonpath={range .items[*]}{.involvedObject.name}{\"\\n\"}{end}"}));
    return {names.begin(), names.end()};
  }
  // Helm parameter `name` of `app` (all values, in order, joined by ",").
  static std::string helm_param(const KubeFake& f, const std::string& app, const std::string& name,
                                const std::string& source = "source") {
    return jsonpath(f, "application", app,
                    "{.spec." + source + ".helm.parameters[?(@.name==\"" + name + "\")].value}");
  }
  fs::path dir(const std::string& name) const {
    return *root_ / (std::string(testing::UnitTest::GetInstance()->current_test_info()->name()) +
                     "-" + name);
  }

  static inline fs::path* root_ = nullptr;
  static inline fs::path* fixtures_ = nullptr;
  static inline std::string* registry_ = nullptr;
};

TEST_F(KubeE2E, UpdatesExactlyTheRightApplicationsPostsEventsAndWritesStatus) {
  KubeFake fake(dir("kube"), state(std::string(kShop) + kInvalid + fleet() +
                                   helm_app("re-app", "REG/org/web:1.0.0") +
                                   helm_app("strat-app", "REG/org/web:1.0.0") +
                                   helm_app("none-app", "REG/org/web:1.0.0")));
  const std::string before_other =
      fake.kubectl({"get", "application", "zz-other", "-n", "argocd", "-o", "json"});
  const std::string before_c =
      jsonpath(fake, "application", "web-c", "{.metadata.resourceVersion}");
  Command r = run(run_args(fake, {"--once"}), std::chrono::seconds(120));
  EXPECT_EQ(r.exit_code, 1) << "errors from the invalid CRs must give exit 1\n" << r.err;

  const std::string reg = *registry_;
  EXPECT_EQ(helm_param(fake, "web-a", "image.tag"), "1.2.0");
  EXPECT_EQ(helm_param(fake, "web-a", "image.name"), reg + "/org/web");
  EXPECT_EQ(helm_param(fake, "web-b", "image.tag"), "1.2.0");
  EXPECT_EQ(jsonpath(fake, "application", "web-b", "{.spec.source.helm.parameters[0].forceString}"),
            "true");
  EXPECT_EQ(jsonpath(fake, "application", "kust-app", "{.spec.source.kustomize.images}"),
            "[\"kust=" + reg + "/org/kust:2.0\"]");
  EXPECT_EQ(helm_param(fake, "multi-app", "web.tag", "sources[1]"), "1.2.0");
  EXPECT_EQ(jsonpath(fake, "application", "multi-app", "{.spec.sources[0].helm}"), "");
  EXPECT_EQ(jsonpath(fake, "application", "web-c", "{.metadata.resourceVersion}"), before_c);
  EXPECT_EQ(fake.kubectl({"get", "application", "zz-other", "-n", "argocd", "-o", "json"}),
            before_other);
  for (const char* untouched : {"re-app", "strat-app", "none-app"})
    EXPECT_EQ(jsonpath(fake, "application", untouched, "{.spec.source.helm.parameters}"), "[]")
        << untouched;

  EXPECT_EQ(updated_events(fake),
            (std::multiset<std::string>{"kust-app", "multi-app", "web-a", "web-b"}));
  EXPECT_EQ(
      fake.kubectl(
          {"get", "events", "-n", "argocd", "--field-selector", "involvedObject.name=web-a", "-o",
           "jsonpath={.items[0].metadata.annotations.argocd-image-updater\\.image-0/old-tag}"}),
      "1.0.0");

  // Status of the valid CR.
  EXPECT_EQ(
      jsonpath(fake, "imageupdater", "shop", "{.status.conditions[?(@.type==\"Ready\")].reason}"),
      "ReconcileSucceeded");
  EXPECT_EQ(jsonpath(fake, "imageupdater", "shop",
                     "{.status.conditions[?(@.type==\"Reconciling\")].status}"),
            "False");
  EXPECT_EQ(jsonpath(fake, "imageupdater", "shop", "{.status.applicationsMatched}"), "5");
  EXPECT_EQ(jsonpath(fake, "imageupdater", "shop",
                     "{.status.recentUpdates[?(@.alias==\"web\")].applicationsUpdated}"),
            "3");
  EXPECT_EQ(jsonpath(fake, "imageupdater", "shop",
                     "{.status.recentUpdates[?(@.alias==\"kust\")].message}"),
            "Updated from 1.0 to 2.0.");
  EXPECT_FALSE(jsonpath(fake, "imageupdater", "shop", "{.status.lastUpdatedAt}").empty());

  // Invalid CRs: status errors and log lines naming the CR and the field.
  struct Bad {
    const char* cr;
    const char* field;
    const char* ready;
  };
  for (const Bad& b : {Bad{"bad-glob", "spec.applicationRefs[0].namePattern", "ReconcileFailed"},
                       Bad{"no-images", "spec.applicationRefs[0].images", "ReconcileFailed"},
                       Bad{"bad-regexp", "allowTags", "ReconcileCompletedWithErrors"},
                       Bad{"bad-strategy", "updateStrategy", "ReconcileCompletedWithErrors"}}) {
    const std::string msg =
        jsonpath(fake, "imageupdater", b.cr, "{.status.conditions[?(@.type==\"Error\")].message}");
    EXPECT_NE(msg.find(b.field), std::string::npos) << b.cr << ": " << msg;
    EXPECT_EQ(
        jsonpath(fake, "imageupdater", b.cr, "{.status.conditions[?(@.type==\"Error\")].status}"),
        "True")
        << b.cr;
    EXPECT_EQ(
        jsonpath(fake, "imageupdater", b.cr, "{.status.conditions[?(@.type==\"Ready\")].reason}"),
        b.ready)
        << b.cr;
    bool logged = false;
    for (const auto& l : lines(r.err + r.out))
      logged = logged || (l.find("ImageUpdater argocd/" + std::string(b.cr)) != std::string::npos &&
                          l.find(b.field) != std::string::npos);
    EXPECT_TRUE(logged) << b.cr << " not named in the log:\n" << r.err;
  }
  EXPECT_NE(fake.kubectl({"get", "events", "-n", "argocd", "--field-selector",
                          "reason=InvalidConfiguration", "-o",
                          "jsonpath={.items[*].involvedObject.name}"})
                .find("bad-glob"),
            std::string::npos);
  EXPECT_EQ(r.err.find("s3cret"), std::string::npos);  // the token never reaches the log

  // A second pass finds everything up to date: no write, no new event.
  const std::string rv = jsonpath(fake, "application", "web-a", "{.metadata.resourceVersion}");
  Command again = run(run_args(fake, {"--once"}), std::chrono::seconds(120));
  EXPECT_EQ(jsonpath(fake, "application", "web-a", "{.metadata.resourceVersion}"), rv);
  EXPECT_EQ(updated_events(fake).size(), 4u) << again.err;
}

TEST_F(KubeE2E, ConflictsAndApiErrorsNeverLoseOrDoubleApplyAnUpdate) {
  KubeFake fake(dir("kube"), state(std::string(kShop) + fleet()),
                {"--conflict-rate", "0.6", "--error-rate", "0.1", "--seed", "11"});
  // Passes until converged (a write that meets 5 conflicts in a row waits for the next pass).
  for (int pass = 0; pass < 6; ++pass) {
    run(run_args(fake, {"--once"}), std::chrono::seconds(120));
    if (helm_param(fake, "web-a", "image.tag") == "1.2.0" &&
        helm_param(fake, "web-b", "image.tag") == "1.2.0" &&
        helm_param(fake, "multi-app", "web.tag", "sources[1]") == "1.2.0" &&
        jsonpath(fake, "application", "kust-app", "{.spec.source.kustomize.images[0]}")
                .find(":2.0") != std::string::npos)
      break;
  }
  fake.test_endpoint("/__faults", R"({"conflict_rate":0,"error_rate":0})");
  // The faults really happened.
  const std::string requests = fake.test_endpoint("/__requests");
  int n409 = 0, n503 = 0;
  ASSERT_TRUE(RE2::PartialMatch(requests, R"("409":\s*(\d+))", &n409)) << requests.substr(0, 2000);
  ASSERT_TRUE(RE2::PartialMatch(requests, R"("503":\s*(\d+))", &n503)) << requests.substr(0, 2000);
  EXPECT_GT(n409, 0);
  EXPECT_GT(n503, 0);
  EXPECT_EQ(helm_param(fake, "web-a", "image.tag"), "1.2.0");
  EXPECT_EQ(helm_param(fake, "web-b", "image.tag"),
            "1.2.0");  // one entry each: never appended twice
  EXPECT_EQ(helm_param(fake, "web-b", "image.name"), *registry_ + "/org/web");
  EXPECT_EQ(helm_param(fake, "multi-app", "web.tag", "sources[1]"), "1.2.0");
  EXPECT_EQ(jsonpath(fake, "application", "kust-app", "{.spec.source.kustomize.images}"),
            "[\"kust=" + *registry_ + "/org/kust:2.0\"]");
  // Exactly one successful write (and event) per application.
  EXPECT_EQ(updated_events(fake),
            (std::multiset<std::string>{"kust-app", "multi-app", "web-a", "web-b"}));
}

TEST_F(KubeE2E, OnlyTheLeaseHolderWritesAndAStandbyTakesOver) {
  KubeFake fake(dir("kube"), state(std::string(kShop) + fleet()));
  const auto args = run_args(fake, {"--interval", "1s"});
  Process a(args, dir("a.log"));
  // `a` holds the Lease before `b` starts.
  for (int i = 0; i < 100 && a.log().find("acquired Lease") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_NE(a.log().find("acquired Lease"), std::string::npos) << a.log();
  Process b(args, dir("b.log"));
  std::this_thread::sleep_for(std::chrono::seconds(4));
  EXPECT_NE(a.log().find("Starting image update cycle"), std::string::npos) << a.log();
  EXPECT_EQ(b.log().find("Starting image update cycle"), std::string::npos) << b.log();
  EXPECT_EQ(helm_param(fake, "web-a", "image.tag"), "1.2.0");
  const std::string holder =
      jsonpath(fake, "lease", "c21b75f2.argoproj.io", "{.spec.holderIdentity}");

  // The holder dies without releasing; the standby takes over once the lease has expired.
  populate("org/web", "1.3.0");
  const pid_t killed_pid = a.pid();
  a.signal(SIGKILL);
  a.wait(std::chrono::seconds(5));  // reaped: no zombie holding the pid
  const auto killed = std::chrono::steady_clock::now();
  while (b.log().find("acquired Lease") == std::string::npos &&
         std::chrono::steady_clock::now() - killed < std::chrono::seconds(30))
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto handover = std::chrono::steady_clock::now() - killed;
  ASSERT_NE(b.log().find("acquired Lease"), std::string::npos) << b.log();
  // The Lease (15 s) runs out at most 15 s after the kill (the last renewal came before it);
  // the standby sees that at its next 2 s retry, plus one round of requests.
  EXPECT_LT(handover, std::chrono::seconds(18))
      << std::chrono::duration_cast<std::chrono::milliseconds>(handover).count();
  EXPECT_NE(jsonpath(fake, "lease", "c21b75f2.argoproj.io", "{.spec.holderIdentity}"), holder);
  for (int i = 0; i < 100 && helm_param(fake, "web-a", "image.tag") != "1.3.0"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(helm_param(fake, "web-a", "image.tag"), "1.3.0");
  // A graceful stop releases the Lease.
  b.signal(SIGTERM);
  EXPECT_EQ(b.wait(std::chrono::seconds(20)), 0) << b.log();
  EXPECT_EQ(jsonpath(fake, "lease", "c21b75f2.argoproj.io", "{.spec.holderIdentity}"), "");
  // The killed replica could not remove its private credential copies; the next start does.
  auto leftovers = [&] {
    int n = 0;
    const std::string prefix = "argocd-image-updater-kube-" + std::to_string(killed_pid) + "-";
    for (const auto& e : fs::directory_iterator("/tmp"))
      n += e.path().filename().string().rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
  };
  // (Not asserted to be 1 here: another test's replica starting meanwhile — ctest -j — may
  // already have removed the dead process's copy; that is the behaviour under test too.)
  EXPECT_LE(leftovers(), 1);
  run(run_args(fake, {"--once"}), std::chrono::seconds(120));
  EXPECT_EQ(leftovers(), 0);
}

TEST_F(KubeE2E, FailedWritesBecomeWarningEventsAndStatusErrors) {
  // Every update of an Application fails (503) while reads, patches and creates work.
  KubeFake fake(dir("kube"), state(std::string(kShop) + helm_app("web-a", "REG/org/web:1.0.0")),
                {"--error-rate", "1", "--fault-verbs", "update"});
  Command r = run(run_args(fake, {"--once"}), std::chrono::seconds(120));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("Could not update application spec"), std::string::npos) << r.err;
  EXPECT_EQ(helm_param(fake, "web-a", "image.tag"), "");
  EXPECT_TRUE(updated_events(fake).empty());
  EXPECT_EQ(fake.kubectl({"get", "events", "-n", "argocd", "--field-selector",
                          "reason=UpdateFailed", "-o", "jsonpath={.items[*].involvedObject.name}"}),
            "web-a");
  const std::string error =
      jsonpath(fake, "imageupdater", "shop", "{.status.conditions[?(@.type==\"Error\")].message}");
  EXPECT_NE(error.find("Application argocd/web-a: write-back: "), std::string::npos) << error;
  EXPECT_NE(error.find("HTTP 503"), std::string::npos) << error;
  EXPECT_EQ(
      jsonpath(fake, "imageupdater", "shop", "{.status.conditions[?(@.type==\"Ready\")].reason}"),
      "ReconcileCompletedWithErrors");
  EXPECT_EQ(jsonpath(fake, "imageupdater", "shop", "{.status.recentUpdates}"), "[]");
}

TEST_F(KubeE2E, AnnotationsSourceInTheWatchedNamespaces) {
  auto legacy = [](const std::string& ns, const std::string& name, const std::string& tier) {
    return "---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: " + name +
           "\n  namespace: " + ns + "\n  labels: {tier: " + tier +
           "}\n  annotations:\n"
           "    argocd-image-updater.argoproj.io/image-list: \"web=REG/org/web:^1.0\"\n"
           "    argocd-image-updater.argoproj.io/web.helm.image-tag: web.tag\n"
           "spec:\n  project: default\n  source: {repoURL: 'https://git.example/x', path: ., helm: "
           "{parameters: []}}\n"
           "  destination: {server: 'https://kubernetes.default.svc', namespace: " +
           ns +
           "}\n"
           "status:\n  sourceType: Helm\n  summary: {images: ['REG/org/web:1.0.0']}\n";
  };
  KubeFake fake(
      dir("kube"),
      state(legacy("argocd", "l-one", "backend") + legacy("team", "l-two", "backend") +
            legacy("team", "l-front", "frontend") + legacy("elsewhere", "l-three", "backend")));
  Command r = run(run_args(fake, {"--once", "--source", "annotations", "--watch-namespaces",
                                  "argocd,team", "--match-application-label", "tier=backend"}),
                  std::chrono::seconds(120));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto tag = [&](const std::string& ns, const std::string& app) {
    return fake.kubectl({"get", "application", app, "-n", ns, "-o",
                         "jsonpath={.spec.source.helm.parameters[?(@.name==\"web.tag\")].value}"});
  };
  EXPECT_EQ(tag("argocd", "l-one"), "1.2.0");
  EXPECT_EQ(tag("team", "l-two"), "1.2.0");
  EXPECT_EQ(tag("team", "l-front"), "");       // filtered out by the label selector
  EXPECT_EQ(tag("elsewhere", "l-three"), "");  // namespace not watched
  EXPECT_EQ(fake.kubectl({"get", "events", "-n", "team", "--field-selector", "reason=ImagesUpdated",
                          "-o", "jsonpath={.items[*].involvedObject.name}"}),
            "l-two");
}

TEST_F(KubeE2E, ASpecChangeStartsAPassAtOnce) {
  KubeFake fake(dir("kube"), state(std::string(kShop) + fleet()));
  Process p(run_args(fake, {"--interval", "1h", "--leader-election=false"}), dir("run.log"));
  for (int i = 0; i < 100 && helm_param(fake, "web-a", "image.tag") != "1.2.0"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(helm_param(fake, "web-a", "image.tag"), "1.2.0") << p.log();
  // Widen the constraint: the next pass is an hour away, the watch starts one now.
  fake.kubectl(
      {"patch", "imageupdater", "shop", "-n", "argocd", "--type", "json", "-p",
       R"([{"op":"replace","path":"/spec/applicationRefs/0/images/0/imageName","value":")" +
           *registry_ + R"(/org/web:^2.0"}])"});
  for (int i = 0; i < 100 && helm_param(fake, "web-a", "image.tag") != "2.0.0"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(helm_param(fake, "web-a", "image.tag"), "2.0.0") << p.log();
  EXPECT_EQ(jsonpath(fake, "imageupdater", "shop", "{.status.observedGeneration}"),
            jsonpath(fake, "imageupdater", "shop", "{.metadata.generation}"));
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(std::chrono::seconds(20)), 0) << p.log();
}

TEST_F(KubeE2E, TwoShardsCoverEveryApplicationExactlyOnce) {
  std::string apps;
  for (int i = 0; i < 16; ++i) apps += helm_app("web-" + std::to_string(i), "REG/org/web:1.0.0");
  KubeFake fake(dir("kube"), state(std::string(kShop) + apps));
  Process s0(run_args(fake, {"--once", "--shard-count", "2", "--shard-index", "0"}), dir("s0.log"));
  EXPECT_EQ(s0.wait(std::chrono::seconds(120)), 0) << s0.log();
  Process s1(run_args(fake, {"--once", "--shard-count", "2", "--shard-index", "1"}), dir("s1.log"));
  EXPECT_EQ(s1.wait(std::chrono::seconds(120)), 0) << s1.log();
  int n0 = 0, n1 = 0;
  const std::string l0 = s0.log(), l1 = s1.log();
  ASSERT_TRUE(RE2::PartialMatch(l0, R"(considering (\d+) application)", &n0)) << l0;
  ASSERT_TRUE(RE2::PartialMatch(l1, R"(considering (\d+) application)", &n1)) << l1;
  EXPECT_EQ(n0 + n1, 16);
  EXPECT_GT(n0, 0);
  EXPECT_GT(n1, 0);
  std::multiset<std::string> want;
  for (int i = 0; i < 16; ++i) {
    want.insert("web-" + std::to_string(i));
    EXPECT_EQ(helm_param(fake, "web-" + std::to_string(i), "image.tag"), "1.2.0") << i;
  }
  EXPECT_EQ(updated_events(fake), want);
  // The CR status combines both shards' summaries; counts cover the whole fleet.
  EXPECT_EQ(jsonpath(fake, "imageupdater", "shop", "{.status.applicationsMatched}"), "16");
  EXPECT_EQ(
      jsonpath(fake, "imageupdater", "shop", "{.status.recentUpdates[0].applicationsUpdated}"),
      "16");
  for (const char* shard : {"0", "1"})
    EXPECT_NE(
        jsonpath(
            fake, "imageupdater", "shop",
            std::string(
                "{.metadata.annotations.argocd-image-updater\\.argoproj\\.io/shard-status\\.") +
                shard + "}"),
        "")
        << shard;
}

// A port free right now on 127.0.0.1 (the kernel's pick, released at once).
int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    if (fd >= 0) close(fd);
    throw std::runtime_error("no free port");
  }
  close(fd);
  return ntohs(a.sin_port);
}

// SPEC §12.4: a push for an image that applications of both shards use, posted to one replica
// only. That replica updates its own shard's application and hands the other one over through
// the refresh annotation; the other replica checks it at once (the interval is 10 minutes) and
// removes the annotation. Both loops (`--loop cycle|continuous`) take part.
class KubeHandoverE2E : public KubeE2E {
 protected:
  void handover_scenario(const std::string& loop);
};

TEST_F(KubeHandoverE2E, WebhookEventsForAnotherShardAreHandedOverToItsOwner) {
  handover_scenario("cycle");
}

TEST_F(KubeHandoverE2E, HandOverInTheContinuousLoop) { handover_scenario("continuous"); }

void KubeHandoverE2E::handover_scenario(const std::string& loop) {
  populate("org/hook", "1.0.0");
  std::string apps;
  std::string mine, theirs;  // hook-<i> applications of shard 0 (replica A) and 1 (replica B)
  for (int i = 0; i < 40 && (mine.empty() || theirs.empty()); ++i) {
    const std::string name = "hook-" + std::to_string(i);
    std::string& slot = iu::kube::shard_of("argocd", name, 2) == 0 ? mine : theirs;
    if (!slot.empty()) continue;
    slot = name;
    apps += helm_app(name, "REG/org/hook:1.0.0");
  }
  ASSERT_FALSE(mine.empty() || theirs.empty());
  KubeFake fake(dir("kube"), state(R"(
apiVersion: argocd-image-updater.argoproj.io/v1alpha1
kind: ImageUpdater
metadata: {name: hooks, namespace: argocd}
spec:
  applicationRefs:
  - namePattern: "hook-*"
    images:
    - alias: web
      imageName: "REG/org/hook:^1.0"
)" + apps));
  const int hook_port = free_port(), metrics_port = free_port();
  auto replica = [&](const std::string& index, int webhook, int metrics) {
    auto a = run_args(
        fake, {"--interval", "10m", "--loop", loop, "--git-batch-window", "200ms", "--loglevel",
               "debug", "--shard-count", "2", "--shard-index", index, "--enable-webhook",
               "--disable-tls", "--webhook-port", std::to_string(webhook),
               "--registry-webhook-secret", "hook-s3cret", "--metrics-secure=false"});
    for (size_t i = 0; i + 1 < a.size(); ++i)
      if (a[i] == "--metrics-bind-address") a[i + 1] = "127.0.0.1:" + std::to_string(metrics);
    return a;
  };
  Process a(replica("0", hook_port, metrics_port), dir("a.log"));
  Process b(replica("1", free_port(), free_port()), dir("b.log"));
  // Both replicas hold their shard and checked their application once: nothing to update yet.
  const std::string checked = loop == "cycle" ? "Processing results" : "continuous: finished";
  for (int i = 0; i < 300 && (a.log().find(checked) == std::string::npos ||
                              b.log().find(checked) == std::string::npos);
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_NE(a.log().find(checked), std::string::npos) << a.log();
  ASSERT_NE(b.log().find(checked), std::string::npos) << b.log();
  ASSERT_EQ(helm_param(fake, theirs, "image.tag"), "");

  // Every value the refresh annotation of B's application takes, as kubectl watches it.
  Process annotations({"/usr/bin/kubectl", "--kubeconfig", fake.kubeconfig().string(), "get",
                       "application", theirs, "-n", "argocd", "--watch", "-o",
                       "jsonpath={.metadata.annotations.argocd-image-updater\\.argoproj\\.io/"
                       "refresh}{\"\\n\"}"},
                      dir("annotations.log"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  populate("org/hook", "1.1.0");
  const std::string body =
      R"({"events":[{"id":"1","timestamp":"2026-08-20T10:00:00Z","action":"push",)"
      R"("target":{"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
      R"("digest":"sha256:3b1f0000000000000000000000000000000000000000000000000000000000aa",)"
      R"("repository":"org/hook","tag":"1.1.0"},"request":{"host":")" +
      *registry_ + R"(","method":"PUT"}}]})";
  const auto posted = std::chrono::steady_clock::now();
  Command post = run({"curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                      "Authorization: Bearer hook-s3cret", "-H", "Content-Type: application/json",
                      "--data-binary", body,
                      "http://127.0.0.1:" + std::to_string(hook_port) + "/webhook?type=registry"});
  ASSERT_EQ(post.out, "200") << post.err << a.log();

  // A updates its own application; B updates the handed-over one well before its interval.
  auto both_updated = [&] {
    return helm_param(fake, mine, "image.tag") == "1.1.0" &&
           helm_param(fake, theirs, "image.tag") == "1.1.0";
  };
  for (int i = 0; i < 300 && !both_updated(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(helm_param(fake, mine, "image.tag"), "1.1.0") << a.log();
  EXPECT_EQ(helm_param(fake, theirs, "image.tag"), "1.1.0") << a.log() << "\n---\n" << b.log();
  EXPECT_LT(std::chrono::steady_clock::now() - posted, std::chrono::seconds(60));
  // B removes the annotation once checked.
  auto refresh = [&] {
    return jsonpath(fake, "application", theirs,
                    "{.metadata.annotations.argocd-image-updater\\.argoproj\\.io/refresh}");
  };
  for (int i = 0; i < 100 && !refresh().empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(refresh(), "");
  // ... after it had carried `<registry/repository>@<RFC 3339 time>`.
  bool seen = false;
  for (const auto& l : lines(annotations.log()))
    seen = seen || RE2::FullMatch(l, RE2::QuoteMeta(*registry_) +
                                         R"(/org/hook@\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)");
  EXPECT_TRUE(seen) << annotations.log();
  // A's own application was never annotated; B's was checked by B, in a webhook-scoped pass.
  EXPECT_EQ(jsonpath(fake, "application", mine,
                     "{.metadata.annotations.argocd-image-updater\\.argoproj\\.io/refresh}"),
            "");
  EXPECT_TRUE(
      RE2::PartialMatch(a.log(), "handed over to the owner of shard 1.*application=\"?" + theirs))
      << a.log();
  EXPECT_NE(b.log().find("refresh requested by another replica"), std::string::npos) << b.log();
  // (The continuous loop dispatches single applications unannounced, and reports them, events
  // included, at the end of its interval.)
  if (loop == "cycle") {
    EXPECT_NE(b.log().find("Starting webhook-triggered update of 1 application"), std::string::npos)
        << b.log();
    EXPECT_EQ(updated_events(fake), (std::multiset<std::string>{mine, theirs}));
  }
  // A counts the event as handed over.
  Command metrics =
      run({"curl", "-sS", "http://127.0.0.1:" + std::to_string(metrics_port) + "/metrics"});
  EXPECT_NE(metrics.out.find("argocd_image_updater_webhook_events_total{type=\"registry\","
                             "result=\"handed_over\"} 1"),
            std::string::npos)
      << metrics.out << metrics.err;
  a.signal(SIGTERM);
  b.signal(SIGTERM);
  EXPECT_EQ(a.wait(std::chrono::seconds(20)), 0) << a.log();
  EXPECT_EQ(b.wait(std::chrono::seconds(20)), 0) << b.log();
}

}  // namespace
